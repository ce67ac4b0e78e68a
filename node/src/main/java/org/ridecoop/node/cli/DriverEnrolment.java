package org.ridecoop.node.cli;

import java.math.BigInteger;
import org.ridecoop.chain.ChainAccess;
import org.ridecoop.contracts.CoopToken;
import org.ridecoop.contracts.Membership;
import org.ridecoop.deploy.DeploymentManifest;
import org.ridecoop.governance.College;
import org.ridecoop.governance.MemberStatus;
import org.web3j.crypto.Credentials;

/**
 * Makes a node key an active member of the drivers' college with its own key: registers it, buys
 * its share through the on-ramp, approves and joins. Used by {@code chain dev} and
 * {@code chain deploy --driver-key}.
 */
final class DriverEnrolment {

  private DriverEnrolment() {}

  /**
   * Enrols {@code driver}; sends nothing if it already is a driver member.
   *
   * @param onRamp the token's on-ramp account, which mints the share capital
   * @return whether it joined now (false: it already was a driver member)
   * @throws CommandFailure usage error if it is a member of another college
   */
  static boolean join(ChainAccess access, DeploymentManifest manifest, Credentials onRamp, Credentials driver)
      throws Exception {
    Membership asDriver = Membership.load(manifest.address("Membership"), access.web3j(),
        access.transactionManager(driver), access.gasProvider());
    String address = driver.getAddress();
    MemberStatus status = MemberStatus.ofId(asDriver.statusOf(address).send().longValueExact());
    if (status == MemberStatus.ACTIVE) {
      int college = asDriver.collegeOf(address).send().intValueExact();
      if (college != College.DRIVERS.id()) {
        throw CommandFailure.usage("--driver-key: " + address + " is already a member of another college on this chain");
      }
      return false;
    }
    if (status == MemberStatus.NONE) {
      asDriver.registerUser().send();
    }
    BigInteger share = asDriver.sharePrice().send();
    token(access, manifest, onRamp).onRamp(address, share, new byte[32]).send();
    token(access, manifest, driver).approve(manifest.address("Membership"), share).send();
    asDriver.join(College.DRIVERS.idAsBigInteger()).send();
    return true;
  }

  private static CoopToken token(ChainAccess access, DeploymentManifest manifest, Credentials as) {
    return CoopToken.load(manifest.address("CoopToken"), access.web3j(), access.transactionManager(as),
        access.gasProvider());
  }
}
