package org.ridecoop.devchain;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.ridecoop.chain.ChainAccess;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.Request;
import org.web3j.protocol.core.Response;
import org.web3j.protocol.http.HttpService;
import org.web3j.utils.Numeric;

/**
 * A local Anvil dev chain in a child process: zero gas price, cancun, 20 funded accounts from
 * {@link DevAccounts#DEFAULT_MNEMONIC}, on a free loopback port. Tests, the deployer and
 * {@code ridecoop demo} use it.
 *
 * <p>One {@link Web3j} and one {@link ChainAccess} belong to the chain and live as long as it;
 * {@link #revert(String)} and {@link #restart()} make that {@code ChainAccess} forget its cached
 * nonces, since both move account nonces backwards or out of its sight. A {@code ChainAccess}
 * built elsewhere on the same chain must be reset by its owner.
 *
 * <p>{@link #close()} ends the process; a JVM shutdown hook ends it too if close was never called.
 */
public final class AnvilChain implements AutoCloseable {
  /** Anvil's default chain id. */
  public static final long DEFAULT_CHAIN_ID = 31337;
  /** Number of funded dev accounts the chain starts with. */
  public static final int ACCOUNTS = 20;
  /** Block gas limit: far above any single ridecoop transaction, so batches never hit it. */
  public static final long BLOCK_GAS_LIMIT = 100_000_000;

  private static final Logger LOG = LoggerFactory.getLogger(AnvilChain.class);
  private static final Duration STOP_GRACE = Duration.ofSeconds(10);
  private static final int START_ATTEMPTS = 3;

  private final Path binary;
  private final long chainId;
  private final Path stateFile;
  private final int fixedPort;
  private final Duration blockTime;
  private final Long genesisTimestamp;
  private final Duration startTimeout;
  private final Path log;
  private final Thread shutdownHook;
  private int port;
  private volatile Process process;
  private HttpService service;
  private Web3j web3j;
  private ChainAccess access;
  private boolean closed;

