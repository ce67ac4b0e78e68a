package org.ridecoop.node.demo;

import java.io.PrintWriter;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.ridecoop.contracts.CoopGovernor;
import org.ridecoop.contracts.RideLedger;
import org.ridecoop.deploy.Deployer;
import org.ridecoop.deploy.DeploymentConfig;
import org.ridecoop.deploy.DeploymentManifest;
import org.ridecoop.devchain.AnvilChain;
import org.ridecoop.devchain.DevAccounts;
import org.ridecoop.fare.FareParams;
import org.ridecoop.governance.BallotSigner;
import org.ridecoop.governance.College;
import org.ridecoop.governance.Proposal;
import org.ridecoop.governance.ProposalState;
import org.ridecoop.governance.SolidarityPayout;
import org.ridecoop.governance.Support;
import org.ridecoop.node.demo.Dispatch.Ask;
import org.ridecoop.node.demo.Dispatch.Booking;
import org.ridecoop.node.demo.People.Driver;
import org.ridecoop.node.demo.People.Member;
import org.ridecoop.node.demo.People.Rider;
import org.ridecoop.node.matching.LatLng;
import org.ridecoop.protocol.ContractStructs;
import org.ridecoop.protocol.MessageSigner;
import org.ridecoop.protocol.TripReceipt;
import org.ridecoop.sdk.audit.AuditReport;
import org.ridecoop.sdk.audit.AuditTotals;
import org.ridecoop.sdk.audit.Auditor;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.Hash;
import org.web3j.protocol.core.methods.response.TransactionReceipt;

/**
 * The whole demo, phase by phase: chain, deployment, founding, rides, fare vote, rides under the
 * new fare, epoch close and dividends, audit, summary. Prints one line per phase.
 */
public final class Demo {
  private static final BigInteger RIDER_DEPOSIT = BigInteger.valueOf(400_000_000L);
  private static final int NEW_COMMISSION_BPS = 1_000;
  private static final BigInteger SICK_DAY_BENEFIT = BigInteger.valueOf(2_000_000L);
  /** Tokens given to the rider the SDK example runs as, on a kept chain (it deposits 50 EUR). */
  private static final BigInteger SDK_RIDER_TOKENS = BigInteger.valueOf(100_000_000L);
  /** The pickup of the README's SDK example. */
  private static final LatLng README_PICKUP = new LatLng(48.8566, 2.3522);
  /** A driver's node settles once it holds this many co-signed receipts. */
  private static final int BATCH = 3;

  private final Settings settings;
  private final PrintWriter out;
  private final Random random;
  private final City city = City.PARIS;
  private List<Credentials> keys;
  private DeploymentConfig config;

  private AnvilChain chain;
  private Coop coop;
  private Dispatch dispatch;
  private final List<Driver> drivers = new ArrayList<>();
  private final List<Rider> riders = new ArrayList<>();
  private final List<Member> supporters = new ArrayList<>();
  private final Tally before = new Tally();
  private final Tally after = new Tally();
  private String voteLine = "";
  private BigInteger benefit = BigInteger.ZERO;
  private BigInteger dividendsPaid = BigInteger.ZERO;
  private int claimants;
  /** The drivers of each fleet; the first keys the fleet's node. */
  private final List<List<Driver>> fleets = new ArrayList<>();
  private FleetNodes nodes;
  private final List<DriverClient> driverApps = new ArrayList<>();
  private NodeRides.Result nodeRides = new NodeRides.Result();
  /** Co-signed receipts each driver's node holds until it settles them. */
  private final Map<Driver, List<Driven>> unsettled = new LinkedHashMap<>();

