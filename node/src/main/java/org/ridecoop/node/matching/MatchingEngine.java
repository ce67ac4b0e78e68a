package org.ridecoop.node.matching;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.ridecoop.node.matching.DriverIndex.Driver;
import org.ridecoop.node.matching.NoLocalDriver.Reason;

/**
 * Matches ride requests to this node's online drivers.
 *
 * <h2>The matching rule</h2>
 *
 * <ol>
 *   <li>Online drivers are indexed by H3 cell ({@link MatchingConfig#h3Resolution}); going online,
 *       moving and going offline are O(1).
 *   <li>Requests {@linkplain #submit submitted} during a window wait for {@link #closeWindow}. Each
 *       then searches the rings of cells around its pickup for its nearest free drivers, ranked
 *       by {@link EtaModel} ETA, within the ETA cutoff. Drivers that already declined or ignored
 *       the ride, and drivers holding another offer, are skipped.
 *   <li>The rides of the window that want some of the same drivers are assigned together by the
 *       {@link AssignmentPolicy} (by default {@link OptimalAssignment}: the most rides served, then
 *       the least total pickup time), not greedily in arrival order.
 *   <li>Each assigned ride becomes an {@link Offer} to one driver, who is reserved: it gets no
 *       other offer until it {@linkplain #accepted accepts}, {@linkplain #declined declines} or
 *       the offer {@linkplain #timedOut times out}. A decline or timeout puts the ride back into
 *       the current window, without that driver, so the next window offers it to the next
 *       candidate. A ride with no candidate left, or offered too many times, comes out as
 *       {@link NoLocalDriver} and the engine forgets it.
 * </ol>
 *
 * <h2>Threads</h2>
 *
 * The engine is single-writer and holds no locks: it must be called from one thread only, the
 * event-loop thread of the verticle that owns it (Vert.x always calls a verticle's handlers on its
 * own event loop). Its work per call is short and bounded (microseconds; see BENCHMARKS.md), so it
 * belongs on the event loop, not on a worker. With assertions enabled (as in the tests) every
 * call checks that it comes from the thread of the first call. To use more cores, run one engine
 * per verticle instance, each with its own drivers (for example one per service area).
 *
 * <h2>Time</h2>
 *
 * The engine reads no clock: callers pass {@code now}, which must not go backwards.
 */
public final class MatchingEngine {

  /** A ride the engine knows: waiting in the window, or offered to a driver. */
  static final class Ride {
    final RideRequest request;
    final double[] unit;
    final CellGrid.Shape cell;
    /** Drivers that declined or let the offer expire; never offered this ride again. */
    Set<DriverId> tried;
    int offersMade;
    boolean inWindow;
    Driver offeredTo;
    Instant expiresAt;
    /** Neighbours in the engine's list of outstanding offers, oldest first (null at the ends). */
    Ride olderOffer;
    Ride newerOffer;

    Ride(RideRequest request, double[] unit, CellGrid.Shape cell) {
      this.request = request;
      this.unit = unit;
      this.cell = cell;
    }

    RideId id() {
      return request.ride();
    }
  }

  /** Window slots whose candidate lists are kept; larger windows are rare and allocate. */
  private static final int KEPT_LISTS = 64;

  private final MatchingConfig config;
  private final EtaModel eta;
  private final AssignmentPolicy policy;
  private final DriverIndex index;
  private final CandidateSearch search;
  private final double reachChord2;
  private final int reachMetres;

  /** Every ride the engine knows, waiting or offered: the one table keyed by ride id. */
  private final Map<RideId, Ride> rides = new HashMap<>();
  private final List<Ride> window = new ArrayList<>();
  /** Outstanding offers, oldest first, linked through the rides themselves (no second map): with
   * one timeout and a clock that never goes back, that is also the order in which they expire. */
  private Ride oldestOffer;
  private Ride newestOffer;
  private int offers;
  /** Candidate lists reused from window to window, one per window slot (the first few slots). */
  private Candidates[] kept = new Candidates[0];
  private Thread owner;
  /** Marks driver scratch fields as belonging to the current grouping pass. */
  private long windowStamp;

  /** An engine with the default ETA model and the optimal batch assignment. */
  public MatchingEngine(MatchingConfig config) {
    this(config, CitySpeedEta.DEFAULT, new OptimalAssignment());
  }

  /**
   * An engine with the given strategies.
   *
   * @param config tuning
   * @param eta how distance turns into pickup time
   * @param policy how a window's rides share the drivers
   */
  public MatchingEngine(MatchingConfig config, EtaModel eta, AssignmentPolicy policy) {
    this(config, eta, policy, false);
  }

