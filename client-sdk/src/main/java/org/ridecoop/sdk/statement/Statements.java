package org.ridecoop.sdk.statement;

import java.io.IOException;
import java.math.BigInteger;
import java.security.SignatureException;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.ridecoop.contracts.Membership;
import org.ridecoop.contracts.RideLedger;
import org.ridecoop.contracts.Treasury;
import org.ridecoop.deploy.DeploymentManifest;
import org.ridecoop.protocol.RideIds;
import org.web3j.abi.EventEncoder;
import org.web3j.abi.TypeEncoder;
import org.web3j.abi.datatypes.Address;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameter;
import org.web3j.protocol.core.methods.request.EthFilter;
import org.web3j.protocol.core.methods.response.EthBlock;
import org.web3j.protocol.core.methods.response.EthLog;
import org.web3j.protocol.core.methods.response.Log;
import org.web3j.protocol.http.HttpService;
import org.web3j.tx.ReadonlyTransactionManager;
import org.web3j.tx.gas.StaticGasProvider;

/**
 * Issues and verifies earnings statements against a chain, with nothing but an RPC URL and the
 * deployment manifest: {@link #issue} reads the member's money lines for a period from the
 * contracts' events and signs them; {@link #verify} reads them again for the recorded block range
 * and reports every difference.
 *
 * <p><b>Who signs.</b> Statements are signed by the key of a node registered in the co-op's
 * {@code Membership} contract, not by the member. A tax office or a bank wants the platform's
 * attestation of what it paid — that is what the "automatic declaration of income" asks of a
 * platform — and a member's own signature would only say that the member agrees with themselves.
 * The signature is a convenience, not the source of truth: the verifier recomputes every line from
 * the chain, so a statement signed by a node that lied would still fail. A statement signed by the
 * member's own key is accepted too (a member may want to hand over their own copy), and the
 * verifier says which of the two it was.
 */
public final class Statements implements AutoCloseable {
  /** Blocks per eth_getLogs request: within what public RPC endpoints accept. */
  public static final int BLOCK_RANGE = 2_000;
  private static final String ZERO_ADDRESS = "0x0000000000000000000000000000000000000000";

  private final Web3j web3j;
  private final boolean ownsWeb3j;
  private final DeploymentManifest manifest;
  private final String ledger;
  private final String treasury;
  private final String membership;

  /** Statements read through {@code web3j} (not shut down by {@link #close()}). */
  public Statements(Web3j web3j, DeploymentManifest manifest) {
    this(web3j, false, manifest);
  }

  private Statements(Web3j web3j, boolean owns, DeploymentManifest manifest) {
    this.web3j = Objects.requireNonNull(web3j, "web3j");
    this.ownsWeb3j = owns;
    this.manifest = Objects.requireNonNull(manifest, "manifest");
    this.ledger = lower(manifest.address("RideLedger"));
    this.treasury = lower(manifest.address("Treasury"));
    this.membership = lower(manifest.address("Membership"));
  }

  /** Statements read from {@code rpcUrl}; close after use. */
  public static Statements connect(String rpcUrl, DeploymentManifest manifest) {
    return new Statements(Web3j.build(new HttpService(rpcUrl)), true, manifest);
  }

  /**
   * The signed statement of {@code member} for the days {@code from}..{@code to} (UTC, inclusive),
   * up to the latest block when the period has not ended.
   *
   * @throws IllegalArgumentException if {@code to} is before {@code from}, the address is malformed
   *     or no block of the co-op falls in the period
   * @throws IOException if the chain cannot be read
   */
  public Statement issue(String member, LocalDate from, LocalDate to, Credentials signer) throws IOException {
    Statement unsigned = compute(member, from, to);
    return unsigned.signedBy(signer);
  }

  /** As {@link #issue} but unsigned. */
  public Statement compute(String member, LocalDate from, LocalDate to) throws IOException {
    if (!member.matches("0x[0-9a-fA-F]{40}")) throw new IllegalArgumentException("not an address: " + member);
    if (to.isBefore(from)) throw new IllegalArgumentException("the period ends (" + to + ") before it starts (" + from + ")");
    long start = from.atStartOfDay(ZoneOffset.UTC).toEpochSecond();
    long end = to.plusDays(1).atStartOfDay(ZoneOffset.UTC).toEpochSecond();
    long head = web3j.ethBlockNumber().send().getBlockNumber().longValueExact();
    long low = manifest.deploymentBlock();
    // First block at or after the start; last block before the end.
    long fromBlock = firstAtOrAfter(start, low, head);
    long toBlock = firstAtOrAfter(end, low, head) - 1;
    if (fromBlock > head || toBlock < fromBlock) {
      throw new IllegalArgumentException("no block of this co-op falls in " + from + ".." + to
          + " (deployed at block " + low + ", latest block " + head + ")");
    }
    String hash = block(toBlock).getHash();
    List<StatementLine> lines = lines(lower(member), fromBlock, toBlock);
    return new Statement(chainId(), contracts(), member, from, to, fromBlock, toBlock, hash, lines, "", "");
  }

