package org.ridecoop.node.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.ridecoop.chain.ChainAccess;
import org.ridecoop.devchain.AnvilChain;
import org.ridecoop.fare.Fare;
import org.ridecoop.fare.FareParams;
import org.ridecoop.node.NodeFiles;
import org.ridecoop.node.NodeRuntime;
import org.ridecoop.node.RideParties;
import org.ridecoop.node.chain.ChainNode;
import org.ridecoop.node.config.NodeConfig;
import org.ridecoop.node.matching.LatLng;
import org.ridecoop.node.ride.RideNetworkComponent;
import org.ridecoop.protocol.RideIds;
import org.ridecoop.test.AnvilExtension;
import org.ridecoop.test.CoopFixture;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.WalletUtils;
import picocli.CommandLine;

/**
 * {@code ridecoop ride} in process against Anvil and a real node on loopback: a rider deposits,
 * requests with {@code --book}, the driver (a test client speaking the node's API) accepts, picks
 * up and drops off, the rider co-signs through the CLI, the balance shows the refund and a
 * withdrawal moves tokens out; and what a rider gets wrong exits 2 with a message.
 */
@ExtendWith(AnvilExtension.class)
class RideCommandTest {
  static final String PICKUP = "48.8566,2.3522";
  static final String DROPOFF = "48.8738,2.2950";
  static final LatLng DRIVER_AT = new LatLng(48.8580, 2.3500);
  static final long DEPOSIT = 50_000_000;

  @TempDir
  static Path dir;
  static CoopFixture f;
  static Credentials driver;
  static Credentials riderKey;
  static NodeRuntime node;
  static String nodeUrl;
  static Path keyFile;
  static Path manifest;
  static RideParties parties;

  @BeforeAll
  static void aNodeAndARider(AnvilChain chain, ChainAccess access) throws Exception {
    f = CoopFixture.deploy(chain, access);
    driver = f.driver(0);
    riderKey = f.rider(0);
    f.join(driver, 0);
    f.fund(riderKey, DEPOSIT);
    long serviceCell = com.uber.h3core.H3Core.newInstance().latLngToCell(48.8566, 2.3522, 9);
    ChainNode files = new ChainNode(dir.resolve("node"), f, driver);
    int port = NodeFiles.freePort();
    nodeUrl = "http://127.0.0.1:" + port;
    node = files.start(files.config(1, 200, nodeUrl, List.of(serviceCell), port, false,
        new NodeConfig.Matching(100, 12_000)), new RideNetworkComponent());
    parties = new RideParties(java.net.URI.create(nodeUrl), f.ledgerDomain);
    // The rider's key as `ridecoop node keygen --kdf light` writes it.
    Path keys = Files.createDirectories(dir.resolve("rider"));
    keyFile = keys.resolve(WalletUtils.generateWalletFile("rider-pw", riderKey.getEcKeyPair(), keys.toFile(), false));
    Files.writeString(dir.resolve("pw"), "rider-pw\n");
    manifest = dir.resolve("manifest.json");
    f.manifest.write(manifest);
  }

  @AfterAll
  static void stop() {
    if (node != null) {
      node.stop().await();
    }
  }

  /** One CLI run: exit code, standard output, standard error. */
  record Run(int code, String out, String err) {
    /** The JSON lines of standard output. */
    List<JsonObject> json() {
      List<JsonObject> all = new ArrayList<>();
      for (String line : out.split("\n")) {
        if (line.startsWith("{")) {
          all.add(new JsonObject(line));
        }
      }
      return all;
    }

    JsonObject event(String name) {
      return json().stream().filter(j -> name.equals(j.getString("event"))).findFirst()
          .orElseThrow(() -> new AssertionError("no '" + name + "' in " + out + " / " + err));
    }
  }

  static Run ride(String... args) {
    List<String> all = new ArrayList<>(List.of("ride"));
    all.addAll(List.of(args));
    all.addAll(List.of("--node", nodeUrl, "--rpc", f.chain.rpcUrl(), "--manifest", manifest.toString(),
        "--key-file", keyFile.toString(), "--password-env", "RIDER_PW"));
    return rideRaw(all.toArray(String[]::new));
  }

  static Run rideRaw(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cl = RideCoopCommand.commandLine(Map.of("RIDER_PW", "rider-pw"));
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    int code = cl.execute(args);
    return new Run(code, out.toString(), err.toString());
  }

