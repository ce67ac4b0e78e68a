package org.ridecoop.sdk;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.math.BigInteger;
import java.net.URI;
import java.security.SignatureException;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.ridecoop.fare.Fare;
import org.ridecoop.protocol.MessageSigner;
import org.ridecoop.protocol.Offer;
import org.ridecoop.protocol.RideRequest;
import org.ridecoop.protocol.TripReceipt;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.web3j.crypto.Credentials;
import org.web3j.utils.Numeric;

/**
 * A rider's ride, from the signed request to settlement: its offers, booking on chain, its status
 * (followed live from a node), the receipt co-signature, cancellation and dispute.
 *
 * <p>The ride is followed at one node at a time. When that node's stream drops, the ride is looked
 * up at the other nodes ({@code GET /v1/rides/:id}) and followed at the first that knows it; if
 * none does and the ride is not booked yet, the same signed request (still within its expiry) is
 * posted to the next live node, which matches it afresh. Every fail-over is logged.
 *
 * <p>A ride booked from a peer's driver's offer is served at that peer node (the offer names it):
 * the driver reports arrival, pickup and drop-off there and the receipt is drafted and co-signed
 * there. Once the peer has seen the booking on chain, the ride is followed there; while the peer
 * cannot be reached it is followed at the rider's own nodes (which know only what the chain says)
 * and the peer is tried again. What a peer reports moves no money: the receipt is checked against
 * the escrow on chain before the rider co-signs it.
 *
 * <p>Methods block the calling thread; status listeners run on the thread that learnt the state
 * and should return quickly. Close the ride (or the {@link RideCoop}) to stop following it.
 */
