package org.ridecoop.sdk.audit;

import java.io.IOException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.ridecoop.contracts.CoopToken;
import org.ridecoop.contracts.FareSchedule;
import org.ridecoop.contracts.Membership;
import org.ridecoop.contracts.RideLedger;
import org.ridecoop.contracts.Treasury;
import org.ridecoop.deploy.DeploymentManifest;
import org.ridecoop.fare.FareParams;
import org.ridecoop.protocol.ContractStructs;
import org.ridecoop.protocol.RideIds;
import org.web3j.abi.datatypes.Event;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameter;
import org.web3j.protocol.core.methods.request.EthFilter;
import org.web3j.protocol.core.methods.response.EthLog;
import org.web3j.protocol.core.methods.response.Log;
import org.web3j.protocol.core.methods.response.Transaction;
import org.web3j.protocol.http.HttpService;
import org.web3j.tx.ReadonlyTransactionManager;
import org.web3j.tx.gas.StaticGasProvider;

/**
 * Replays a ridecoop deployment's events and checks that every fare, payout, dividend and vote
 * followed the rules. Read-only; it trusts neither side alone: each book is recomputed from the
 * events <em>and</em> compared with the contracts' views and the token balances.
 *
 * <p>Checks (ids as in {@link AuditReport#check}):
 * <ul>
 *   <li>{@code chain}: the RPC serves the manifest's chain.
 *   <li>{@code money.ledger}: CoopToken held by the ledger − tokens sent to it directly = wallets
 *       + open escrows + driver earnings recomputed from the events (deposits, withdrawals,
 *       bookings, receipts, settlements, cancellations) = the same from the ledger's views.
 *   <li>{@code money.treasury}: CoopToken held by the treasury − tokens sent to it directly =
 *       reserve + solidarity + operations + unclaimed dividends, from the events and from
 *       {@code funds()}.
 *   <li>{@code money.stray}: informational, never fails: tokens anyone {@code transfer}red
 *       straight to the ledger (no {@code Deposited} of that sender and amount in the same
 *       transaction) or to the treasury (from anyone but the ledger). They belong to no wallet or
 *       fund, so the two checks above keep them apart instead of failing for ever.
 *   <li>{@code money.commission}: every commission the ledger paid reached the treasury and was
 *       recorded there.
 *   <li>{@code supply}: see {@code SupplyChecks}.
 *   <li>{@code fares.schedule}: every published fare version equals the stored one and keeps the
 *       reserve at or above the legal floor.
 *   <li>{@code rides.commission}: each settled ride's commission = fare × commissionBps of the
 *       version it was booked under / 10,000, its fare ≤ its escrow, refund = escrow − fare.
 *   <li>{@code split}: each recorded commission follows its version's split, dust to the reserve,
 *       reserve share ≥ 57.5 %.
 *   <li>{@code reserve}: no token leaves the treasury except as a dividend claim or a voted payout
 *       of the same amount in the same transaction (nothing is paid from the reserve).
 *   <li>{@code payouts}: solidarity and operations payouts happen only in transactions sent to the
 *       governor or the timelock (executed proposals).
 *   <li>{@code dividends}: per epoch, Σ claims + sweeps + dust ≤ pool, each claim = pool × points /
 *       total points, pools and points agree with {@code epochInfo}.
 *   <li>{@code votes}: one vote per active member: every getVotes ≤ 1, their sum = votingMembers =
 *       the members the events say are active.
 *   <li>{@code governance.changes}, {@code governance.proposals}, {@code governance.ballots}: see
 *       {@code GovernanceChecks}.
 * </ul>
 */
public final class Auditor implements AutoCloseable {
  /** Blocks per eth_getLogs request: within what public RPC endpoints accept. */
  public static final int DEFAULT_BLOCK_RANGE = 2_000;
  private static final BigInteger BPS = BigInteger.valueOf(10_000);
  private static final BigInteger RESERVE_FLOOR_BPS = BigInteger.valueOf(5_750);

  private final Web3j web3j;
  private final boolean ownsWeb3j;
  private final DeploymentManifest manifest;
  private final int blockRange;
  private final Consumer<String> progress;

  /**
   * An auditor on an existing client (not closed by {@link #close()}).
   *
   * @param progress told one line now and then during long replays
   */
  public Auditor(Web3j web3j, DeploymentManifest manifest, int blockRange, Consumer<String> progress) {
    this(web3j, false, manifest, blockRange, progress);
  }

  private Auditor(Web3j web3j, boolean owns, DeploymentManifest manifest, int blockRange, Consumer<String> progress) {
    if (blockRange < 1) throw new IllegalArgumentException("block range must be positive: " + blockRange);
    this.web3j = Objects.requireNonNull(web3j, "web3j");
    this.ownsWeb3j = owns;
    this.manifest = Objects.requireNonNull(manifest, "manifest");
    this.blockRange = blockRange;
    this.progress = Objects.requireNonNull(progress, "progress");
  }

  /** An auditor on {@code rpcUrl}, reporting progress to {@code progress}; close it after use. */
  public static Auditor connect(String rpcUrl, DeploymentManifest manifest, Consumer<String> progress) {
    return new Auditor(Web3j.build(new HttpService(rpcUrl)), true, manifest, DEFAULT_BLOCK_RANGE, progress);
  }