  /**
   * Checks {@code statement} against the chain: the chain and contracts, the recorded block hash,
   * every line recomputed for the recorded block range, the period's dates, the signature and that
   * the signer is a registered node of the co-op (or the member).
   *
   * @throws IOException if the chain cannot be read
   */
  public StatementCheck verify(Statement statement) throws IOException {
    List<String> d = new ArrayList<>();
    long chainId = chainId();
    if (statement.chainId() != chainId) {
      d.add("chainId: statement " + statement.chainId() + ", the RPC serves chain " + chainId);
      return new StatementCheck(d);
    }
    if (!statement.contracts().equals(contracts())) {
      d.add("contracts: statement " + statement.contracts() + ", the manifest has " + contracts());
      return new StatementCheck(d);
    }
    long head = web3j.ethBlockNumber().send().getBlockNumber().longValueExact();
    if (statement.toBlock() > head || statement.fromBlock() > statement.toBlock()
        || statement.fromBlock() < manifest.deploymentBlock()) {
      d.add("blocks: range " + statement.fromBlock() + ".." + statement.toBlock() + " is not on this chain (deployed at "
          + manifest.deploymentBlock() + ", latest " + head + ")");
      return new StatementCheck(d);
    }
    EthBlock.Block last = block(statement.toBlock());
    if (!last.getHash().equalsIgnoreCase(statement.toBlockHash())) {
      d.add("toBlockHash: statement " + statement.toBlockHash() + ", block " + statement.toBlock() + " on this chain is "
          + last.getHash() + " (another chain, or the chain was reorganised)");
    }
    long start = statement.from().atStartOfDay(ZoneOffset.UTC).toEpochSecond();
    long end = statement.to().plusDays(1).atStartOfDay(ZoneOffset.UTC).toEpochSecond();
    long firstTime = block(statement.fromBlock()).getTimestamp().longValueExact();
    long lastTime = last.getTimestamp().longValueExact();
    if (firstTime < start || lastTime >= end) {
      d.add("period: blocks " + statement.fromBlock() + ".." + statement.toBlock() + " (unix " + firstTime + ".." + lastTime
          + ") fall outside " + statement.from() + ".." + statement.to());
    } else if (statement.fromBlock() > manifest.deploymentBlock()
        && block(statement.fromBlock() - 1).getTimestamp().longValueExact() >= start) {
      d.add("period: block " + (statement.fromBlock() - 1) + " is in " + statement.from() + " but left out");
    }
    compareLines(statement.lines(), lines(statement.member(), statement.fromBlock(), statement.toBlock()), d);
    checkSigner(statement, d);
    return new StatementCheck(d);
  }

  @Override
  public void close() {
    if (ownsWeb3j) web3j.shutdown();
  }

  // ------------------------------------------------------------------ verification

  private static void compareLines(List<StatementLine> stated, List<StatementLine> chain, List<String> d) {
    int n = Math.max(stated.size(), chain.size());
    for (int i = 0; i < n; i++) {
      if (i >= stated.size()) {
        d.add("line " + (i + 1) + ": missing from the statement: " + chain.get(i).describe() + " net " + chain.get(i).net());
        continue;
      }
      StatementLine s = stated.get(i);
      if (i >= chain.size()) {
        d.add("line " + (i + 1) + ": not on the chain: " + s.describe());
        continue;
      }
      StatementLine c = chain.get(i);
      List<String> fields = new ArrayList<>();
      field(fields, "kind", s.kind().wireName(), c.kind().wireName());
      field(fields, "block", s.block(), c.block());
      field(fields, "tx", s.tx(), c.tx());
      field(fields, "logIndex", s.logIndex(), c.logIndex());
      field(fields, "reference", s.reference(), c.reference());
      field(fields, "gross", s.gross(), c.gross());
      field(fields, "commission", s.commission(), c.commission());
      field(fields, "net", s.net(), c.net());
      if (!fields.isEmpty()) d.add("line " + (i + 1) + " (" + c.describe() + "): " + String.join("; ", fields));
    }
  }