  private AnvilChain(Builder b) {
    this.binary = b.binary != null ? b.binary : AnvilBinary.locate();
    this.chainId = b.chainId;
    this.stateFile = b.stateFile;
    this.fixedPort = b.port;
    this.blockTime = b.blockTime;
    this.genesisTimestamp = b.genesisTimestamp;
    this.startTimeout = b.startTimeout;
    try {
      this.log = Files.createTempFile("ridecoop-anvil-", ".log");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    this.shutdownHook = new Thread(this::killOnExit, "anvil-shutdown");
  }

  /** Starts a chain with every default (chain id 31337, instant mining, no state file). */
  public static AnvilChain start() {
    return builder().start();
  }

  /** Options for a chain that is not the default one. */
  public static Builder builder() {
    return new Builder();
  }

  /** The JSON-RPC endpoint, {@code http://127.0.0.1:<port>}. */
  public String rpcUrl() {
    return "http://127.0.0.1:" + port;
  }

  /** The loopback port, kept across {@link #restart()}. */
  public int port() {
    return port;
  }

  /** The chain id (EIP-155). */
  public long chainId() {
    return chainId;
  }

  /** The chain's Web3j client; shut down by {@link #close()}. */
  public Web3j web3j() {
    return web3j;
  }

  /** Transaction managers with preflight and decoded reverts for this chain. */
  public ChainAccess access() {
    return access;
  }

  /** The funded dev accounts, index 0 first (0 is {@code 0xf39F…2266}). */
  public List<Credentials> accounts() {
    return DefaultAccounts.LIST;
  }

  /** Dev account {@code index} (0 ≤ index &lt; {@value #ACCOUNTS}). */
  public Credentials account(int index) {
    return DefaultAccounts.LIST.get(index);
  }

  /** Whether the Anvil process is alive. */
  public boolean isRunning() {
    Process p = process;
    return p != null && p.isAlive();
  }

  // ------------------------------------------------------------------ chain controls

  /** Records the chain state (evm_snapshot); pass the id to {@link #revert(String)}. */
  public String snapshot() {
    return String.valueOf(rpc("evm_snapshot"));
  }

  /**
   * Returns the chain to snapshot {@code id} (evm_revert). Anvil drops that snapshot and every
   * later one, so take a new snapshot to return there again. Forgets cached nonces.
   *
   * @throws IllegalStateException if Anvil does not know the snapshot
   */
  public void revert(String id) {
    Object reverted = rpc("evm_revert", id);
    access.resetNonces();
    if (!Boolean.TRUE.equals(reverted)) throw new IllegalStateException("Anvil has no snapshot " + id);
  }

  /**
   * Moves the chain's clock forward by {@code seconds} and mines one block, so that the latest
   * block (what views and quotes read) already carries the new time.
   */
  public void increaseTime(long seconds) {
    rpc("evm_increaseTime", Numeric.toHexStringWithPrefix(BigInteger.valueOf(seconds)));
    mine(1);
  }

  /** Moves the clock of the next blocks forward (evm_increaseTime); mines nothing by itself. */
  public void increaseTime(Duration duration) {
    increaseTime(duration.toSeconds());
  }

  /** Mines {@code blocks} empty blocks at once (anvil_mine). */
  public void mine(long blocks) {
    rpc("anvil_mine", Numeric.toHexStringWithPrefix(BigInteger.valueOf(blocks)));
  }

  /** Sets the timestamp of the next block (evm_setNextBlockTimestamp), in Unix seconds. */
  public void setNextTimestamp(long epochSeconds) {
    rpc("evm_setNextBlockTimestamp", Numeric.toHexStringWithPrefix(BigInteger.valueOf(epochSeconds)));
  }

  /**
   * Turns mining on each transaction on or off (evm_setAutomine). While off, transactions wait
   * in the pool until {@link #mine(long)}. Not undone by {@link #revert(String)}.
   */
  public void setAutomine(boolean on) {
    rpc("evm_setAutomine", on);
  }

  /** Timestamp of the latest block, in Unix seconds. */
  public long latestTimestamp() {
    try {
      return web3j.ethGetBlockByNumber(DefaultBlockParameterName.LATEST, false).send()
          .getBlock().getTimestamp().longValueExact();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  // ------------------------------------------------------------------ lifecycle

  /**
   * Stops the process gracefully (so Anvil writes its state file), forcibly after 10 seconds. The chain can be {@link #restart()}ed.
   */
  public synchronized void stop() {
    Process p = process;
    process = null;
    if (p != null) terminate(p);
  }

  /**
   * Starts the process again on the same port and state file (after {@link #stop()}, or stops it
   * first). Without a state file the chain starts from genesis. Forgets cached nonces.
   */
  public synchronized void restart() {
    if (closed) throw new IllegalStateException("chain is closed");
    stop();
    launch(false);
    access.resetNonces();
  }

  /** Ends the process and the Web3j client. Idempotent. */
  @Override
  public synchronized void close() {
    if (closed) return;
    closed = true;
    stop();
    if (web3j != null) web3j.shutdown();
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException shuttingDown) {
      // the hook is running or about to: nothing left to remove
    }
    try {
      Files.deleteIfExists(log);
    } catch (IOException e) {
      LOG.debug("could not delete {}", log, e);
    }
  }

  private synchronized AnvilChain startFirst() {
    Runtime.getRuntime().addShutdownHook(shutdownHook);
    try {
      port = fixedPort > 0 ? fixedPort : freePort();
      launch(fixedPort == 0);
      service = new HttpService(rpcUrl());
      web3j = Web3j.build(service, 100, Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "anvil-web3j-" + port);
        t.setDaemon(true);
        return t;
      }));
      // Anvil mines each transaction within milliseconds of receiving it: poll receipts every 2 ms.
      access = new ChainAccess(web3j, chainId,
          ChainAccess.Settings.DEFAULT.withReceiptPoll(java.time.Duration.ofMillis(2)),
          org.ridecoop.chain.RevertDecoder.fromClasspath());
      return this;
    } catch (RuntimeException e) {
      close();
      throw e;
    }
  }

  /** Starts the process and waits until it answers; retries when the port was taken meanwhile. */
  private void launch(boolean mayChangePort) {
    for (int attempt = 1; ; attempt++) {
      long started = System.nanoTime();
      List<String> command = command();
      try {
        process = new ProcessBuilder(command).redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
      } catch (IOException e) {
        throw new IllegalStateException("cannot run Anvil: " + String.join(" ", command), e);
      }
      try {
        awaitReady(command);
        LOG.info("Anvil (chain {}) on {} in {} ms", chainId, rpcUrl(), (System.nanoTime() - started) / 1_000_000);
        return;
      } catch (IllegalStateException e) {
        Process failed = process;
        process = null;
        if (failed != null) terminate(failed);
        if (attempt >= START_ATTEMPTS || !output().contains("in use")) throw e;
        LOG.warn("port {} taken, retrying", port);
        if (mayChangePort) port = freePort();
        else sleep(Duration.ofMillis(500));
      }
    }
  }

  private List<String> command() {
    List<String> cmd = new ArrayList<>(List.of(binary.toString(),
        "--host", "127.0.0.1", "--port", Integer.toString(port),
        "--base-fee", "0", "--gas-price", "0", "--disable-min-priority-fee",
        "--hardfork", "cancun", "--chain-id", Long.toString(chainId),
        "--accounts", Integer.toString(ACCOUNTS), "--gas-limit", Long.toString(BLOCK_GAS_LIMIT),
        "--silent"));
    if (stateFile != null) {
      // --state loads the file if present and dumps on graceful exit; the interval dump also
      // covers a kill -9, which skips Anvil's shutdown handler.
      cmd.addAll(List.of("--state", stateFile.toAbsolutePath().toString(), "--state-interval", "1"));
    }
    if (blockTime != null) {
      cmd.addAll(List.of("--block-time",
          BigDecimal.valueOf(blockTime.toMillis(), 3).stripTrailingZeros().toPlainString()));
    }
    if (genesisTimestamp != null) cmd.addAll(List.of("--timestamp", Long.toString(genesisTimestamp)));
    return cmd;
  }

  /** Polls eth_chainId until it answers with our chain id, the process dies or time runs out. */
  private void awaitReady(List<String> command) {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    HttpRequest request = HttpRequest.newBuilder(URI.create(rpcUrl()))
        .timeout(Duration.ofSeconds(2))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"eth_chainId\",\"params\":[]}"))
        .build();
    String expected = "\"" + Numeric.toHexStringWithPrefix(BigInteger.valueOf(chainId)) + "\"";
    long deadline = System.nanoTime() + startTimeout.toNanos();
    String lastAnswer = "nothing";
    while (System.nanoTime() < deadline) {
      Process p = process;
      if (!p.isAlive()) {
        throw new IllegalStateException("Anvil exited with code " + p.exitValue() + " before answering on "
            + rpcUrl() + ".\nCommand: " + String.join(" ", command) + "\nOutput:\n" + output());
      }
      try {
        String body = http.send(request, HttpResponse.BodyHandlers.ofString()).body();
        if (body.contains(expected)) return;
        lastAnswer = body;
      } catch (IOException e) {
        lastAnswer = e.toString();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for Anvil", e);
      }
      sleep(Duration.ofMillis(50));
    }
    throw new IllegalStateException("Anvil did not answer eth_chainId = " + expected + " on " + rpcUrl()
        + " within " + startTimeout.toSeconds() + " s (last: " + lastAnswer + ").\nCommand: "
        + String.join(" ", command) + "\nOutput:\n" + output());
  }

  /** The end of the process output (stdout and stderr), for error messages. */
  private String output() {
    try {
      String all = Files.readString(log, StandardCharsets.UTF_8);
      return all.length() > 8000 ? "…" + all.substring(all.length() - 8000) : all;
    } catch (IOException e) {
      return "(output unreadable: " + e + ")";
    }
  }

  private Object rpc(String method, Object... params) {
    try {
      RawResponse response = new Request<>(method, List.of(params), service, RawResponse.class).send();
      if (response.hasError()) {
        throw new IllegalStateException(method + " failed: " + response.getError().getMessage());
      }
      return response.getResult();
    } catch (IOException e) {
      throw new UncheckedIOException(method + " failed on " + rpcUrl(), e);
    }
  }

  private void killOnExit() {
    Process p = process;
    if (p != null) terminate(p);
  }

  private static void terminate(Process p) {
    p.destroy();
    try {
      if (!p.waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
        p.destroyForcibly().waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS);
      }
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("no free loopback port", e);
    }
  }

  private static void sleep(Duration d) {
    try {
      Thread.sleep(d);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  /** JSON-RPC answer whose result is whatever Jackson makes of it (string, boolean, null). */
  private static final class RawResponse extends Response<Object> {}

  /** Derived once per JVM: BIP-32 derivation of 20 keys is cheap but not free. */
  private static final class DefaultAccounts {
    static final List<Credentials> LIST = DevAccounts.derive(DevAccounts.DEFAULT_MNEMONIC, ACCOUNTS);
  }

  /** Options for {@link AnvilChain}; {@link #start()} launches the chain. */
  public static final class Builder {
    private long chainId = DEFAULT_CHAIN_ID;
    private Path stateFile;
    private int port;
    private Duration blockTime;
    private Long genesisTimestamp;
    private Path binary;
    private Duration startTimeout = Duration.ofSeconds(20);

    private Builder() {}

    /** The EIP-155 chain id (default {@value AnvilChain#DEFAULT_CHAIN_ID}). */
    public Builder chainId(long chainId) {
      this.chainId = chainId;
      return this;
    }

    /** Persists the chain in {@code file} (loaded at start if present, dumped every second and on stop). */
    public Builder stateFile(Path file) {
      this.stateFile = Objects.requireNonNull(file);
      return this;
    }

    /**
     * Listens on this loopback port instead of a free one picked at start (a taken port then
     * fails the start instead of moving elsewhere).
     */
    public Builder port(int port) {
      if (port < 1 || port > 65535) throw new IllegalArgumentException("port must be 1..65535, got " + port);
      this.port = port;
      return this;
    }

    /** Mines a block every {@code interval} instead of one per transaction. */
    public Builder blockTime(Duration interval) {
      this.blockTime = Objects.requireNonNull(interval);
      return this;
    }

    /**
     * Dates the genesis block at {@code epochSeconds} (Unix seconds) instead of the wall clock.
     * Anvil's clock then runs on from there at wall-clock pace: a genesis in the past leaves room
     * for {@link AnvilChain#increaseTime(long) time warps} that end at or before the wall clock, after
     * which {@link AnvilChain#setNextTimestamp(long)} can bring the chain to the wall clock for good.
     * Applies to a fresh chain; a chain loaded from a {@link #stateFile(Path) state file} keeps its
     * own history.
     */
    public Builder genesisTimestamp(long epochSeconds) {
      if (epochSeconds < 0) throw new IllegalArgumentException("genesis timestamp must be >= 0, got " + epochSeconds);
      this.genesisTimestamp = epochSeconds;
      return this;
    }

    /** Uses this Anvil executable instead of {@link AnvilBinary#locate()}. */
    public Builder binary(Path anvil) {
      this.binary = Objects.requireNonNull(anvil);
      return this;
    }

    /** How long to wait for the first answer (default 20 s). */
    public Builder startTimeout(Duration timeout) {
      this.startTimeout = Objects.requireNonNull(timeout);
      return this;
    }

    /**
     * Launches Anvil and waits until it answers.
     *
     * @throws IllegalStateException with Anvil's output if it exits or stays silent
     */
    public AnvilChain start() {
      return new AnvilChain(this).startFirst();
    }
  }
}
