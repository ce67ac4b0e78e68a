package org.ridecoop.node.ride;

import static org.assertj.core.api.Assertions.assertThat;

import com.uber.h3core.H3Core;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.bouncycastle.crypto.digests.KeccakDigest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.ridecoop.chain.ChainAccess;
import org.ridecoop.contracts.RideLedger;
import org.ridecoop.devchain.AnvilChain;
import org.ridecoop.node.NodeFiles;
import org.ridecoop.node.NodeRuntime;
import org.ridecoop.node.chain.ChainNode;
import org.ridecoop.node.config.NodeConfig;
import org.ridecoop.node.matching.LatLng;
import org.ridecoop.protocol.RideIds;
import org.ridecoop.protocol.RideRequest;
import org.ridecoop.sdk.Place;
import org.ridecoop.sdk.Ride;
import org.ridecoop.sdk.RideCoop;
import org.ridecoop.sdk.RideOffer;
import org.ridecoop.sdk.Rider;
import org.ridecoop.test.AnvilExtension;
import org.ridecoop.test.CoopFixture;
import org.web3j.abi.EventEncoder;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.Hash;
import org.web3j.protocol.core.DefaultBlockParameter;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.methods.request.EthFilter;
import org.web3j.protocol.core.methods.response.EthBlock;
import org.web3j.protocol.core.methods.response.Log;
import org.web3j.protocol.core.methods.response.Transaction;
import org.web3j.utils.Numeric;

/**
 * The request hash on chain does not give away where a rider went. A ride is booked the real way
 * (SDK, node, driver app, Anvil); then an outsider who has only the chain (the {@code RideBooked}
 * event, the booking transaction and its block) hashes every pair of resolution-7 cells within
 * about 15 km of the city centre, for every expiry the SDK could have signed, and finds nothing;
 * while the very same search recovers the cells at once from the hash the request had before it
 * was salted.
 */
@ExtendWith(AnvilExtension.class)
class RequestHashPrivacyTest {
  static final Place CITY_CENTRE = new Place(48.8566, 2.3522);
  static final Place PICKUP = new Place(48.8566, 2.3522);
  static final Place DROPOFF = new Place(48.8738, 2.2950);
  static final LatLng DRIVER_AT = new LatLng(48.8580, 2.3500);
  static final long DEPOSIT = 50_000_000;
  static final Duration VALIDITY = Duration.ofMinutes(10);
  /** k of the H3 disk around the centre: 7 rings of res-7 cells (about 2.1 km apart) reach about 15 km. */
  static final int RINGS = 7;
  /**
   * Seconds before booking time + validity the outsider tries for the signed expiry (the request is
   * signed seconds before it is booked), and a few after for clocks that differ.
   */
  static final int EXPIRY_BEFORE = 25, EXPIRY_AFTER = 5;
  static final byte[] UNSALTED_TYPEHASH = Hash.sha3(("RideRequest(address rider,uint64 pickupCell,"
      + "uint64 dropoffCell,uint256 maxFare,uint64 rideNonce,uint64 expiry)").getBytes(StandardCharsets.UTF_8));

  static CoopFixture coop;
  static Credentials driver;
  static Credentials riderKey;
  static long serviceCell;

  @TempDir
  Path dir;

  NodeRuntime node;
  DriverApp app;
  RideCoop sdk;
  Vertx client;

  @BeforeAll
  static void deploy(AnvilChain chain, ChainAccess access) throws Exception {
    coop = CoopFixture.deploy(chain, access);
    driver = coop.driver(0);
    riderKey = coop.rider(0);
    coop.join(driver, 0);
    serviceCell = H3Core.newInstance().latLngToCell(PICKUP.lat(), PICKUP.lng(), 9);
    coop.fund(riderKey, DEPOSIT);
  }

  @AfterEach
  void stop() throws Exception {
    if (sdk != null) {
      sdk.close();
    }
    if (app != null) {
      app.close();
    }
    if (node != null) {
      node.stop().await();
    }
    if (client != null) {
      client.close().await();
    }
  }

