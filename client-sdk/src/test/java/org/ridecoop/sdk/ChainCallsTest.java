package org.ridecoop.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.math.BigInteger;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.ridecoop.chain.ContractError;
import org.ridecoop.chain.ContractRevertException;

/**
 * The translation every SDK chain call goes through, for the failure shapes a real chain call
 * cannot produce on demand (a revert wrapped by web3j, an unreachable node, nested calls); the
 * refusals themselves are exercised on Anvil by {@code RiderWalletTest}, {@code MemberTest} and
 * {@code GovernanceTest}.
 */
class ChainCallsTest {
  private static final ContractRevertException REVERT = new ContractRevertException(
      new ContractError("InsufficientBalance", "InsufficientBalance(uint256,uint256)", List.of("available", "needed"),
          List.of(BigInteger.valueOf(5), BigInteger.valueOf(7)), "0x"),
      "withdraw(uint256)", "0xrider", "0xledger", null);

  @Test
  void aRevertWrappedInTheCauseChainIsRefusedByNameWithWhatWasAttempted() {
    ChainRefusedException refused = catchThrowableOfType(ChainRefusedException.class,
        () -> ChainCalls.call("withdraw 7", () -> {
          throw new RuntimeException("web3j wrapped it", REVERT);
        }));

    assertThat(refused.errorName()).isEqualTo("InsufficientBalance");
    assertThat(refused.error().<BigInteger>arg("needed")).isEqualTo(BigInteger.valueOf(7));
    assertThat(refused).hasMessage("the chain refused to withdraw 7: InsufficientBalance(available=5, needed=7)")
        .hasCause(REVERT);
  }

  @Test
  void aChainThatCannotBeReachedIsNotARefusal() {
    Throwable failed = catchThrowable(() -> ChainCalls.call("read the wallet", () -> {
      throw new IOException("Connection refused");
    }));

    assertThat(failed).isExactlyInstanceOf(RideCoopException.class)
        .hasMessage("could not read the wallet on chain: Connection refused");
  }

  @Test
  void aRefusalInsideANestedCallKeepsTheInnerAttempt() {
    ChainRefusedException refused = catchThrowableOfType(ChainRefusedException.class,
        () -> ChainCalls.call("execute proposal 1", () -> ChainCalls.call("read the chain's time", () -> {
          throw REVERT;
        })));

    assertThat(refused).hasMessageStartingWith("the chain refused to read the chain's time: ").hasCause(REVERT);
  }
}
