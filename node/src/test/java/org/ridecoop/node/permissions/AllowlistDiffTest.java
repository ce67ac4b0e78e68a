package org.ridecoop.node.permissions;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The allowlist diff: what to add and remove so a node's lists equal the membership. */
class AllowlistDiffTest {

  static final String VALIDATOR = "0x00000000000000000000000000000000000000a1";
  static final String ALICE = "0x00000000000000000000000000000000000000b1";
  static final String BOB = "0x00000000000000000000000000000000000000b2";
  static final String EXCLUDED = "0x00000000000000000000000000000000000000e1";
  static final String V_ENODE = "enode://" + "a".repeat(128) + "@172.28.0.11:30303";
  static final String N_ENODE = "enode://" + "b".repeat(128) + "@10.0.0.5:30303";
  static final String OLD_ENODE = "enode://" + "c".repeat(128) + "@10.0.0.6:30303";

  static final Allowlists PERMANENT = Allowlists.of(List.of(VALIDATOR), List.of(V_ENODE));

  @Test
  void addsNewMembersAndRemovesThoseNoLongerAllowed() {
    Allowlists desired = Allowlists.of(List.of(ALICE, BOB), List.of(N_ENODE));
    Allowlists current = Allowlists.of(List.of(VALIDATOR, ALICE, EXCLUDED), List.of(V_ENODE, OLD_ENODE));

    AllowlistDiff diff = AllowlistDiff.between(desired, PERMANENT, current);

    assertThat(diff.addAccounts()).containsExactly(BOB);
    assertThat(diff.removeAccounts()).containsExactly(EXCLUDED);
    assertThat(diff.addEnodes()).containsExactly(N_ENODE);
    assertThat(diff.removeEnodes()).containsExactly(OLD_ENODE);
  }

  @Test
  void neverRemovesValidatorsEvenWhenTheMembershipDoesNotNameThem() {
    Allowlists current = Allowlists.of(List.of(VALIDATOR, ALICE), List.of(V_ENODE));

    AllowlistDiff diff = AllowlistDiff.between(Allowlists.of(List.of(), List.of()), PERMANENT, current);

    assertThat(diff.removeAccounts()).containsExactly(ALICE);
    assertThat(diff.removeEnodes()).isEmpty();
    assertThat(diff.applyTo(current)).isEqualTo(PERMANENT);
  }

  @Test
  void restoresMissingPermanentEntries() {
    AllowlistDiff diff = AllowlistDiff.between(Allowlists.of(List.of(ALICE), List.of()), PERMANENT,
        Allowlists.of(List.of(ALICE), List.of()));

    assertThat(diff.addAccounts()).containsExactly(VALIDATOR);
    assertThat(diff.addEnodes()).containsExactly(V_ENODE);
    assertThat(diff.removeAccounts()).isEmpty();
  }

  @Test
  void applyingTheDiffReachesTheDesiredListsAndASecondDiffIsEmpty() {
    Allowlists desired = Allowlists.of(List.of(ALICE, BOB), List.of(N_ENODE));
    Allowlists current = Allowlists.of(List.of(EXCLUDED), List.of(OLD_ENODE));

    Allowlists after = AllowlistDiff.between(desired, PERMANENT, current).applyTo(current);

    assertThat(after).isEqualTo(Allowlists.of(List.of(VALIDATOR, ALICE, BOB), List.of(V_ENODE, N_ENODE)));
    assertThat(AllowlistDiff.between(desired, PERMANENT, after).isEmpty()).isTrue();
  }

  @Test
  void comparesAddressesAndEnodesWithoutRegardToCase() {
    Allowlists desired = Allowlists.of(List.of(ALICE.toUpperCase().replace("0X", "0x")), List.of(N_ENODE.toUpperCase()
        .replace("ENODE://", "enode://")));
    Allowlists current = Allowlists.of(List.of(VALIDATOR, ALICE), List.of(V_ENODE, N_ENODE));

    assertThat(AllowlistDiff.between(desired, PERMANENT, current).isEmpty()).isTrue();
  }

  @Test
  void anEnodeWithItsListeningPortAsDiscoveryPortIsTheSameNode() {
    Allowlists current = Allowlists.of(List.of(VALIDATOR), List.of(V_ENODE + "?discport=30303"));

    assertThat(AllowlistDiff.between(Allowlists.of(List.of(), List.of()), PERMANENT, current).isEmpty()).isTrue();
    assertThat(Allowlists.of(List.of(), List.of(V_ENODE + "?discport=30304")).enodes())
        .containsExactly(V_ENODE + "?discport=30304");
  }
}
