package org.ridecoop.node.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.vertx.core.json.JsonObject;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.ridecoop.chain.ChainAccess;
import org.ridecoop.contracts.RideLedger;
import org.ridecoop.devchain.AnvilChain;
import org.ridecoop.node.NodeFiles;
import org.ridecoop.node.NodeRuntime;
import org.ridecoop.node.RideParties;
import org.ridecoop.node.chain.ChainNode;
import org.ridecoop.node.config.NodeConfig;
import org.ridecoop.node.matching.LatLng;
import org.ridecoop.node.ride.RideNetworkComponent;
import org.ridecoop.node.statement.StatementComponent;
import org.ridecoop.protocol.ContractStructs;
import org.ridecoop.protocol.TripReceipt;
import org.ridecoop.sdk.audit.TokenAmount;
import org.ridecoop.sdk.statement.LineKind;
import org.ridecoop.sdk.statement.Statement;
import org.ridecoop.sdk.statement.StatementLine;
import org.ridecoop.sdk.statement.Statements;
import org.ridecoop.test.AnvilExtension;
import org.ridecoop.test.CoopFixture;
import org.web3j.abi.EventEncoder;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.methods.request.EthFilter;
import org.web3j.protocol.core.methods.response.EthLog;
import org.web3j.protocol.core.methods.response.Log;
import org.web3j.utils.Numeric;

/**
 * A node on Anvil after one ride driven by its driver and settled, with a peer node beside it: the
 * status route, the dashboard page rendered by headless Chromium (skipped, never passed, when
 * {@code /usr/bin/chromium} is missing), and the node-signed statement route.
 */
@ExtendWith(AnvilExtension.class)
class DashboardTest {
  static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  static final LatLng PICKUP = new LatLng(48.8566, 2.3522);
  static final LatLng DROPOFF = new LatLng(48.8738, 2.2950);
  static final LatLng DRIVER_AT = new LatLng(48.8580, 2.3500);

  @TempDir static Path dir;
  static CoopFixture coop;
  static Credentials driver, peerDriver, rider;
  static final List<NodeRuntime> nodes = new ArrayList<>();
  static URI node;
  static BigInteger rideId, fare, commission;
  static final HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  static void aSettledRideAndAPeer(AnvilChain chain, ChainAccess access) throws Exception {
    coop = CoopFixture.deploy(chain, access);
    driver = coop.driver(0);
    peerDriver = coop.driver(1);
    rider = coop.rider(0);
    coop.join(driver, 0);
    coop.join(peerDriver, 0);
    coop.join(rider, 1);
    coop.deposit(rider, 50_000_000L);
    long cell = com.uber.h3core.H3Core.newInstance().latLngToCell(PICKUP.lat(), PICKUP.lng(), 9);
    NodeConfig.Matching fast = new NodeConfig.Matching(100, 12_000);

    // The peer first: the node reads the registry at start and finds it.
    ChainNode peerFiles = new ChainNode(dir.resolve("peer"), coop, peerDriver);
    int peerPort = NodeFiles.freePort();
    nodes.add(peerFiles.start(peerFiles.config(1, 200, "http://127.0.0.1:" + peerPort, List.of(cell), peerPort, true, fast),
        new RideNetworkComponent()));
    ChainNode files = new ChainNode(dir.resolve("node"), coop, driver);
    int port = NodeFiles.freePort();
    nodes.add(files.start(files.config(1, 200, "http://127.0.0.1:" + port, List.of(cell), port, true, fast),
        new RideNetworkComponent(), new StatementComponent(), new DashboardComponent()));
    node = URI.create("http://127.0.0.1:" + port);

    RideParties parties = new RideParties(node, coop.ledgerDomain);
    BlockingQueue<JsonObject> screen = parties.driverStream(driver);
    parties.online(driver, DRIVER_AT);
    rideId = parties.request(rider, PICKUP, DROPOFF, 20_000_000L, coop.nextRideNonce(rider), coop.now() + 600);
    RideParties.Accepted accepted = parties.accept(driver, RideParties.next(screen, "offer"));
    coop.ledger(rider).book(ContractStructs.offer(accepted.offer()), ContractStructs.signature(accepted.signature())).send();
    parties.awaitState(rideId, "booked");
    parties.arrived(driver, rideId);
    parties.pickup(driver, rideId);
    TripReceipt receipt = parties.dropoff(driver, rideId, 5_000, 900, coop.now());
    parties.cosign(rider, receipt);
    parties.awaitState(rideId, "settled");

    EthFilter filter = new EthFilter(DefaultBlockParameterName.EARLIEST, DefaultBlockParameterName.LATEST,
        coop.manifest.address("RideLedger"));
    filter.addSingleTopic(EventEncoder.encode(RideLedger.RIDESETTLED_EVENT));
    filter.addSingleTopic(Numeric.toHexStringWithPrefixZeroPadded(rideId, 64));
    List<EthLog.LogResult> logs = coop.chain.web3j().ethGetLogs(filter).send().getLogs();
    assertThat(logs).hasSize(1);
    var settled = RideLedger.getRideSettledEventFromLog((Log) logs.get(0).get());
    fare = settled.fare;
    commission = settled.commission;
  }