  int startNode() throws Exception {
    ChainNode files = new ChainNode(dir.resolve("node"), coop, driver);
    int port = NodeFiles.freePort();
    node = files.start(files.config(1, 200, "http://127.0.0.1:" + port, List.of(serviceCell), port, false,
        new NodeConfig.Matching(100, 12_000)), new RideNetworkComponent());
    return port;
  }

  @Test
  void anOutsiderWithOnlyTheChainCannotRecoverTheCellsOfABookedRide() throws Exception {
    // A live chain keeps time with its riders; this dev chain, whose snapshots the other tests
    // revert, trails the wall clock by as long as they ran: bring it level first.
    long lag = System.currentTimeMillis() / 1000 - coop.now();
    if (lag > 0) {
      coop.chain.increaseTime(lag);
      coop.chain.mine(1);
    }

    // ---- the ride, booked through the SDK, the node and the driver's app
    int port = startNode();
    client = Vertx.vertx();
    app = new DriverApp(client, port, driver).online(DRIVER_AT);
    sdk = RideCoop.connect(List.of(URI.create("http://127.0.0.1:" + port)), URI.create(coop.chain.rpcUrl()),
        coop.manifest, new RideCoop.Options(Duration.ofSeconds(3), Duration.ofSeconds(30), VALIDITY));
    Rider rider = sdk.rider(riderKey);
    rider.deposit(DEPOSIT);
    BigInteger fromBlock = coop.chain.web3j().ethBlockNumber().send().getBlockNumber();
    Ride ride = rider.request(PICKUP, DROPOFF, 20_000_000);
    app.acceptNextOffer(coop);
    RideOffer offer = ride.awaitOffer(Duration.ofSeconds(20));
    ride.book(offer);
    RideRequest secret = ride.request(); // what only the rider, its node and the driver know

    // ---- the outsider: the RideBooked event, the booking transaction, its block
    String ledger = coop.manifest.address("RideLedger");
    EthFilter filter = new EthFilter(DefaultBlockParameter.valueOf(fromBlock), DefaultBlockParameterName.LATEST, ledger)
        .addSingleTopic(EventEncoder.encode(RideLedger.RIDEBOOKED_EVENT));
    List<Log> booked = coop.chain.web3j().ethGetLogs(filter).send().getLogs().stream().map(r -> (Log) r.get()).toList();
    assertThat(booked).hasSize(1);
    RideLedger.RideBookedEventResponse event = RideLedger.getRideBookedEventFromLog(booked.get(0));
    Transaction tx = coop.chain.web3j().ethGetTransactionByHash(booked.get(0).getTransactionHash()).send()
        .getTransaction().orElseThrow();
    EthBlock.Block block = coop.chain.web3j().ethGetBlockByHash(booked.get(0).getBlockHash(), false).send().getBlock();
    String riderAddress = tx.getFrom();
    long rideNonce = RideIds.nonce(event.rideId);
    long bookedAt = block.getTimestamp().longValueExact();
    Outsider outsider = new Outsider(riderAddress, event.maxFare, rideNonce,
        bookedAt + VALIDITY.toSeconds() - EXPIRY_BEFORE, bookedAt + VALIDITY.toSeconds() + EXPIRY_AFTER,
        cellsAround(CITY_CENTRE));

    // The search covers the truth (else a miss would prove nothing) ...
    assertThat(event.requestHash).isEqualTo(secret.structHash());
    assertThat(outsider.cells).contains(secret.pickupCell(), secret.dropoffCell());
    assertThat(secret.expiry()).isBetween(outsider.firstExpiry, outsider.lastExpiry);
    // ... and no transaction input carries the salt (the node and the SDK keep it off chain).
    assertThat(tx.getInput().toLowerCase(Locale.ROOT)).doesNotContain(Numeric.toHexStringNoPrefix(secret.salt()));

    long started = System.nanoTime();
    Optional<long[]> salted = outsider.search(event.requestHash);
    long saltedMs = (System.nanoTime() - started) / 1_000_000;
    // The control: the same search on the hash this request would have had without a salt.
    byte[] unsaltedHash = Outsider.unsaltedHash(secret);
    Optional<long[]> unsalted = outsider.searchUnsalted(unsaltedHash);
    // And an all-zero salt (an SDK that forgot to draw one) is no better than none.
    Optional<long[]> zeroSalt = outsider.search(new RideRequest(secret.rider(), secret.pickupCell(),
        secret.dropoffCell(), secret.maxFare(), secret.rideNonce(), secret.expiry(), new byte[32]).structHash());
    System.out.printf(Locale.ROOT, "request-hash brute force: %d cells, %d expiries, %,d hashes in %d ms%n",
        outsider.cells.length, outsider.lastExpiry - outsider.firstExpiry + 1, outsider.candidates(), saltedMs);

    assertThat(salted).as("the salted request hash on chain opens to no cell pair").isEmpty();
    assertThat(unsalted).as("an unsalted request hash opens to its cells").get()
        .satisfies(found -> assertThat(found).containsExactly(secret.pickupCell(), secret.dropoffCell(), secret.expiry()));
    assertThat(zeroSalt).as("a zero salt opens too").get()
        .satisfies(found -> assertThat(found).containsExactly(secret.pickupCell(), secret.dropoffCell(), secret.expiry()));
  }

