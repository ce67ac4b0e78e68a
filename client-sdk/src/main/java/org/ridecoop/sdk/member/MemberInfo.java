package org.ridecoop.sdk.member;

import java.math.BigInteger;
import java.util.Optional;
import org.ridecoop.governance.College;
import org.ridecoop.governance.MemberStatus;

/**
 * An account as Membership holds it.
 *
 * @param address the account
 * @param status its status
 * @param college its college; empty unless it is or was a member (active, suspended, excluded)
 * @param capital share capital paid, token base units
 * @param refundAt when its capital may be refunded (seconds since the epoch), 0 when no notice runs
 */
public record MemberInfo(String address, MemberStatus status, Optional<College> college, BigInteger capital,
    long refundAt) {

  /** Whether the account holds a vote now (active and no notice given). */
  public boolean votes() {
    return status.votes() && refundAt == 0;
  }
}
