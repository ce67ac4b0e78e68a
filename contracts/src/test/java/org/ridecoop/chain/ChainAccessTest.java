package org.ridecoop.chain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.ridecoop.test.Reverts.assertRevert;
import static org.ridecoop.test.Reverts.assertReverts;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.ridecoop.contracts.CoopToken;
import org.ridecoop.contracts.FareSchedule;
import org.ridecoop.contracts.Treasury;
import org.ridecoop.devchain.AnvilChain;
import org.ridecoop.fare.FareParams;
import org.ridecoop.protocol.ContractStructs;
import org.ridecoop.test.AnvilExtension;
import org.web3j.abi.FunctionEncoder;
import org.web3j.abi.datatypes.Address;
import org.web3j.abi.datatypes.Function;
import org.web3j.abi.datatypes.generated.Bytes32;
import org.web3j.abi.datatypes.generated.Uint256;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.Hash;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.tx.RawTransactionManager;
import org.web3j.utils.Numeric;

@ExtendWith(AnvilExtension.class)
class ChainAccessTest {
  private static final BigInteger MINTED = BigInteger.valueOf(1_000_000);

  private final AnvilChain chain;
  private final ChainAccess access;
  private final Credentials governance;
  private final Credentials onRamp;
  private final Credentials alice;
  private final Credentials bob;
  private CoopToken token;

  ChainAccessTest(AnvilChain chain, ChainAccess access) {
    this.chain = chain;
    this.access = access;
    this.governance = chain.account(0);
    this.onRamp = chain.account(1);
    this.alice = chain.account(2);
    this.bob = chain.account(3);
  }

  @BeforeEach
  void deployToken() throws Exception {
    token = CoopToken.deploy(access.web3j(), access.transactionManager(governance), access.gasProvider(),
        governance.getAddress(), onRamp.getAddress()).send();
    as(onRamp).onRamp(alice.getAddress(), MINTED, new byte[32]).send();
  }

  @Test
  void transferBeyondBalanceFailsPreflightWithDecodedArguments() {
    BigInteger tooMuch = MINTED.add(BigInteger.ONE);

    ContractRevertException revert = assertReverts(() -> as(alice).transfer(bob.getAddress(), tooMuch).send());

    ContractError error = revert.error();
    assertThat(error.name()).isEqualTo("ERC20InsufficientBalance");
    assertThat(error.signature()).isEqualTo("ERC20InsufficientBalance(address,uint256,uint256)");
    assertThat(error.<String>arg("sender")).isEqualTo(alice.getAddress());
    assertThat(error.<BigInteger>arg("balance")).isEqualTo(MINTED);
    assertThat(error.<BigInteger>arg("needed")).isEqualTo(tooMuch);
    assertThat(revert.transactionHash()).as("preflight: nothing sent").isEmpty();
    assertThat(revert.getMessage()).contains("transfer(address,uint256)", "ERC20InsufficientBalance");
  }

  @Test
  void customErrorWithoutArgumentsIsNamed() {
    assertRevert(() -> as(onRamp).onRamp(bob.getAddress(), BigInteger.ZERO, new byte[32]).send(), "ZeroAmount");
  }

  @Test
  void revertedPreflightUsesNoNonceAndTheNextTransactionGoesThrough() throws Exception {
    BigInteger nonceBefore = pendingNonce(alice);

    assertRevert(() -> as(alice).transfer(bob.getAddress(), MINTED.add(BigInteger.ONE)).send(),
        "ERC20InsufficientBalance");
    assertThat(pendingNonce(alice)).isEqualTo(nonceBefore);

    TransactionReceipt receipt = as(alice).transfer(bob.getAddress(), BigInteger.valueOf(400)).send();
    assertThat(receipt.isStatusOK()).isTrue();
    assertThat(token.balanceOf(bob.getAddress()).send()).isEqualTo(400);
    assertThat(pendingNonce(alice)).isEqualTo(nonceBefore.add(BigInteger.ONE));
  }

  @Test
  void nonceIsRecoveredWhenSomeoneElseSendsWithTheSameKey() throws Exception {
    as(alice).transfer(bob.getAddress(), BigInteger.ONE).send(); // the cached manager now knows the nonce
    // another process (here: a plain Web3j manager) uses alice's key behind our back
    CoopToken.load(token.getContractAddress(), access.web3j(),
            new RawTransactionManager(access.web3j(), alice, chain.chainId()), access.gasProvider())
        .transfer(bob.getAddress(), BigInteger.ONE).send();

    // the cached nonce is now stale: the node refuses the send, the manager re-reads the nonce
    Throwable stale = catchThrowable(
        () -> as(alice).transfer(bob.getAddress(), BigInteger.ONE).send());
    assertThat(stale).as("send with a stale nonce").isNotNull();
    as(alice).transfer(bob.getAddress(), BigInteger.ONE).send();

    assertThat(token.balanceOf(bob.getAddress()).send()).isEqualTo(3);
  }