  @Test
  void aRequestWithoutAWellFormedSaltIsRefusedWithAReason() throws Exception {
    int port = startNode();
    RideRequest r = new RideRequest(riderKey.getAddress(), H3Core.newInstance().latLngToCell(PICKUP.lat(), PICKUP.lng(), 7),
        H3Core.newInstance().latLngToCell(DROPOFF.lat(), DROPOFF.lng(), 7), BigInteger.valueOf(20_000_000), 0,
        System.currentTimeMillis() / 1000 + 600, RideRequest.newSalt());
    JsonObject body = new JsonObject()
        .put("request", new JsonObject().put("rider", r.rider())
            .put("pickupCell", Long.toHexString(r.pickupCell())).put("dropoffCell", Long.toHexString(r.dropoffCell()))
            .put("maxFare", 20_000_000).put("rideNonce", 0).put("expiry", r.expiry()))
        .put("signature", Numeric.toHexString(org.ridecoop.protocol.MessageSigner.sign(coop.ledgerDomain,
            r.structHash(), riderKey)))
        .put("pickup", new JsonObject().put("lat", PICKUP.lat()).put("lng", PICKUP.lng()))
        .put("dropoff", new JsonObject().put("lat", DROPOFF.lat()).put("lng", DROPOFF.lng()));
    HttpClient http = HttpClient.newHttpClient();
    URI rides = URI.create("http://127.0.0.1:" + port + "/v1/rides");

    HttpResponse<String> missing = post(http, rides, body);
    assertThat(missing.statusCode()).isEqualTo(400);
    assertThat(new JsonObject(missing.body()).getString("error")).isEqualTo("missing_field");
    assertThat(new JsonObject(missing.body()).getString("reason")).contains("request.salt");

    for (String bad : List.of("", "0x", "0x1234", "0x" + "zz".repeat(32), Numeric.toHexStringNoPrefix(r.salt()),
        "0x" + "ab".repeat(33))) {
      body.getJsonObject("request").put("salt", bad);
      HttpResponse<String> answer = post(http, rides, body);
      assertThat(answer.statusCode()).as("salt '%s'", bad).isEqualTo(400);
      assertThat(new JsonObject(answer.body()).getString("reason")).contains("request.salt");
    }
    assertThat(node.services().store().rides().openRequestCount().await()).as("nothing was stored").isZero();
  }

