package org.ridecoop.sdk.audit;

import java.io.IOException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;
import org.ridecoop.contracts.CoopToken;
import org.web3j.crypto.Hash;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.methods.response.Log;
import org.web3j.protocol.core.methods.response.Transaction;
import org.web3j.utils.Numeric;

/**
 * The token supply check: CoopToken is created only by the on-ramp against euros received and
 * destroyed only by the off-ramp. {@code totalSupply} must equal Σ OnRamped − Σ OffRamped; every
 * mint (a Transfer from address 0) must be an OnRamped of the same amount to the same account in
 * the same transaction, every burn an OffRamped; and each on-ramp must be sent by (or through) an
 * account whose on-ramp role was granted at deployment or by an executed proposal and not revoked
 * since. CoopToken has no faucet or other mint path, on any chain.
 */
final class SupplyChecks {
  private static final String ZERO = "0x0000000000000000000000000000000000000000";
  private static final String ON_RAMP_ROLE = Hash.sha3String("ON_RAMP_ROLE");

  private final Web3j web3j;
  private final EventRouter router = new EventRouter();
  private BigInteger onRamped = BigInteger.ZERO, offRamped = BigInteger.ZERO;
  private BigInteger minted = BigInteger.ZERO, burned = BigInteger.ZERO;
  private long onRamps, offRamps;
  /** tx|account|amount → mints (or burns) minus OnRamped (or OffRamped) events: 0 when they match. */
  private final Map<String, Integer> unmatched = new TreeMap<>();
  /** On-ramp role changes and on-ramps, in chain order. */
  private final List<Entry> history = new ArrayList<>();

  SupplyChecks(Web3j web3j, String token) {
    this.web3j = web3j;
    router.on(token, CoopToken.TRANSFER_EVENT, log -> {
      var e = CoopToken.getTransferEventFromLog(log);
      if (lower(e.from).equals(ZERO)) {
        minted = minted.add(e.value);
        unmatched.merge("mint in tx " + log.getTransactionHash() + " of " + e.value + " to " + lower(e.to), 1, Integer::sum);
      }
      if (lower(e.to).equals(ZERO)) {
        burned = burned.add(e.value);
        unmatched.merge("burn in tx " + log.getTransactionHash() + " of " + e.value + " from " + lower(e.from), 1, Integer::sum);
      }
    });
    router.on(token, CoopToken.ONRAMPED_EVENT, log -> {
      var e = CoopToken.getOnRampedEventFromLog(log);
      onRamps++;
      onRamped = onRamped.add(e.amount);
      unmatched.merge("mint in tx " + log.getTransactionHash() + " of " + e.amount + " to " + lower(e.to), -1, Integer::sum);
      history.add(new Entry(log, null, false));
    });
    router.on(token, CoopToken.OFFRAMPED_EVENT, log -> {
      var e = CoopToken.getOffRampedEventFromLog(log);
      offRamps++;
      offRamped = offRamped.add(e.amount);
      unmatched.merge("burn in tx " + log.getTransactionHash() + " of " + e.amount + " from " + lower(e.from), -1, Integer::sum);
    });
    router.on(token, CoopToken.ROLEGRANTED_EVENT, log -> {
      var e = CoopToken.getRoleGrantedEventFromLog(log);
      if (Numeric.toHexString(e.role).equals(ON_RAMP_ROLE)) history.add(new Entry(log, lower(e.account), true));
    });
    router.on(token, CoopToken.ROLEREVOKED_EVENT, log -> {
      var e = CoopToken.getRoleRevokedEventFromLog(log);
      if (Numeric.toHexString(e.role).equals(ON_RAMP_ROLE)) history.add(new Entry(log, lower(e.account), false));
    });
  }

  /** Feeds one replayed log (only the token's matter). */
  void apply(Log log) {
    router.route(log);
  }

  /**
   * {@code supply}, given the token's {@code totalSupply} at the audited block and which role
   * grants governance made ({@code governed}: at deployment or by an executed proposal).
   */
  AuditCheck supply(BigInteger totalSupply, Predicate<Log> governed) throws IOException {
    List<String> bad = new ArrayList<>();
    unmatched.forEach((what, n) -> {
      if (n > 0) bad.add(what + " with no " + (what.startsWith("mint") ? "OnRamped" : "OffRamped") + " event");
      if (n < 0) bad.add((what.startsWith("mint") ? "OnRamped" : "OffRamped") + " without its " + what);
    });
    // The token itself lets only role holders on-ramp: while every grant so far was governed,
    // every on-ramp was, and no transaction need be read. After a grant that was not, each
    // on-ramp's sender is checked.
    Set<String> operators = new HashSet<>();
    boolean suspect = false;
    for (Entry e : history) {
      if (e.account != null) {
        if (e.granted && !governed.test(e.log)) suspect = true;
        if (!e.granted) {
          operators.remove(e.account);
        } else if (governed.test(e.log)) {
          operators.add(e.account);
        }
        continue;
      }
      if (!suspect) continue;
      Transaction t = web3j.ethGetTransactionByHash(e.log.getTransactionHash()).send().getTransaction()
          .orElseThrow(() -> new IOException("no transaction " + e.log.getTransactionHash()));
      // The on-ramp may be an account or a contract (a multisig) the sender calls.
      if (!operators.contains(lower(t.getFrom())) && !operators.contains(lower(t.getTo()))) {
        bad.add("on-ramp in tx " + e.log.getTransactionHash() + " by " + t.getFrom()
            + ", which holds no on-ramp role granted at deployment or by a proposal");
      }
    }
    BigInteger expected = onRamped.subtract(offRamped);
    boolean ok = bad.isEmpty() && totalSupply.equals(expected) && minted.equals(onRamped) && burned.equals(offRamped);
    return new AuditCheck("supply", "token supply = on-ramped − off-ramped, minted only by governed on-ramps", ok,
        "totalSupply " + TokenAmount.format(totalSupply) + "; on-ramped " + TokenAmount.format(onRamped) + " in "
            + onRamps + " on-ramp(s) − off-ramped " + TokenAmount.format(offRamped) + " in " + offRamps + " = "
            + TokenAmount.format(expected) + "; minted " + TokenAmount.format(minted) + ", burned "
            + TokenAmount.format(burned) + AuditCheck.quote(bad));
  }


  private static String lower(String address) {
    return address == null ? null : address.toLowerCase(Locale.ROOT);
  }

  /** An on-ramp role granted or revoked ({@code account} set), or an on-ramp ({@code account} null). */
  private record Entry(Log log, String account, boolean granted) {}
}