  /**
   * What to simulate.
   *
   * @param drivers driver members (at least 1)
   * @param riders rider members (at least 1)
   * @param roundsBeforeVote matching windows under the first fare version
   * @param roundsAfterVote matching windows under the voted fare version
   * @param seed seed of every random choice (positions, who rides, cancellations)
   * @param dataDir where the deployment manifest is written
   * @param kept where the chain is kept after the demo, or null for a chain on a free port,
   *     discarded at the end
   */
  public record Settings(int drivers, int riders, int roundsBeforeVote, int roundsAfterVote, long seed, Path dataDir,
      Kept kept) {
    public Settings {
      if (drivers < 1 || riders < 1) throw new IllegalArgumentException("need at least one driver and one rider");
      if (roundsBeforeVote < 1 || roundsAfterVote < 1) throw new IllegalArgumentException("need rides before and after the vote");
    }

    /** Settings of a demo whose chain is discarded at the end. */
    public Settings(int drivers, int riders, int roundsBeforeVote, int roundsAfterVote, long seed, Path dataDir) {
      this(drivers, riders, roundsBeforeVote, roundsAfterVote, seed, dataDir, null);
    }
  }

  /**
   * A chain kept after the demo.
   *
   * @param port its fixed loopback JSON-RPC port
   * @param stateFile where Anvil saves it (every second and when it stops)
   * @param nodePort the first fleet node's HTTP port on loopback, the next fleets' following
   */
  public record Kept(int port, Path stateFile, int nodePort) {
    /** The fleet nodes on 8080, 8081, ... */
    public Kept(int port, Path stateFile) {
      this(port, stateFile, 8080);
    }
  }

  /** What runs while a kept chain is up, after the summary. */
  @FunctionalInterface
  public interface WhileKept {
    /**
     * Returns when the chain should stop; may call {@code stopChain} first (it is idempotent) to
     * stop Anvil gracefully, so it saves its state.
     */
    void await(Runnable stopChain);
  }

  /** A demo that prints its progress and summary to {@code out}. */
  public Demo(Settings settings, PrintWriter out) {
    this.settings = settings;
    this.out = out;
    this.random = new Random(settings.seed());
  }

  /**
   * Runs every phase and stops the chain.
   *
   * @return the audit of the history it made
   */
  public AuditReport run() throws Exception {
    return run(stopChain -> {});
  }

  /**
   * Runs every phase; with {@link Settings#kept()}, prints the next commands and keeps the chain
   * up while {@code whileKept} runs; then stops the chain.
   *
   * @return the audit of the history it made
   */
  public AuditReport run(WhileKept whileKept) throws Exception {
    long started = System.nanoTime();
    java.nio.file.Files.createDirectories(settings.dataDir());
    Kept kept = settings.kept();
    plan();
    AnvilChain.Builder anvil = AnvilChain.builder().genesisTimestamp(System.currentTimeMillis() / 1000 - plannedWarpSeconds());
    if (kept != null) anvil.port(kept.port()).stateFile(kept.stateFile());
    try (AnvilChain c = anvil.start()) {
      chain = c;
      deploy();
      found();
      startNodes(kept);
      rideThroughNodes();
      if (kept == null) {
        stopNodes();
      } else {
        for (DriverClient d : driverApps) d.close(); // offline while the rest of the demo books for them
        driverApps.clear();
      }
      dispatch = new EngineDispatch(coop, city);
      for (Driver d : drivers) dispatch.driverFree(d);
      for (int i = 1; i <= settings.roundsBeforeVote(); i++) round(i, before);
      settle(1, before); // rides booked under the old fare settle under it, whenever that is
      vote();
      for (int i = 1; i <= settings.roundsAfterVote(); i++) round(settings.roundsBeforeVote() + i, after);
      settle(1, after);
      dividends();
      AuditReport report;
      try (Auditor auditor = new Auditor(chain.web3j(), coop.manifest, Auditor.DEFAULT_BLOCK_RANGE, this::say)) {
        report = auditor.run();
      }
      say("audit: " + report.checks().size() + " checks, " + report.failures().size() + " failed");
      out.println();
      out.println(report.summary());
      out.println();
      summary(report, (System.nanoTime() - started) / 1_000_000_000.0);
      out.flush();
      if (kept != null) {
        nextSteps(kept);
        whileKept.await(() -> {
          stopNodes();
          c.close();
        });
      }
      return report;
    } finally {
      stopNodes();
    }
  }

  // ------------------------------------------------------------------ phases

