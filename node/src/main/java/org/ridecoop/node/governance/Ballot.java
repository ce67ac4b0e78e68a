package org.ridecoop.node.governance;

import java.math.BigInteger;
import java.util.Locale;
import org.ridecoop.governance.Support;
import org.web3j.utils.Numeric;

/**
 * A member's signed ballot as the node received it.
 *
 * @param proposalId the proposal voted on
 * @param support the choice
 * @param voter the member it claims to come from
 * @param signature 65 bytes r ‖ s ‖ v over the EIP-712 Ballot with the voter's governor nonce
 */
record Ballot(BigInteger proposalId, Support support, String voter, byte[] signature) {

  /** What makes two requests the same ballot: relaying it again must not vote twice. */
  String key() {
    return proposalId + ":" + support.id() + ":" + voter.toLowerCase(Locale.ROOT) + ":"
        + Numeric.toHexString(signature).toLowerCase(Locale.ROOT);
  }
}