  private static void field(List<String> out, String name, Object stated, Object chain) {
    if (!stated.equals(chain)) out.add(name + " statement " + stated + ", chain " + chain);
  }

  private void checkSigner(Statement s, List<String> d) throws IOException {
    if (s.signature().isEmpty()) {
      d.add("signature: the statement is not signed");
      return;
    }
    String recovered;
    try {
      recovered = s.recoverSigner();
    } catch (SignatureException e) {
      d.add("signature: unreadable (" + e.getMessage() + ")");
      return;
    }
    if (!recovered.equalsIgnoreCase(s.signer())) {
      d.add("signature: does not match the statement (it recovers " + recovered + ", the statement names signer "
          + s.signer() + "): the statement was changed after signing or the signature is another's");
      return;
    }
    if (recovered.equalsIgnoreCase(s.member())) return;
    if (!registeredNode(recovered, s.toBlock()) && !registeredNode(recovered, -1)) {
      d.add("signer: " + recovered + " is neither a node registered in the co-op nor the member");
    }
  }

  private boolean registeredNode(String address, long block) throws IOException {
    Membership m = Membership.load(membership, web3j, new ReadonlyTransactionManager(web3j, ZERO_ADDRESS),
        new StaticGasProvider(BigInteger.ZERO, BigInteger.ZERO));
    if (block >= 0) m.setDefaultBlockParameter(DefaultBlockParameter.valueOf(BigInteger.valueOf(block)));
    try {
      return !ZERO_ADDRESS.equalsIgnoreCase(m.nodeOf(address).send().component1());
    } catch (IOException e) {
      throw e;
    } catch (Exception e) {
      throw new IOException("Membership.nodeOf(" + address + "): " + e.getMessage(), e);
    }
  }

  // ------------------------------------------------------------------ the lines

  /** The member's money lines in blocks {@code from}..{@code to}, in chain order. */
  private List<StatementLine> lines(String member, long from, long to) throws IOException {
    // Rides the member drove: RideBooked has the driver as its second indexed topic, and a ride
    // settled in the period may have been booked before it.
    Set<BigInteger> driven = new HashSet<>();
    String memberTopic = "0x" + TypeEncoder.encode(new Address(member));
    for (Log log : logs(manifest.deploymentBlock(), to, List.of(ledger), EventEncoder.encode(RideLedger.RIDEBOOKED_EVENT),
        memberTopic)) {
      driven.add(RideLedger.getRideBookedEventFromLog(log).rideId);
    }
    List<StatementLine> out = new ArrayList<>();
    for (Log log : logs(from, to, List.of(ledger, treasury, membership), null, null)) {
      StatementLine line = line(member, driven, log);
      if (line != null) out.add(line);
    }
    return out;
  }

