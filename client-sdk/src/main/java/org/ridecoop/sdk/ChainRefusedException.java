package org.ridecoop.sdk;

import org.ridecoop.chain.ContractError;
import org.ridecoop.chain.ContractRevertException;

/**
 * The chain refused a rider's transaction or read: a contract reverted, with the named custom
 * error and its values (e.g. {@code InsufficientBalance(available=5, needed=7)}). Nothing was
 * changed on chain.
 */
public final class ChainRefusedException extends RideCoopException {
  private static final long serialVersionUID = 1L;

  private final transient ContractError error;

  ChainRefusedException(String what, ContractRevertException cause) {
    super("the chain refused to " + what + ": " + cause.error(), cause);
    this.error = cause.error();
  }

  /** The contract's error, decoded. */
  public ContractError error() {
    return error;
  }

  /** Shorthand for {@code error().name()}, e.g. {@code InsufficientBalance}. */
  public String errorName() {
    return error.name();
  }
}
