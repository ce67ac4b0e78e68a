package org.ridecoop.node.cli;

import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import org.ridecoop.protocol.TripReceipt;
import org.ridecoop.sdk.PendingReceipt;
import org.ridecoop.sdk.Ride;
import org.ridecoop.sdk.RideCoop;
import org.ridecoop.sdk.Rider;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code ridecoop ride cosign RIDE [--yes]}: shows the trip receipt the driver's node drafted and
 * the fare it makes (by the ride's fare version, from the chain), then co-signs exactly that
 * receipt once the rider confirms.
 */
@Command(name = "cosign", mixinStandardHelpOptions = true,
    description = {"Show the trip receipt and its fare, and co-sign it so the ride settles.",
        "Asks for confirmation on standard input unless --yes. A fare above the escrow is never co-signed:",
        "dispute it instead."})
final class RideCosignCommand extends RiderCommand {

  @Parameters(paramLabel = "RIDE", description = "The ride id (decimal).")
  BigInteger rideId;

  @Option(names = "--yes", description = "Co-sign without asking.")
  boolean yes;

  @Override
  int run(RideCoop coop, Rider rider) throws Exception {
    try (Ride ride = rider.ride(rideId)) {
      PendingReceipt shown = ride.receiptToCosign();
      TripReceipt r = shown.receipt();
      print(new JsonObject().put("event", "receipt").put("rideId", r.rideId().toString())
          .put("distanceMetres", r.distanceMetres()).put("durationSeconds", r.durationSeconds())
          .put("pickupAt", r.pickupAt()).put("dropoffAt", r.dropoffAt()).put("fare", shown.fare())
          .put("escrow", shown.escrow()).put("refund", shown.refund()),
          "receipt for ride " + r.rideId() + ": " + r.distanceMetres() + " m in " + r.durationSeconds() + " s; fare "
              + euros(shown.fare()) + " of the " + euros(shown.escrow()) + " in escrow; " + euros(shown.refund())
              + " comes back to your wallet");
      if (!yes && !confirmed()) {
        throw new CommandFailure(RideCoopCommand.FAILURE, "not co-signed");
      }
      ride.cosignReceipt(shown);
      print(new JsonObject().put("event", "cosigned").put("rideId", ride.id().toString())
          .put("state", ride.state().wireName()), "co-signed; ride " + ride.id() + " is " + ride.state().wireName());
    }
    return 0;
  }

  private boolean confirmed() throws Exception {
    spec.commandLine().getErr().print("Co-sign this receipt? [y/N] ");
    spec.commandLine().getErr().flush();
    String answer = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
    return answer != null && answer.strip().toLowerCase(Locale.ROOT).startsWith("y");
  }
}