public final class Ride implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Ride.class);
  /** Delay between attempts to find a node following the ride again. */
  private static final long RESYNC_RETRY_MILLIS = 500;
  /** Delay between attempts to follow a peer-served ride at the peer. */
  private static final long SERVING_RETRY_MILLIS = 1_000;

  private final RiderContext context;
  private final Credentials key;
  private final RideRequest request;
  private final byte[] requestBody;
  private final BigInteger id;
  private final String path;
  private final Map<String, RideOffer> offers = new LinkedHashMap<>();
  private final List<Consumer<RideStatus>> listeners = new CopyOnWriteArrayList<>();
  private final Object lock = new Object();
  private RideState state = RideState.REQUESTED;
  /** The node that reported {@link #state}. */
  private URI stateFrom;
  private URI node;
  /** The peer node serving the ride, for a ride booked from a peer's offer; else null. */
  private URI servedAt;
  private boolean booked;
  private boolean closed;
  private RideStream stream;

  Ride(RiderContext context, Credentials key, RideRequest request, byte[] requestBody, BigInteger id, URI node) {
    this.context = context;
    this.key = key;
    this.request = request;
    this.requestBody = requestBody;
    this.id = id;
    this.path = "/v1/rides/" + id;
    this.node = node;
  }

  /** The ride id ({@code uint160(rider) << 32 | rideNonce}), the same on every node and on chain. */
  public BigInteger id() {
    return id;
  }

  /** The signed request; null for a ride looked up by id ({@link Rider#ride}). */
  public RideRequest request() {
    return request;
  }

  /** The EIP-712 hash of the request, 0x hex (offers name it); null for a ride looked up by id. */
  public String requestHash() {
    return request == null ? null : Numeric.toHexString(request.structHash());
  }

  /** The latest known state. */
  public RideState state() {
    synchronized (lock) {
      return state;
    }
  }

  /** The node the ride is followed at now. */
  public URI node() {
    synchronized (lock) {
      return node;
    }
  }

  /** The drivers' signed offers received so far, in the order they came. */
  public List<RideOffer> offers() {
    synchronized (lock) {
      return List.copyOf(offers.values());
    }
  }

  /**
   * Calls {@code listener} with each new state, on the thread that learnt it (the SDK's stream
   * thread, or the caller's for {@link #book}, {@link #cancel} and the like); keep it short.
   */
  public void onStatus(Consumer<RideStatus> listener) {
    listeners.add(listener);
  }

  /**
   * Waits for the first offer.
   *
   * @throws RideCoopException if none comes within {@code timeout} or the ride ends first
   */
  public RideOffer awaitOffer(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (lock) {
      while (offers.isEmpty()) {
        if (state.isFinal()) {
          throw new RideCoopException("ride " + id + " ended as " + state.wireName() + " without an offer");
        }
        waitUntil(deadline, "an offer for ride " + id);
      }
      return offers.values().iterator().next();
    }
  }

  /**
   * Waits until the ride reaches {@code target} (or passes it on the normal path).
   *
   * @throws RideCoopException on timeout, or if the ride ends in another state
   */
  public RideStatus awaitState(RideState target, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (lock) {
      while (!state.hasReached(target)) {
        if (state.isFinal()) {
          throw new RideCoopException("ride " + id + " ended as " + state.wireName() + ", not " + target.wireName());
        }
        waitUntil(deadline, "ride " + id + " to be " + target.wireName() + " (it is " + state.wireName() + ")");
      }
      return new RideStatus(id, state, stateFrom != null ? stateFrom : node);
    }
  }

  /**
   * Books {@code offer} on chain with the rider's key, after checking that the driver signed it,
   * that it answers this request and that its maximum fare is within the request's.
   *
   * @throws RideCoopException if a check fails (nothing is sent)
   * @throws ChainRefusedException if the ledger refuses, naming its custom error
   */
  public void book(RideOffer offer) {
    if (request == null) {
      throw new RideCoopException("ride " + id + " was looked up by id: only the connection that made its signed "
          + "request can check an offer against it and book it");
    }
    Offer o = offer.offer();
    String signer;
    try {
      signer = MessageSigner.recover(context.ledger(key).ledgerDomain(), o.structHash(), offer.driverSignature());
    } catch (SignatureException | RuntimeException e) {
      throw new RideCoopException("the offer's signature is not valid: " + e.getMessage(), e);
    }
    if (!signer.equalsIgnoreCase(o.driver())) {
      throw new RideCoopException("the offer is not signed by its driver " + o.driver() + " but by " + signer);
    }
    if (!Arrays.equals(o.requestHash(), request.structHash()) || !o.rider().equalsIgnoreCase(request.rider())
        || o.rideNonce() != request.rideNonce()) {
      throw new RideCoopException("the offer does not answer this request");
    }
    if (o.maxFare().compareTo(request.maxFare()) > 0) {
      throw new RideCoopException("the offer's maximum fare " + o.maxFare() + " is above the request's "
          + request.maxFare());
    }
    if (o.expiry() < NodeCalls.nowSeconds()) {
      throw new RideCoopException("the offer expired at " + o.expiry());
    }
    context.ledger(key).book(o, offer.driverSignature());
    synchronized (lock) {
      booked = true;
      servedAt = offer.servedAt();
    }
    moved(RideState.BOOKED, node());
    if (offer.servedAt() != null) {
      later(this::followServing, 0);
    }
  }

  /**
   * The receipt the driver's node drafted, with the fare it makes by the ride's fare version (read
   * from the chain) and the escrow it is paid from: what a rider reads before co-signing.
   *
   * @throws RideCoopException if there is no receipt yet, it is another ride's, or the ride is not
   *     booked on the ledger
   */
  public PendingReceipt receiptToCosign() {
    // The driver's node drafts the receipt: for a peer-served ride that is the serving node, asked
    // first even while the ride is still followed at the rider's own node.
    URI prefer;
    synchronized (lock) {
      prefer = servedAt != null ? servedAt : node;
    }
    NodeCalls.Answer shown = RideNodes.lookUp(context.calls(), path, prefer);
    JsonNode json = shown.body().path("receipt");
    if (json.isMissingNode()) {
      throw new RideCoopException("ride " + id + " has no receipt to co-sign yet (it is "
          + shown.body().path("state").asText() + " at " + shown.node() + ")");
    }
    TripReceipt receipt = RideJson.receipt(json);
    if (!receipt.rideId().equals(id)) {
      throw new RideCoopException("the receipt shown is for ride " + receipt.rideId() + ", not " + id);
    }
    RiderLedger ledger = context.ledger(key);
    RiderLedger.LedgerRide onChain = ledger.ride(id);
    if (onChain.status() != RiderLedger.LedgerRide.BOOKED) {
      throw new RideCoopException("ride " + id + " is not booked on the ledger (status " + onChain.status() + ")");
    }
    long fare = Fare.of(ledger.fareParams(onChain.version()), receipt.distanceMetres(), receipt.durationSeconds());
    return new PendingReceipt(receipt, fare, onChain.escrow().longValueExact(), shown.node());
  }

  /**
   * Co-signs the receipt the driver's node drafted, after checking that it is this ride's and that
   * the fare it makes (by the ride's fare version, from the chain) is within the escrow.
   *
   * @return the receipt co-signed
   * @throws RideCoopException if there is no receipt yet, a check fails or the node refuses
   */
  public TripReceipt cosignReceipt() {
    return cosignReceipt(receiptToCosign());
  }

  /**
   * Co-signs exactly the receipt {@code shown} (from {@link #receiptToCosign}), the one the rider
   * read; the node refuses the signature if its draft is another.
   *
   * @return the receipt co-signed
   * @throws RideCoopException if the fare is above the escrow (dispute it instead) or the node refuses
   */
  public TripReceipt cosignReceipt(PendingReceipt shown) {
    TripReceipt receipt = shown.receipt();
    if (!receipt.rideId().equals(id)) {
      throw new RideCoopException("the receipt is for ride " + receipt.rideId() + ", not " + id);
    }
    if (!shown.withinEscrow()) {
      throw new RideCoopException("the receipt makes a fare of " + shown.fare() + ", above the escrow of "
          + shown.escrow() + "; not co-signed (dispute it instead)");
    }
    byte[] signature = MessageSigner.sign(context.ledger(key).ledgerDomain(), receipt.structHash(), key);
    ObjectNode body = context.calls().json().createObjectNode().put("signature", Numeric.toHexString(signature));
    NodeCalls.Answer answer = context.calls().send(
        NodeCalls.Call.post(path + "/receipt/cosign", context.calls().encode(body), key),
        context.calls().roster().startingWith(shown.node()));
    moved(RideState.fromWire(answer.body().path("state").asText()), answer.node());
    return receipt;
  }

  /**
   * Cancels the ride: at the node while it is not booked (the request is withdrawn), on the ledger
   * once booked (free within the grace period, else the cancellation fee goes to the driver).
   */
  public void cancel() {
    boolean onChain;
    synchronized (lock) {
      onChain = booked || state.hasReached(RideState.BOOKED);
    }
    if (onChain) {
      context.ledger(key).cancel(id);
      moved(RideState.CANCELLED, node());
      return;
    }
    byte[] empty = "{}".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    NodeCalls.Answer answer = context.calls().send(NodeCalls.Call.post(path + "/cancel", empty, key),
        context.calls().roster().startingWith(node()));
    moved(RideState.fromWire(answer.body().path("state").asText()), answer.node());
  }

  /**
   * Disputes the booked ride on the ledger: the escrow is frozen until the dispute committee rules.
   *
   * @param evidenceHash 32-byte hash of the evidence kept off-chain
   */
  public void dispute(byte[] evidenceHash) {
    context.ledger(key).dispute(id, evidenceHash);
    moved(RideState.DISPUTED, node());
  }

  /** Stops following the ride. */
  @Override
  public void close() {
    RideStream s;
    synchronized (lock) {
      closed = true;
      s = stream;
      stream = null;
      lock.notifyAll();
    }
    if (s != null) {
      s.close();
    }
    context.closed(this);
  }

  // ---------------------------------------------------------------- following

  /**
   * Learns the state of a ride looked up by id: from the first node that knows it (then followed
   * there while it is under way), else from the ledger.
   */
  void lookUp() {
    NodeCalls.Answer found;
    try {
      found = RideNodes.lookUp(context.calls(), path, null);
    } catch (NoNodeAvailableException e) {
      RideState onChain = context.ledger(key).ride(id).state();
      if (onChain != null) {
        synchronized (lock) {
          booked = true;
        }
        moved(onChain, null);
        return;
      }
      if (e.failures().stream().allMatch(f -> f.endsWith(RideNodes.NOT_HERE))) {
        throw new UnknownRideException(id, "no node knows it and the ledger has no booking of it");
      }
      throw e;
    }
    apply(found.node(), found.body());
    synchronized (lock) {
      node = found.node();
    }
    if (!state().isFinal()) {
      followFrom(found.node());
    }
  }

  /** Starts following the ride at {@code at}, the node that took the request. */
  void followFrom(URI at) {
    synchronized (lock) {
      node = at;
    }
    context.opened(this);
    try {
      openStream(at);
    } catch (RuntimeException e) {
      streamDropped(at, "cannot open the stream: " + e.getMessage());
    }
  }

  private void openStream(URI at) {
    RideStream s = RideStream.open(context.calls().http(), at, path + "/stream", context.timeoutMillis(),
        text -> onMessage(at, text), this::streamDropped).join();
    RideStream old;
    synchronized (lock) {
      if (closed) {
        s.close();
        return;
      }
      old = stream;
      stream = s;
      node = at;
    }
    if (old != null && old != s) {
      old.close();
    }
  }

  private void streamDropped(URI at, String reason) {
    synchronized (lock) {
      if (closed || state.isFinal()) {
        return;
      }
      stream = null;
    }
    context.calls().roster().markDown(at, "ride " + id + ": " + reason);
    later(() -> resync(at), 0);
  }

  /**
   * Follows a peer-served ride at the peer, once the peer knows the booking (it learns it from the
   * chain, a moment after the rider booked); until then, or while the peer is unreachable, the
   * ride stays followed where it is and the peer is tried again.
   */
  private void followServing() {
    URI at;
    synchronized (lock) {
      if (closed || state.isFinal() || servedAt == null || (stream != null && stream.node().equals(servedAt))) {
        return;
      }
      at = servedAt;
    }
    try {
      NodeCalls.Answer found = context.calls().sendTo(at, NodeCalls.Call.get(path));
      apply(at, found.body());
      openStream(at);
      LOG.info("ride {}: followed at {}, the peer node serving it", id, at);
      return;
    } catch (NodeCalls.NodeDown e) {
      LOG.debug("ride {}: the serving node {} is not reachable: {}", id, at, e.getMessage());
    } catch (NodeRefusedException e) {
      // 404 until the peer has indexed the booking.
      LOG.debug("ride {}: the serving node {} does not follow it yet: {}", id, at, e.getMessage());
    } catch (RuntimeException e) {
      LOG.debug("ride {}: not followed at the serving node {}: {}", id, at, e.toString());
    }
    later(this::followServing, SERVING_RETRY_MILLIS);
  }

  /** Finds a node that knows the ride (or re-posts the request) and follows it there. */
  private void resync(URI lost) {
    synchronized (lock) {
      if (closed || state.isFinal()) {
        return;
      }
    }
    try {
      NodeCalls.Answer found = RideNodes.lookUp(context.calls(), path, node());
      apply(found.node(), found.body());
      openStream(found.node());
      LOG.warn("ride {}: followed at {} after losing {}", id, found.node(), lost);
      URI serving;
      synchronized (lock) {
        serving = servedAt;
      }
      if (serving != null && !serving.equals(found.node())) {
        later(this::followServing, SERVING_RETRY_MILLIS);
      }
      return;
    } catch (RideCoopException e) {
      LOG.debug("ride {}: no node follows it yet: {}", id, e.getMessage());
    } catch (RuntimeException e) {
      LOG.debug("ride {}: stream not reopened: {}", id, e.toString());
    }
    boolean unbooked;
    synchronized (lock) {
      unbooked = !booked && !state.hasReached(RideState.BOOKED);
    }
    if (unbooked && request != null && request.expiry() <= NodeCalls.nowSeconds()) {
      // No node holds it and it may not be re-posted: nothing can book it any more.
      LOG.warn("ride {}: the request expired at {} and no node holds it", id, request.expiry());
      moved(RideState.EXPIRED, lost);
      return;
    }
    if (unbooked && request != null) {
      try {
        URI at = RideNodes.post(context.calls(), requestBody, id);
        LOG.warn("ride {}: request re-posted to {} after {} was lost while matching", id, at, lost);
        synchronized (lock) {
          node = at;
        }
        openStream(at);
        return;
      } catch (RuntimeException e) {
        LOG.debug("ride {}: re-post failed: {}", id, e.toString());
      }
    }
    later(() -> resync(lost), RESYNC_RETRY_MILLIS);
  }

  private void later(Runnable work, long delayMillis) {
    try {
      context.executor().schedule(work, delayMillis, TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.RejectedExecutionException e) {
      LOG.debug("ride {}: the connection is closed; no longer followed", id);
    }
  }

  private void onMessage(URI at, String text) {
    JsonNode json;
    try {
      json = context.calls().json().readTree(text);
    } catch (IOException e) {
      LOG.debug("ride {}: not JSON from {}: {}", id, at, text);
      return;
    }
    switch (json.path("type").asText()) {
      case "status" -> moved(RideState.fromWire(json.path("state").asText()), at);
      case "offer" -> addOffer(at, json.path("offer"));
      default -> LOG.debug("ride {}: {} says {}", id, at, text);
    }
  }

  /** Takes in a {@code GET /v1/rides/:id} answer. */
  private void apply(URI at, JsonNode body) {
    for (JsonNode o : body.path("offers")) {
      addOffer(at, o);
    }
    moved(RideState.fromWire(body.path("state").asText()), at);
  }

  private void addOffer(URI at, JsonNode json) {
    RideOffer offer = RideJson.offer(json, at);
    synchronized (lock) {
      if (offers.putIfAbsent(offer.offerHash(), offer) == null) {
        if (!state.hasReached(RideState.OFFERED)) {
          state = RideState.OFFERED;
          stateFrom = at;
        }
        lock.notifyAll();
      }
    }
  }

  /** A new state, unless it would go back on the normal path (a late or repeated message). */
  private void moved(RideState to, URI at) {
    if (to == null) {
      return;
    }
    synchronized (lock) {
      if (state == to || (state.hasReached(to) && !to.isFinal()) || (state.isFinal() && !to.isFinal())) {
        return;
      }
      state = to;
      stateFrom = at;
      lock.notifyAll();
    }
    RideStatus status = new RideStatus(id, to, at);
    for (Consumer<RideStatus> l : listeners) {
      try {
        l.accept(status);
      } catch (RuntimeException e) {
        LOG.warn("ride {}: a status listener failed: {}", id, e.toString());
      }
    }
  }

  private void waitUntil(long deadlineNanos, String what) {
    long left = deadlineNanos - System.nanoTime();
    if (left <= 0 || closed) {
      throw new RideCoopException("gave up waiting for " + what);
    }
    try {
      TimeUnit.NANOSECONDS.timedWait(lock, left);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RideCoopException("interrupted while waiting for " + what, e);
    }
  }
}
