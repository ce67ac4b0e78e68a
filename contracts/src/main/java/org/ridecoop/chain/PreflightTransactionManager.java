package org.ridecoop.chain;

import java.io.IOException;
import java.math.BigInteger;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.RawTransaction;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameter;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.methods.request.Transaction;
import org.web3j.protocol.core.methods.response.EthSendTransaction;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.protocol.exceptions.TransactionException;
import org.web3j.tx.RawTransactionManager;
import org.web3j.tx.response.EmptyTransactionReceipt;
import org.web3j.tx.response.TransactionReceiptProcessor;

/**
 * Signs locally and sends for one key, after proving with eth_call (at {@code pending}) that the
 * transaction will not revert: a revert surfaces as {@link ContractRevertException} with the
 * decoded error, and no nonce is used up. View calls through this manager decode reverts the same
 * way, and a transaction mined with status 0 anyway (another transaction got in first) is replayed
 * to explain it.
 *
 * <p>The nonce is kept locally so one key can have several transactions in flight; it is re-read
 * from the chain ({@code pending}) after any failed send and after {@link #resetNonce()}. Sends for
 * the key are serialised on this object; waiting for receipts is not. Use one instance per key per
 * process: {@link ChainAccess#transactionManager(Credentials)} caches them.
 */
public class PreflightTransactionManager extends RawTransactionManager {
  private final Web3j web3j;
  private final RevertDecoder decoder;
  /** Nonce of the next transaction; null when it must be read from the chain first. */
  private BigInteger nextNonce;

  /**
   * @param chainId EIP-155 chain id the signatures commit to
   * @param receipts how to wait for receipts (polling every ~50 ms on a dev chain)
   */
  public PreflightTransactionManager(Web3j web3j, Credentials credentials, long chainId,
      TransactionReceiptProcessor receipts, RevertDecoder decoder) {
    super(web3j, credentials, chainId, receipts);
    this.web3j = web3j;
    this.decoder = decoder;
  }

  /**
   * Preflights, then signs and sends a legacy transaction ({@code to} null deploys).
   *
   * @throws ContractRevertException if the preflight reverts (nothing is sent)
   */
  @Override
  public synchronized EthSendTransaction sendTransaction(BigInteger gasPrice, BigInteger gasLimit, String to,
      String data, BigInteger value, boolean constructor) throws IOException {
    preflight(to, data, value, gasLimit);
    return send(RawTransaction.createTransaction(getNonce(), gasPrice, gasLimit, to, value, data));
  }

  /**
   * Preflights, then signs and sends an EIP-1559 transaction ({@code to} null deploys).
   *
   * @throws ContractRevertException if the preflight reverts (nothing is sent)
   */
  @Override
  public synchronized EthSendTransaction sendEIP1559Transaction(long chainId, BigInteger maxPriorityFeePerGas,
      BigInteger maxFeePerGas, BigInteger gasLimit, String to, String data, BigInteger value, boolean constructor)
      throws IOException {
    preflight(to, data, value, gasLimit);
    return send(RawTransaction.createTransaction(chainId, getNonce(), gasLimit, to, value, data,
        maxPriorityFeePerGas, maxFeePerGas));
  }

  /**
   * A view call from this key.
   *
   * @throws ContractRevertException if it reverts
   */
  @Override
  public String sendCall(String to, String data, DefaultBlockParameter block) throws IOException {
    return EthCalls.call(web3j, decoder, Transaction.createEthCallTransaction(getFromAddress(), to, data), block);
  }

  /** Forgets the local nonce; the next send re-reads it from the chain. */
  public synchronized void resetNonce() {
    nextNonce = null;
  }

  /** The nonce the next transaction will use, reading it from the chain if not known. */
  @Override
  protected synchronized BigInteger getNonce() throws IOException {
    if (nextNonce == null) nextNonce = super.getNonce();
    return nextNonce;
  }

  /** Waits for the receipt and turns status 0 into a {@link ContractRevertException}. */
  @Override
  protected TransactionReceipt processResponse(EthSendTransaction response) throws IOException, TransactionException {
    TransactionReceipt receipt = super.processResponse(response);
    if (receipt != null && !(receipt instanceof EmptyTransactionReceipt) && !receipt.isStatusOK()) {
      throw EthCalls.minedFailure(web3j, decoder, receipt);
    }
    return receipt;
  }

  private void preflight(String to, String data, BigInteger value, BigInteger gasLimit) throws IOException {
    Transaction call = new Transaction(getFromAddress(), null, null, gasLimit, to, value, data);
    EthCalls.call(web3j, decoder, call, DefaultBlockParameterName.PENDING);
  }

  /** Sends; advances the nonce only when the node took the transaction. */
  private EthSendTransaction send(RawTransaction tx) throws IOException {
    EthSendTransaction response;
    try {
      response = signAndSend(tx);
    } catch (IOException | RuntimeException e) {
      nextNonce = null; // unknown whether the node took it: ask the chain next time
      throw e;
    }
    nextNonce = response.hasError() ? null : tx.getNonce().add(BigInteger.ONE);
    return response;
  }
}
