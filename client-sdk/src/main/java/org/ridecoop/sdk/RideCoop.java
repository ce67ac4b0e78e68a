package org.ridecoop.sdk;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.uber.h3core.H3Core;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.ridecoop.chain.ChainAccess;
import org.ridecoop.deploy.DeploymentManifest;
import org.ridecoop.sdk.audit.Auditor;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.http.HttpService;

/**
 * The entry point of the ridecoop SDK: a connection to the network through a list of nodes (in
 * order of preference) and to the chain the deployment lives on.
 *
 * <pre>{@code
 * try (RideCoop coop = RideCoop.connect(
 *     List.of(URI.create("http://127.0.0.1:8080"), URI.create("http://127.0.0.1:8081")),
 *     URI.create("http://127.0.0.1:8545"), DeploymentManifest.read(Path.of("manifest.json")))) {
 *   Rider rider = coop.rider(credentials);
 *   Ride ride = rider.request(pickup, dropoff, rider.quote(pickup, dropoff).fare() * 3 / 2);
 *   ride.book(ride.awaitOffer(Duration.ofMinutes(2)));
 *   ride.awaitState(RideState.DROPPED_OFF, Duration.ofHours(2));
 *   ride.cosignReceipt();
 * }
 * }</pre>
 *
 * <p>Calls go to the preferred live node; a node that cannot be reached, times out or answers
 * 5xx is marked down for {@link Options#coolDown()} and the call goes to the next one. Nothing in
 * the API is a Vert.x type; methods block the calling thread.
 */
public final class RideCoop implements AutoCloseable {
  private final DeploymentManifest manifest;
  private final Options options;
  private final Web3j web3j;
  private final ChainAccess chain;
  private final NodeCalls calls;
  private final ScheduledExecutorService executor;
  private final H3Core h3;
  private final Map<String, RiderLedger> ledgers = new ConcurrentHashMap<>();
  private final RiderContext context = new Shared();
  private final java.util.Set<Ride> rides = ConcurrentHashMap.newKeySet();

  /**
   * How the SDK talks to nodes.
   *
   * @param callTimeout the longest a node call (or a stream handshake) may take before the node
   *     counts as down
   * @param coolDown how long a failed node is skipped
   * @param requestValidity how long a ride request stays valid (its signed expiry)
   */
  public record Options(Duration callTimeout, Duration coolDown, Duration requestValidity) {
    /** 5 s calls, 30 s cool-down, requests valid 10 minutes. */
    public static Options defaults() {
      return new Options(Duration.ofSeconds(5), Duration.ofSeconds(30), Duration.ofMinutes(10));
    }
  }

  private RideCoop(List<URI> nodes, Web3j web3j, DeploymentManifest manifest, Options options) {
    this.manifest = manifest;
    this.options = options;
    this.web3j = web3j;
    this.chain = new ChainAccess(web3j, manifest.chainId());
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(options.callTimeout()).build();
    this.calls = new NodeCalls(new NodeRoster(nodes, options.coolDown(), Clock.systemUTC()), http,
        options.callTimeout(), new ObjectMapper());
    this.executor = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "ridecoop-sdk");
      t.setDaemon(true);
      return t;
    });
    try {
      this.h3 = H3Core.newInstance();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot load the H3 library", e);
    }
  }

  /** Connects with {@link Options#defaults()}. */
  public static RideCoop connect(List<URI> nodes, URI chainRpc, DeploymentManifest manifest) {
    return connect(nodes, chainRpc, manifest, Options.defaults());
  }

  /**
   * Connects to the network.
   *
   * @param nodes node base URLs ({@code http://host:port}), most preferred first
   * @param chainRpc the JSON-RPC endpoint of the chain the deployment is on
   * @param manifest the deployment (contract addresses, chain id)
   * @param options timeouts and cool-down
   */
  public static RideCoop connect(List<URI> nodes, URI chainRpc, DeploymentManifest manifest, Options options) {
    return new RideCoop(nodes, Web3j.build(new HttpService(chainRpc.toString())), manifest, options);
  }

  /** A rider acting with {@code key}. */
  public Rider rider(Credentials key) {
    return new Rider(context, key, h3, options.requestValidity());
  }

  /** The member acting with {@code key}: join, status, leave, dividends. */
  public org.ridecoop.sdk.member.Member member(Credentials key) {
    return org.ridecoop.sdk.member.Member.connect(chain, manifest, key);
  }

  /** The co-op's governance; signed ballots are relayed through this connection's nodes. */
  public org.ridecoop.sdk.governance.Governance governance() {
    return org.ridecoop.sdk.governance.Governance.connect(chain, manifest, new NodeBallotRelay(calls));
  }

  /** The node URLs, most preferred first. */
  public List<URI> nodes() {
    return calls.roster().all();
  }

  /** The deployment. */
  public DeploymentManifest manifest() {
    return manifest;
  }

  NodeCalls calls() {
    return calls;
  }

  /**
   * The auditor of this deployment, on this connection's chain client: {@code coop.audit().run()}
   * replays the history from the deployment block and checks every rule the co-op promises (see
   * {@link Auditor}); read-only, no key needed. Progress lines go to the log. Closing the auditor
   * leaves this connection open.
   */
  public Auditor audit() {
    return audit(org.slf4j.LoggerFactory.getLogger(Auditor.class)::info);
  }

  /** As {@link #audit()}, telling {@code progress} a line now and then during long replays. */
  public Auditor audit(java.util.function.Consumer<String> progress) {
    return new Auditor(web3j, manifest, Auditor.DEFAULT_BLOCK_RANGE, progress);
  }

  /** Stops following rides and closes the chain client. */
  @Override
  public void close() {
    for (Ride ride : List.copyOf(rides)) {
      ride.close();
    }
    executor.shutdownNow();
    calls.http().shutdownNow();
    web3j.shutdown();
  }

  /** What riders of this connection share. */
  private final class Shared implements RiderContext {
    @Override
    public NodeCalls calls() {
      return calls;
    }

    @Override
    public RiderLedger ledger(Credentials key) {
      return ledgers.computeIfAbsent(key.getAddress().toLowerCase(java.util.Locale.ROOT),
          a -> new RiderLedger(chain, manifest, key));
    }

    @Override
    public ScheduledExecutorService executor() {
      return executor;
    }

    @Override
    public long timeoutMillis() {
      return options.callTimeout().toMillis();
    }

    @Override
    public void opened(Ride ride) {
      rides.add(ride);
    }

    @Override
    public void closed(Ride ride) {
      rides.remove(ride);
    }
  }
}
