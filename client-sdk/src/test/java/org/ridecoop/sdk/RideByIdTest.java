package org.ridecoop.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.ridecoop.chain.ChainAccess;
import org.ridecoop.devchain.AnvilChain;
import org.ridecoop.protocol.RideIds;
import org.ridecoop.test.AnvilExtension;
import org.ridecoop.test.CoopFixture;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.Hash;

/**
 * A rider's ride looked up by id from a new connection when no node answers: the ledger says
 * where it is, and the rider can still cancel or dispute it with its own key; ids that are not
 * the rider's are refused, and a ride no one can vouch for is not called unknown while nodes are down.
 */
@ExtendWith(AnvilExtension.class)
class RideByIdTest {
  static final long DEPOSIT = 50_000_000;
  static final long ESCROW = 30_000_000;

  static CoopFixture f;
  static Credentials riderKey;

  RideCoop coop;
  Rider rider;
  BigInteger rideId;

  @BeforeAll
  static void deploy(AnvilChain chain, ChainAccess access) throws Exception {
    f = CoopFixture.deploy(chain, access);
    riderKey = f.rider(0);
    f.join(f.driver(0), 0);
  }

  @BeforeEach
  void aBookedRide() throws Exception {
    f.deposit(riderKey, DEPOSIT);
    rideId = f.book(riderKey, f.driver(0), ESCROW);
    coop = RideCoop.connect(List.of(URI.create("http://127.0.0.1:1")), URI.create(f.chain.rpcUrl()), f.manifest);
    rider = coop.rider(riderKey);
  }

  @AfterEach
  void close() {
    coop.close();
  }

  @Test
  void withNoNodeTheLedgerSaysTheRideIsBookedAndTheRiderCanCancelIt() throws Exception {
    Ride ride = rider.ride(rideId);
    assertThat(ride.state()).isEqualTo(RideState.BOOKED);
    assertThat(ride.request()).isNull();

    ride.cancel(); // within the grace period: on the ledger, free

    assertThat(ride.state()).isEqualTo(RideState.CANCELLED);
    assertThat(rider.balance()).isEqualTo(new RiderBalance(DEPOSIT, 0, 0));
    assertThat(rider.ride(rideId).state()).isEqualTo(RideState.CANCELLED);
    f.assertMoneyInvariant(f.devAddresses(), List.of(rideId));
  }

  @Test
  void aRideLookedUpByIdCanBeDisputedButNotBooked() throws Exception {
    Ride ride = rider.ride(rideId);
    ride.dispute(Hash.sha3("the driver never came".getBytes(java.nio.charset.StandardCharsets.UTF_8)));

    assertThat(rider.ride(rideId).state()).isEqualTo(RideState.DISPUTED);
    assertThat(rider.balance()).isEqualTo(new RiderBalance(DEPOSIT - ESCROW, ESCROW, 0)); // frozen, not refunded
    assertThatThrownBy(() -> ride.book(null)).isInstanceOf(RideCoopException.class)
        .hasMessageContaining("looked up by id");
  }

  @Test
  void anotherRidersIdIsRefusedAndAnUnbookedOneIsNotCalledUnknownWhileNodesAreDown() {
    assertThatThrownBy(() -> rider.ride(RideIds.of(f.rider(1).getAddress(), 0)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not of this rider");
    // Not on the ledger, and the only node is down: it may still be matching there.
    assertThatThrownBy(() -> rider.ride(RideIds.of(riderKey.getAddress(), 5)))
        .isInstanceOf(NoNodeAvailableException.class);
  }
}
