package org.ridecoop.node.cli;

import io.vertx.core.json.JsonObject;
import java.util.concurrent.CountDownLatch;
import org.ridecoop.sdk.Ride;
import org.ridecoop.sdk.RideStatus;

/** Prints a ride's status changes as they come (the SDK's listener) until the ride ends. */
final class RideFollower {
  private final RiderCommand command;
  private final CountDownLatch ended = new CountDownLatch(1);

  private RideFollower(RiderCommand command) {
    this.command = command;
  }

  /** Starts printing {@code ride}'s changes; prints its current state first. */
  static RideFollower start(RiderCommand command, Ride ride) {
    RideFollower f = new RideFollower(command);
    ride.onStatus(f::changed);
    f.changed(new RideStatus(ride.id(), ride.state(), ride.node()));
    return f;
  }

  private void changed(RideStatus s) {
    if (ended.getCount() == 0) {
      return;
    }
    command.print(new JsonObject().put("event", "status").put("rideId", s.rideId().toString())
        .put("state", s.state().wireName()).put("node", s.node() == null ? null : s.node().toString()),
        "ride " + s.rideId() + ": " + s.state().wireName());
    if (s.state().isFinal()) {
      ended.countDown();
    }
  }

  /** Waits until the ride is settled, cancelled, disputed or expired. */
  void awaitEnd() throws InterruptedException {
    ended.await();
  }
}
