package org.ridecoop.devchain;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.ridecoop.chain.ChainAccess;
import org.ridecoop.contracts.CoopToken;
import org.ridecoop.test.AnvilExtension;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.core.DefaultBlockParameterName;

/** The second test sees none of what the first did: AnvilExtension reverts after each test. */
@ExtendWith(AnvilExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SnapshotIsolationTest {
  private static CoopToken token;
  private static BigInteger blockAfterSetUp;
  private static BigInteger adminNonceAfterSetUp;

  @BeforeAll
  static void deployOncePerClass(AnvilChain chain, ChainAccess access) throws Exception {
    Credentials admin = chain.account(0);
    token = CoopToken.deploy(access.web3j(), access.transactionManager(admin), access.gasProvider(),
        admin.getAddress(), admin.getAddress()).send();
    blockAfterSetUp = access.web3j().ethBlockNumber().send().getBlockNumber();
    adminNonceAfterSetUp = nonce(chain, admin);
  }

  @Test
  @Order(1)
  void firstTestMintsSendsAndMines(AnvilChain chain, ChainAccess access) throws Exception {
    Credentials admin = chain.account(0);
    CoopToken asAdmin = CoopToken.load(token.getContractAddress(), access.web3j(),
        access.transactionManager(admin), access.gasProvider());
    asAdmin.onRamp(chain.account(7).getAddress(), BigInteger.valueOf(500), new byte[32]).send();
    chain.mine(10);

    assertThat(token.balanceOf(chain.account(7).getAddress()).send()).isEqualTo(500);
    assertThat(nonce(chain, admin)).isEqualTo(adminNonceAfterSetUp.add(BigInteger.ONE));
  }

  @Test
  @Order(2)
  void secondTestSeesTheStateAfterBeforeAllOnly(AnvilChain chain, ChainAccess access) throws Exception {
    assertThat(access.web3j().ethBlockNumber().send().getBlockNumber()).isEqualTo(blockAfterSetUp);
    assertThat(token.balanceOf(chain.account(7).getAddress()).send()).isZero();
    assertThat(nonce(chain, chain.account(0))).isEqualTo(adminNonceAfterSetUp);

    // and the cached manager was told: its next transaction uses the reverted nonce
    CoopToken.load(token.getContractAddress(), access.web3j(), access.transactionManager(chain.account(0)),
        access.gasProvider()).onRamp(chain.account(7).getAddress(), BigInteger.ONE, new byte[32]).send();
    assertThat(token.balanceOf(chain.account(7).getAddress()).send()).isEqualTo(1);
  }

  private static BigInteger nonce(AnvilChain chain, Credentials key) throws Exception {
    return chain.web3j().ethGetTransactionCount(key.getAddress(), DefaultBlockParameterName.LATEST).send()
        .getTransactionCount();
  }
}