  /** Audits everything up to the latest block. */
  public AuditReport run() throws IOException {
    return run(web3j.ethBlockNumber().send().getBlockNumber().longValueExact());
  }

  /** Audits the history up to {@code toBlock}, reading the contracts' views at that block. */
  public AuditReport run(long toBlock) throws IOException {
    Books books = new Books(manifest);
    GovernanceChecks governance = new GovernanceChecks(web3j, manifest);
    SupplyChecks supply = new SupplyChecks(web3j, manifest.address("CoopToken"));
    long from = manifest.deploymentBlock();
    long events = replay(from, toBlock, log -> {
      books.apply(log);
      governance.apply(log);
      supply.apply(log);
    });
    books.finish();
    Views views = new Views(web3j, manifest, toBlock);
    List<AuditCheck> checks = new ArrayList<>();
    long chainId = web3j.ethChainId().send().getChainId().longValueExact();
    checks.add(new AuditCheck("chain", "the RPC serves the manifest's chain", chainId == manifest.chainId(),
        "chain id " + chainId + ", manifest " + manifest.chainId()));
    try {
      // governance.changes first: the supply check asks it which on-ramp grants were governed.
      AuditCheck changes = governance.changes();
      checks.add(ledgerMoney(books, views));
      checks.add(treasuryMoney(books, views));
      checks.add(stray(books));
      checks.add(commissionFlow(books));
      checks.add(supply.supply(views.token.totalSupply().send(), governance::legitimate));
      checks.add(schedule(books, views));
      checks.add(rideCommissions(books));
      checks.add(split(books));
      checks.add(reserve(books));
      checks.add(payouts(books));
      checks.add(dividends(books, views));
      checks.add(votes(books, views));
      checks.add(changes);
      checks.add(governance.proposals());
      checks.add(governance.ballots());
    } catch (Exception e) {
      // A view that cannot be read (wrong address, contract missing) is itself a failed audit.
      checks.add(new AuditCheck("views", "the contracts' views answer", false, String.valueOf(e.getMessage())));
    }
    return new AuditReport(chainId, from, toBlock, events, checks, books.totals());
  }

  @Override
  public void close() {
    if (ownsWeb3j) web3j.shutdown();
  }

  // ------------------------------------------------------------------ replay

  private long replay(long from, long to, Consumer<Log> books) throws IOException {
    List<String> addresses = List.of(
        manifest.address("CoopToken"), manifest.address("RideLedger"), manifest.address("Treasury"),
        manifest.address("FareSchedule"), manifest.address("Membership"), manifest.address("CoopGovernor"),
        manifest.address("CoopTimelock"));
    long ranges = to < from ? 0 : (to - from) / blockRange + 1;
    long events = 0;
    long reportEvery = Math.max(1, ranges / 10);
    long done = 0;
    for (long start = from; start <= to; start += blockRange) {
      long end = Math.min(to, start + blockRange - 1);
      EthLog answer = web3j.ethGetLogs(new EthFilter(DefaultBlockParameter.valueOf(BigInteger.valueOf(start)),
          DefaultBlockParameter.valueOf(BigInteger.valueOf(end)), addresses)).send();
      if (answer.hasError()) {
        throw new IOException("eth_getLogs " + start + ".." + end + ": " + answer.getError().getMessage());
      }
      for (EthLog.LogResult<?> r : answer.getLogs()) {
        if (r.get() instanceof Log log && !log.isRemoved()) {
          books.accept(log);
          events++;
        }
      }
      done++;
      if (ranges > 10 && done % reportEvery == 0) {
        progress.accept(String.format(Locale.ROOT, "audit: replayed blocks %d..%d (%d %%), %d events",
            from, end, done * 100 / ranges, events));
      }
    }
    return events;
  }

  // ------------------------------------------------------------------ checks

  private AuditCheck ledgerMoney(Books b, Views v) throws Exception {
    BigInteger held = v.token.balanceOf(b.ledger).send();
    BigInteger tokenFlow = b.ledgerTokenIn.subtract(b.ledgerTokenOut);
    BigInteger bookFlow = b.deposited.subtract(b.withdrawn).subtract(b.earningsWithdrawn).subtract(b.commissionPaid);
    BigInteger wallets = sum(b.wallets), escrows = b.openEscrows(), earnings = sum(b.earnings);
    BigInteger books = wallets.add(escrows).add(earnings);

    BigInteger viewWallets = BigInteger.ZERO, viewEarnings = BigInteger.ZERO, viewEscrows = BigInteger.ZERO;
    List<String> differ = new ArrayList<>();
    for (var e : b.wallets.entrySet()) {
      BigInteger w = v.ledger.walletOf(e.getKey()).send().component1();
      viewWallets = viewWallets.add(w);
      if (!w.equals(e.getValue())) differ.add("wallet " + e.getKey() + " events " + e.getValue() + " view " + w);
    }
    for (var e : b.earnings.entrySet()) {
      BigInteger d = v.ledger.driverOf(e.getKey()).send().component1();
      viewEarnings = viewEarnings.add(d);
      if (!d.equals(e.getValue())) differ.add("earnings " + e.getKey() + " events " + e.getValue() + " view " + d);
    }
    for (var e : b.rides.entrySet()) {
      if (!e.getValue().open) continue;
      var ride = v.ledger.rideOf(e.getKey()).send();
      int status = ride.component6().intValue();
      boolean open = status == 1 || status == 2 || status == 3;
      BigInteger escrow = open ? ride.component3() : BigInteger.ZERO;
      viewEscrows = viewEscrows.add(escrow);
      if (!escrow.equals(e.getValue().escrow)) {
        differ.add("escrow of ride " + hex(e.getKey()) + " events " + e.getValue().escrow + " view " + escrow);
      }
    }
    BigInteger views = viewWallets.add(viewEscrows).add(viewEarnings);
    // Tokens anyone sent straight to the ledger are in its balance but in nobody's wallet.
    BigInteger booked = held.subtract(b.strayLedger);
    boolean ok = held.equals(tokenFlow) && booked.equals(bookFlow) && booked.equals(books) && booked.equals(views)
        && differ.isEmpty();
    String figures = "balanceOf(ledger) " + fmt(held) + " − sent directly " + fmt(b.strayLedger) + " = " + fmt(booked)
        + "; token transfers " + fmt(tokenFlow)
        + "; deposits − withdrawals − commission " + fmt(bookFlow)
        + "; wallets " + fmt(wallets) + " + escrows " + fmt(escrows) + " (" + b.openRides() + " open rides) + earnings "
        + fmt(earnings) + " = " + fmt(books) + " (events), " + fmt(views) + " (views)" + quote(differ);
    return new AuditCheck("money.ledger", "ledger tokens = wallets + escrows + driver earnings", ok, figures);
  }

