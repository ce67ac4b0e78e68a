package org.ridecoop.governance;

/**
 * Status of an account in Membership, in the order of the contract's {@code Status} enum (the
 * ordinal is the on-chain value).
 */
public enum MemberStatus {
  /** Never registered. */
  NONE,
  /** A user: may deposit and ride, has no vote. */
  REGISTERED,
  /** A member who paid its share capital: one vote in its college (unless it gave notice). */
  ACTIVE,
  /** Suspended by a vote: no vote, may neither book nor drive; may be reinstated by a vote. */
  SUSPENDED,
  /** Excluded by a vote, for good; its capital is refunded after the notice period. */
  EXCLUDED,
  /** Left after its notice, capital refunded; may join again. */
  LEFT;

  /** The value Membership stores ({@code uint8}). */
  public int id() {
    return ordinal();
  }

  /**
   * The status with on-chain value {@code id}.
   *
   * @throws IllegalArgumentException for a value outside 0..5
   */
  public static MemberStatus ofId(long id) {
    MemberStatus[] all = values();
    if (id < 0 || id >= all.length) {
      throw new IllegalArgumentException("no member status with id " + id);
    }
    return all[(int) id];
  }

  /** Whether an account in this status holds a vote (before any notice it may have given). */
  public boolean votes() {
    return this == ACTIVE;
  }
}
