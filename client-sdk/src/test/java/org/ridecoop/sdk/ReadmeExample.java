package org.ridecoop.sdk;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.ridecoop.deploy.DeploymentManifest;
import org.web3j.crypto.Credentials;

/** The README's "Rider SDK" example, kept here so that it compiles with the SDK it shows. */
final class ReadmeExample {
  private ReadmeExample() {}

  static void ride(String riderPrivateKeyHex) throws IOException {
    // --- README begin
    try (RideCoop coop = RideCoop.connect(
        List.of(URI.create("http://127.0.0.1:8080"), URI.create("http://127.0.0.1:8081")),
        URI.create("http://127.0.0.1:8545"), DeploymentManifest.read(Path.of("demo-data/manifest.json")))) {
      Rider rider = coop.rider(Credentials.create(riderPrivateKeyHex));
      Place pickup = new Place(48.8566, 2.3522);
      Place dropoff = new Place(48.8738, 2.2950);
      rider.deposit(50_000_000);                       // permit + deposit into the RideLedger wallet
      Ride ride = rider.request(pickup, dropoff, rider.quote(pickup, dropoff).fare() * 2);
      RideOffer offer = ride.awaitOffer(Duration.ofMinutes(2));
      ride.book(offer);                                 // on chain, with the rider's own key
      ride.onStatus(status -> System.out.println(status.state()));
      ride.awaitState(RideState.DROPPED_OFF, Duration.ofHours(2));
      ride.cosignReceipt();                             // checked against the escrow first
    }
    // --- README end
  }
}