  private AuditCheck treasuryMoney(Books b, Views v) throws Exception {
    BigInteger held = v.token.balanceOf(b.treasury).send();
    BigInteger tokenFlow = b.treasuryTokenIn.subtract(b.treasuryTokenOut);
    var f = v.treasury.funds().send();
    BigInteger[] view = {f.component1(), f.component2(), f.component3(), f.component4()};
    BigInteger[] events = {b.reserve, b.solidarity, b.operations, b.unclaimed};
    String[] names = {"reserve", "solidarity", "operations", "unclaimed dividends"};
    BigInteger viewSum = BigInteger.ZERO, eventSum = BigInteger.ZERO;
    List<String> differ = new ArrayList<>();
    StringBuilder parts = new StringBuilder();
    for (int i = 0; i < 4; i++) {
      viewSum = viewSum.add(view[i]);
      eventSum = eventSum.add(events[i]);
      if (!view[i].equals(events[i])) differ.add(names[i] + " events " + events[i] + " view " + view[i]);
      parts.append(i == 0 ? "" : " + ").append(names[i]).append(' ').append(fmt(events[i]));
    }
    BigInteger booked = held.subtract(b.strayTreasury);
    boolean ok = held.equals(tokenFlow) && booked.equals(eventSum) && booked.equals(viewSum) && differ.isEmpty();
    return new AuditCheck("money.treasury", "treasury tokens = reserve + solidarity + operations + unclaimed dividends",
        ok, "balanceOf(treasury) " + fmt(held) + " − sent directly " + fmt(b.strayTreasury) + " = " + fmt(booked)
            + "; token transfers " + fmt(tokenFlow) + "; " + parts + " = "
            + fmt(eventSum) + " (events), " + fmt(viewSum) + " (funds view)" + quote(differ));
  }

  private AuditCheck commissionFlow(Books b) {
    BigInteger fromLedger = b.treasuryTokenIn.subtract(b.strayTreasury);
    boolean ok = b.commissionPaid.equals(b.commissionRecorded) && b.commissionPaid.equals(fromLedger);
    return new AuditCheck("money.commission", "every commission taken from a ride reached the treasury's books", ok,
        "settled rides' commission " + fmt(b.commissionPaid) + ", recorded by the treasury "
            + fmt(b.commissionRecorded) + ", tokens the ledger sent the treasury " + fmt(fromLedger));
  }

  /**
   * Informational, never failed: anyone may {@code transfer} tokens straight to the ledger or the
   * treasury. They belong to no wallet or fund, so the money checks hold them apart (balance =
   * books + sent directly) and this line shows them to the operator.
   */
  private AuditCheck stray(Books b) {
    return new AuditCheck("money.stray", "tokens sent straight to the ledger or the treasury stay outside the books",
        true, "unattributed tokens sent directly: " + fmt(b.strayLedger.add(b.strayTreasury)) + " from "
            + b.strayTransfers + " transfer(s) (ledger " + fmt(b.strayLedger) + ", treasury " + fmt(b.strayTreasury) + ")");
  }

  private AuditCheck schedule(Books b, Views v) throws Exception {
    List<String> bad = new ArrayList<>();
    for (var e : b.versions.entrySet()) {
      FareParams stored = ContractStructs.fareParams(v.schedule.params(BigInteger.valueOf(e.getKey())).send());
      if (!stored.equals(e.getValue())) bad.add("version " + e.getKey() + " published " + e.getValue() + " stored " + stored);
      FareParams p = e.getValue();
      if (p.reserveBps() < RESERVE_FLOOR_BPS.intValue()) bad.add("version " + e.getKey() + " reserve " + p.reserveBps() + " bps");
      if (p.reserveBps() + p.solidarityBps() + p.operationsBps() + p.dividendBps() != 10_000) {
        bad.add("version " + e.getKey() + " split does not sum to 10,000 bps");
      }
    }
    StringBuilder s = new StringBuilder(b.versions.size() + " version(s):");
    b.versions.forEach((k, p) -> s.append(" v").append(k).append(" commission ").append(pct(p.commissionBps()))
        .append(" (reserve ").append(pct(p.reserveBps())).append(", solidarity ").append(pct(p.solidarityBps()))
        .append(", operations ").append(pct(p.operationsBps())).append(", dividends ").append(pct(p.dividendBps())).append(");"));
    return new AuditCheck("fares.schedule", "published fare versions are the stored ones and respect the legal floor",
        bad.isEmpty() && !b.versions.isEmpty(), s + quote(bad));
  }