  /** The keys and the co-op's rules, known before the chain starts so that its clock can be planned. */
  private void plan() {
    int people = settings.drivers() + settings.riders() + 2;
    // Accounts beyond Anvil's funded ones hold no ether, which a zero-gas chain never asks for.
    keys = DevAccounts.derive(DevAccounts.DEFAULT_MNEMONIC, 3 + people);
    config = DeploymentConfig.devDefaults(keys.get(1).getAddress(), keys.get(2).getAddress());
  }

  /**
   * How far the demo moves the chain clock ahead of real time, at most: the timelock and the
   * epoch close, and in each matching window the drive to its last drop-off (an ETA plus a ride,
   * each at most the city's diagonal), with an hour to spare.
   *
   * <p>The chain starts that far in the past, so that the warps bring its clock up to at most the
   * wall clock, and {@link #catchUpWithWallClock()} then moves it to the wall clock. Nodes, the
   * SDK and permits date offers, requests and deadlines by the wall clock; the ledger and the
   * token only refuse them once block time is past them, and the node compares a request's expiry
   * with block time only when it lies more than {@code maxRequestAheadSeconds} beyond the wall
   * clock, so a chain behind the wall clock accepts what they sign. A chain ahead of it (warped
   * from the present) would refuse every offer and permit as expired on a kept chain.
   */
  private long plannedWarpSeconds() {
    long diagonal = city.seconds(city.routeMetres(new LatLng(city.south(), city.west()),
        new LatLng(city.north(), city.east())));
    long windows = settings.roundsBeforeVote() + settings.roundsAfterVote();
    return config.timelockDelaySeconds() + 1 + config.epochLengthSeconds() + 1 + windows * (2 * diagonal + 1) + 3_600;
  }

  /**
   * Moves the chain clock, behind the wall clock after the demo's warps, to the wall clock; Anvil
   * then runs on in real time, so what nodes and the SDK sign after the demo is valid on chain.
   *
   * @return seconds the clock moved
   */
  private long catchUpWithWallClock() throws Exception {
    long chainNow = coop.now();
    long wall = System.currentTimeMillis() / 1000;
    if (chainNow > wall) {
      throw new IllegalStateException("the demo moved the chain clock " + (chainNow - wall)
          + " s past the wall clock; its planned warps (" + plannedWarpSeconds() + " s) were too short");
    }
    if (chainNow == wall) return 0; // a block must be later than the latest
    chain.setNextTimestamp(wall);
    chain.mine(1);
    return wall - chainNow;
  }

  private void deploy() throws Exception {
    Credentials deployer = keys.get(0), onRamp = keys.get(1);
    DeploymentManifest manifest = new Deployer(chain.web3j(), chain.access().transactionManager(deployer),
        chain.access().gasProvider()).deploy(config);
    Path file = settings.dataDir().resolve("manifest.json");
    manifest.write(file);
    coop = new Coop(chain.web3j(), chain.access(), manifest, config, onRamp);
    say("chain: Anvil " + chain.rpcUrl() + " (chain id " + chain.chainId() + "); deployed "
        + manifest.contracts().size() + " contracts from block " + manifest.deploymentBlock() + "; manifest " + file);

    int k = 3;
    for (int i = 0; i < settings.drivers(); i++) {
      drivers.add(new Driver("driver " + (i + 1), keys.get(k++), city.randomPoint(random)));
    }
    // Up to three fleets, each around its home, one node each.
    int fleetCount = Math.min(FleetNodes.HOMES.size(), drivers.size());
    for (int f = 0; f < fleetCount; f++) fleets.add(new ArrayList<>());
    for (int i = 0; i < drivers.size(); i++) {
      Driver d = drivers.get(i);
      fleets.get(i % fleetCount).add(d);
      d.at = city.drift(FleetNodes.HOMES.get(i % fleetCount), 600, random);
    }
    for (int i = 0; i < settings.riders(); i++) {
      riders.add(new Rider("rider " + (i + 1), keys.get(k++)));
    }
    supporters.add(new Member("Ville de Paris", keys.get(k++), College.SUPPORTERS));
    supporters.add(new Member("Association des usagers", keys.get(k), College.SUPPORTERS));
  }

