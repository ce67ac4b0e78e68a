package org.ridecoop.sdk.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.ridecoop.chain.ChainAccess;
import org.ridecoop.contracts.CoopToken;
import org.ridecoop.devchain.AnvilChain;
import org.ridecoop.governance.Proposal;
import org.ridecoop.test.AnvilExtension;
import org.ridecoop.test.Backdoor;
import org.ridecoop.test.CoopFixture;
import org.web3j.crypto.Credentials;

/**
 * The supply check on a real deployment: tokens on-ramped and off-ramped add up to the supply;
 * an on-ramp whose role a vote granted passes; one whose role was granted by the timelock's power
 * in other hands fails, named.
 */
@ExtendWith(AnvilExtension.class)
class SupplyChecksTest {
  static CoopFixture f;
  static Credentials d0, r0, r1, city;

  @BeforeAll
  static void onAndOffRamps(AnvilChain chain, ChainAccess access) throws Exception {
    f = CoopFixture.deploy(chain, access);
    d0 = f.driver(0);
    r0 = f.rider(0);
    r1 = f.rider(1);
    city = f.rider(8);
    f.join(d0, 0);
    f.join(r0, 1);
    f.join(r1, 1);
    f.join(city, 2);
    f.fund(r0, 5_000_000);
    f.token(r0).offRamp(BigInteger.valueOf(1_250_000), new byte[32]).send();
    f.chain.mine(1);
  }

  AuditReport audit() throws Exception {
    try (Auditor a = new Auditor(f.chain.web3j(), f.manifest, Auditor.DEFAULT_BLOCK_RANGE, line -> {})) {
      return a.run();
    }
  }

  @Test
  void theSupplyIsWhatWasOnRampedLessWhatWasOffRamped() throws Exception {
    BigInteger supply = f.token(r0).totalSupply().send();
    AuditReport report = audit();

    assertThat(report.failures()).as(report.summary()).isEmpty();
    assertThat(report.check("supply").figures())
        .startsWith("totalSupply " + TokenAmount.format(supply) + "; on-ramped "
            + TokenAmount.format(supply.add(BigInteger.valueOf(1_250_000))) + " in 5 on-ramp(s) − off-ramped 1.25 EUR in 1");
  }

  @Test
  void anOnRampWhoseRoleAVoteGrantedPasses() throws Exception {
    Credentials bank = f.rider(9);
    CoopToken token = f.token(d0);
    f.carry(Proposal.describedAs("A second on-ramp: the credit union")
        .call(token, token.grantRole(token.ON_RAMP_ROLE().send(), bank.getAddress())).build(), List.of(d0, r0, r1, city));
    f.token(bank).onRamp(r1.getAddress(), BigInteger.valueOf(3_000_000), new byte[32]).send();

    AuditReport report = audit();

    assertThat(report.failures()).as(report.summary()).isEmpty();
    assertThat(report.check("governance.changes").figures()).contains("1 by executed proposals");
  }

  @Test
  void anOnRampWhoseRoleWasGrantedWithoutAVoteFails() throws Exception {
    Credentials rogue = f.rider(9);
    String timelock = f.manifest.address("CoopTimelock");
    CoopToken asTimelock = CoopToken.load(f.manifest.address("CoopToken"), f.chain.web3j(),
        new Backdoor(f.chain).as(timelock), f.access.gasProvider());
    asTimelock.grantRole(asTimelock.ON_RAMP_ROLE().send(), rogue.getAddress()).send();
    String tx = f.token(rogue).onRamp(rogue.getAddress(), BigInteger.valueOf(10_000_000), new byte[32]).send()
        .getTransactionHash();

    AuditReport report = audit();

    assertThat(report.failures()).extracting(AuditCheck::id).containsExactly("supply", "governance.changes");
    assertThat(report.check("supply").figures()).contains("on-ramp in tx " + tx + " by " + rogue.getAddress()
        + ", which holds no on-ramp role granted at deployment or by a proposal");
    assertThat(report.check("governance.changes").figures()).contains("granted to " + rogue.getAddress());
  }
}