  private AuditCheck rideCommissions(Books b) {
    return new AuditCheck("rides.commission",
        "each settled ride: commission = fare × its version's commission rate, fare ≤ escrow",
        b.rideViolations.isEmpty(), b.ridesSettled + " settled rides checked, " + b.rideViolations.size()
            + " violation(s)" + quote(b.rideViolations));
  }

  private AuditCheck split(Books b) {
    return new AuditCheck("split", "each commission split by its version, dust to the reserve, reserve ≥ 57.5 %",
        b.splitViolations.isEmpty(), b.commissionRecords + " commission records checked; reserve got "
            + fmt(b.splitReserve) + " of " + fmt(b.commissionRecorded) + " ("
            + share(b.splitReserve, b.commissionRecorded) + ")" + quote(b.splitViolations));
  }

  private AuditCheck reserve(Books b) {
    List<String> bad = new ArrayList<>();
    for (var e : b.treasuryOutByTx.entrySet()) {
      BigInteger justified = b.justifiedOutByTx.getOrDefault(e.getKey(), BigInteger.ZERO);
      if (!justified.equals(e.getValue())) {
        bad.add("tx " + e.getKey() + " moved " + fmt(e.getValue()) + " out of the treasury, claims/payouts " + fmt(justified));
      }
    }
    for (var e : b.justifiedOutByTx.entrySet()) {
      if (!b.treasuryOutByTx.containsKey(e.getKey())) bad.add("tx " + e.getKey() + " paid " + fmt(e.getValue()) + " without a transfer");
    }
    bad.addAll(b.unknownTreasuryEvents);
    return new AuditCheck("reserve", "nothing is paid out of the indivisible reserve", bad.isEmpty(),
        "treasury outflows " + fmt(b.treasuryTokenOut) + " = dividends " + fmt(b.dividendsClaimed) + " + solidarity "
            + fmt(b.solidarityPaid) + " + operations " + fmt(b.operationsPaid) + "; reserve only grew, to "
            + fmt(b.reserve) + quote(bad));
  }

  private AuditCheck payouts(Books b) throws IOException {
    Set<String> governance = Set.of(lower(manifest.address("CoopGovernor")), lower(manifest.address("CoopTimelock")));
    List<String> bad = new ArrayList<>();
    for (String tx : b.payoutTxs) {
      Transaction t = web3j.ethGetTransactionByHash(tx).send().getTransaction().orElse(null);
      String to = t == null ? null : lower(t.getTo());
      if (to == null || !governance.contains(to)) bad.add("payout in tx " + tx + " sent to " + to);
    }
    return new AuditCheck("payouts", "solidarity and operations payouts only by executed proposals", bad.isEmpty(),
        b.payoutTxs.size() + " payout transaction(s) paying " + fmt(b.solidarityPaid.add(b.operationsPaid))
            + (bad.isEmpty() ? ", each sent to the governor or the timelock" : "") + quote(bad));
  }

  private AuditCheck dividends(Books b, Views v) throws Exception {
    List<String> bad = new ArrayList<>(b.dividendViolations);
    int closed = 0;
    for (var e : b.epochs.entrySet()) {
      EpochBook ep = e.getValue();
      BigInteger out = ep.claimed.add(ep.swept).add(ep.dust);
      if (out.compareTo(ep.pool) > 0) bad.add("epoch " + e.getKey() + " paid " + out + " of pool " + ep.pool);
      var info = v.treasury.epochInfo(BigInteger.valueOf(e.getKey())).send();
      if (!info.component1().equals(ep.pool) || !info.component2().equals(ep.points) || !info.component3().equals(out)
          || info.component4() != ep.closed) {
        bad.add("epoch " + e.getKey() + " events pool " + ep.pool + " points " + ep.points + " out " + out
            + " closed " + ep.closed + "; view " + info.component1() + "/" + info.component2() + "/"
            + info.component3() + "/" + info.component4());
      }
      if (ep.closed) closed++;
    }
    return new AuditCheck("dividends", "per epoch: claims + sweeps + dust ≤ pool, each claim = pool × points / total",
        bad.isEmpty(), b.epochs.size() + " epoch(s) with income, " + closed + " closed; " + b.claims
            + " claim(s) paying " + fmt(b.dividendsClaimed) + quote(bad));
  }

  private AuditCheck votes(Books b, Views v) throws Exception {
    List<String> bad = new ArrayList<>();
    long sum = 0;
    long expected = 0;
    for (var e : b.memberVoting.entrySet()) {
      BigInteger votes = v.membership.getVotes(e.getKey()).send();
      if (votes.compareTo(BigInteger.ONE) > 0) bad.add(e.getKey() + " holds " + votes + " votes");
      sum += votes.longValue();
      if (e.getValue()) expected++;
      if ((votes.signum() > 0) != e.getValue()) bad.add(e.getKey() + " votes " + votes + " but events say voting=" + e.getValue());
    }
    long voting = v.membership.votingMembers().send().longValueExact();
    boolean ok = bad.isEmpty() && sum == voting && sum == expected;
    return new AuditCheck("votes", "one member, one vote", ok, b.memberVoting.size() + " member(s) ever joined; Σ getVotes "
        + sum + ", votingMembers " + voting + ", active by the events " + expected + quote(bad));
  }