  private void found() throws Exception {
    for (Member m : members()) coop.join(m.key, m.college);
    for (Rider r : riders) coop.deposit(r.key, RIDER_DEPOSIT);
    // A fleet's node settles its drivers' receipts with its own key: each driver makes it its operator.
    for (List<Driver> fleet : fleets) {
      for (Driver d : fleet.subList(1, fleet.size())) coop.ledger(d.key).setOperator(fleet.get(0).address(), true).send();
    }
    chain.mine(1); // the memberships are in the past of the vote's snapshot
    say("found: " + drivers.size() + " drivers, " + riders.size() + " riders and " + supporters.size()
        + " supporters (" + supporters.get(0) + ", " + supporters.get(1) + ") joined, share "
        + fmt(coop.config.sharePrice()) + " each; each rider deposited " + fmt(RIDER_DEPOSIT));
  }

  private void startNodes(Kept kept) throws Exception {
    nodes = FleetNodes.start(fleets, java.net.URI.create(chain.rpcUrl()), settings.dataDir().resolve("manifest.json"),
        settings.dataDir().resolve("nodes"), kept == null ? 0 : kept.nodePort());
    for (FleetNodes.FleetNode n : nodes.nodes()) {
      for (Driver d : n.drivers()) driverApps.add(new DriverClient(d, n.url(), coop.ledgerDomain).connect());
      say("nodes: fleet " + (n.index() + 1) + " node " + n.url() + " (key of " + n.keyDriver() + ") serves "
          + n.drivers().size() + " driver(s), registered " + n.cells() + " H3 cells around its home");
    }
  }

  /** Rides matched, federated and settled by the fleet nodes, before the chain clock moves on. */
  private void rideThroughNodes() throws Exception {
    nodeRides = new NodeRides(coop, city, random, this::say).run(nodes, driverApps, riders,
        java.net.URI.create(chain.rpcUrl()), coop.manifest);
    // The riders' SDK and the nodes sent transactions with keys the demo also sends with.
    coop.access.resetNonces();
    before.rides += nodeRides.rides();
    before.metres += nodeRides.metres;
    before.unserved += nodeRides.failed;
    say(String.format(Locale.ROOT, "nodes: %d rides through the nodes, %d served locally, %d by a peer node, "
        + "%d failed; all settled by the drivers' nodes", nodeRides.rides(), nodeRides.local, nodeRides.byPeer,
        nodeRides.failed));
  }

  /** Idempotent. */
  private void stopNodes() {
    for (DriverClient d : driverApps) d.close();
    driverApps.clear();
    if (nodes != null) nodes.close();
  }

