package org.ridecoop.node.demo;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.ridecoop.devchain.AnvilChain;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.core.methods.request.Transaction;
import org.web3j.protocol.core.methods.response.EthSendTransaction;
import org.web3j.protocol.core.methods.response.TransactionReceipt;

/**
 * Many members' transactions mined together, as a real chain would take them when they all act
 * at the same moment: Anvil's mining is paused, every transaction is preflighted and sent, then
 * blocks are mined until all are in (as many per block as the block gas limit takes).
 *
 * <p>Why: sent one by one, each transaction gets a block of its own on Anvil, so the demo's
 * clock ran in blocks per member. A fare vote is open for a fixed number of blocks (50 in the dev
 * config): with 50 members or more, the last ballots arrived after it had closed. In one batch
 * every ballot lands in the first block or two of the vote, whatever the membership.
 *
 * <p>The transactions of one batch must not depend on each other (each gas estimate runs against
 * the latest block, without the batch's earlier transactions).
 */
final class TransactionBatch {
  /** Headroom over the estimate: the estimate runs against the pending block, not the final one. */
  private static final BigInteger HEADROOM_PERCENT = BigInteger.valueOf(130);

  private final AnvilChain chain;
  private final List<Tx> txs = new ArrayList<>();

  /** One transaction: who signs it, the contract it calls and the ABI-encoded call. */
  record Tx(Credentials from, String to, String data) {}

  TransactionBatch(AnvilChain chain) {
    this.chain = chain;
  }

  /** Adds {@code from}'s call of {@code data} on {@code to}. */
  TransactionBatch add(Credentials from, String to, String data) {
    txs.add(new Tx(from, to, data));
    return this;
  }

  /** How many transactions are waiting. */
  int size() {
    return txs.size();
  }

  /**
   * Sends every transaction with mining paused, then mines until each has a receipt.
   *
   * @return the receipts, in the order the transactions were added
   * @throws org.ridecoop.chain.ContractRevertException if one would revert (it and the rest are not
   *     sent; the ones sent before it are mined)
   * @throws IllegalStateException if one was mined but failed, or the chain would not take one
   */
  List<TransactionReceipt> mine() throws Exception {
    List<String> hashes = new ArrayList<>(txs.size());
    chain.setAutomine(false);
    try {
      for (Tx tx : txs) {
        var manager = chain.access().transactionManager(tx.from());
        // The gas limit must be the transaction's real need: the block packs by declared limits.
        // A call that would revert fails the estimate: keep the default limit and let the preflight
        // of the send report the decoded error.
        var estimate = chain.web3j().ethEstimateGas(new Transaction(tx.from().getAddress(), null, null, null,
            tx.to(), BigInteger.ZERO, tx.data())).send();
        BigInteger limit = estimate.hasError() ? chain.access().gasProvider().getGasLimit(null)
            : estimate.getAmountUsed().multiply(HEADROOM_PERCENT).divide(BigInteger.valueOf(100));
        EthSendTransaction sent = manager.sendTransaction(BigInteger.ZERO, limit, tx.to(), tx.data(), BigInteger.ZERO);
        if (sent.hasError()) {
          throw new IllegalStateException("the chain refused a transaction from " + tx.from().getAddress() + ": "
              + sent.getError().getMessage());
        }
        hashes.add(sent.getTransactionHash());
      }
    } finally {
      // Whatever was sent is mined, so a failure leaves no transaction pending behind it.
      chain.mine(1);
      chain.setAutomine(true);
    }
    List<TransactionReceipt> receipts = new ArrayList<>(hashes.size());
    for (String hash : hashes) {
      TransactionReceipt receipt = receipt(hash);
      for (int blocks = 0; receipt == null && blocks < hashes.size(); blocks++) {
        chain.mine(1); // the block was full: the rest go into the next ones
        receipt = receipt(hash);
      }
      if (receipt == null) throw new IllegalStateException("transaction " + hash + " was never mined");
      if (!receipt.isStatusOK()) {
        // Preflighted at pending, so only a transaction of the same block got in its way.
        throw new IllegalStateException("transaction " + hash + " from " + receipt.getFrom()
            + " was mined but reverted (status " + receipt.getStatus() + ")");
      }
      receipts.add(receipt);
    }
    txs.clear();
    return receipts;
  }

  private TransactionReceipt receipt(String hash) throws Exception {
    Optional<TransactionReceipt> r = chain.web3j().ethGetTransactionReceipt(hash).send().getTransactionReceipt();
    return r.orElse(null);
  }
}