  // ------------------------------------------------------------------ formatting

  private static String fmt(BigInteger units) {
    return TokenAmount.format(units);
  }

  private static String pct(int bps) {
    return String.format(Locale.ROOT, "%.2f %%", bps / 100.0);
  }

  private static String share(BigInteger part, BigInteger whole) {
    if (whole.signum() == 0) return "n/a";
    return String.format(Locale.ROOT, "%.2f %%", part.doubleValue() * 100 / whole.doubleValue());
  }

  private static String quote(List<String> items) {
    return AuditCheck.quote(items);
  }

  private static BigInteger sum(Map<String, BigInteger> m) {
    return m.values().stream().reduce(BigInteger.ZERO, BigInteger::add);
  }

  private static String hex(BigInteger rideId) {
    return "0x" + rideId.toString(16);
  }

  private static String lower(String address) {
    return address == null ? null : address.toLowerCase(Locale.ROOT);
  }

  // ------------------------------------------------------------------ the books, recomputed from events

  /** A ride as the events tell it. */
  private static final class RideBook {
    final int version;
    final String driver;
    BigInteger escrow;
    boolean open = true;

    RideBook(int version, String driver, BigInteger escrow) {
      this.version = version;
      this.driver = driver;
      this.escrow = escrow;
    }
  }

  /** A patronage epoch as the events tell it. */
  private static final class EpochBook {
    BigInteger pool = BigInteger.ZERO, points = BigInteger.ZERO, claimed = BigInteger.ZERO;
    BigInteger swept = BigInteger.ZERO, dust = BigInteger.ZERO;
    BigInteger closedPool, closedPoints;
    boolean closed;
  }

  /** Everything the auditor recomputes, fed one log at a time in chain order. */
  private static final class Books {
    final String token, ledger, treasury, schedule, membership;
    final EventRouter router = new EventRouter();

    BigInteger ledgerTokenIn = BigInteger.ZERO, ledgerTokenOut = BigInteger.ZERO;
    BigInteger treasuryTokenIn = BigInteger.ZERO, treasuryTokenOut = BigInteger.ZERO;
    BigInteger deposited = BigInteger.ZERO, withdrawn = BigInteger.ZERO, earningsWithdrawn = BigInteger.ZERO;
    BigInteger commissionPaid = BigInteger.ZERO, fares = BigInteger.ZERO, driverIncome = BigInteger.ZERO;
    final Map<String, BigInteger> wallets = new TreeMap<>();
    final Map<String, BigInteger> earnings = new TreeMap<>();
    final Map<BigInteger, RideBook> rides = new LinkedHashMap<>();
    long ridesBooked, ridesSettled, ridesCancelled, ridesReclaimed;
    final List<String> rideViolations = new ArrayList<>();

    final Map<Integer, FareParams> versions = new TreeMap<>();

    BigInteger reserve = BigInteger.ZERO, solidarity = BigInteger.ZERO, operations = BigInteger.ZERO;
    BigInteger unclaimed = BigInteger.ZERO, commissionRecorded = BigInteger.ZERO, splitReserve = BigInteger.ZERO;
    BigInteger toSolidarity = BigInteger.ZERO, toOperations = BigInteger.ZERO, toDividends = BigInteger.ZERO;
    BigInteger dividendsClaimed = BigInteger.ZERO, solidarityPaid = BigInteger.ZERO, operationsPaid = BigInteger.ZERO;
    long commissionRecords, claims;
    final List<String> splitViolations = new ArrayList<>();
    final List<String> dividendViolations = new ArrayList<>();
    final List<String> unknownTreasuryEvents = new ArrayList<>();
    final Map<Integer, EpochBook> epochs = new TreeMap<>();
    final Map<String, BigInteger> treasuryOutByTx = new LinkedHashMap<>();
    final Map<String, BigInteger> justifiedOutByTx = new LinkedHashMap<>();
    final List<String> payoutTxs = new ArrayList<>();

    /** Tokens sent straight to the ledger or the treasury, outside any of their functions. */
    BigInteger strayLedger = BigInteger.ZERO, strayTreasury = BigInteger.ZERO;
    long strayTransfers;
    /** The transaction being replayed, its transfers into the ledger and its deposits ("from amount"). */
    String tx;
    final List<String> txLedgerIns = new ArrayList<>();
    final List<String> txDeposits = new ArrayList<>();

    /** Member → holds a vote, by the membership events. */
    final Map<String, Boolean> memberVoting = new TreeMap<>();

