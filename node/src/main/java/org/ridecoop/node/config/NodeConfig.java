package org.ridecoop.node.config;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Everything a node is started with, read from a YAML file ({@code node.yaml}) and environment
 * variables. Loading validates every setting, so a node that starts is configured correctly.
 *
 * <p>The file (every key shown; the ones with a value after {@code #} are optional with that
 * default):
 *
 * <pre>{@code
 * chain:
 *   rpcUrl: http://127.0.0.1:8545          # http, https, ws or wss
 *   manifest: deployment.json              # the deployment manifest the deployer wrote
 *   pollMillis: 200                        # default 200, 10..60000: new blocks' events are read this often
 * keystore:
 *   file: node-key.json                    # a web3j wallet file (ridecoop node keygen)
 *   passwordFile: node-key.password        # exactly one of passwordFile / passwordEnv
 *   # passwordEnv: RIDECOOP_KEY_PASSWORD   # names the variable holding the password
 * http:
 *   host: 0.0.0.0                          # default 0.0.0.0
 *   port: 8080                             # default 8080
 *   maxConnections: 10000                  # default 10000, 1..1000000: see "Operating safely"
 *   idleTimeoutSeconds: 60                 # default 60, 1..3600
 *   firstRequestTimeoutMillis: 10000       # default 10000, 100..600000
 *   maxRequestsInFlight: 2000              # default 2000, 1..1000000
 * dataDir: data                            # holds node.db
 * peers:
 *   enabled: true                          # default true
 * matching:
 *   windowMillis: 2000                     # default 2000, 10..60000
 *   offerTimeoutMillis: 15000              # default 15000, 1000..600000
 *   maxRequestAheadSeconds: 900            # default 900, 60..86400: furthest expiry a ride request may carry
 *   maxPendingRequests: 10000              # default 10000, 1..1000000: requests being matched at once
 * settlement:
 *   batchSize: 50                          # default 50, 1..500
 *   maxAgeMillis: 300000                   # default 300000, 1000..86400000
 * node:
 *   endpoint: https://node1.example.org    # the public URL riders and peers reach
 *   serviceArea: [8928308280fffff]         # H3 cells, hex
 * drivers:                                 # default: the node key's address alone
 *   - 0x70997970C51812dc3A010C7d01b50e0d17dc79C8
 * }</pre>
 *
 * <p><b>Following the chain:</b> the node learns of bookings, settlements and votes from the
 * contracts' events, read with {@code eth_getLogs} every {@code chain.pollMillis} once caught up.
 * A booking reaches the rider's ride stream on average half a poll after its block, so set it near
 * the chain's block time: the 200 ms default adds nothing noticeable on a chain with 1-2 s blocks;
 * on an instant-mining development chain (Anvil) 20 ms keeps request to booked under 100 ms, at
 * the price of 50 small RPC calls a second to the node's own chain endpoint.
 *
 * <p><b>A fleet:</b> {@code drivers} lists the driver addresses this node serves (0x hex; a
 * mixed-case address must carry its EIP-55 checksum; no duplicates). Each must be an active driver
 * on the ledger to go online, and each signs its own offers and calls with its own key on its own
 * device: the node never holds a driver's key. The node settles its drivers' co-signed receipts
 * with its own key, so each listed driver must also make the node key its operator on the ledger
 * ({@code RideLedger.setOperator(nodeKey, true)}), else {@code settleBatch} reverts
 * {@code NotDriver}. Without the key the node serves its own key's address as its one driver.
 *
 * <p><b>Operating safely:</b> the HTTP server keeps at most {@code http.maxConnections} open
 * connections; a connection beyond it evicts the connection that has been idle longest (one with no
 * request under way and not a WebSocket stream), or is closed at once if none is idle, with a log
 * line and the {@code ridecoop.http.connections.closed} metric. A connection must send its first
 * request's headers within {@code http.firstRequestTimeoutMillis} (a slow or silent client,
 * "slowloris", is closed) and is closed after {@code http.idleTimeoutSeconds} without a request;
 * WebSocket streams are exempt. Beyond {@code http.maxRequestsInFlight} requests under way, or
 * {@code matching.maxPendingRequests} ride requests being matched, the node answers 503
 * {@code overloaded} with {@code Retry-After} rather than queueing without bound
 * ({@code ridecoop.http.refused}). A ride request expiring more than
 * {@code matching.maxRequestAheadSeconds} from now is refused (400).
 *
 * <p>A password is never a value in the file or on the command line: a {@code password} key is
 * rejected. Unknown keys are rejected too, so a typo does not silently fall back to a default.
 *
 * <p><b>Environment variables</b> override the file: the variable for a key is {@code RIDECOOP_}
 * followed by the key upper-cased with dots as underscores, e.g. {@code RIDECOOP_CHAIN_RPCURL},
 * {@code RIDECOOP_HTTP_PORT}, {@code RIDECOOP_DATADIR}, {@code RIDECOOP_KEYSTORE_PASSWORDENV},
 * {@code RIDECOOP_NODE_SERVICEAREA} (cells separated by commas), {@code RIDECOOP_DRIVERS} (addresses
 * separated by commas). Setting either keystore password
 * variable replaces both password keys of the file. Other {@code RIDECOOP_} variables are not read.
 *
 * <p>Relative paths in the file are resolved against the file's directory; relative paths from
 * environment variables against the working directory.
 *
 * @param chain where the chain is and which deployment to use
 * @param keystore the node key's wallet file and where its password comes from
 * @param http where the HTTP API listens
 * @param dataDir the directory holding the node's database
 * @param peers federation with other nodes
 * @param matching how requests are batched and how long offers stand
 * @param settlement when co-signed receipts are settled on chain
 * @param node how this node presents itself to riders and peers
 * @param drivers the fleet's driver addresses, lower-case; empty when not configured (then the
 *     node key's address is the one driver, see {@link #fleet(String)})
 */
