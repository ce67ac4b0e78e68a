package org.ridecoop.node.permissions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.math.BigInteger;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.ridecoop.chain.ChainAccess;
import org.ridecoop.devchain.AnvilChain;
import org.ridecoop.governance.Proposal;
import org.ridecoop.test.AnvilExtension;
import org.ridecoop.test.CoopFixture;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.Keys;
import org.web3j.protocol.http.HttpService;
import org.web3j.utils.Numeric;

/**
 * The permissions sync against the real Membership on Anvil, with real joins, node registrations
 * and an exclusion voted through governance; the Besu side is a stand-in JSON-RPC server.
 */
@ExtendWith(AnvilExtension.class)
class PermissionsSyncTest {

  static final String VALIDATOR = "0x00000000000000000000000000000000000000a1";
  static final String VALIDATOR_ENODE = "enode://" + "a".repeat(128) + "@172.28.0.11:30303";
  static final BigInteger PARIS_CELL = new BigInteger("871fb4662ffffff", 16);

  CoopFixture f;
  BesuPermissioningStandIn besu;
  PermissionsSync sync;

  @BeforeEach
  void deploy(AnvilChain chain, ChainAccess access) throws Exception {
    f = CoopFixture.deploy(chain, access);
    // as `chain genesis` leaves it: the validators and the deployer
    besu = new BesuPermissioningStandIn(List.of(VALIDATOR, f.deployer.getAddress()), List.of(VALIDATOR_ENODE));
    sync = new PermissionsSync(new MembershipAllowlist(access, f.manifest, 30303),
        Allowlists.of(List.of(VALIDATOR, f.deployer.getAddress()), List.of(VALIDATOR_ENODE)),
        List.of(new BesuPermissioning(new HttpService(besu.url()), "validator1")));
  }

  @AfterEach
  void stop() {
    besu.close();
  }

  static String lower(Credentials c) {
    return c.getAddress().toLowerCase(Locale.ROOT);
  }

  @Test
  void followsRegistrationsJoinsNodesAndAnExclusionVoted() throws Exception {
    Credentials user = f.rider(0), riderMember = f.rider(1), driver = f.driver(0), excludedDriver = f.driver(1);
    Credentials stranger = f.rider(5);
    f.membership(user).registerUser().send();
    f.join(riderMember, 1);
    f.join(driver, 0);
    f.join(excludedDriver, 0);
    Credentials nodeKey = f.driver(6);
    byte[] enode = Numeric.toBytesPadded(Keys.createEcKeyPair().getPublicKey(), 64);
    f.membership(excludedDriver).registerNode(nodeKey.getAddress(), "http://10.0.0.7:8080", enode,
        List.of(PARIS_CELL)).send();
    String nodeEnode = "enode://" + Numeric.toHexStringNoPrefix(enode) + "@10.0.0.7:30303";

    sync.syncOnce();

    assertThat(besu.accounts()).containsExactlyInAnyOrder(VALIDATOR, lower(f.deployer), lower(user),
        lower(riderMember), lower(driver), lower(excludedDriver), lower(nodeKey));
    assertThat(besu.accounts()).doesNotContain(lower(stranger));
    assertThat(besu.enodes()).containsExactlyInAnyOrder(VALIDATOR_ENODE, nodeEnode);

    int changes = besu.changes();
    assertThat(sync.syncOnce().get("validator1").isEmpty()).as("nothing changed on chain").isTrue();
    assertThat(besu.changes()).isEqualTo(changes);

    Proposal exclusion = Proposal.describedAs("Exclude driver 1").call(f.membership(driver),
        f.membership(driver).exclude(excludedDriver.getAddress(), new byte[32])).build();
    f.carry(exclusion, List.of(driver, riderMember));

    Map<String, AllowlistDiff> applied = sync.syncOnce();

    AllowlistDiff diff = applied.get("validator1");
    assertThat(diff.removeAccounts()).containsExactlyInAnyOrder(lower(excludedDriver), lower(nodeKey));
    assertThat(diff.removeEnodes()).containsExactly(nodeEnode);
    assertThat(diff.addAccounts()).isEmpty();
    assertThat(besu.accounts()).containsExactlyInAnyOrder(VALIDATOR, lower(f.deployer), lower(user),
        lower(riderMember), lower(driver));
    assertThat(besu.enodes()).containsExactly(VALIDATOR_ENODE);
  }

  @Test
  void undoesChangesMadeBehindItsBackButKeepsTheValidators() throws Exception {
    Credentials stranger = f.rider(5);
    besu.allowAccount(stranger.getAddress());

    AllowlistDiff diff = sync.syncOnce().get("validator1");

    assertThat(diff.removeAccounts()).containsExactly(lower(stranger));
    assertThat(besu.accounts()).containsExactlyInAnyOrder(VALIDATOR, lower(f.deployer));
    assertThat(besu.enodes()).containsExactly(VALIDATOR_ENODE);
  }

  @Test
  void anApplicantIsAllowedBeforeItRegistersSoItCanSendItsOwnRegistration(ChainAccess access) throws Exception {
    Credentials applicant = f.rider(3), stranger = f.rider(4);
    PermissionsSync withApplicants = new PermissionsSync(
        new MembershipAllowlist(access, f.manifest, 30303, List.of(applicant.getAddress())),
        Allowlists.of(List.of(VALIDATOR, f.deployer.getAddress()), List.of(VALIDATOR_ENODE)),
        List.of(new BesuPermissioning(new HttpService(besu.url()), "validator1")));

    withApplicants.syncOnce();
    assertThat(besu.accounts()).contains(lower(applicant)).doesNotContain(lower(stranger));

    f.join(applicant, 0);
    f.join(f.driver(0), 0);
    f.carry(Proposal.describedAs("Exclude the applicant").call(f.membership(applicant),
        f.membership(applicant).exclude(applicant.getAddress(), new byte[32])).build(), List.of(f.driver(0)));
    withApplicants.syncOnce();
    assertThat(besu.accounts()).as("an excluded applicant is refused like any member").doesNotContain(lower(applicant));
  }

  @Test
  void aNodeThatIsDownFailsTheRoundAndTheNextRoundCatchesUp() throws Exception {
    Credentials user = f.rider(0);
    f.membership(user).registerUser().send();
    besu.down(true);

    assertThatThrownBy(sync::syncOnce).isInstanceOf(IOException.class);
    assertThat(besu.accounts()).doesNotContain(lower(user));

    besu.down(false);
    sync.syncOnce();
    assertThat(besu.accounts()).contains(lower(user));
  }
}