  private void round(int number, Tally tally) throws Exception {
    for (Driver d : drivers) {
      d.at = city.drift(d.at, 800, random);
      dispatch.driverMoved(d);
    }
    List<Rider> who = new ArrayList<>(riders);
    Collections.shuffle(who, random);
    List<Ask> asks = new ArrayList<>();
    for (Rider r : who.subList(0, Math.min(who.size(), drivers.size()))) {
      var pickup = city.randomPoint(random);
      var dropoff = city.randomPoint(random);
      while (pickup.metresTo(dropoff) < 1_500) dropoff = city.randomPoint(random);
      asks.add(new Ask(r, pickup, dropoff));
    }
    Dispatch.Outcome outcome = dispatch.dispatch(asks);
    List<Booking> driven = new ArrayList<>(outcome.booked());
    int cancelled = 0;
    // Now and then a rider changes its mind within the free grace period.
    if (driven.size() > 1 && random.nextInt(3) == 0) {
      Booking b = driven.remove(random.nextInt(driven.size()));
      coop.ledger(b.ask().rider().key).cancelByRider(b.rideId()).send();
      dispatch.driverFree(b.driver());
      cancelled++;
    }
    // Drive: the chain clock moves on to the last drop-off, then each driver settles its receipts in one batch.
    Map<Driver, List<TripReceipt>> byDriver = new LinkedHashMap<>();
    Map<BigInteger, Rider> riderOf = new LinkedHashMap<>();
    long lastDropoff = 0;
    long metresDriven = 0;
    for (Booking b : driven) {
      long metres = city.routeMetres(b.ask().pickup(), b.ask().dropoff());
      long seconds = city.seconds(metres);
      long pickupAt = b.bookedAt() + b.etaSeconds();
      long dropoffAt = pickupAt + seconds;
      lastDropoff = Math.max(lastDropoff, dropoffAt);
      metresDriven += metres;
      byDriver.computeIfAbsent(b.driver(), d -> new ArrayList<>()).add(new TripReceipt(b.rideId(), metres, seconds,
          pickupAt, dropoffAt, Hash.sha3(("route " + b.rideId() + " " + b.ask()).getBytes())));
      riderOf.put(b.rideId(), b.ask().rider());
      b.driver().at = b.ask().dropoff();
    }
    if (lastDropoff > 0) {
      long now = coop.now();
      if (lastDropoff >= now) chain.increaseTime(lastDropoff - now + 1);
    }
    for (var e : byDriver.entrySet()) {
      for (TripReceipt r : e.getValue()) unsettled.computeIfAbsent(e.getKey(), d -> new ArrayList<>()).add(new Driven(r, riderOf.get(r.rideId())));
      dispatch.driverFree(e.getKey());
    }
    int[] settled = settle(BATCH, tally);
    tally.rides += driven.size();
    tally.cancelled += cancelled;
    tally.unserved += outcome.unserved().size();
    tally.metres += metresDriven;
    int version = outcome.booked().isEmpty() ? coop.currentVersion() : outcome.booked().get(0).version();
    tally.version = version;
    String example = driven.isEmpty() ? "" : "; e.g. " + driven.get(0).driver() + " for " + driven.get(0).ask().rider()
        + ": " + driven.get(0).why();
    say(String.format(Locale.ROOT, "rides, window %d (fare v%d): %d requests, %d booked, %d unserved, %d cancelled, "
            + "%d driven, %d settled in %d batch(es)%s", number, version, asks.size(), outcome.booked().size(),
        outcome.unserved().size(), cancelled, driven.size(), settled[0], settled[1], example));
  }

  /**
   * Each driver whose node holds at least {@code minBatch} co-signed receipts settles them in one
   * transaction: the per-ride gas falls as batches grow.
   *
   * @return rides settled and batches sent
   */
  private int[] settle(int minBatch, Tally tally) throws Exception {
    int rides = 0, batches = 0;
    for (var e : unsettled.entrySet()) {
      List<Driven> queue = e.getValue();
      if (queue.isEmpty() || queue.size() < minBatch) continue;
      List<RideLedger.PackedReceipt> receipts = new ArrayList<>();
      List<byte[]> signatures = new ArrayList<>();
      for (Driven d : queue) {
        receipts.add(ContractStructs.receipt(d.receipt()));
        // The rider co-signed the receipt on its phone at the drop-off.
        signatures.add(MessageSigner.sign(coop.ledgerDomain, d.receipt().structHash(), d.rider().key));
      }
      TransactionReceipt tx = coop.ledger(e.getKey().key).settleBatch(receipts, ContractStructs.signatures(signatures)).send();
      coop.settlementGas.addAndGet(tx.getGasUsed().longValueExact());
      for (var s : RideLedger.getRideSettledEvents(tx)) tally.fares = tally.fares.add(s.fare);
      rides += queue.size();
      batches++;
      queue.clear();
    }
    tally.batches += batches;
    if (minBatch == 1 && rides > 0) {
      say("settlement: the drivers' nodes settled their last " + rides + " co-signed receipts in " + batches + " batch(es)");
    }
    return new int[] {rides, batches};
  }

