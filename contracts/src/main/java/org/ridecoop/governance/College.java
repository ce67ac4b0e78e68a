package org.ridecoop.governance;

import java.math.BigInteger;

/**
 * A stakeholder college of the co-op (French SCIC "collège de vote"). Each member sits in exactly
 * one and has one vote in it; each college's result weighs by a share voted by the members.
 */
public enum College {
  /** Worker members: the drivers. */
  DRIVERS(0),
  /** User members: the riders. */
  RIDERS(1),
  /** Supporters: a city, a local association, anyone backing the co-op. */
  SUPPORTERS(2);

  private final int id;

  College(int id) {
    this.id = id;
  }

  /** The college id Membership and CoopGovernor use ({@code uint8}). */
  public int id() {
    return id;
  }

  /** The id as the wrappers take it. */
  public BigInteger idAsBigInteger() {
    return BigInteger.valueOf(id);
  }

  /**
   * The college with on-chain id {@code id}.
   *
   * @throws IllegalArgumentException for an id outside 0..2
   */
  public static College ofId(long id) {
    for (College c : values()) {
      if (c.id == id) {
        return c;
      }
    }
    throw new IllegalArgumentException("no college with id " + id);
  }
}
