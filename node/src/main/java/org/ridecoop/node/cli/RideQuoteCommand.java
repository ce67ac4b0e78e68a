package org.ridecoop.node.cli;

import io.vertx.core.json.JsonObject;
import org.ridecoop.sdk.Place;
import org.ridecoop.sdk.Quote;
import org.ridecoop.sdk.RideCoop;
import org.ridecoop.sdk.Rider;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ridecoop ride quote --pickup LAT,LNG --dropoff LAT,LNG}: a node's fare estimate. */
@Command(name = "quote", mixinStandardHelpOptions = true,
    description = "Ask a node what a ride would cost under the current fare schedule.")
final class RideQuoteCommand extends RiderCommand {

  @Option(names = "--pickup", required = true, paramLabel = "LAT,LNG", converter = PlaceConverter.class,
      description = "Where to be picked up, degrees (e.g. 48.8566,2.3522).")
  Place pickup;

  @Option(names = "--dropoff", required = true, paramLabel = "LAT,LNG", converter = PlaceConverter.class,
      description = "Where to go, degrees.")
  Place dropoff;

  @Override
  int run(RideCoop coop, Rider rider) {
    Quote q = rider.quote(pickup, dropoff);
    print(quoteJson(q), "fare " + euros(q.fare()) + " (" + q.fare() + " units, schedule v" + q.scheduleVersion()
        + ") for " + q.distanceMetres() + " m (" + q.distanceSource() + ") in about " + q.durationSeconds() / 60
        + " min, quoted by " + q.node());
    return 0;
  }

  static JsonObject quoteJson(Quote q) {
    return new JsonObject().put("fare", q.fare()).put("scheduleVersion", q.scheduleVersion())
        .put("distanceMetres", q.distanceMetres()).put("distanceSource", q.distanceSource())
        .put("durationSeconds", q.durationSeconds()).put("node", q.node().toString());
  }
}