  private void vote() throws Exception {
    FareParams v1 = coop.fareParams(coop.currentVersion());
    FareParams v2 = new FareParams(v1.baseFare(), v1.perKm(), v1.perMinute(), v1.minimumFare(), v1.bookingFee(),
        v1.cancellationFee(), v1.cancellationGraceSeconds(), NEW_COMMISSION_BPS, v1.reserveBps(), v1.solidarityBps(),
        v1.operationsBps(), v1.dividendBps(), v1.riderPatronageBps());
    Driver proposer = drivers.get(0);
    // Every fare feeds the solidarity fund; the same vote grants a driver a sick-day benefit from it.
    Driver sick = drivers.get(drivers.size() - 1);
    BigInteger fund = coop.treasury(proposer.key).funds().send().component2();
    benefit = fund.min(SICK_DAY_BENEFIT);
    // The reason stays off chain: the proposal names only a salted commitment to it.
    SolidarityPayout payout = benefit.signum() > 0 ? SolidarityPayout.of(sick.address(), benefit, "sick day") : null;
    Proposal.Builder b = Proposal.describedAs(String.format(Locale.ROOT,
            "Lower the commission from %s to %s%s", pct(v1.commissionBps()), pct(NEW_COMMISSION_BPS),
            payout == null ? "" : "; " + payout.proposal(coop.manifest.address("Treasury"), 1).description()))
        .call(coop.schedule(proposer.key), coop.schedule(proposer.key).publish(ContractStructs.fareParams(v2)));
    if (payout != null) {
      b.call(coop.treasury(proposer.key), coop.treasury(proposer.key).payFromSolidarity(sick.address(), benefit,
          payout.reasonHash()));
    }
    Proposal p = b.build();
    CoopGovernor governor = coop.governor(proposer.key);
    p.propose(governor);
    BigInteger id = p.id(governor);
    chain.mine(coop.config.votingDelayBlocks() + 1);

    int[] forVotes = new int[3], against = new int[3];
    List<Member> voters = members();
    Rider bySignature = riders.get(0);
    int dissenters = riders.size() >= 5 ? 2 : 0;
    // The members vote at the same time: their ballots are mined together, so a vote open for a
    // fixed number of blocks takes every one of them whatever the size of the co-op.
    TransactionBatch ballots = new TransactionBatch(chain);
    String governorAddress = coop.manifest.address("CoopGovernor");
    for (Member m : voters) {
      boolean no = m instanceof Rider && riders.indexOf(m) >= riders.size() - dissenters;
      Support support = no ? Support.AGAINST : Support.FOR;
      if (m == bySignature) {
        // This rider signs its ballot; a driver's node relays it and pays the (zero) gas.
        BallotSigner signer = BallotSigner.forGovernor(coop.access.chainId(), governorAddress);
        byte[] ballot = signer.sign(id, support, governor.nonces(m.address()).send(), m.key);
        Driver relay = drivers.get(drivers.size() - 1);
        ballots.add(relay.key, governorAddress, coop.governor(relay.key)
            .castVoteBySig(id, support.idAsBigInteger(), m.address(), ballot).encodeFunctionCall());
      } else {
        ballots.add(m.key, governorAddress, coop.governor(m.key).castVote(id, support.idAsBigInteger()).encodeFunctionCall());
      }
      (no ? against : forVotes)[m.college.id()]++;
    }
    long opened = coop.web3j.ethBlockNumber().send().getBlockNumber().longValueExact();
    ballots.mine();
    long votingBlocks = coop.web3j.ethBlockNumber().send().getBlockNumber().longValueExact() - opened;
    say("vote: " + voters.size() + " ballots cast at once, mined in " + votingBlocks + " block(s) of the "
        + coop.config.votingPeriodBlocks() + "-block voting period");
    chain.mine(coop.config.votingPeriodBlocks() + 1);
    ProposalState state = ProposalState.values()[governor.state(id).send().intValue()];
    if (state != ProposalState.SUCCEEDED) throw new IllegalStateException("the fare vote did not pass: " + state);
    p.queue(governor);
    chain.increaseTime(coop.config.timelockDelaySeconds() + 1);
    p.execute(coop.governor(supporters.get(0).key)); // anyone may execute a passed proposal
    int version = coop.currentVersion();
    voteLine = String.format(Locale.ROOT, "\"%s\": drivers %d for / %d against, riders %d/%d (one ballot signed and "
            + "relayed by a node), supporters %d/%d; passed, executed after the %d-day timelock -> fare version %d",
        p.description(), forVotes[0], against[0], forVotes[1], against[1], forVotes[2], against[2],
        coop.config.timelockDelaySeconds() / 86_400, version);
    say("vote: " + voteLine);
  }