  /** As the public constructor; {@code fullScan} replaces the ring search by a scan of all. */
  MatchingEngine(MatchingConfig config, EtaModel eta, AssignmentPolicy policy, boolean fullScan) {
    this.config = Objects.requireNonNull(config, "config");
    this.eta = Objects.requireNonNull(eta, "eta");
    this.policy = Objects.requireNonNull(policy, "policy");
    this.index = new DriverIndex(new CellGrid(config.h3Resolution()));
    this.reachMetres = reachMetres(eta, config.maxEtaSeconds());
    // Half a metre over, so a driver the ETA model puts exactly at the cutoff is not lost to the
    // rounding of distances to whole metres; Candidates.finish applies the cutoff exactly.
    this.reachChord2 = reachMetres < 0 ? -1 : Sphere.chord2OfMetres(reachMetres + 0.5);
    this.search = fullScan
        ? new FullScan(index, false)
        : new RingSearch(index, config.maxRing(), reachMetres + 0.5);
  }

  /** The furthest whole distance the ETA model puts within the cutoff (binary search). */
  static int reachMetres(EtaModel eta, int maxEtaSeconds) {
    int lo = 0;
    int hi = 20_037_509; // half the Earth's circumference: nothing is further
    if (eta.etaSeconds(lo) > maxEtaSeconds) {
      return -1;
    }
    while (lo < hi) {
      int mid = lo + (hi - lo + 1) / 2;
      if (eta.etaSeconds(mid) <= maxEtaSeconds) {
        lo = mid;
      } else {
        hi = mid - 1;
      }
    }
    return lo;
  }

  // ---------------------------------------------------------------- drivers

  /**
   * A driver is online and free at a position. Calling it for a driver already online moves it
   * (and keeps any offer it holds).
   */
  public void driverOnline(DriverId driver, LatLng position) {
    assert confined();
    index.place(Objects.requireNonNull(driver, "driver"), Objects.requireNonNull(position, "at"));
  }

  /**
   * A driver reports a new position; O(1) whether or not it changes cell.
   *
   * @return false if the driver is not online here (never came online, offline, or on a ride)
   */
  public boolean driverMoved(DriverId driver, LatLng position) {
    assert confined();
    Objects.requireNonNull(position, "position");
    if (index.get(driver) == null) {
      return false;
    }
    index.place(driver, position);
    return true;
  }

  /**
   * A driver goes offline and is never offered anything until it comes online again. If it held
   * an offer, the offer is withdrawn and the ride goes back into the current window.
   *
   * @return false if the driver was not online
   */
  public boolean driverOffline(DriverId driver) {
    assert confined();
    Driver d = index.remove(driver);
    if (d == null) {
      return false;
    }
    Ride ride = d.reservedFor;
    if (ride != null) {
      release(ride, false);
    }
    return true;
  }

  // ---------------------------------------------------------------- rides

  /**
   * Adds a ride request to the current window.
   *
   * @throws IllegalArgumentException if a ride with this id is already waiting or offered
   */
  public void submit(RideRequest request) {
    assert confined();
    Objects.requireNonNull(request, "request");
    LatLng p = request.pickup();
    double[] u = Sphere.unit(p);
    Ride ride =
        new Ride(request, u, index.grid().locateShape(p.lat(), p.lng(), u[0], u[1], u[2], null));
    if (rides.putIfAbsent(request.ride(), ride) != null) {
      throw new IllegalArgumentException("ride " + request.ride() + " is already being matched");
    }
    ride.inWindow = true;
    window.add(ride);
  }

  /**
   * The rider gives up: the ride leaves the window, or its outstanding offer is withdrawn and the
   * driver is free again.
   *
   * @return false if the engine did not know the ride
   */
  public boolean cancel(RideId ride) {
    assert confined();
    Ride r = rides.remove(ride);
    if (r == null) {
      return false;
    }
    if (r.inWindow) {
      window.remove(r);
      r.inWindow = false;
    }
    if (r.offeredTo != null) {
      r.offeredTo.reserve(null);
      r.offeredTo = null;
      unlinkOffer(r);
    }
    return true;
  }