    Books(DeploymentManifest m) {
      token = lower(m.address("CoopToken"));
      ledger = lower(m.address("RideLedger"));
      treasury = lower(m.address("Treasury"));
      schedule = lower(m.address("FareSchedule"));
      membership = lower(m.address("Membership"));

      on(token, CoopToken.TRANSFER_EVENT, log -> transfer(CoopToken.getTransferEventFromLog(log)));

      on(ledger, RideLedger.DEPOSITED_EVENT, log -> {
        var e = RideLedger.getDepositedEventFromLog(log);
        deposited = deposited.add(e.amount);
        add(wallets, e.rider, e.amount);
        txDeposits.add(lower(e.rider) + " " + e.amount);
      });
      on(ledger, RideLedger.WITHDRAWN_EVENT, log -> {
        var e = RideLedger.getWithdrawnEventFromLog(log);
        withdrawn = withdrawn.add(e.amount);
        add(wallets, e.rider, e.amount.negate());
      });
      on(ledger, RideLedger.EARNINGSWITHDRAWN_EVENT, log -> {
        var e = RideLedger.getEarningsWithdrawnEventFromLog(log);
        earningsWithdrawn = earningsWithdrawn.add(e.amount);
        add(earnings, e.driver, e.amount.negate());
      });
      on(ledger, RideLedger.RIDEBOOKED_EVENT, log -> {
        var e = RideLedger.getRideBookedEventFromLog(log);
        ridesBooked++;
        add(wallets, RideIds.rider(e.rideId), e.maxFare.negate());
        add(earnings, e.driver, BigInteger.ZERO);
        rides.put(e.rideId, new RideBook(e.version.intValueExact(), lower(e.driver), e.maxFare));
      });
      on(ledger, RideLedger.RECEIPTSUBMITTED_EVENT, log -> {
        var e = RideLedger.getReceiptSubmittedEventFromLog(log);
        RideBook r = ride(e.rideId, "receipt");
        if (r == null) return;
        if (e.fare.compareTo(r.escrow) > 0) rideViolations.add("ride " + hex(e.rideId) + " receipt fare " + e.fare + " > escrow " + r.escrow);
        add(wallets, RideIds.rider(e.rideId), r.escrow.subtract(e.fare));
        r.escrow = e.fare;
      });
      on(ledger, RideLedger.RIDESETTLED_EVENT, log -> settled(RideLedger.getRideSettledEventFromLog(log)));
      on(ledger, RideLedger.RIDECANCELLED_EVENT, log -> {
        var e = RideLedger.getRideCancelledEventFromLog(log);
        RideBook r = ride(e.rideId, "cancellation");
        if (r == null) return;
        ridesCancelled++;
        if (!e.feeToDriver.add(e.refund).equals(r.escrow)) rideViolations.add("ride " + hex(e.rideId) + " cancellation moves "
            + e.feeToDriver.add(e.refund) + " of escrow " + r.escrow);
        add(wallets, RideIds.rider(e.rideId), e.refund);
        add(earnings, r.driver, e.feeToDriver);
        driverIncome = driverIncome.add(e.feeToDriver);
        close(r);
      });
      on(ledger, RideLedger.RIDERECLAIMED_EVENT, log -> {
        var e = RideLedger.getRideReclaimedEventFromLog(log);
        RideBook r = ride(e.rideId, "reclaim");
        if (r == null) return;
        ridesReclaimed++;
        if (!e.refund.equals(r.escrow)) rideViolations.add("ride " + hex(e.rideId) + " reclaim " + e.refund + " of escrow " + r.escrow);
        add(wallets, RideIds.rider(e.rideId), e.refund);
        close(r);
      });

      on(schedule, FareSchedule.FARESCHEDULEPUBLISHED_EVENT, log -> {
        var e = FareSchedule.getFareSchedulePublishedEventFromLog(log);
        versions.put(e.version.intValueExact(), ContractStructs.fareParams(e.params));
      });

      on(treasury, Treasury.COMMISSIONRECORDED_EVENT, log -> recorded(Treasury.getCommissionRecordedEventFromLog(log)));
      on(treasury, Treasury.DIVIDENDCLAIMED_EVENT, log -> {
        var e = Treasury.getDividendClaimedEventFromLog(log);
        EpochBook ep = epoch(e.epoch);
        claims++;
        dividendsClaimed = dividendsClaimed.add(e.amount);
        unclaimed = unclaimed.subtract(e.amount);
        ep.claimed = ep.claimed.add(e.amount);
        if (!ep.closed || ep.closedPoints.signum() == 0) {
          dividendViolations.add("claim in unclosed epoch " + e.epoch);
        } else if (!ep.closedPool.multiply(e.points).divide(ep.closedPoints).equals(e.amount)) {
          dividendViolations.add("claim of " + e.member + " in epoch " + e.epoch + " paid " + e.amount + " for "
              + e.points + " points, rule gives " + ep.closedPool.multiply(e.points).divide(ep.closedPoints));
        }
        justify(log, e.amount);
      });
      on(treasury, Treasury.DUSTTORESERVE_EVENT, log -> {
        var e = Treasury.getDustToReserveEventFromLog(log);
        epoch(e.epoch).dust = epoch(e.epoch).dust.add(e.amount);
        unclaimed = unclaimed.subtract(e.amount);
        reserve = reserve.add(e.amount);
      });
      on(treasury, Treasury.UNCLAIMEDSWEPT_EVENT, log -> {
        var e = Treasury.getUnclaimedSweptEventFromLog(log);
        epoch(e.epoch).swept = epoch(e.epoch).swept.add(e.amount);
        unclaimed = unclaimed.subtract(e.amount);
        reserve = reserve.add(e.amount);
      });
      on(treasury, Treasury.EPOCHCLOSED_EVENT, log -> {
        var e = Treasury.getEpochClosedEventFromLog(log);
        EpochBook ep = epoch(e.epoch);
        ep.closed = true;
        ep.closedPool = e.pool;
        ep.closedPoints = e.totalPoints;
        if (!e.pool.equals(ep.pool) || !e.totalPoints.equals(ep.points)) {
          dividendViolations.add("epoch " + e.epoch + " closed with pool " + e.pool + " / points " + e.totalPoints
              + ", income events give " + ep.pool + " / " + ep.points);
        }
      });
      on(treasury, Treasury.SOLIDARITYPAID_EVENT, log -> {
        var e = Treasury.getSolidarityPaidEventFromLog(log);
        solidarity = solidarity.subtract(e.amount);
        solidarityPaid = solidarityPaid.add(e.amount);
        payoutTxs.add(log.getTransactionHash());
        justify(log, e.amount);
      });
      on(treasury, Treasury.OPERATIONSPAID_EVENT, log -> {
        var e = Treasury.getOperationsPaidEventFromLog(log);
        operations = operations.subtract(e.amount);
        operationsPaid = operationsPaid.add(e.amount);
        payoutTxs.add(log.getTransactionHash());
        justify(log, e.amount);
      });
      on(treasury, Treasury.EPOCHSTARTED_EVENT, log -> {});
      on(treasury, Treasury.EPOCHLENGTHCHANGED_EVENT, log -> {});

      on(membership, Membership.MEMBERJOINED_EVENT, log -> memberVoting.put(lower(Membership.getMemberJoinedEventFromLog(log).account), true));
      on(membership, Membership.MEMBERREINSTATED_EVENT, log -> memberVoting.put(lower(Membership.getMemberReinstatedEventFromLog(log).account), true));
      on(membership, Membership.LEAVEREQUESTED_EVENT, log -> memberVoting.put(lower(Membership.getLeaveRequestedEventFromLog(log).account), false));
      on(membership, Membership.MEMBERLEFT_EVENT, log -> memberVoting.put(lower(Membership.getMemberLeftEventFromLog(log).account), false));
      on(membership, Membership.MEMBERSUSPENDED_EVENT, log -> memberVoting.put(lower(Membership.getMemberSuspendedEventFromLog(log).account), false));
      on(membership, Membership.MEMBEREXCLUDED_EVENT, log -> memberVoting.put(lower(Membership.getMemberExcludedEventFromLog(log).account), false));
    }