  @AfterAll
  static void stop() {
    nodes.reversed().forEach(n -> n.stop().await());
  }

  @Test
  void theStatusShowsTheSettledRideItsEarningsTheQueueTheLagAndThePeer() throws Exception {
    JsonObject s = settledStatus();
    assertThat(s.getJsonObject("rides").getInteger("settled")).isEqualTo(1);
    JsonObject today = s.getJsonObject("today");
    assertThat(today.getString("earnings")).isEqualTo(fare.subtract(commission).toString());
    assertThat(today.getJsonArray("drivers").getJsonObject(0).getString("driver"))
        .isEqualToIgnoringCase(driver.getAddress());
    assertThat(s.getJsonObject("settlement").getInteger("queued")).isZero();
    assertThat(s.getJsonObject("indexer").getLong("lagBlocks")).isBetween(0L, 5L);
    assertThat(s.getJsonObject("indexer").getLong("cursor")).isPositive();
    assertThat(s.getJsonArray("peers").getJsonObject(0).getString("address")).isEqualToIgnoringCase(peerDriver.getAddress());
    // No exact place in the status: only counts, amounts and on-chain addresses.
    assertThat(s.encode()).doesNotContain("48.85").doesNotContain("\"lat\"");
  }

  @Test
  void headlessChromiumRendersTheDashboard() throws Exception {
    assumeTrue(Files.isExecutable(CHROMIUM), "/usr/bin/chromium is not installed (Debian package chromium)");
    settledStatus();
    Path profile = Files.createTempDirectory(dir, "chromium");
    Path png = Path.of("target", "dashboard.png").toAbsolutePath();
    String dom = chromium(profile, "--dump-dom", node.resolve("/dashboard").toString());

    assertThat(dom).contains("<div class=\"big\" id=\"today-settled\">1</div>")
        .contains("id=\"today-earnings\">" + TokenAmount.format(fare.subtract(commission)) + "</span>")
        .contains("<div class=\"big\" id=\"queue-size\">0</div>")
        .containsPattern("id=\"indexer-lag\">[0-5] blocks?</div>")
        .contains("<td>" + peerDriver.getAddress().toLowerCase(java.util.Locale.ROOT) + "</td>")
        .contains("<td>settled</td><td class=\"n\">1</td>")
        .contains("<p id=\"error\" role=\"status\"></p>");
    chromium(profile, "--screenshot=" + png, "--window-size=1100,900", node.resolve("/dashboard").toString());
    assertThat(png).isNotEmptyFile();
  }

