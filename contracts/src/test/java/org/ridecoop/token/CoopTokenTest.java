package org.ridecoop.token;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ridecoop.test.Reverts.assertRevert;

import java.math.BigInteger;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.ridecoop.chain.ChainAccess;
import org.ridecoop.devchain.AnvilChain;
import org.ridecoop.protocol.MessageSigner;
import org.ridecoop.protocol.Permit;
import org.ridecoop.test.AnvilExtension;
import org.ridecoop.test.CoopFixture;
import org.web3j.crypto.Credentials;

/** CoopToken's on-ramp and off-ramp, and deposits with a permit in one transaction. */
@ExtendWith(AnvilExtension.class)
class CoopTokenTest {
  static CoopFixture f;
  static Credentials rider;

  @BeforeAll
  static void deploy(AnvilChain chain, ChainAccess access) throws Exception {
    f = CoopFixture.deploy(chain, access);
    rider = f.rider(0);
  }

  @Test
  void onRampMintsAndOffRampBurns() throws Exception {
    f.token(f.onRamp).onRamp(rider.getAddress(), BigInteger.valueOf(5_000_000), new byte[32]).send();
    assertThat(f.token(rider).decimals().send()).isEqualTo(BigInteger.valueOf(6));
    assertThat(f.token(rider).balanceOf(rider.getAddress()).send()).isEqualTo(BigInteger.valueOf(5_000_000));
    f.token(rider).offRamp(BigInteger.valueOf(2_000_000), new byte[32]).send();
    assertThat(f.token(rider).balanceOf(rider.getAddress()).send()).isEqualTo(BigInteger.valueOf(3_000_000));
    assertThat(f.token(rider).totalSupply().send()).isEqualTo(BigInteger.valueOf(3_000_000));
  }

  @Test
  void rampReverts() {
    assertRevert(() -> f.token(rider).onRamp(rider.getAddress(), BigInteger.ONE, new byte[32]).send(),
        "AccessControlUnauthorizedAccount");
    assertRevert(() -> f.token(f.onRamp).onRamp(rider.getAddress(), BigInteger.ZERO, new byte[32]).send(), "ZeroAmount");
    assertRevert(() -> f.token(rider).offRamp(BigInteger.ZERO, new byte[32]).send(), "ZeroAmount");
    assertRevert(() -> f.token(rider).offRamp(BigInteger.ONE, new byte[32]).send(), "ERC20InsufficientBalance");
    // The deployer kept no power: it can neither mint nor grant roles.
    assertRevert(() -> f.token(f.deployer).grantRole(new byte[32], f.deployer.getAddress()).send(),
        "AccessControlUnauthorizedAccount");
  }

  @Test
  void depositWithPermitInOneTransaction() throws Exception {
    f.fund(rider, 30_000_000);
    String ledger = f.manifest.address("RideLedger");
    long deadline = f.now() + 600;
    BigInteger value = BigInteger.valueOf(30_000_000);
    Permit permit = new Permit(rider.getAddress(), ledger, value, f.token(rider).nonces(rider.getAddress()).send(), deadline);
    byte[] sig = MessageSigner.sign(Permit.tokenDomain(f.chain.chainId(), f.manifest.address("CoopToken")), permit.structHash(), rider);
    f.ledger(rider).depositWithPermit(value, BigInteger.valueOf(deadline), BigInteger.valueOf(sig[64]),
        Arrays.copyOfRange(sig, 0, 32), Arrays.copyOfRange(sig, 32, 64)).send();
    assertThat(f.ledger(rider).walletOf(rider.getAddress()).send().component1()).isEqualTo(value);
    // Replaying the used permit: the permit fails silently and, with no allowance left, the transfer reverts.
    f.fund(rider, 30_000_000);
    assertRevert(() -> f.ledger(rider).depositWithPermit(value, BigInteger.valueOf(deadline), BigInteger.valueOf(sig[64]),
        Arrays.copyOfRange(sig, 0, 32), Arrays.copyOfRange(sig, 32, 64)).send(), "ERC20InsufficientAllowance");
    f.assertMoneyInvariant(List.of(rider.getAddress()), List.of());
  }
}