  /**
   * Closes the current window: withdraws the offers that expired by {@code now} (their rides join
   * this window), then assigns every ride of the window together.
   *
   * @param now the current time; offers made now expire at {@code now + offerTimeout}
   * @return one outcome per ride of the window, in the order the rides entered it
   */
  public List<MatchOutcome> closeWindow(Instant now) {
    assert confined();
    Objects.requireNonNull(now, "now");
    expire(now);
    int n = window.size();
    List<MatchOutcome> outcomes = new ArrayList<>(n);
    if (n == 0) {
      return outcomes;
    }
    Instant expiresAt = now.plus(config.offerTimeout());
    if (n == 1) {
      // The quiet case: a lone ride competes with nobody and simply gets its nearest candidate.
      Ride ride = window.getFirst();
      window.clear();
      ride.inWindow = false;
      outcomes.add(decideAlone(ride, expiresAt));
      return outcomes;
    }
    // Each ride first keeps its few nearest drivers. Rides that share a driver compete; with at
    // least as many candidates as rides competing, restricting the assignment to candidates loses
    // nothing (an optimal driver outside a ride's nearest could be swapped for one of them that no
    // other ride uses). So the rides of a larger group search again, for as many candidates as
    // the group has rides (up to the cap), until no group outgrows its rides' lists.
    MatchOutcome[] decided = new MatchOutcome[n];
    Candidates[] found = new Candidates[n];
    Ride[] rideList = window.toArray(new Ride[0]);
    window.clear();
    for (int i = 0; i < n; i++) {
      Ride ride = rideList[i];
      ride.inWindow = false;
      if (ride.offersMade >= config.maxOffersPerRide()) {
        decided[i] = giveUp(ride, Reason.OFFER_LIMIT_REACHED);
        continue;
      }
      found[i] = candidates(i, ride, config.candidatesPerRide());
    }
    List<int[]> groups = competingGroups(found);
    for (boolean widened = n > 1; widened; ) {
      widened = false;
      for (int[] group : groups) {
        int wanted = Math.min(group.length, config.maxCandidatesPerRide());
        for (int i : group) {
          Candidates c = found[i];
          // A list that is not full already holds every free driver in reach.
          if (c.size == c.wanted && c.wanted < wanted) {
            found[i] = candidates(i, rideList[i], wanted);
            widened = true;
          }
        }
      }
      if (widened) {
        groups = competingGroups(found);
      }
    }
    for (int i = 0; i < n; i++) {
      Candidates c = found[i];
      if (c != null && c.size == 0) {
        decided[i] = giveUp(rideList[i], nobodyFor(c));
      }
    }
    for (int[] group : groups) {
      if (group.length == 1) {
        // A ride that competes with no other simply gets its nearest candidate.
        int i = group[0];
        decided[i] = offer(rideList[i], found[i], 0, 0, expiresAt);
      } else {
        assignGroup(group, rideList, found, decided, expiresAt);
      }
    }
    for (MatchOutcome o : decided) {
      outcomes.add(o);
    }
    return outcomes;
  }

  /** The outcome for the only ride of a window: what the general path decides for one ride. */
  private MatchOutcome decideAlone(Ride ride, Instant expiresAt) {
    if (ride.offersMade >= config.maxOffersPerRide()) {
      return giveUp(ride, Reason.OFFER_LIMIT_REACHED);
    }
    Candidates c = candidates(0, ride, config.candidatesPerRide());
    return c.size == 0 ? giveUp(ride, nobodyFor(c)) : offer(ride, c, 0, 0, expiresAt);
  }

  private static Reason nobodyFor(Candidates c) {
    return c.busyInReach > 0 ? Reason.DRIVERS_BUSY
        : c.triedInReach > 0 ? Reason.ALL_IN_REACH_DECLINED : Reason.NO_DRIVER_IN_REACH;
  }

  /** The {@code wanted} nearest free drivers of a ride, in the list kept for window
   * slot {@code slot}. */
  private Candidates candidates(int slot, Ride ride, int wanted) {
    Candidates c;
    if (slot >= KEPT_LISTS) {
      c = new Candidates(wanted, reachChord2, ride.tried);
    } else {
      if (slot >= kept.length) {
        kept = Arrays.copyOf(kept, Math.min(KEPT_LISTS, Math.max(slot + 1, 2 * kept.length)));
      }
      c = kept[slot];
      if (c == null) {
        c = new Candidates(wanted, reachChord2, ride.tried);
        kept[slot] = c;
      } else {
        c.reset(wanted, reachChord2, ride.tried);
      }
    }
    search.find(ride.unit, ride.cell, c);
    return c.finish(eta, config.maxEtaSeconds());
  }

  /**
   * The driver accepts the offer: the ride is matched and leaves the engine, and so does the
   * driver, who is now on a ride; call {@link #driverOnline} when it is free again (or {@link
   * #driverOffline} if it stops working: until one of the two, the engine keeps the driver's
   * small record, so that coming back online is cheap).
   *
   * @return false if this driver holds no offer for this ride (it expired, was withdrawn or never
   *     existed): the driver must be told the ride is gone
   */
  public boolean accepted(RideId ride, DriverId driver) {
    assert confined();
    Ride r = offerOf(ride, driver);
    if (r == null) {
      return false;
    }
    unlinkOffer(r);
    rides.remove(ride);
    index.startRide(r.offeredTo);
    return true;
  }

