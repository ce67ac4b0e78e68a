package org.ridecoop.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The order of ride states the SDK waits on, and their wire names. */
class RideStateTest {
  @Test
  void aStateReachesItselfAndEveryEarlierStepButNotAnEndOffThePath() {
    assertThat(RideState.DROPPED_OFF.hasReached(RideState.BOOKED)).isTrue();
    assertThat(RideState.PICKED_UP.hasReached(RideState.ARRIVED)).isTrue(); // a node may skip "arrived"
    assertThat(RideState.BOOKED.hasReached(RideState.DROPPED_OFF)).isFalse();
    assertThat(RideState.CANCELLED.hasReached(RideState.BOOKED)).isFalse();
    assertThat(RideState.SETTLED.hasReached(RideState.CANCELLED)).isFalse();
    assertThat(RideState.SETTLED.isFinal()).isTrue();
    assertThat(RideState.RECEIPT_COSIGNED.isFinal()).isFalse();
  }

  @Test
  void wireNamesRoundTripAndUnknownNamesAreNull() {
    for (RideState s : RideState.values()) {
      assertThat(RideState.fromWire(s.wireName())).isEqualTo(s);
    }
    assertThat(RideState.fromWire("picked_up")).isEqualTo(RideState.PICKED_UP);
    assertThat(RideState.fromWire("teleported")).isNull();
    assertThat(RideState.fromWire(null)).isNull();
  }
}
