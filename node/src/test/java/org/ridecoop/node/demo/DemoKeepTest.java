package org.ridecoop.node.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ridecoop.node.NodeFiles;
import org.ridecoop.deploy.DeploymentManifest;
import org.ridecoop.node.cli.RideCoopCommand;
import org.ridecoop.protocol.TripReceipt;
import org.ridecoop.sdk.Place;
import org.ridecoop.sdk.Ride;
import org.ridecoop.sdk.RideCoop;
import org.ridecoop.sdk.RideOffer;
import org.ridecoop.sdk.RideState;
import org.ridecoop.sdk.Rider;
import org.web3j.crypto.Credentials;
import picocli.CommandLine;

/**
 * {@code ridecoop demo --keep}: the demo's chain stays up on its port after the summary, the audit
 * runs on it from another command, the README's SDK example rides on it with the printed rider key
 * and the kept nodes, Ctrl-C (here: interrupting the command's thread) saves its
 * state, and a second kept demo on that state or on a taken port is refused with exit code 2.
 */
class DemoKeepTest {

  @TempDir
  Path dir;

  @Test
  void theKeptChainIsAuditedAfterwardsAndSavedOnStop() throws Exception {
    int port = NodeFiles.freePort();
    int nodePort = NodeFiles.freePort();
    Path data = dir.resolve("demo-data");
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    AtomicInteger exit = new AtomicInteger(-1);
    Thread demo = Thread.ofPlatform().name("demo-keep").start(() -> exit.set(run(out, err, "demo", "--keep",
        "--port", Integer.toString(port), "--node-port", Integer.toString(nodePort), "--drivers", "2", "--riders", "3", "--windows-before", "1",
        "--windows-after", "1", "--data-dir", data.toString())));
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
    while (!out.toString().contains("running:")) {
      assertThat(demo.isAlive()).as("exited early; err: " + err + " out: " + out).isTrue();
      assertThat(System.nanoTime()).as("not up within 90 s; out: " + out).isLessThan(deadline);
      Thread.sleep(100);
    }
    String rpc = "http://127.0.0.1:" + port;
    Path manifest = data.resolve("manifest.json");
    assertThat(out.toString())
        .contains("Audit             PASSED")
        .containsPattern("Fleet nodes +2 nodes, 3 rides through them before the first time warp: 2 served locally, "
            + "1 by a peer node")
        .contains("Nodes             http://127.0.0.1:" + nodePort + " (driver 1 online), http://127.0.0.1:"
            + (nodePort + 1) + " (driver 2 online)")
        .contains("== the chain keeps running ==")
        .contains("Audit it          ./ridecoop audit --rpc " + rpc + " --manifest " + manifest)
        .containsPattern("riderPrivateKeyHex = 0x[0-9a-f]{64}")
        .contains("DEV ONLY")
        .containsPattern("Clock +the chain started [0-9.]+ days in the past .* now runs on wall-clock time")
        .doesNotContain("Caveat")
        .contains("./ridecoop chain dev --data-dir " + data + " --port " + port);

    try {
      // The kept nodes answer, each with its driver online.
      for (int p : new int[] {nodePort, nodePort + 1}) {
        var ready = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
            java.net.URI.create("http://127.0.0.1:" + p + "/health/ready")).build(),
            java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(ready.statusCode()).as(ready.body()).isEqualTo(200);
      }
      // The printed next command passes on the kept chain.
      StringWriter auditOut = new StringWriter();
      assertThat(run(auditOut, new StringWriter(), "audit", "--rpc", rpc, "--manifest", manifest.toString()))
          .as(auditOut.toString()).isZero();
      assertThat(auditOut.toString()).contains("AUDIT PASSED");

      // The README's SDK example, as the printed dev rider, against the kept chain and nodes.
      Matcher key = Pattern.compile("riderPrivateKeyHex = (0x[0-9a-f]{64})").matcher(out.toString());
      assertThat(key.find()).isTrue();
      try (RideCoop coop = RideCoop.connect(List.of(URI.create("http://127.0.0.1:" + nodePort),
          URI.create("http://127.0.0.1:" + (nodePort + 1))), URI.create(rpc), DeploymentManifest.read(manifest))) {
        Rider rider = coop.rider(Credentials.create(key.group(1)));
        Place pickup = new Place(48.8566, 2.3522);
        Place dropoff = new Place(48.8738, 2.2950);
        long walletBefore = rider.walletBalance();
        rider.deposit(50_000_000); // a permit dated by the wall clock: refused as expired while the chain ran ahead
        assertThat(rider.walletBalance()).isEqualTo(walletBefore + 50_000_000);
        Ride ride = rider.request(pickup, dropoff, rider.quote(pickup, dropoff).fare() * 2);
        RideOffer offer = ride.awaitOffer(Duration.ofMinutes(1));
        ride.book(offer); // an offer dated by the wall clock: OfferExpired while the chain ran ahead
        assertThat(rider.balance().escrow()).as("the booking locked its escrow on chain").isPositive();
        // The kept driver drives it at chain time; the ledger takes no receipt from its future.
        ride.awaitState(RideState.DROPPED_OFF, Duration.ofMinutes(1));
        TripReceipt receipt = ride.cosignReceipt();
        assertThat(receipt.rideId()).isEqualTo(ride.id());
        ride.awaitState(RideState.RECEIPT_COSIGNED, Duration.ofSeconds(30));
        assertThat(ride.state()).isIn(RideState.RECEIPT_COSIGNED, RideState.SETTLED);
      }
      StringWriter auditAgain = new StringWriter();
      assertThat(run(auditAgain, new StringWriter(), "audit", "--rpc", rpc, "--manifest", manifest.toString()))
          .as("the audit still passes after the SDK's ride: " + auditAgain).isZero();

      // A second kept demo cannot take the port.
      StringWriter taken = new StringWriter();
      assertThat(run(new StringWriter(), taken, "demo", "--keep", "--port", Integer.toString(port),
          "--data-dir", dir.resolve("other").toString())).isEqualTo(2);
      assertThat(taken.toString()).contains("127.0.0.1:" + port + " is in use");
    } finally {
      demo.interrupt();
      demo.join(30_000);
    }
    assertThat(demo.isAlive()).as("still running").isFalse();
    assertThat(exit.get()).as(err.toString()).isZero();
    assertThat(data.resolve("anvil-state.json")).isNotEmptyFile();

    // Its state is not founded over by another demo: the message says how to continue it.
    StringWriter again = new StringWriter();
    assertThat(run(new StringWriter(), again, "demo", "--keep", "--port", Integer.toString(NodeFiles.freePort()),
        "--data-dir", data.toString())).isEqualTo(2);
    assertThat(again.toString()).contains("holds the chain of an earlier kept demo")
        .contains("ridecoop chain dev --data-dir " + data);
    assertThat(Files.size(manifest)).isPositive();
  }

  @Test
  void aPortWithoutKeepIsBadUsage() {
    StringWriter err = new StringWriter();
    assertThat(run(new StringWriter(), err, "demo", "--port", "9545", "--data-dir", dir.toString())).isEqualTo(2);
    assertThat(err.toString()).contains("--port: only with --keep");
    StringWriter nodeErr = new StringWriter();
    assertThat(run(new StringWriter(), nodeErr, "demo", "--node-port", "9080", "--data-dir", dir.toString())).isEqualTo(2);
    assertThat(nodeErr.toString()).contains("--node-port: only with --keep");
  }

  private static int run(StringWriter out, StringWriter err, String... args) {
    CommandLine cl = RideCoopCommand.commandLine(Map.of());
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    return cl.execute(args);
  }
}
