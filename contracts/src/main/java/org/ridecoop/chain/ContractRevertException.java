package org.ridecoop.chain;

import java.util.Optional;

/**
 * A contract call or transaction reverted; {@link #error()} says why, decoded from the revert
 * data. Thrown before sending (preflight), for reverting view calls, and for transactions that were
 * mined with status 0 anyway (then {@link #transactionHash()} is present).
 *
 * <p>Web3j's generated {@code deploy(...)} wraps every exception in a {@link RuntimeException};
 * look for this one in the cause chain there.
 */
public class ContractRevertException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final transient ContractError error;
  private final String from;
  private final String to;
  private final String transactionHash;

  /**
   * @param error the decoded revert
   * @param call what was called, e.g. {@code transfer(address,uint256)} or {@code deploy}
   * @param from sender address
   * @param to contract address, or null for a deployment
   * @param transactionHash hash of the mined transaction, or null when nothing was sent
   */
  public ContractRevertException(ContractError error, String call, String from, String to, String transactionHash) {
    super(call + " reverted: " + error + " [from " + from + (to == null ? "" : " to " + to)
        + (transactionHash == null ? ", not sent" : ", mined in " + transactionHash) + "]");
    this.error = error;
    this.from = from;
    this.to = to;
    this.transactionHash = transactionHash;
  }

  /** The decoded error. */
  public ContractError error() {
    return error;
  }

  /** Shorthand for {@code error().name()}. */
  public String errorName() {
    return error.name();
  }

  /** The sender. */
  public String from() {
    return from;
  }

  /** The contract called; empty for a deployment. */
  public Optional<String> to() {
    return Optional.ofNullable(to);
  }

  /** The mined transaction, when the revert happened on chain rather than in preflight. */
  public Optional<String> transactionHash() {
    return Optional.ofNullable(transactionHash);
  }
}