    private void on(String address, Event event, Consumer<Log> handler) {
      router.on(address, event, handler);
    }

    void apply(Log log) {
      if (!log.getTransactionHash().equals(tx)) {
        finish();
        tx = log.getTransactionHash();
      }
      if (!router.route(log) && lower(log.getAddress()).equals(treasury)) {
        // The treasury has no event that could lower the reserve; an unknown one is a red flag.
        String topic = log.getTopics().isEmpty() ? "" : log.getTopics().get(0);
        unknownTreasuryEvents.add("unknown treasury event " + topic + " in tx " + log.getTransactionHash());
      }
    }

    /**
     * Ends the current transaction: a token transfer into the ledger that no {@code Deposited}
     * of the same sender and amount in the same transaction explains was sent directly (stray).
     */
    void finish() {
      for (String in : txLedgerIns) {
        if (!txDeposits.remove(in)) {
          strayLedger = strayLedger.add(new BigInteger(in.substring(in.indexOf(' ') + 1)));
          strayTransfers++;
        }
      }
      txLedgerIns.clear();
      txDeposits.clear();
    }

    private void transfer(CoopToken.TransferEventResponse e) {
      String from = lower(e.from), to = lower(e.to);
      if (to.equals(ledger)) {
        ledgerTokenIn = ledgerTokenIn.add(e.value);
        txLedgerIns.add(from + " " + e.value);
      }
      if (to.equals(treasury) && !from.equals(ledger)) {
        // The treasury is paid only by the ledger (commission): anything else was sent directly.
        strayTreasury = strayTreasury.add(e.value);
        strayTransfers++;
      }
      if (from.equals(ledger)) ledgerTokenOut = ledgerTokenOut.add(e.value);
      if (to.equals(treasury)) treasuryTokenIn = treasuryTokenIn.add(e.value);
      if (from.equals(treasury)) {
        treasuryTokenOut = treasuryTokenOut.add(e.value);
        treasuryOutByTx.merge(e.log.getTransactionHash(), e.value, BigInteger::add);
      }
    }

    private void settled(RideLedger.RideSettledEventResponse e) {
      RideBook r = ride(e.rideId, "settlement");
      if (r == null) return;
      ridesSettled++;
      fares = fares.add(e.fare);
      FareParams p = versions.get(r.version);
      if (p == null) {
        rideViolations.add("ride " + hex(e.rideId) + " booked under unpublished version " + r.version);
      } else {
        BigInteger expected = e.fare.multiply(BigInteger.valueOf(p.commissionBps())).divide(BPS);
        if (!expected.equals(e.commission)) {
          rideViolations.add("ride " + hex(e.rideId) + " fare " + e.fare + " commission " + e.commission + ", version "
              + r.version + " (" + p.commissionBps() + " bps) gives " + expected);
        }
      }
      if (e.fare.compareTo(r.escrow) > 0) rideViolations.add("ride " + hex(e.rideId) + " fare " + e.fare + " > escrow " + r.escrow);
      // RideSettled carries no refund or driver (gas): the refund is what the escrow held beyond the
      // fare, and the driver is the one the ride was booked with.
      BigInteger refund = r.escrow.subtract(e.fare).max(BigInteger.ZERO);
      add(wallets, RideIds.rider(e.rideId), refund);
      BigInteger pay = e.fare.subtract(e.commission);
      add(earnings, r.driver, pay);
      driverIncome = driverIncome.add(pay);
      commissionPaid = commissionPaid.add(e.commission);
      close(r);
    }

