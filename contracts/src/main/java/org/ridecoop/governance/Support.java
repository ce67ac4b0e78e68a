package org.ridecoop.governance;

import java.math.BigInteger;

/** A vote's choice, numbered as CoopGovernor (Governor Bravo) numbers them. */
public enum Support {
  /** Against the proposal. */
  AGAINST(0),
  /** For the proposal. */
  FOR(1),
  /** Abstains: counts for the quorum (turnout), not for approval. */
  ABSTAIN(2);

  private final int id;

  Support(int id) {
    this.id = id;
  }

  /** The {@code uint8 support} value. */
  public int id() {
    return id;
  }

  /** The value as the wrappers take it. */
  public BigInteger idAsBigInteger() {
    return BigInteger.valueOf(id);
  }
}