  /**
   * The driver declines: it is free again and the ride goes back into the current window, where
   * it will be offered to its next candidate (never again to this driver).
   *
   * @return false if this driver holds no offer for this ride
   */
  public boolean declined(RideId ride, DriverId driver) {
    assert confined();
    Ride r = offerOf(ride, driver);
    if (r == null) {
      return false;
    }
    release(r, true);
    return true;
  }

  /**
   * The driver did not answer in time (for callers that run their own timers; the engine also
   * withdraws expired offers itself when a window closes). Handled as a decline.
   *
   * @return false if this driver holds no offer for this ride
   */
  public boolean timedOut(RideId ride, DriverId driver) {
    return declined(ride, driver);
  }

  // ---------------------------------------------------------------- state, for the API and metrics

  /** Drivers online here and not on a ride (free or holding an offer). */
  public int onlineDrivers() {
    return index.size();
  }

  /** Rides waiting for the next window. */
  public int waitingRides() {
    return window.size();
  }

  /** Offers waiting for a driver's answer. */
  public int outstandingOffers() {
    return offers;
  }

  /** The configuration this engine runs with. */
  public MatchingConfig config() {
    return config;
  }

  /** Non-empty H3 cells in the index (for the heap figure and tests). */
  int occupiedCells() {
    return index.occupiedCells();
  }

  // ---------------------------------------------------------------- internals

  private Ride offerOf(RideId ride, DriverId driver) {
    Ride r = rides.get(ride);
    if (r == null || r.offeredTo == null || !r.offeredTo.id.equals(driver)) {
      return null;
    }
    return r;
  }

  /** Withdraws a ride's offer, frees its driver and puts the ride back into the window. */
  private void release(Ride ride, boolean refusedByDriver) {
    Driver d = ride.offeredTo;
    d.reserve(null);
    ride.offeredTo = null;
    ride.expiresAt = null;
    unlinkOffer(ride);
    if (refusedByDriver) {
      if (ride.tried == null) {
        ride.tried = new HashSet<>(4);
      }
      ride.tried.add(d.id);
    }
    ride.inWindow = true;
    window.add(ride);
  }

  private void expire(Instant now) {
    while (oldestOffer != null && !oldestOffer.expiresAt.isAfter(now)) {
      release(oldestOffer, true);
    }
  }

  private void linkOffer(Ride r) {
    r.olderOffer = newestOffer;
    r.newerOffer = null;
    if (newestOffer == null) {
      oldestOffer = r;
    } else {
      newestOffer.newerOffer = r;
    }
    newestOffer = r;
    offers++;
  }

  private void unlinkOffer(Ride r) {
    if (r.olderOffer == null) {
      oldestOffer = r.newerOffer;
    } else {
      r.olderOffer.newerOffer = r.newerOffer;
    }
    if (r.newerOffer == null) {
      newestOffer = r.olderOffer;
    } else {
      r.newerOffer.olderOffer = r.olderOffer;
    }
    r.olderOffer = null;
    r.newerOffer = null;
    offers--;
  }

  private NoLocalDriver giveUp(Ride ride, Reason reason) {
    rides.remove(ride.id());
    return new NoLocalDriver(ride.id(), ride.request.pickup(), reason, ride.offersMade);
  }

  /**
   * Groups of window rides (indices) linked by shared candidate drivers, in window order; rides
   * without candidates are in none.
   */
  private List<int[]> competingGroups(Candidates[] found) {
    int n = found.length;
    int[] parent = new int[n];
    for (int i = 0; i < n; i++) {
      parent[i] = i;
    }
    long stamp = ++windowStamp;
    for (int i = 0; i < n; i++) {
      Candidates c = found[i];
      if (c == null) {
        continue;
      }
      for (int k = 0; k < c.size; k++) {
        Driver d = c.drivers[k];
        if (d.seenInWindow == stamp) {
          union(parent, d.windowSlot, i);
        } else {
          d.seenInWindow = stamp;
          d.windowSlot = i;
        }
      }
    }
    int[] groupSize = new int[n];
    for (int i = 0; i < n; i++) {
      if (found[i] != null && found[i].size > 0) {
        groupSize[find(parent, i)]++;
      }
    }
    List<int[]> groups = new ArrayList<>();
    int[][] byRoot = new int[n][];
    int[] filled = new int[n];
    for (int i = 0; i < n; i++) {
      if (found[i] == null || found[i].size == 0) {
        continue;
      }
      int root = find(parent, i);
      if (byRoot[root] == null) {
        byRoot[root] = new int[groupSize[root]];
        groups.add(byRoot[root]);
      }
      byRoot[root][filled[root]++] = i;
    }
    return groups;
  }

