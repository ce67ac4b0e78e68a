package org.ridecoop.node.cli;

import io.vertx.core.json.JsonObject;
import java.math.BigInteger;
import org.ridecoop.sdk.Ride;
import org.ridecoop.sdk.RideCoop;
import org.ridecoop.sdk.Rider;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code ridecoop ride cancel RIDE}: withdraws the request, or cancels the booking on chain. */
@Command(name = "cancel", mixinStandardHelpOptions = true,
    description = "Cancel your ride: before booking at the node; once booked on the ledger (free within the "
        + "grace period, else the cancellation fee goes to the driver).")
final class RideCancelCommand extends RiderCommand {

  @Parameters(paramLabel = "RIDE", description = "The ride id (decimal).")
  BigInteger rideId;

  @Override
  int run(RideCoop coop, Rider rider) {
    try (Ride ride = rider.ride(rideId)) {
      ride.cancel();
      print(new JsonObject().put("rideId", ride.id().toString()).put("state", ride.state().wireName()),
          "ride " + ride.id() + ": " + ride.state().wireName());
    }
    return 0;
  }
}