  private void dividends() throws Exception {
    int epoch = coop.treasury(supporters.get(0).key).currentEpoch().send().intValueExact();
    chain.increaseTime(coop.config.epochLengthSeconds() + 1);
    coop.treasury(supporters.get(0).key).closeEpoch(BigInteger.valueOf(epoch)).send();
    var info = coop.treasury(supporters.get(0).key).epochInfo(BigInteger.valueOf(epoch)).send();
    for (Member m : members()) {
      BigInteger due = coop.treasury(m.key).claimable(BigInteger.valueOf(epoch), m.address()).send();
      if (due.signum() > 0) {
        coop.treasury(m.key).claim(BigInteger.valueOf(epoch)).send();
        dividendsPaid = dividendsPaid.add(due);
        claimants++;
      }
    }
    say("dividends: epoch " + epoch + " closed (time travel of " + coop.config.epochLengthSeconds() / 86_400
        + " days), pool " + fmt(info.component1()) + "; " + claimants + " members claimed " + fmt(dividendsPaid));
  }

  private void summary(AuditReport report, double seconds) {
    AuditTotals t = report.totals();
    long rides = before.rides + after.rides;
    long inProcess = rides - nodeRides.rides(); // the nodes' rides' gas is not counted here
    long gasPerRide = inProcess == 0 ? 0 : (coop.bookingGas.get() + coop.settlementGas.get()) / inProcess;
    long batches = before.batches + after.batches;
    String[] lines = {
        "== ridecoop demo: what happened ==",
        "City              " + city.name() + ", " + drivers.size() + " drivers, " + riders.size() + " riders, "
            + supporters.size() + " supporters (" + supporters.get(0) + ", " + supporters.get(1) + ")",
        String.format(Locale.ROOT, "Rides             %d completed (%d before the vote, %d after), %d cancelled, %d unserved, %.1f km driven",
            rides, before.rides, after.rides, before.cancelled + after.cancelled, before.unserved + after.unserved,
            (before.metres + after.metres) / 1000.0),
        "Total fares       " + cents(t.fares()) + (rides == 0 ? "" : " (average " + cents(t.fares().divide(BigInteger.valueOf(rides))) + " a ride)"),
        "Driver earnings   " + cents(t.driverEarnings()) + " (" + share(t.driverEarnings(), t.fares()) + " of fares)",
        "Commission        " + cents(t.commission()) + " -> reserve " + cents(t.toReserve()) + ", solidarity "
            + cents(t.toSolidarity()) + ", operations " + cents(t.toOperations()) + ", dividends " + cents(t.toDividends()),
        String.format(Locale.ROOT, "Fleet nodes       %d nodes, %d rides through them before the first time warp: "
            + "%d served locally, %d by a peer node (federation); later windows matched in-process",
            nodes == null ? 0 : fleets.size(), nodeRides.rides(), nodeRides.local, nodeRides.byPeer),
        "Fare vote         " + voteLine,
        "After the vote    " + after.rides + " rides under fare version " + after.version + ", fares " + cents(after.fares),
        "Dividends paid    " + cents(dividendsPaid) + " to " + claimants + " members",
        "Solidarity        " + cents(benefit) + " sick-day benefit paid by vote; fund now " + cents(t.toSolidarity().subtract(benefit)),
        String.format(Locale.ROOT, "Gas per ride      %,d on average (booking %,d + settlement %,d in %d batches)",
            gasPerRide, inProcess == 0 ? 0 : coop.bookingGas.get() / inProcess,
            inProcess == 0 ? 0 : coop.settlementGas.get() / inProcess, batches) + " over the in-process rides",
        "Audit             " + (report.passed() ? "PASSED" : "FAILED") + ": "
            + (report.checks().size() - report.failures().size()) + " of " + report.checks().size() + " checks hold",
        String.format(Locale.ROOT, "Ran in %.1f s; manifest %s", seconds, settings.dataDir().resolve("manifest.json")),
    };
    for (String line : lines) out.println(line);
  }