  private static int find(int[] parent, int i) {
    while (parent[i] != i) {
      parent[i] = parent[parent[i]];
      i = parent[i];
    }
    return i;
  }

  private static void union(int[] parent, int a, int b) {
    int ra = find(parent, a);
    int rb = find(parent, b);
    if (ra != rb) {
      parent[Math.max(ra, rb)] = Math.min(ra, rb);
    }
  }

  /**
   * The most rides one assignment solve takes. The solve is cubic: a window of an overloaded node
   * (a thousand rides competing for the same few hundred drivers, as at 500 requests/s with a 2 s
   * window) took seconds of the desk's one thread and stalled every request behind it. A larger
   * group is solved in consecutive parts of this many rides, in window order, each part among the
   * drivers the parts before it left free (its rides search again, so a taken driver's place is
   * filled by the next nearest). Within a part the assignment is still optimal; across parts it is
   * first come, first served, which is what a node past its capacity can afford.
   */
  static final int MAX_SOLVED_TOGETHER = 32;

  private void assignGroup(
      int[] group, Ride[] rideList, Candidates[] found, MatchOutcome[] decided,
      Instant expiresAt) {
    if (group.length <= MAX_SOLVED_TOGETHER) {
      solveTogether(group, group.length, rideList, found, decided, expiresAt);
      return;
    }
    for (int from = 0; from < group.length; from += MAX_SOLVED_TOGETHER) {
      int[] part = Arrays.copyOfRange(group, from, Math.min(group.length, from + MAX_SOLVED_TOGETHER));
      if (from > 0) {
        // The search skips reserved drivers: the parts before took theirs.
        for (int i : part) {
          found[i] = candidates(i, rideList[i], found[i].wanted);
        }
      }
      solveTogether(part, group.length, rideList, found, decided, expiresAt);
    }
  }

  private void solveTogether(
      int[] group, int competing, Ride[] rideList, Candidates[] found, MatchOutcome[] decided,
      Instant expiresAt) {
    long stamp = ++windowStamp;
    List<Driver> drivers = new ArrayList<>();
    for (int i : group) {
      Candidates c = found[i];
      for (int k = 0; k < c.size; k++) {
        Driver d = c.drivers[k];
        if (d.seenInWindow != stamp) {
          d.seenInWindow = stamp;
          d.windowSlot = drivers.size();
          drivers.add(d);
        }
      }
    }
    int[][] seconds = new int[group.length][drivers.size()];
    int[][] rankOf = new int[group.length][drivers.size()];
    for (int r = 0; r < group.length; r++) {
      Arrays.fill(seconds[r], AssignmentPolicy.NO_PAIR);
      Candidates c = found[group[r]];
      for (int k = 0; k < c.size; k++) {
        int col = c.drivers[k].windowSlot;
        seconds[r][col] = c.seconds[k];
        rankOf[r][col] = k;
      }
    }
    int[] chosen = policy.assign(seconds);
    for (int r = 0; r < group.length; r++) {
      int i = group[r];
      Ride ride = rideList[i];
      decided[i] = chosen[r] < 0
          ? giveUp(ride, Reason.CANDIDATES_TAKEN_BY_OTHER_RIDES)
          : offer(ride, found[i], rankOf[r][chosen[r]], competing - 1, expiresAt);
    }
  }

  private Offer offer(Ride ride, Candidates c, int k, int competing, Instant expiresAt) {
    Driver d = c.drivers[k];
    d.reserve(ride);
    ride.offeredTo = d;
    ride.offersMade++;
    ride.expiresAt = expiresAt;
    linkOffer(ride);
    OfferReason why = new OfferReason(
        c.seconds[k], c.metres[k], c.rings[k], k + 1, c.size, c.seconds[0], competing);
    return new Offer(ride.id(), d.id, ride.request.pickup(), ride.expiresAt, ride.offersMade, why);
  }

  /** Binds the engine to the first thread that calls it; false if another thread calls later. */
  private boolean confined() {
    Thread current = Thread.currentThread();
    if (owner == null) {
      owner = current;
    }
    if (owner != current) {
      throw new IllegalStateException("MatchingEngine is single-writer: bound to " + owner.getName()
          + ", called from " + current.getName());
    }
    return true;
  }
}