  @Test
  void viewCallRevertsAreDecoded() throws Exception {
    FareSchedule schedule = FareSchedule.deploy(access.web3j(), access.transactionManager(governance),
        access.gasProvider(), governance.getAddress(), zero(),
        ContractStructs.fareParams(FareParams.standard())).send();
    FareSchedule reader = FareSchedule.load(schedule.getContractAddress(), access.web3j(), access.readOnly(),
        access.gasProvider());

    ContractError error = assertRevert(() -> reader.params(BigInteger.valueOf(9)).send(), "UnknownVersion");
    assertThat(error.<BigInteger>arg("version")).isEqualTo(9);
    assertThat(reader.params(BigInteger.ONE).send().baseFare).isEqualTo(FareParams.standard().baseFare());
  }

  @Test
  void ethCallOfAForbiddenTransactionIsDecoded() {
    String data = FunctionEncoder.encode(new Function("onRamp", List.of(
        new Address(bob.getAddress()),
        new Uint256(1),
        new Bytes32(new byte[32])), List.of()));

    ContractError error = assertRevert(() -> access.call(bob.getAddress(), token.getContractAddress(), data),
        "AccessControlUnauthorizedAccount");
    assertThat(error.<String>arg("account")).isEqualTo(bob.getAddress());
    assertThat(error.<String>arg("neededRole")).isEqualTo(Numeric.toHexString(Hash.sha3("ON_RAMP_ROLE".getBytes(StandardCharsets.UTF_8))));
  }

  @Test
  void deployRevertsAreDecoded() throws Exception {
    BigInteger nonceBefore = pendingNonce(governance);

    ContractError error = assertRevert(() -> Treasury.deploy(access.web3j(), access.transactionManager(governance),
            access.gasProvider(), token.getContractAddress(), governance.getAddress(), zero(), zero(),
            BigInteger.ZERO).send(),
        "EpochLengthOutOfBounds");

    assertThat(error.<BigInteger>arg("epochLength")).isZero();
    assertThat(pendingNonce(governance)).isEqualTo(nonceBefore);
  }

  @Test
  void transactionMinedWithStatusZeroIsReplayedAndDecoded() throws Exception {
    Credentials spender = chain.account(4);
    as(alice).approve(spender.getAddress(), MINTED).send();
    BigInteger aliceNonce = pendingNonce(alice);
    chain.setAutomine(false);
    try {
      // alice's transfer passes preflight and waits in the pool...
      CompletableFuture<TransactionReceipt> transfer = as(alice).transfer(bob.getAddress(), MINTED).sendAsync();
      awaitPendingNonce(alice, aliceNonce.add(BigInteger.ONE));
      // ...then the spender, paying a tip so it is mined first, takes alice's whole balance
      String spenderTx = new RawTransactionManager(access.web3j(), spender, chain.chainId())
          .sendTransaction(BigInteger.ONE, BigInteger.valueOf(1_000_000), token.getContractAddress(),
              FunctionEncoder.encode(new Function("transferFrom", List.of(
                  new Address(alice.getAddress()),
                  new Address(spender.getAddress()),
                  new Uint256(MINTED)), List.of())),
              BigInteger.ZERO)
          .getTransactionHash();
      chain.mine(1);

      ExecutionException failed = catchThrowableOfType(ExecutionException.class,
          () -> transfer.get(30, TimeUnit.SECONDS));
      ContractError error = assertRevert(() -> { throw failed; }, "ERC20InsufficientBalance");
      assertThat(error.<BigInteger>arg("balance")).isZero();
      assertThat(error.<BigInteger>arg("needed")).isEqualTo(MINTED);
      ContractRevertException revert = assertReverts(() -> { throw failed; });
      assertThat(revert.transactionHash()).as("mined, then replayed").isPresent();
      assertThat(access.web3j().ethGetTransactionReceipt(spenderTx).send().getTransactionReceipt())
          .hasValueSatisfying(r -> assertThat(r.isStatusOK()).isTrue());
    } finally {
      chain.setAutomine(true);
    }
    // alice's manager still works: the failed transaction used its nonce on chain, as expected
    as(spender).transfer(alice.getAddress(), BigInteger.TEN).send();
    as(alice).transfer(bob.getAddress(), BigInteger.TEN).send();
    assertThat(token.balanceOf(bob.getAddress()).send()).isEqualTo(10);
  }

  @Test
  void oneManagerPerKey() {
    assertThat(access.transactionManager(alice)).isSameAs(access.transactionManager(chain.account(2)));
    assertThat(access.transactionManager(alice)).isNotSameAs(access.transactionManager(bob));
  }

  private CoopToken as(Credentials key) {
    return CoopToken.load(token.getContractAddress(), access.web3j(), access.transactionManager(key),
        access.gasProvider());
  }

  private BigInteger pendingNonce(Credentials key) throws Exception {
    return access.web3j().ethGetTransactionCount(key.getAddress(), DefaultBlockParameterName.PENDING).send()
        .getTransactionCount();
  }

  private void awaitPendingNonce(Credentials key, BigInteger expected) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (!pendingNonce(key).equals(expected)) {
      assertThat(System.nanoTime()).as("transaction reached the pool in time").isLessThan(deadline);
      Thread.sleep(20);
    }
  }

  private static String zero() {
    return "0x0000000000000000000000000000000000000000";
  }
}