    private void recorded(Treasury.CommissionRecordedEventResponse e) {
      commissionRecords++;
      commissionRecorded = commissionRecorded.add(e.commission);
      splitReserve = splitReserve.add(e.toReserve);
      toSolidarity = toSolidarity.add(e.toSolidarity);
      toOperations = toOperations.add(e.toOperations);
      toDividends = toDividends.add(e.toDividends);
      reserve = reserve.add(e.toReserve);
      solidarity = solidarity.add(e.toSolidarity);
      operations = operations.add(e.toOperations);
      unclaimed = unclaimed.add(e.toDividends);
      EpochBook ep = epoch(e.epoch);
      ep.pool = ep.pool.add(e.toDividends);
      ep.points = ep.points.add(e.points);
      FareParams p = versions.get(e.version.intValueExact());
      String where = "record in tx " + e.log.getTransactionHash() + " (v" + e.version + ", " + e.commission + ")";
      if (p == null) {
        splitViolations.add(where + ": unpublished version");
        return;
      }
      BigInteger c = e.commission;
      BigInteger sol = c.multiply(BigInteger.valueOf(p.solidarityBps())).divide(BPS);
      BigInteger ops = c.multiply(BigInteger.valueOf(p.operationsBps())).divide(BPS);
      BigInteger div = c.multiply(BigInteger.valueOf(p.dividendBps())).divide(BPS);
      BigInteger res = c.subtract(sol).subtract(ops).subtract(div);
      if (!sol.equals(e.toSolidarity) || !ops.equals(e.toOperations) || !div.equals(e.toDividends) || !res.equals(e.toReserve)) {
        splitViolations.add(where + ": split " + e.toReserve + "/" + e.toSolidarity + "/" + e.toOperations + "/"
            + e.toDividends + ", rule gives " + res + "/" + sol + "/" + ops + "/" + div);
      }
      if (e.toReserve.multiply(BPS).compareTo(c.multiply(RESERVE_FLOOR_BPS)) < 0) {
        splitViolations.add(where + ": reserve " + e.toReserve + " below 57.5 %");
      }
    }

    private void justify(Log log, BigInteger amount) {
      justifiedOutByTx.merge(log.getTransactionHash(), amount, BigInteger::add);
    }

    private RideBook ride(BigInteger id, String what) {
      RideBook r = rides.get(id);
      if (r == null || !r.open) {
        rideViolations.add(what + " of ride " + hex(id) + (r == null ? " never booked" : " already closed"));
        return null;
      }
      return r;
    }

    private void close(RideBook r) {
      r.open = false;
      r.escrow = BigInteger.ZERO;
    }

    private EpochBook epoch(BigInteger epoch) {
      return epochs.computeIfAbsent(epoch.intValueExact(), k -> new EpochBook());
    }

    BigInteger openEscrows() {
      return rides.values().stream().filter(r -> r.open).map(r -> r.escrow).reduce(BigInteger.ZERO, BigInteger::add);
    }

    long openRides() {
      return rides.values().stream().filter(r -> r.open).count();
    }

    AuditTotals totals() {
      return new AuditTotals(ridesBooked, ridesSettled, ridesCancelled, ridesReclaimed, fares, driverIncome,
          commissionPaid, splitReserve, toSolidarity, toOperations, toDividends, dividendsClaimed,
          memberVoting.size(), versions.size());
    }

    private static void add(Map<String, BigInteger> m, String account, BigInteger amount) {
      m.merge(lower(account), amount, BigInteger::add);
    }
  }

  /** The contracts' views, read at the audited block. */
  private static final class Views {
    final CoopToken token;
    final RideLedger ledger;
    final Treasury treasury;
    final FareSchedule schedule;
    final Membership membership;

    Views(Web3j web3j, DeploymentManifest m, long block) {
      var tx = new ReadonlyTransactionManager(web3j, "0x0000000000000000000000000000000000000000");
      var gas = new StaticGasProvider(BigInteger.ZERO, BigInteger.ZERO);
      DefaultBlockParameter at = DefaultBlockParameter.valueOf(BigInteger.valueOf(block));
      token = CoopToken.load(m.address("CoopToken"), web3j, tx, gas);
      ledger = RideLedger.load(m.address("RideLedger"), web3j, tx, gas);
      treasury = Treasury.load(m.address("Treasury"), web3j, tx, gas);
      schedule = FareSchedule.load(m.address("FareSchedule"), web3j, tx, gas);
      membership = Membership.load(m.address("Membership"), web3j, tx, gas);
      token.setDefaultBlockParameter(at);
      ledger.setDefaultBlockParameter(at);
      treasury.setDefaultBlockParameter(at);
      schedule.setDefaultBlockParameter(at);
      membership.setDefaultBlockParameter(at);
    }
  }
}