  private StatementLine line(String member, Set<BigInteger> driven, Log log) {
    String address = lower(log.getAddress());
    String topic = log.getTopics().isEmpty() ? "" : log.getTopics().get(0);
    long block = log.getBlockNumber().longValueExact();
    String tx = lower(log.getTransactionHash());
    long index = log.getLogIndex().longValueExact();
    if (address.equals(ledger)) {
      if (topic.equals(EventEncoder.encode(RideLedger.RIDESETTLED_EVENT))) {
        var e = RideLedger.getRideSettledEventFromLog(log);
        String ride = "0x" + e.rideId.toString(16);
        if (driven.contains(e.rideId)) {
          return new StatementLine(LineKind.RIDE_EARNED, block, tx, index, ride, e.fare, e.commission, e.fare.subtract(e.commission));
        }
        if (RideIds.rider(e.rideId).equalsIgnoreCase(member)) {
          return new StatementLine(LineKind.RIDE_PAID, block, tx, index, ride, e.fare, e.commission, e.fare);
        }
      } else if (topic.equals(EventEncoder.encode(RideLedger.RIDECANCELLED_EVENT))) {
        var e = RideLedger.getRideCancelledEventFromLog(log);
        if (e.feeToDriver.signum() == 0) return null;
        String ride = "0x" + e.rideId.toString(16);
        if (driven.contains(e.rideId)) return StatementLine.plain(LineKind.CANCELLATION_FEE_EARNED, block, tx, index, ride, e.feeToDriver);
        if (RideIds.rider(e.rideId).equalsIgnoreCase(member)) {
          return StatementLine.plain(LineKind.CANCELLATION_FEE_PAID, block, tx, index, ride, e.feeToDriver);
        }
      } else if (topic.equals(EventEncoder.encode(RideLedger.EARNINGSWITHDRAWN_EVENT))) {
        var e = RideLedger.getEarningsWithdrawnEventFromLog(log);
        if (lower(e.driver).equals(member)) return StatementLine.plain(LineKind.EARNINGS_WITHDRAWN, block, tx, index, "", e.amount);
      }
    } else if (address.equals(treasury)) {
      if (topic.equals(EventEncoder.encode(Treasury.DIVIDENDCLAIMED_EVENT))) {
        var e = Treasury.getDividendClaimedEventFromLog(log);
        if (lower(e.member).equals(member)) {
          return StatementLine.plain(LineKind.DIVIDEND_CLAIMED, block, tx, index, "epoch " + e.epoch, e.amount);
        }
      } else if (topic.equals(EventEncoder.encode(Treasury.SOLIDARITYPAID_EVENT))) {
        var e = Treasury.getSolidarityPaidEventFromLog(log);
        if (lower(e.to).equals(member)) {
          return StatementLine.plain(LineKind.SOLIDARITY_RECEIVED, block, tx, index, org.web3j.utils.Numeric.toHexString(e.reasonHash), e.amount);
        }
      }
    } else if (address.equals(membership)) {
      if (topic.equals(EventEncoder.encode(Membership.MEMBERJOINED_EVENT))) {
        var e = Membership.getMemberJoinedEventFromLog(log);
        if (lower(e.account).equals(member) && e.capital.signum() > 0) {
          return StatementLine.plain(LineKind.CAPITAL_PAID, block, tx, index, "college " + e.college, e.capital);
        }
      } else if (topic.equals(EventEncoder.encode(Membership.MEMBERLEFT_EVENT))) {
        var e = Membership.getMemberLeftEventFromLog(log);
        if (lower(e.account).equals(member) && e.refund.signum() > 0) {
          return StatementLine.plain(LineKind.CAPITAL_REFUNDED, block, tx, index, "left", e.refund);
        }
      } else if (topic.equals(EventEncoder.encode(Membership.EXCLUDEDCAPITALREFUNDED_EVENT))) {
        var e = Membership.getExcludedCapitalRefundedEventFromLog(log);
        if (lower(e.account).equals(member) && e.refund.signum() > 0) {
          return StatementLine.plain(LineKind.CAPITAL_REFUNDED, block, tx, index, "excluded", e.refund);
        }
      }
    }
    return null;
  }

  private List<Log> logs(long from, long to, List<String> addresses, String topic0, String topic2) throws IOException {
    List<Log> out = new ArrayList<>();
    for (long start = from; start <= to; start += BLOCK_RANGE) {
      long end = Math.min(to, start + BLOCK_RANGE - 1);
      EthFilter filter = new EthFilter(DefaultBlockParameter.valueOf(BigInteger.valueOf(start)),
          DefaultBlockParameter.valueOf(BigInteger.valueOf(end)), addresses);
      if (topic0 != null) {
        filter.addSingleTopic(topic0);
        filter.addNullTopic();
        filter.addSingleTopic(topic2);
      }
      EthLog answer = web3j.ethGetLogs(filter).send();
      if (answer.hasError()) {
        throw new IOException("eth_getLogs " + start + ".." + end + ": " + answer.getError().getMessage());
      }
      for (EthLog.LogResult<?> r : answer.getLogs()) {
        if (r.get() instanceof Log log && !log.isRemoved()) out.add(log);
      }
    }
    return out;
  }

  // ------------------------------------------------------------------ blocks

  /** The first block in {@code low}..{@code high} stamped at or after {@code time}; {@code high + 1} if none. */
  private long firstAtOrAfter(long time, long low, long high) throws IOException {
    long lo = low, hi = high + 1;
    while (lo < hi) {
      long mid = lo + (hi - lo) / 2;
      if (block(mid).getTimestamp().longValueExact() >= time) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }

  private EthBlock.Block block(long number) throws IOException {
    EthBlock b = web3j.ethGetBlockByNumber(DefaultBlockParameter.valueOf(BigInteger.valueOf(number)), false).send();
    if (b.hasError() || b.getBlock() == null) {
      throw new IOException("block " + number + ": " + (b.hasError() ? b.getError().getMessage() : "not found"));
    }
    return b.getBlock();
  }

  private long chainId() throws IOException {
    return web3j.ethChainId().send().getChainId().longValueExact();
  }

  private Map<String, String> contracts() {
    return Map.of("Membership", membership, "RideLedger", ledger, "Treasury", treasury);
  }

  private static String lower(String s) {
    return s.toLowerCase(Locale.ROOT);
  }

}
