package org.ridecoop.node.cli;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.ridecoop.sdk.Ride;
import org.ridecoop.sdk.RideCoop;
import org.ridecoop.sdk.Rider;
import org.web3j.crypto.Hash;
import org.web3j.utils.Numeric;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code ridecoop ride dispute RIDE (--evidence FILE | --reason TEXT)}: freezes the escrow until
 * the dispute committee rules. Only the evidence's hash goes on chain; keep the evidence.
 */
@Command(name = "dispute", mixinStandardHelpOptions = true,
    description = {"Dispute your booked ride or its pending receipt: the escrow is frozen until the dispute",
        "committee rules. Only the keccak-256 hash of the evidence goes on chain; keep the evidence itself."})
final class RideDisputeCommand extends RiderCommand {

  @Parameters(paramLabel = "RIDE", description = "The ride id (decimal).")
  BigInteger rideId;

  @ArgGroup(exclusive = true, multiplicity = "1")
  Evidence evidence;

  /** What the dispute rests on. */
  static final class Evidence {
    @Option(names = "--evidence", required = true, paramLabel = "FILE", description = "A file of evidence.")
    Path file;

    @Option(names = "--reason", required = true, paramLabel = "TEXT", description = "What went wrong, in words.")
    String text;
  }

  @Override
  int run(RideCoop coop, Rider rider) throws Exception {
    byte[] hash = evidenceHash();
    try (Ride ride = rider.ride(rideId)) {
      ride.dispute(hash);
      print(new JsonObject().put("rideId", ride.id().toString()).put("state", ride.state().wireName())
          .put("evidenceHash", Numeric.toHexString(hash)),
          "ride " + ride.id() + ": disputed; evidence hash " + Numeric.toHexString(hash));
    }
    return 0;
  }

  private byte[] evidenceHash() {
    if (evidence.file == null) {
      return Hash.sha3(evidence.text.getBytes(StandardCharsets.UTF_8));
    }
    try {
      return Hash.sha3(Files.readAllBytes(evidence.file));
    } catch (IOException e) {
      throw CommandFailure.usage("--evidence: cannot read " + evidence.file + " (" + e.getMessage() + ")");
    }
  }
}
