package org.ridecoop.chain;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.ridecoop.contracts.CoopToken;
import org.ridecoop.deploy.Deployer;
import org.ridecoop.deploy.DeploymentConfig;
import org.ridecoop.deploy.DeploymentManifest;
import org.ridecoop.devchain.AnvilChain;
import org.ridecoop.test.AnvilExtension;
import org.web3j.crypto.Credentials;

/**
 * The whole contract set deploys through a preflighting manager: constructors that refer to
 * peers not deployed yet (predicted addresses) must not revert in eth_call either.
 */
@ExtendWith(AnvilExtension.class)
class DeployThroughChainAccessTest {

  @Test
  void deployerRunsThroughPreflightManagers(AnvilChain chain, ChainAccess access) throws Exception {
    Credentials deployer = chain.account(0);
    Credentials onRamp = chain.account(1);

    DeploymentManifest manifest = new Deployer(access.web3j(), access.transactionManager(deployer), access.gasProvider())
        .deploy(DeploymentConfig.devDefaults(onRamp.getAddress(), chain.account(2).getAddress()));

    CoopToken token = CoopToken.load(manifest.address("CoopToken"), access.web3j(),
        access.transactionManager(onRamp), access.gasProvider());
    token.onRamp(chain.account(3).getAddress(), BigInteger.TEN, new byte[32]).send();
    assertThat(token.balanceOf(chain.account(3).getAddress()).send()).isEqualTo(10);
  }
}