public record NodeConfig(
    Chain chain,
    Keystore keystore,
    Http http,
    Path dataDir,
    Peers peers,
    Matching matching,
    Settlement settlement,
    Node node,
    List<String> drivers) {

  /** Copies the driver list. */
  public NodeConfig {
    drivers = List.copyOf(drivers);
  }

  /** A node without a configured fleet: the node key's address is its one driver. */
  public NodeConfig(Chain chain, Keystore keystore, Http http, Path dataDir, Peers peers, Matching matching,
      Settlement settlement, Node node) {
    this(chain, keystore, http, dataDir, peers, matching, settlement, node, List.of());
  }

  /**
   * The drivers this node serves: the configured {@code drivers}, else the node key's address.
   *
   * @param nodeKeyAddress the address of the node's own key
   */
  public List<String> fleet(String nodeKeyAddress) {
    return drivers.isEmpty() ? List.of(nodeKeyAddress) : drivers;
  }

  /** The prefix of every environment variable that overrides a setting. */
  public static final String ENV_PREFIX = "RIDECOOP_";

  /**
   * Reads and validates a config file, applying environment overrides.
   *
   * @param file the YAML file
   * @param env the environment (usually {@code System.getenv()})
   * @throws ConfigException naming the first setting that is missing or wrong
   */
  public static NodeConfig load(Path file, Map<String, String> env) throws ConfigException {
    return new ConfigReader(file, env).read();
  }

  /** The environment variable that overrides {@code key}, e.g. {@code RIDECOOP_HTTP_PORT}. */
  public static String envVariable(String key) {
    return ENV_PREFIX + key.replace('.', '_').toUpperCase(java.util.Locale.ROOT);
  }

  /**
   * @param rpcUrl the JSON-RPC endpoint of a chain node
   * @param manifest the deployment manifest (JSON) naming the contracts' addresses
   * @param pollMillis how often the event indexer asks for new blocks once caught up
   */
  public record Chain(URI rpcUrl, Path manifest, long pollMillis) {
    /** The indexer's poll when none is configured. */
    public static final long DEFAULT_POLL_MILLIS = 200;

    /** With the default poll. */
    public Chain(URI rpcUrl, Path manifest) {
      this(rpcUrl, manifest, DEFAULT_POLL_MILLIS);
    }
  }

  /**
   * Where the node key is. Exactly one of {@code passwordFile} and {@code passwordEnv} is present.
   *
   * @param file the web3j wallet file
   * @param passwordFile a file whose content (without a trailing line break) is the password
   * @param passwordEnv the name of an environment variable holding the password
   */
  public record Keystore(Path file, Optional<Path> passwordFile, Optional<String> passwordEnv) {}

  /**
   * @param host the interface to bind
   * @param port the TCP port
   * @param maxConnections most open connections; beyond it the longest-idle one is closed
   * @param idleTimeoutSeconds a connection with no request for this long is closed (not streams)
   * @param firstRequestTimeoutMillis a new connection must send a request's headers within this
   * @param maxRequestsInFlight beyond this many requests under way the node answers 503
   */
  public record Http(String host, int port, int maxConnections, long idleTimeoutSeconds,
      long firstRequestTimeoutMillis, int maxRequestsInFlight) {
    /** Default for {@link #maxConnections}. */
    public static final int DEFAULT_MAX_CONNECTIONS = 10_000;
    /** Default for {@link #idleTimeoutSeconds}. */
    public static final long DEFAULT_IDLE_TIMEOUT_SECONDS = 60;
    /** Default for {@link #firstRequestTimeoutMillis}. */
    public static final long DEFAULT_FIRST_REQUEST_TIMEOUT_MILLIS = 10_000;
    /** Default for {@link #maxRequestsInFlight}. */
    public static final int DEFAULT_MAX_REQUESTS_IN_FLIGHT = 2_000;

    /** With the default connection limits. */
    public Http(String host, int port) {
      this(host, port, DEFAULT_MAX_CONNECTIONS, DEFAULT_IDLE_TIMEOUT_SECONDS, DEFAULT_FIRST_REQUEST_TIMEOUT_MILLIS,
          DEFAULT_MAX_REQUESTS_IN_FLIGHT);
    }
  }

  /** @param enabled whether requests are shared with and accepted from peer nodes */
  public record Peers(boolean enabled) {}

  /**
   * @param windowMillis requests arriving within this window are assigned together
   * @param offerTimeoutMillis how long an offer stands before the next candidate is asked
   * @param maxRequestAheadSeconds a ride request expiring further ahead than this is refused
   * @param maxPendingRequests beyond this many requests being matched new ones get 503
   */
  public record Matching(long windowMillis, long offerTimeoutMillis, long maxRequestAheadSeconds,
      int maxPendingRequests) {
    /** Default for {@link #maxRequestAheadSeconds}: 15 minutes. */
    public static final long DEFAULT_MAX_REQUEST_AHEAD_SECONDS = 900;
    /** Default for {@link #maxPendingRequests}. */
    public static final int DEFAULT_MAX_PENDING_REQUESTS = 10_000;

    /** With the default bounds. */
    public Matching(long windowMillis, long offerTimeoutMillis) {
      this(windowMillis, offerTimeoutMillis, DEFAULT_MAX_REQUEST_AHEAD_SECONDS, DEFAULT_MAX_PENDING_REQUESTS);
    }
  }

  /**
   * @param batchSize settle once this many co-signed receipts are waiting
   * @param maxAgeMillis or once the oldest waiting receipt is this old
   */
  public record Settlement(int batchSize, long maxAgeMillis) {}

  /**
   * @param endpoint the public URL riders and peers use to reach this node
   * @param serviceArea the H3 cells this node's drivers serve (64-bit H3 indexes)
   */
  public record Node(URI endpoint, List<Long> serviceArea) {
    public Node {
      serviceArea = List.copyOf(serviceArea);
    }
  }
}