  /**
   * What a user can do with the kept chain. The README's SDK example runs as rider 1, whose key
   * comes from Anvil's public test mnemonic: printed because it is public anyway, labelled so
   * that nobody mistakes it for a key to hold value with.
   */
  private void nextSteps(Kept kept) throws Exception {
    long caughtUp = catchUpWithWallClock(); // before any driver drives at chain time
    Rider sdkRider = riders.get(0);
    // One driver per node stays online and drives whatever it is offered.
    List<String> urls = new ArrayList<>();
    for (FleetNodes.FleetNode n : nodes.nodes()) {
      Driver d = n.keyDriver();
      // Halfway between its home and the centre, where the README's example rides start.
      LatLng home = FleetNodes.HOMES.get(n.index());
      d.at = new LatLng((home.lat() + README_PICKUP.lat()) / 2, (home.lng() + README_PICKUP.lng()) / 2);
      DriverClient app = new DriverClient(d, n.url(), coop.ledgerDomain).connect();
      app.autopilot(coop::now);
      driverApps.add(app);
      urls.add(n.url() + " (" + d + " online)");
    }
    coop.fund(sdkRider.key, SDK_RIDER_TOKENS); // the SDK example deposits from the rider's own tokens
    Path manifest = settings.dataDir().resolve("manifest.json");
    String[] lines = {
        "",
        "== the chain keeps running ==",
        "Chain             " + chain.rpcUrl() + " (chain id " + chain.chainId() + "), saved to " + kept.stateFile(),
        "Audit it          ./ridecoop audit --rpc " + chain.rpcUrl() + " --manifest " + manifest,
        "Nodes             " + String.join(", ", urls),
        "Rider SDK         the README's \"Rider SDK\" example as " + sdkRider + " (" + sdkRider.address() + ", "
            + fmt(SDK_RIDER_TOKENS) + " of tokens to deposit), with the nodes above:",
        "                  riderPrivateKeyHex = "
            + org.web3j.utils.Numeric.toHexStringWithPrefixZeroPadded(sdkRider.key.getEcKeyPair().getPrivateKey(), 64),
        "                  DEV ONLY: derived from Anvil's public test mnemonic; never hold real value with it",
        String.format(Locale.ROOT, "Clock             the chain started %.1f days in the past for the demo's time "
            + "travel and now runs on wall-clock time (moved %.1f days forward to it)",
            plannedWarpSeconds() / 86_400.0, caughtUp / 86_400.0),
        "Later             ./ridecoop chain dev --data-dir " + settings.dataDir() + " --port " + kept.port()
            + " continues this chain (same contracts, members and rides)",
        "running:          Ctrl-C stops the nodes and the chain (its state is saved first)",
    };
    for (String line : lines) out.println(line);
    out.flush();
  }

  // ------------------------------------------------------------------ helpers

  private List<Member> members() {
    List<Member> all = new ArrayList<>(drivers);
    all.addAll(riders);
    all.addAll(supporters);
    return all;
  }

  private void say(String line) {
    out.println("[demo] " + line);
    out.flush();
  }

  private static String fmt(BigInteger units) {
    return org.ridecoop.sdk.audit.TokenAmount.format(units);
  }

  private static String cents(BigInteger units) {
    return org.ridecoop.sdk.audit.TokenAmount.cents(units);
  }

  private static String pct(int bps) {
    return (bps % 100 == 0 ? String.valueOf(bps / 100) : String.format(Locale.ROOT, "%.2f", bps / 100.0)) + " %";
  }

  private static String share(BigInteger part, BigInteger whole) {
    return whole.signum() == 0 ? "n/a" : String.format(Locale.ROOT, "%.1f %%", part.doubleValue() * 100 / whole.doubleValue());
  }

  /** A ride driven, its receipt co-signed by its rider. */
  private record Driven(TripReceipt receipt, Rider rider) {}

  /** Rides of one part of the demo. */
  private static final class Tally {
    long rides, cancelled, unserved, batches, metres;
    BigInteger fares = BigInteger.ZERO;
    int version;
  }
}