  static HttpResponse<String> post(HttpClient http, URI uri, JsonObject body) throws Exception {
    return http.send(HttpRequest.newBuilder(uri).header("content-type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body.encode())).build(), HttpResponse.BodyHandlers.ofString());
  }

  static long[] cellsAround(Place centre) throws Exception {
    H3Core h3 = H3Core.newInstance();
    return h3.gridDisk(h3.latLngToCell(centre.lat(), centre.lng(), 7), RINGS).stream().mapToLong(Long::longValue).toArray();
  }

  /**
   * The attacker's search, written for speed as an attacker would: the EIP-712 words of a
   * RideRequest laid out once, the cell and expiry words patched in place, one keccak each. It
   * tries the layout of the current type with an all-zero salt (the best it can do without the
   * salt; it is also what an SDK that forgot to draw a salt would send) and, as the control, the
   * layout of the type before the salt existed.
   */
  static final class Outsider {
    final long[] cells;
    final long firstExpiry;
    final long lastExpiry;
    private final byte[] salted;
    private final byte[] unsalted;

    Outsider(String rider, BigInteger maxFare, long rideNonce, long firstExpiry, long lastExpiry, long[] cells) {
      this.cells = cells;
      this.firstExpiry = firstExpiry;
      this.lastExpiry = lastExpiry;
      this.salted = words(RideRequest.TYPEHASH, rider, maxFare, rideNonce, 8);
      this.unsalted = words(UNSALTED_TYPEHASH, rider, maxFare, rideNonce, 7);
      // The fast layout is the protocol's hash, not an approximation of it.
      RideRequest sample = new RideRequest(rider, cells[0], cells[1], maxFare, rideNonce, firstExpiry, new byte[32]);
      assertThat(hashOf(salted, cells[0], cells[1], firstExpiry)).isEqualTo(sample.structHash());
      assertThat(hashOf(unsalted, cells[0], cells[1], firstExpiry)).isEqualTo(unsaltedHash(sample));
    }

    long candidates() {
      return (long) cells.length * cells.length * (lastExpiry - firstExpiry + 1);
    }

    /** {pickupCell, dropoffCell, expiry} whose zero-salted hash is {@code target}, if any. */
    Optional<long[]> search(byte[] target) {
      return search(target, salted);
    }

    /** The same search for a hash of the type without a salt. */
    Optional<long[]> searchUnsalted(byte[] target) {
      return search(target, unsalted);
    }

    private Optional<long[]> search(byte[] target, byte[] layout) {
      KeccakDigest keccak = new KeccakDigest(256);
      byte[] out = new byte[32];
      byte[] words = layout.clone();
      for (long expiry = firstExpiry; expiry <= lastExpiry; expiry++) {
        put(words, 6, expiry);
        for (long pickup : cells) {
          put(words, 2, pickup);
          for (long dropoff : cells) {
            put(words, 3, dropoff);
            keccak.update(words, 0, words.length);
            keccak.doFinal(out, 0);
            if (Arrays.equals(out, target)) {
              return Optional.of(new long[] {pickup, dropoff, expiry});
            }
          }
        }
      }
      return Optional.empty();
    }

    /** The struct hash of {@code r} under the type string without a salt. */
    static byte[] unsaltedHash(RideRequest r) {
      return hashOf(words(UNSALTED_TYPEHASH, r.rider(), r.maxFare(), r.rideNonce(), 7), r.pickupCell(),
          r.dropoffCell(), r.expiry());
    }

    private static byte[] hashOf(byte[] layout, long pickup, long dropoff, long expiry) {
      byte[] words = layout.clone();
      put(words, 2, pickup);
      put(words, 3, dropoff);
      put(words, 6, expiry);
      return Hash.sha3(words);
    }

    /** typehash, rider, [pickup], [dropoff], maxFare, nonce, [expiry] (, zero salt): 32-byte words. */
    private static byte[] words(byte[] typehash, String rider, BigInteger maxFare, long rideNonce, int count) {
      byte[] w = new byte[32 * count];
      System.arraycopy(typehash, 0, w, 0, 32);
      byte[] address = Numeric.hexStringToByteArray(rider);
      System.arraycopy(address, 0, w, 64 - address.length, address.length);
      byte[] fare = Numeric.toBytesPadded(maxFare, 32);
      System.arraycopy(fare, 0, w, 4 * 32, 32);
      put(w, 5, rideNonce);
      return w;
    }

    /** Writes {@code value} (as an unsigned 64-bit integer) right-aligned into word {@code index}. */
    private static void put(byte[] words, int index, long value) {
      int end = 32 * index + 32;
      for (int i = 0; i < 8; i++) {
        words[end - 1 - i] = (byte) (value >>> (8 * i));
      }
    }
  }
}
