package org.ridecoop.chain;

import java.io.IOException;
import java.math.BigInteger;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameter;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.methods.request.Transaction;
import org.web3j.tx.ReadonlyTransactionManager;
import org.web3j.tx.TransactionManager;
import org.web3j.tx.gas.ContractGasProvider;
import org.web3j.tx.gas.StaticGasProvider;
import org.web3j.tx.response.PollingTransactionReceiptProcessor;
import org.web3j.tx.response.TransactionReceiptProcessor;

/**
 * How ridecoop code talks to one chain endpoint: transaction managers (one per key, cached) that
 * preflight every transaction and decode reverts, the zero-gas-price gas provider, and read-only
 * access with decoded reverts.
 *
 * <p>Create one per chain endpoint per process and share it: the cached managers hold each key's
 * nonce. Load wrappers with it, e.g.
 * {@code CoopToken.load(address, access.web3j(), access.transactionManager(key), access.gasProvider())}.
 *
 * <p>Everything here blocks the calling thread (RPCs, receipt polling): on Vert.x, call it from a
 * worker or virtual thread, never from an event loop.
 */
public final class ChainAccess {
  private final Web3j web3j;
  private final long chainId;
  private final Settings settings;
  private final RevertDecoder decoder;
  private final TransactionReceiptProcessor receipts;
  private final ContractGasProvider gasProvider;
  private final ConcurrentMap<String, PreflightTransactionManager> managers = new ConcurrentHashMap<>();

  /** Default settings; reverts decoded with the ABIs on the classpath. */
  public ChainAccess(Web3j web3j, long chainId) {
    this(web3j, chainId, Settings.DEFAULT, RevertDecoder.fromClasspath());
  }

  /** Explicit settings and decoder. */
  public ChainAccess(Web3j web3j, long chainId, Settings settings, RevertDecoder decoder) {
    this.web3j = Objects.requireNonNull(web3j);
    this.chainId = chainId;
    this.settings = Objects.requireNonNull(settings);
    this.decoder = Objects.requireNonNull(decoder);
    long pollMs = Math.max(1, settings.receiptPoll().toMillis());
    int attempts = (int) Math.max(1, settings.receiptTimeout().toMillis() / pollMs);
    this.receipts = new PollingTransactionReceiptProcessor(web3j, pollMs, attempts);
    this.gasProvider = new StaticGasProvider(BigInteger.ZERO, settings.gasLimit());
  }

  /** The manager for {@code key}: the same instance for the same address, for the life of this object. */
  public PreflightTransactionManager transactionManager(Credentials key) {
    return managers.computeIfAbsent(key.getAddress().toLowerCase(Locale.ROOT),
        address -> new PreflightTransactionManager(web3j, key, chainId, receipts, decoder));
  }

  /** Gas price 0 and the configured per-transaction gas limit. */
  public ContractGasProvider gasProvider() {
    return gasProvider;
  }

  /** For wrappers used only to read: view calls decode reverts, sends are refused. */
  public TransactionManager readOnly() {
    return new ReadOnly(web3j, decoder);
  }

  /**
   * eth_call of {@code data} on {@code to} from {@code from} at the latest block.
   *
   * @return the returned data, hex
   * @throws ContractRevertException if it reverts
   */
  public String call(String from, String to, String data) throws IOException {
    return EthCalls.call(web3j, decoder, Transaction.createEthCallTransaction(from, to, data),
        DefaultBlockParameterName.LATEST);
  }

  /**
   * Makes every cached manager re-read its nonce from the chain: needed after anything that moves
   * nonces behind our back (evm_revert, a chain restart, another process sending with our keys).
   */
  public void resetNonces() {
    managers.values().forEach(PreflightTransactionManager::resetNonce);
  }

  /** The decoder used for reverts. */
  public RevertDecoder revertDecoder() {
    return decoder;
  }

  /** The client. */
  public Web3j web3j() {
    return web3j;
  }

  /** The EIP-155 chain id transactions are signed for. */
  public long chainId() {
    return chainId;
  }

  /** The settings in use. */
  public Settings settings() {
    return settings;
  }

  /**
   * Tuning for a chain.
   *
   * @param receiptPoll how often to ask for a receipt (50 ms suits an instant-mining dev chain)
   * @param receiptTimeout how long to wait for a receipt before failing
   * @param gasLimit gas limit of each transaction (the price is always 0)
   */
  public record Settings(Duration receiptPoll, Duration receiptTimeout, BigInteger gasLimit) {
    /** 50 ms polls, 60 s timeout, 30,000,000 gas. */
    public static final Settings DEFAULT =
        new Settings(Duration.ofMillis(50), Duration.ofSeconds(60), BigInteger.valueOf(30_000_000));

    /** Checks the values. */
    public Settings {
      if (receiptPoll.isNegative() || receiptPoll.isZero()) throw new IllegalArgumentException("receiptPoll must be > 0");
      if (receiptTimeout.compareTo(receiptPoll) < 0) throw new IllegalArgumentException("receiptTimeout < receiptPoll");
      if (gasLimit.signum() <= 0) throw new IllegalArgumentException("gasLimit must be > 0");
    }

    /** These settings with another receipt poll interval. */
    public Settings withReceiptPoll(Duration poll) {
      return new Settings(poll, receiptTimeout, gasLimit);
    }

    /** These settings with another receipt timeout. */
    public Settings withReceiptTimeout(Duration timeout) {
      return new Settings(receiptPoll, timeout, gasLimit);
    }

    /** These settings with another per-transaction gas limit. */
    public Settings withGasLimit(BigInteger limit) {
      return new Settings(receiptPoll, receiptTimeout, limit);
    }
  }

  /** Read-only manager whose view calls decode reverts. */
  private static final class ReadOnly extends ReadonlyTransactionManager {
    private static final String NOBODY = "0x0000000000000000000000000000000000000000";
    private final Web3j web3j;
    private final RevertDecoder decoder;

    ReadOnly(Web3j web3j, RevertDecoder decoder) {
      super(web3j, NOBODY);
      this.web3j = web3j;
      this.decoder = decoder;
    }

    @Override
    public String sendCall(String to, String data, DefaultBlockParameter block) throws IOException {
      return EthCalls.call(web3j, decoder, Transaction.createEthCallTransaction(NOBODY, to, data), block);
    }
  }
}