  @Test
  void aWholeRideThroughTheCommandLine() throws Exception {
    Run deposit = ride("deposit", Long.toString(DEPOSIT), "--json");
    assertThat(deposit.code()).as(deposit.err()).isZero();
    assertThat(deposit.json().get(0).getLong("wallet")).isEqualTo(DEPOSIT);

    Run quote = ride("quote", "--pickup", PICKUP, "--dropoff", DROPOFF);
    assertThat(quote.code()).as(quote.err()).isZero();
    assertThat(quote.out()).startsWith("fare ").contains(" EUR");

    // The rider's request blocks until an offer is booked; the driver answers meanwhile.
    BlockingQueue<JsonObject> offers = parties.driverStream(driver);
    parties.online(driver, DRIVER_AT);
    CompletableFuture<Run> request = CompletableFuture.supplyAsync(() -> ride("request", "--pickup", PICKUP,
        "--dropoff", DROPOFF, "--book", "--collect", "0", "--json"));
    parties.accept(driver, RideParties.next(offers, "offer"));
    Run booked = request.get(60, TimeUnit.SECONDS);
    assertThat(booked.code()).as(booked.err()).isZero();
    JsonObject offer = booked.event("offer");
    assertThat(offer.getString("driver")).isEqualToIgnoringCase(driver.getAddress());
    assertThat(offer.getJsonObject("why").getString("text")).contains("away");
    BigInteger rideId = new BigInteger(booked.event("requested").getString("rideId"));
    long escrow = booked.event("booked").getLong("escrow");
    assertThat(escrow).isEqualTo(booked.event("requested").getLong("maxFare"));

    Run balance = ride("balance", "--json");
    assertThat(balance.json().get(0).getLong("escrow")).isEqualTo(escrow);
    assertThat(balance.json().get(0).getLong("wallet")).isEqualTo(DEPOSIT - escrow);

    parties.awaitState(rideId, "booked");
    // A second terminal follows the ride until it ends.
    CompletableFuture<Run> follow = CompletableFuture.supplyAsync(() -> ride("status", rideId.toString(), "--follow"));
    parties.arrived(driver, rideId);
    parties.pickup(driver, rideId);
    parties.dropoff(driver, rideId, 5_000, 900, f.now());
    assertThat(ride("status", rideId.toString()).out()).contains("dropped_off");

    Run cosign = ride("cosign", rideId.toString(), "--yes");
    assertThat(cosign.code()).as(cosign.err()).isZero();
    FareParams params = f.fareParams(1);
    long fare = Math.min(Fare.of(params, 5_000, 900), escrow);
    assertThat(cosign.out()).contains("5000 m in 900 s").contains("co-signed");

    parties.awaitState(rideId, "settled");
    Run followed = follow.get(30, TimeUnit.SECONDS);
    assertThat(followed.code()).as(followed.err()).isZero();
    assertThat(followed.out()).contains("receipt_cosigned").endsWith(": settled" + System.lineSeparator());
    Run after = ride("balance", "--json");
    assertThat(after.json().get(0).getLong("wallet")).as("the unused escrow came back").isEqualTo(DEPOSIT - fare);
    assertThat(after.json().get(0).getLong("escrow")).isZero();
    assertThat(ride("status", rideId.toString(), "--json").json().get(0).getString("state")).isEqualTo("settled");

    BigInteger ledgerBefore = f.token(f.deployer).balanceOf(f.manifest.address("RideLedger")).send();
    Run withdraw = ride("withdraw", "1000000", "--json");
    assertThat(withdraw.code()).as(withdraw.err()).isZero();
    assertThat(withdraw.json().get(0).getLong("tokens")).isEqualTo(1_000_000);
    assertThat(f.token(f.deployer).balanceOf(riderKey.getAddress()).send()).isEqualTo(BigInteger.valueOf(1_000_000));
    assertThat(f.token(f.deployer).balanceOf(f.manifest.address("RideLedger")).send())
        .isEqualTo(ledgerBefore.subtract(BigInteger.valueOf(1_000_000)));
    f.assertMoneyInvariant(f.devAddresses(), List.of(rideId));

    // More than the free balance: the ledger's named error, exit 1, nothing moved.
    Run tooMuch = ride("withdraw", Long.toString(DEPOSIT));
    assertThat(tooMuch.code()).isEqualTo(1);
    assertThat(tooMuch.err()).startsWith("error: ").contains("InsufficientBalance");
    assertThat(f.token(f.deployer).balanceOf(riderKey.getAddress()).send()).isEqualTo(BigInteger.valueOf(1_000_000));

    // A booked ride cancelled within the grace period gives the whole escrow back.
    long wallet = DEPOSIT - fare - 1_000_000;
    BigInteger second = requestAndBook(offers);
    assertThat(ride("balance", "--json").json().get(0).getLong("wallet")).isLessThan(wallet);
    Run cancel = ride("cancel", second.toString());
    assertThat(cancel.code()).as(cancel.err()).isZero();
    assertThat(cancel.out()).contains("cancelled");
    JsonObject refunded = ride("balance", "--json").json().get(0);
    assertThat(refunded.getLong("wallet")).isEqualTo(wallet);
    assertThat(refunded.getLong("escrow")).isZero();

    // A disputed ride keeps its escrow frozen; only the evidence's hash goes on chain.
    parties.awaitState(second, "cancelled");
    BigInteger third = requestAndBook(offers);
    Run dispute = ride("dispute", third.toString(), "--reason", "the driver never came", "--json");
    assertThat(dispute.code()).as(dispute.err()).isZero();
    assertThat(dispute.json().get(0).getString("state")).isEqualTo("disputed");
    assertThat(f.ledger(riderKey).rideOf(third).send().component6().intValue()).isEqualTo(3); // Disputed
    assertThat(ride("balance", "--json").json().get(0).getLong("escrow")).isPositive();
    f.assertMoneyInvariant(f.devAddresses(), List.of(rideId, second, third));
  }

