package org.ridecoop.node.chain;

import io.vertx.core.Future;
import org.ridecoop.protocol.ContractStructs;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.function.Function;
import org.ridecoop.chain.ChainAccess;
import org.ridecoop.chain.PreflightTransactionManager;
import org.ridecoop.contracts.FareSchedule;
import org.ridecoop.contracts.Membership;
import org.ridecoop.contracts.RideLedger;
import org.ridecoop.deploy.DeploymentManifest;
import org.ridecoop.node.api.NodeMetrics;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.core.RemoteFunctionCall;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.tx.TransactionManager;

/**
 * The node's way to the chain: transactions signed with the node key, sent one after the other on
 * a dedicated worker thread (so the key's nonce is never raced and the event loop never waits for
 * an RPC), and view calls on a separate worker pool.
 *
 * <pre>{@code
 * ChainGateway chain = services.chain();
 * chain.send(chain.ledger().settleBatch(receipts, ContractStructs.signatures(signatures)))
 *     .onSuccess(r -> log.info("settled tx={}", r.getTransactionHash()));
 * chain.view(() -> chain.ledger().rideOf(rideId).send()).onSuccess(...);
 * }</pre>
 *
 * <p>Futures complete on the caller's context. A send fails with
 * {@link org.ridecoop.chain.ContractRevertException} (decoded custom error) when its preflight
 * reverts; nothing is sent then.
 */
public final class ChainGateway {

  private final ChainAccess access;
  private final DeploymentManifest manifest;
  private final Credentials key;
  private final NodeMetrics metrics;
  private final WorkerExecutor sender;
  private final WorkerExecutor viewer;
  private final RideLedger ledger;
  private final Membership membership;
  private final FareSchedule fareSchedule;

  /**
   * @param vertx whose worker threads run the RPCs
   * @param access the chain endpoint (its cached manager for {@code key} holds the nonce)
   * @param manifest where the contracts are
   * @param key the node key: signs every transaction sent here
   * @param metrics counts the gas spent, may be null
   */
  public ChainGateway(Vertx vertx, ChainAccess access, DeploymentManifest manifest, Credentials key,
      NodeMetrics metrics) {
    this.access = Objects.requireNonNull(access);
    this.manifest = Objects.requireNonNull(manifest);
    this.key = Objects.requireNonNull(key);
    this.metrics = metrics;
    String id = UUID.randomUUID().toString();
    // One thread: the key's sends are strictly serialised, in submission order.
    this.sender = vertx.createSharedWorkerExecutor("ridecoop-chain-send-" + id, 1);
    this.viewer = vertx.createSharedWorkerExecutor("ridecoop-chain-view-" + id, 4);
    TransactionManager tm = access.transactionManager(key);
    this.ledger = RideLedger.load(manifest.address("RideLedger"), access.web3j(), tm, access.gasProvider());
    this.membership = Membership.load(manifest.address("Membership"), access.web3j(), tm, access.gasProvider());
    this.fareSchedule = FareSchedule.load(manifest.address("FareSchedule"), access.web3j(), tm, access.gasProvider());
  }

  /**
   * Sends a transaction built on the node key's wrappers, e.g.
   * {@code send(chain.ledger().settleBatch(r, ContractStructs.signatures(s)))}. Building a {@link RemoteFunctionCall} does no
   * RPC; sending it happens on the gateway's send thread after every earlier send.
   *
   * @return the mined receipt (status 1); a failure with the decoded revert otherwise
   */
  public Future<TransactionReceipt> send(RemoteFunctionCall<TransactionReceipt> call) {
    return sender.<TransactionReceipt>executeBlocking(call::send, true).onSuccess(this::countGas);
  }

  /**
   * Sends a transaction built with the node key's transaction manager, for contracts other than
   * the ones with a wrapper here: {@code send(tm -> CoopToken.load(addr, web3j, tm, gas).approve(...))}.
   */
  public Future<TransactionReceipt> send(Function<TransactionManager, RemoteFunctionCall<TransactionReceipt>> call) {
    return sender.<TransactionReceipt>executeBlocking(() -> call.apply(transactionManager()).send(), true)
        .onSuccess(this::countGas);
  }

  /** Runs a blocking read (e.g. {@code () -> chain.ledger().rideOf(id).send()}) on a worker thread. */
  public <T> Future<T> view(Callable<T> read) {
    return viewer.executeBlocking(read, false);
  }

  /** The deployment the node follows. */
  public DeploymentManifest manifest() {
    return manifest;
  }

  /** The chain id transactions are signed for. */
  public long chainId() {
    return access.chainId();
  }

  /** The node key's address, EIP-55 checksummed. */
  public String address() {
    return org.web3j.crypto.Keys.toChecksumAddress(key.getAddress());
  }

  /** The RideLedger as the node key (views, and calls to hand to {@link #send}). Its calls block. */
  public RideLedger ledger() {
    return ledger;
  }

  /** Membership (with the node registry) as the node key. Its calls block. */
  public Membership membership() {
    return membership;
  }

  /** The FareSchedule as the node key. Its calls block. */
  public FareSchedule fareSchedule() {
    return fareSchedule;
  }

  /** The node key's transaction manager (nonce kept locally); only use it inside {@link #send}. */
  public PreflightTransactionManager transactionManager() {
    return access.transactionManager(key);
  }

  /** The chain endpoint: Web3j client, gas provider, read-only manager. Its calls block. */
  public ChainAccess access() {
    return access;
  }

  /** Releases the worker threads; the Web3j client is closed by its owner. */
  public Future<Void> close() {
    return sender.close().eventually(viewer::close);
  }

  private void countGas(TransactionReceipt r) {
    if (metrics != null && r != null && r.getGasUsed() != null) {
      metrics.gasSpent(r.getGasUsed());
    }
  }
}
