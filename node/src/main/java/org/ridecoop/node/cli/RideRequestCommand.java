package org.ridecoop.node.cli;

import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import org.ridecoop.sdk.Place;
import org.ridecoop.sdk.Quote;
import org.ridecoop.sdk.Ride;
import org.ridecoop.sdk.RideCoop;
import org.ridecoop.sdk.RideOffer;
import org.ridecoop.sdk.Rider;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ridecoop ride request --pickup LAT,LNG --dropoff LAT,LNG [--book] [--follow]}: quotes,
 * posts the signed request, waits for drivers' offers and prints them with why each driver was
 * chosen; {@code --book} books the cheapest on chain, {@code --follow} prints each status change
 * until the ride ends.
 */
@Command(name = "request", mixinStandardHelpOptions = true,
    description = {"Request a ride: quote, post the signed request, wait for offers and print them with their reasons.",
        "--book books the cheapest offer on chain (its maximum fare is locked in escrow from your wallet);",
        "--follow then prints each status change until the ride ends."})
final class RideRequestCommand extends RiderCommand {

  @Option(names = "--pickup", required = true, paramLabel = "LAT,LNG", converter = PlaceConverter.class,
      description = "Where to be picked up, degrees (e.g. 48.8566,2.3522).")
  Place pickup;

  @Option(names = "--dropoff", required = true, paramLabel = "LAT,LNG", converter = PlaceConverter.class,
      description = "Where to go, degrees.")
  Place dropoff;

  @Option(names = "--max-fare", paramLabel = "UNITS",
      description = "The most you accept to lock in escrow, token units. Default: the quote plus half.")
  Long maxFare;

  @Option(names = "--book", description = "Book the cheapest offer (then the earliest pickup) on chain.")
  boolean book;

  @Option(names = "--follow", description = "Print status changes until the ride ends.")
  boolean follow;

  @Option(names = "--wait", paramLabel = "SECONDS", defaultValue = "120",
      description = "How long to wait for a first offer. Default: ${DEFAULT-VALUE}.")
  long waitSeconds;

  @Option(names = "--collect", paramLabel = "SECONDS", defaultValue = "2",
      description = "How long to gather more offers after the first. Default: ${DEFAULT-VALUE}.")
  long collectSeconds;

  @Override
  int run(RideCoop coop, Rider rider) throws Exception {
    if (maxFare != null && maxFare <= 0) {
      throw CommandFailure.usage("--max-fare: must be a positive number of token units, got " + maxFare);
    }
    if (waitSeconds <= 0 || collectSeconds < 0) {
      throw CommandFailure.usage("--wait must be positive and --collect not negative");
    }
    Quote quote = rider.quote(pickup, dropoff);
    long max = maxFare != null ? maxFare : quote.fare() + quote.fare() / 2;
    print(RideQuoteCommand.quoteJson(quote).put("event", "quote"), "quote " + euros(quote.fare()) + " for "
        + quote.distanceMetres() + " m; asking with a maximum fare of " + euros(max));
    try (Ride ride = rider.request(pickup, dropoff, max)) {
      RideFollower follower = follow ? RideFollower.start(this, ride) : null;
      print(new JsonObject().put("event", "requested").put("rideId", ride.id().toString())
          .put("node", ride.node().toString()).put("maxFare", max).put("expiry", ride.request().expiry()),
          "ride " + ride.id() + " requested at " + ride.node());
      ride.awaitOffer(Duration.ofSeconds(waitSeconds));
      Thread.sleep(Duration.ofSeconds(collectSeconds));
      List<RideOffer> offers = ride.offers();
      for (RideOffer o : offers) {
        printOffer(o);
      }
      if (book) {
        RideOffer cheapest = offers.stream()
            .min(Comparator.comparing((RideOffer o) -> o.offer().maxFare()).thenComparingLong(RideOffer::etaSeconds))
            .orElseThrow();
        ride.book(cheapest);
        print(new JsonObject().put("event", "booked").put("rideId", ride.id().toString())
            .put("driver", cheapest.driver()).put("escrow", cheapest.offer().maxFare().longValueExact()),
            "booked ride " + ride.id() + " with driver " + cheapest.driver() + "; "
                + euros(cheapest.offer().maxFare().longValueExact()) + " in escrow");
      }
      if (follower != null) {
        follower.awaitEnd();
      }
    }
    return 0;
  }

  private void printOffer(RideOffer o) {
    JsonObject j = new JsonObject().put("event", "offer").put("driver", o.driver())
        .put("maxFare", o.offer().maxFare().longValueExact()).put("etaSeconds", o.etaSeconds())
        .put("fromPeer", o.fromPeer()).put("node", o.node().toString());
    String why;
    if (o.reason() != null) {
      j.put("why", new JsonObject().put("etaSeconds", o.reason().etaSeconds())
          .put("distanceMetres", o.reason().distanceMetres()).put("rank", o.reason().rank())
          .put("candidates", o.reason().candidates()).put("text", o.reason().text()));
      why = o.reason().text() + " (rank " + o.reason().rank() + " of " + o.reason().candidates() + ")";
    } else {
      why = "a peer node's driver, pickup in about " + o.etaSeconds() + " s";
    }
    print(j, "offer from " + o.driver() + ": at most " + euros(o.offer().maxFare().longValueExact()) + ", pickup in "
        + o.etaSeconds() + " s; why: " + why);
  }
}