  /** The rider requests with {@code --book} while the driver, online again, accepts. */
  private BigInteger requestAndBook(BlockingQueue<JsonObject> offers) throws Exception {
    parties.online(driver, DRIVER_AT);
    CompletableFuture<Run> request = CompletableFuture.supplyAsync(() -> ride("request", "--pickup", PICKUP,
        "--dropoff", DROPOFF, "--book", "--collect", "0", "--json"));
    parties.accept(driver, RideParties.next(offers, "offer"));
    Run booked = request.get(60, TimeUnit.SECONDS);
    assertThat(booked.code()).as(booked.err()).isZero();
    BigInteger id = new BigInteger(booked.event("booked").getString("rideId"));
    parties.awaitState(id, "booked");
    return id;
  }

  @Test
  void badCoordinatesAreBadUsage() {
    Run offMap = ride("quote", "--pickup", "95,2.35", "--dropoff", DROPOFF);
    assertThat(offMap.code()).isEqualTo(2);
    assertThat(offMap.err()).contains("--pickup").contains("off the map");
    Run notAPlace = ride("request", "--pickup", "paris", "--dropoff", DROPOFF);
    assertThat(notAPlace.code()).isEqualTo(2);
    assertThat(notAPlace.err()).contains("is not LAT,LNG");
  }

  @Test
  void anUnknownRideOrOneOfAnotherRiderIsBadUsage() throws Exception {
    BigInteger never = RideIds.of(riderKey.getAddress(), 4_000);
    Run unknown = ride("status", never.toString());
    assertThat(unknown.code()).isEqualTo(2);
    assertThat(unknown.err()).contains("unknown ride " + never);
    Run other = ride("cancel", RideIds.of(driver.getAddress(), 0).toString());
    assertThat(other.code()).isEqualTo(2);
    assertThat(other.err()).contains("not of this rider");
    assertThat(ride("status", "not-a-number").code()).isEqualTo(2);
  }

  @Test
  void nonPositiveAmountsAreBadUsageAndSendNothing() throws Exception {
    BigInteger tokensBefore = f.token(f.deployer).balanceOf(riderKey.getAddress()).send();
    Run zero = ride("withdraw", "0");
    assertThat(zero.code()).isEqualTo(2);
    assertThat(zero.err()).contains("a withdrawal is positive");
    Run zeroDeposit = ride("deposit", "0");
    assertThat(zeroDeposit.code()).isEqualTo(2);
    assertThat(zeroDeposit.err()).contains("a deposit is positive");
    assertThat(ride("deposit", "-5").code()).isEqualTo(2);
    assertThat(ride("deposit", "1.5").code()).isEqualTo(2); // token units are integers
    assertThat(f.token(f.deployer).balanceOf(riderKey.getAddress()).send()).isEqualTo(tokensBefore);
  }

  @Test
  void aWrongPasswordOrMissingFilesAreBadUsage() throws Exception {
    Path wrongPw = Files.writeString(dir.resolve("wrong-pw"), "not-the-password");
    Run cannotDecrypt = rideRaw("ride", "balance", "--rpc", f.chain.rpcUrl(), "--manifest", manifest.toString(),
        "--key-file", keyFile.toString(), "--password-file", wrongPw.toString());
    assertThat(cannotDecrypt.code()).isEqualTo(2);
    assertThat(cannotDecrypt.err()).contains("--key-file: cannot decrypt");
    Run wrong = rideRaw("ride", "balance", "--rpc", f.chain.rpcUrl(), "--manifest", manifest.toString(),
        "--key-file", keyFile.toString(), "--password-file", dir.resolve("pw").toString() + "-missing");
    assertThat(wrong.code()).isEqualTo(2);
    Run noManifest = rideRaw("ride", "balance", "--rpc", f.chain.rpcUrl(), "--manifest",
        dir.resolve("none.json").toString(), "--key-file", keyFile.toString(), "--password-env", "RIDER_PW");
    assertThat(noManifest.code()).isEqualTo(2);
    assertThat(noManifest.err()).contains("--manifest: no such file");
    Run badPassword = rideRaw("ride", "balance", "--rpc", f.chain.rpcUrl(), "--manifest", manifest.toString(),
        "--key-file", keyFile.toString(), "--password-env", "NOT_THE_PW");
    assertThat(badPassword.code()).isEqualTo(2);
    assertThat(badPassword.err()).contains("--password-env");
  }

  @Test
  void aNodeRefusalPrintsItsJsonReason() {
    // Above the ledger's uint32 fares: the node refuses the signed request, saying why.
    Run refused = ride("request", "--pickup", PICKUP, "--dropoff", DROPOFF, "--max-fare", "5000000000");
    assertThat(refused.code()).isEqualTo(1);
    assertThat(refused.err()).contains("the node refused: {").contains("\"error\":\"invalid_value\"")
        .contains("request.maxFare");
  }
}