  @Test
  void theNodeSignsTheDriversStatementAndItVerifies() throws Exception {
    String day = LocalDate.ofInstant(Instant.ofEpochSecond(coop.now()), ZoneOffset.UTC).toString();
    String first = LocalDate.parse(day).minusDays(1).toString();
    HttpResponse<String> json = get("/v1/members/" + driver.getAddress() + "/statement?from=" + first + "&to=" + day);
    assertThat(json.statusCode()).as(json.body()).isEqualTo(200);
    Statement s = Statement.fromJson(json.body());
    assertThat(s.signer()).isEqualToIgnoringCase(driver.getAddress()); // the node's key
    assertThat(s.lines()).filteredOn(l -> l.kind() == LineKind.RIDE_EARNED).singleElement()
        .returns("0x" + rideId.toString(16), StatementLine::reference)
        .returns(fare.subtract(commission), StatementLine::net);
    try (Statements statements = new Statements(coop.chain.web3j(), coop.manifest)) {
      assertThat(statements.verify(s).differences()).isEmpty();
    }

    HttpResponse<String> csv = get("/v1/members/" + driver.getAddress() + "/statement?from=" + first + "&to=" + day
        + "&format=csv");
    assertThat(csv.statusCode()).isEqualTo(200);
    assertThat(csv.headers().firstValue("content-type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/csv"));
    assertThat(csv.body().lines().filter(l -> l.startsWith("ride_earned,")).toList()).singleElement().asString()
        .contains(rideId.toString(16)).contains("," + fare + "," + commission + "," + fare.subtract(commission) + ",");
  }

  @Test
  void aBadStatementRequestIsRefusedWithAReason() throws Exception {
    String a = driver.getAddress();
    assertRefused(get("/v1/members/0x12/statement?from=2026-11-01&to=2026-11-30"), "invalid_value", "0x address");
    assertRefused(get("/v1/members/" + a + "/statement?to=2026-11-30"), "missing_field", "'from'");
    assertRefused(get("/v1/members/" + a + "/statement?from=2026-11-31&to=2026-11-30"), "invalid_value", "YYYY-MM-DD");
    assertRefused(get("/v1/members/" + a + "/statement?from=2026-11-30&to=2026-11-01"), "invalid_value", "before");
    assertRefused(get("/v1/members/" + a + "/statement?from=2026-11-01&to=2026-11-30&format=xml"), "invalid_value", "json or csv");
    assertRefused(get("/v1/members/" + a + "/statement?from=2000-01-01&to=2000-01-31"), "empty_period", "no block");
  }

  private static void assertRefused(HttpResponse<String> r, String code, String reason) {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
    JsonObject body = new JsonObject(r.body());
    assertThat(body.getString("error")).isEqualTo(code);
    assertThat(body.getString("reason")).contains(reason);
  }

  /** The status once the settled ride is counted (the indexer delivers RideSettled to each listener in turn). */
  private static JsonObject settledStatus() throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    JsonObject s;
    do {
      HttpResponse<String> r = get("/v1/node/status");
      assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
      s = new JsonObject(r.body());
      if (s.getJsonObject("today").getLong("settled") == 1) return s;
      Thread.sleep(100);
    } while (System.nanoTime() < deadline);
    throw new AssertionError("the status did not count the settled ride: " + s.encode());
  }

  private static HttpResponse<String> get(String path) throws Exception {
    return http.send(HttpRequest.newBuilder(node.resolve(path)).timeout(Duration.ofSeconds(20)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static String chromium(Path profile, String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(CHROMIUM.toString(), "--headless", "--no-sandbox", "--disable-gpu",
        "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--user-data-dir=" + profile, "--virtual-time-budget=5000"));
    cmd.addAll(List.of(args));
    Path output = Files.createTempFile(dir, "chromium", ".out");
    Process p = new ProcessBuilder(cmd).redirectOutput(output.toFile()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("chromium did not finish within 60 s");
    }
    assertThat(p.exitValue()).as("chromium exit code").isZero();
    return Files.readString(output);
  }
}
