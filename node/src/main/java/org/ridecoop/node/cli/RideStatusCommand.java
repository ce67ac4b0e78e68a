package org.ridecoop.node.cli;

import io.vertx.core.json.JsonObject;
import java.math.BigInteger;
import org.ridecoop.sdk.Ride;
import org.ridecoop.sdk.RideCoop;
import org.ridecoop.sdk.Rider;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code ridecoop ride status RIDE [--follow]}: where one of the rider's rides is. */
@Command(name = "status", mixinStandardHelpOptions = true,
    description = "Show where your ride is (from a node that follows it, else from the ledger); --follow prints "
        + "each change until it ends.")
final class RideStatusCommand extends RiderCommand {

  @Parameters(paramLabel = "RIDE", description = "The ride id (decimal), as `ride request` printed it.")
  BigInteger rideId;

  @Option(names = "--follow", description = "Print status changes until the ride ends.")
  boolean follow;

  @Override
  int run(RideCoop coop, Rider rider) throws Exception {
    try (Ride ride = rider.ride(rideId)) {
      if (follow) {
        RideFollower.start(this, ride).awaitEnd();
        return 0;
      }
      print(new JsonObject().put("rideId", ride.id().toString()).put("state", ride.state().wireName())
          .put("node", ride.node() == null ? null : ride.node().toString()).put("offers", ride.offers().size()),
          "ride " + ride.id() + ": " + ride.state().wireName()
              + (ride.node() == null ? " (on the ledger; no node follows it)" : " at " + ride.node()));
    }
    return 0;
  }
}
