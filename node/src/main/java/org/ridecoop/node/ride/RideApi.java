package org.ridecoop.node.ride;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.math.BigInteger;
import java.security.SignatureException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.ridecoop.fare.Fare;
import org.ridecoop.node.api.ApiError;
import org.ridecoop.node.api.ApiRoutes;
import org.ridecoop.node.api.OptionalField;
import org.ridecoop.node.api.StrictJson;
import org.ridecoop.node.matching.LatLng;
import org.ridecoop.node.store.CoSignedReceipt;
import org.ridecoop.node.store.OpenRequest;
import org.ridecoop.node.store.RideInProgress;
import org.ridecoop.node.store.RideState;
import org.ridecoop.node.store.SignedOffer;
import org.ridecoop.protocol.MessageSigner;
import org.ridecoop.protocol.Offer;
import org.ridecoop.protocol.RideIds;
import org.ridecoop.protocol.RideRequest;
import org.ridecoop.protocol.TripReceipt;
import org.web3j.utils.Numeric;

/**
 * The rider and driver routes under {@code /v1} (described in {@code /v1/openapi.json}). Every
 * change is authenticated: a ride request by its EIP-712 signature, everything else by a
 * {@link CallSignature}. Each refusal is a 4xx with {@code {"error","reason"}} and leaves nothing
 * stored and nothing sent; what a 2xx acknowledges is in the store before the answer leaves.
 */
final class RideApi implements ApiRoutes {

  /** Average city speed for quotes without a duration: 25 km/h, in metres per second. */
  static final double CITY_SPEED_MPS = 25_000.0 / 3600.0;

  private static final Pattern ADDRESS = Pattern.compile("0x[0-9a-fA-F]{40}");
  private static final Pattern HASH = Pattern.compile("0x[0-9a-fA-F]{64}");
  private static final Pattern SIGNATURE = Pattern.compile("0x[0-9a-fA-F]{130}");
  private static final Pattern CELL = Pattern.compile("[0-9a-fA-F]{15,16}");
  private static final long MAX_UINT32 = 0xFFFF_FFFFL;

  record Point(double lat, double lng) {
    LatLng latLng(String field) {
      try {
        return new LatLng(lat, lng);
      } catch (IllegalArgumentException e) {
        throw ApiError.badRequest("invalid_value", "field '" + field + "': " + e.getMessage());
      }
    }
  }

  record QuoteBody(Point pickup, Point dropoff, @OptionalField List<Point> route, @OptionalField Long durationSeconds) {}

  record RequestFields(String rider, String pickupCell, String dropoffCell, long maxFare, long rideNonce, long expiry,
      String salt) {}

  record RideRequestBody(RequestFields request, String signature, Point pickup, Point dropoff) {}

  record PositionBody(double lat, double lng) {}

  record SignatureBody(String signature) {}

  record ReceiptBody(long distanceMetres, long durationSeconds, long pickupAt, long dropoffAt, String routeHash) {}

  record Empty() {}

  private final RideDesk desk;

  RideApi(RideDesk desk) {
    this.desk = desk;
  }

  @Override
  public void mount(Router router) {
    router.post("/v1/quotes").handler(ctx -> reply(ctx, 200, () -> quote(ctx)));
    router.post("/v1/rides").handler(ctx -> reply(ctx, 202, () -> request(ctx)));
    router.get("/v1/rides/:id/stream").handler(this::rideStream);
    router.get("/v1/rides/:id").handler(ctx -> reply(ctx, 200, () -> ride(ctx)));
    router.post("/v1/rides/:id/cancel").handler(ctx -> reply(ctx, 200, () -> cancel(ctx)));
    router.post("/v1/rides/:id/arrived").handler(ctx -> reply(ctx, 200, () -> driverMove(ctx, RideState.BOOKED, RideState.ARRIVED)));
    router.post("/v1/rides/:id/pickup").handler(ctx -> reply(ctx, 200, () -> pickup(ctx)));
    router.post("/v1/rides/:id/dropoff").handler(ctx -> reply(ctx, 200, () -> dropoff(ctx)));
    router.post("/v1/rides/:id/receipt/cosign").handler(ctx -> reply(ctx, 200, () -> cosign(ctx)));
    router.post("/v1/rides/:id/dispute").handler(ctx -> reply(ctx, 200, () -> dispute(ctx)));
    router.get("/v1/drivers/:addr/stream").handler(this::driverStream);
    router.get("/v1/drivers/:addr/earnings").handler(ctx -> reply(ctx, 200, () -> earnings(ctx)));
    router.post("/v1/drivers/:addr/online").handler(ctx -> reply(ctx, 200, () -> online(ctx)));
    router.post("/v1/drivers/:addr/location").handler(ctx -> reply(ctx, 200, () -> location(ctx)));
    router.post("/v1/drivers/:addr/offline").handler(ctx -> reply(ctx, 200, () -> offline(ctx)));
    router.post("/v1/drivers/:addr/offers/:hash/accept").handler(ctx -> reply(ctx, 200, () -> accept(ctx)));
    router.post("/v1/drivers/:addr/offers/:hash/decline").handler(ctx -> reply(ctx, 200, () -> decline(ctx)));
  }

  /**
   * Runs a route's work on the desk's event loop (the desk's state lives there) and answers on the
   * HTTP connection's own context.
   */
  private void reply(RoutingContext ctx, int status, Supplier<Future<JsonObject>> work) {
    Context http = Vertx.currentContext();
    // The call's signature is recovered on a worker first: the desk's loop is kept for its state.
    CallSignature.prepare(ctx, desk.clock()).compose(v -> desk.onDesk(work)).onComplete(ar -> http.runOnContext(v -> {
      if (ar.succeeded()) {
        ctx.response().setStatusCode(status).putHeader("content-type", "application/json").end(ar.result().encode());
      } else {
        ctx.fail(ar.cause());
      }
    }));
  }

  // ---------------------------------------------------------------- rider

  private Future<JsonObject> quote(RoutingContext ctx) {
    QuoteBody q = StrictJson.read(ctx, QuoteBody.class);
    LatLng from = q.pickup().latLng("pickup");
    LatLng to = q.dropoff().latLng("dropoff");
    long metres;
    String source;
    if (q.route() != null && !q.route().isEmpty()) {
      if (q.route().size() < 2) {
        throw ApiError.badRequest("invalid_value", "field 'route' needs at least two points");
      }
      metres = 0;
      LatLng prev = q.route().get(0).latLng("route[0]");
      for (int i = 1; i < q.route().size(); i++) {
        LatLng next = q.route().get(i).latLng("route[" + i + "]");
        metres += prev.metresTo(next);
        prev = next;
      }
      if (metres > MAX_UINT32) {
        throw ApiError.badRequest("invalid_value", "field 'route' is longer than " + MAX_UINT32 + " metres");
      }
      source = "route";
    } else {
      metres = Math.round(from.metresTo(to) * desk.settings().detourFactor());
      source = "great_circle_x" + desk.settings().detourFactor();
    }
    // The receipt carries uint32 seconds; a larger value would overflow the fare's arithmetic (500).
    if (q.durationSeconds() != null && (q.durationSeconds() < 0 || q.durationSeconds() > MAX_UINT32)) {
      throw ApiError.badRequest("invalid_value", "field 'durationSeconds' must be 0.." + MAX_UINT32);
    }
    long seconds = q.durationSeconds() != null ? q.durationSeconds() : Math.round(metres / CITY_SPEED_MPS);
    long distance = metres;
    return desk.chain().currentScheduleVersion().compose(version -> desk.chain().fareParams(version)
        .map(params -> new JsonObject()
            .put("scheduleVersion", version)
            .put("distanceMetres", distance)
            .put("distanceSource", source)
            .put("durationSeconds", seconds)
            .put("durationSource", q.durationSeconds() != null ? "client" : "city_speed_25kmh")
            .put("fare", Fare.of(params, distance, seconds))));
  }

  private Future<JsonObject> request(RoutingContext ctx) {
    RideRequestBody body = StrictJson.read(ctx, RideRequestBody.class);
    RequestFields f = body.request();
    if (!ADDRESS.matcher(f.rider()).matches()) {
      throw ApiError.badRequest("invalid_value", "field 'request.rider' must be a 0x address");
    }
    long pickupCell = cell(f.pickupCell(), "request.pickupCell");
    long dropoffCell = cell(f.dropoffCell(), "request.dropoffCell");
    if (f.maxFare() <= 0 || f.maxFare() > MAX_UINT32) {
      throw ApiError.badRequest("invalid_value", "field 'request.maxFare' must be 1.." + MAX_UINT32);
    }
    if (f.rideNonce() < 0 || f.rideNonce() > MAX_UINT32) {
      throw ApiError.badRequest("invalid_value", "field 'request.rideNonce' must be 0.." + MAX_UINT32);
    }
    // The salt hides the cells behind the request hash that goes on chain: without it they are found by brute force.
    if (f.salt() == null || !HASH.matcher(f.salt()).matches()) {
      throw ApiError.badRequest("invalid_value", "field 'request.salt' must be 32 random bytes as 0x hex");
    }
    LatLng pickup = body.pickup().latLng("pickup");
    LatLng dropoff = body.dropoff().latLng("dropoff");
    if (desk.requestCell(pickup) != pickupCell) {
      throw ApiError.badRequest("invalid_value", "'request.pickupCell' is not the resolution-"
          + RideDesk.REQUEST_CELL_RESOLUTION + " cell of 'pickup' (" + Long.toHexString(desk.requestCell(pickup)) + ")");
    }
    if (desk.requestCell(dropoff) != dropoffCell) {
      throw ApiError.badRequest("invalid_value", "'request.dropoffCell' is not the resolution-"
          + RideDesk.REQUEST_CELL_RESOLUTION + " cell of 'dropoff' (" + Long.toHexString(desk.requestCell(dropoff)) + ")");
    }
    if (!desk.serves(pickupCell)) {
      // Nobody would ever be asked: refused now rather than left to expire unmatched.
      throw ApiError.badRequest("outside_service_area", "no node of the network serves the pickup cell "
          + Long.toHexString(pickupCell) + " (neither this node's service area nor a known peer's)");
    }
    RideRequest request = new RideRequest(f.rider(), pickupCell, dropoffCell, BigInteger.valueOf(f.maxFare()),
        f.rideNonce(), f.expiry(), Numeric.hexStringToByteArray(f.salt()));
    SignedRideRequest signed = new SignedRideRequest(request, signature(body.signature(), "signature"));
    // Recovering the rider's key is the dearest step: on a worker, not on the desk's loop.
    return desk.offLoop(() -> signed.signedByRider(desk.chain().ledgerDomain())).compose(byRider -> {
      if (!byRider) {
        return Future.failedFuture(CallSignature.unauthorized("the request is not signed by its rider " + f.rider()));
      }
      if (f.expiry() < desk.nowSeconds()) {
        return Future.failedFuture(CallSignature.unauthorized("the request expired at " + f.expiry()));
      }
      if (f.expiry() > desk.nowSeconds() + desk.maxRequestAheadSeconds()) {
        // The ledger checks expiries against block time: a chain whose clock runs ahead of ours
        // (a development chain moved forward) is asked before the request is called absurd.
        return desk.chain().latestBlockTime().compose(chainNow -> f.expiry() > chainNow + desk.maxRequestAheadSeconds()
            ? Future.failedFuture(ApiError.badRequest("invalid_value", "field 'request.expiry' is more than "
                + desk.maxRequestAheadSeconds() + " s ahead (matching.maxRequestAheadSeconds)"))
            : Future.succeededFuture(signed));
      }
      return Future.succeededFuture(signed);
    }).compose(checked -> {
      Optional<RideDesk.Pending> same = desk.pendingByHash(signed.requestHash());
      if (same.isPresent()) {
        // The same signed request again (a retry): answered as the first time, nothing changes.
        return Future.failedFuture(new Accepted(accepted(same.get())));
      }
      Optional<RideDesk.Pending> sameRide = desk.pending(RideIds.of(f.rider(), f.rideNonce()));
      if (sameRide.isPresent()) {
        return Future.failedFuture(new ApiError(409, "ride_nonce_in_use", "ride nonce " + f.rideNonce()
            + " of " + f.rider() + " is already being matched for another request ("
            + sameRide.get().requestHash() + "); one request per ride nonce"));
      }
      desk.reserveRequestSlot();
      return desk.chain().nextRideNonce(f.rider())
          .compose(nonce -> store(desk, f, request, signed, pickup, dropoff, nonce))
          .onComplete(ar -> desk.releaseRequestSlot());
    }).recover(e -> e instanceof Accepted a ? Future.succeededFuture(a.answer) : Future.failedFuture(e));
  }

  /** Stores a checked request and starts matching it: what {@code POST /v1/rides} acknowledges. */
  private static Future<JsonObject> store(RideDesk desk, RequestFields f, RideRequest request,
      SignedRideRequest signed, LatLng pickup, LatLng dropoff, long nonce) {
    if (nonce != f.rideNonce()) {
      return Future.failedFuture(new ApiError(409, "wrong_ride_nonce",
          "the rider's next ride nonce on the ledger is " + nonce + ", not " + f.rideNonce()));
    }
    OpenRequest open = new OpenRequest(request, signed.riderSignature(), desk.clock().millis());
    return desk.store().rides().openRequest(open).compose(isNew -> {
      if (!isNew) {
        return Future.failedFuture(new ApiError(409, "duplicate", "this request was received before"));
      }
      RideDesk.Pending p = new RideDesk.Pending(signed, pickup, dropoff);
      if (desk.pending(p.rideId).isPresent()) {
        // A variant for the same ride nonce got in while this one was checked: keep the first.
        return desk.store().rides().closeRequest(signed.requestHash()).compose(v -> Future.failedFuture(
            new ApiError(409, "ride_nonce_in_use", "ride nonce " + f.rideNonce() + " of " + f.rider()
                + " is already being matched for another request")));
      }
      desk.submit(p);
      return Future.succeededFuture(accepted(p));
    });
  }

  private static JsonObject accepted(RideDesk.Pending p) {
    return new JsonObject()
        .put("rideId", p.rideId.toString())
        .put("requestHash", p.requestHash())
        .put("state", "requested");
  }

  /** Short-cuts the checks of a request already accepted: its first answer is given again. */
  private static final class Accepted extends RuntimeException {
    final JsonObject answer;

    Accepted(JsonObject answer) {
      super(null, null, false, false);
      this.answer = answer;
    }
  }

  private Future<JsonObject> ride(RoutingContext ctx) {
    BigInteger id = rideId(ctx);
    return desk.store().rides().ride(id).compose(found -> {
      if (found.isPresent()) {
        RideInProgress r = found.get();
        JsonObject json = new JsonObject().put("rideId", id.toString()).put("state", RideJson.state(r.state()))
            .put("rider", r.rider()).put("driver", r.driver()).put("maxFare", r.maxFare().longValueExact())
            .put("scheduleVersion", r.scheduleVersion());
        return desk.store().rides().receiptDraft(id).map(draft -> {
          draft.ifPresent(d -> json.put("receipt", RideJson.receipt(d))
              .put("receiptDigest", Numeric.toHexString(desk.chain().ledgerDomain().digest(d.structHash()))));
          return json;
        });
      }
      Optional<RideDesk.Pending> p = desk.pending(id);
      if (p.isEmpty()) {
        return Future.failedFuture(ApiError.notFound("no ride " + id + " on this node"));
      }
      JsonArray offers = desk.offers(p.get());
      JsonObject matching = desk.matchingStatus(p.get());
      // Signed offers in hand are "offered" whatever else is under way (peers may still be asked).
      String state = !offers.isEmpty() ? "offered" : matching.getString("state");
      JsonObject json = new JsonObject().put("rideId", id.toString())
          .put("state", state)
          .put("requestHash", p.get().requestHash())
          .put("offers", offers);
      if (state.equals(matching.getString("state")) && matching.containsKey("why")) {
        json.put("why", matching.getString("why"));
      }
      return Future.succeededFuture(json);
    });
  }

  private Future<JsonObject> cancel(RoutingContext ctx) {
    StrictJson.read(ctx, Empty.class);
    BigInteger id = rideId(ctx);
    CallSignature.Verified call = CallSignature.verify(ctx, desk.clock());
    Optional<RideDesk.Pending> p = desk.pending(id);
    if (p.isEmpty()) {
      return desk.store().rides().ride(id).compose(r -> Future.failedFuture(r.isEmpty()
          ? ApiError.notFound("no ride " + id + " on this node")
          : new ApiError(409, "out_of_order", "ride " + id + " is booked: cancel it on the ledger"
              + " (RideLedger.cancelByRider); the node follows the chain")));
    }
    requireCaller(call, p.get().signed.request().rider(), "the rider");
    return call.useNonce(desk.store().nonces())
        .compose(v -> desk.store().rides().closeRequest(p.get().requestHash()))
        .map(v -> {
          desk.cancelRequest(p.get());
          return new JsonObject().put("rideId", id.toString()).put("state", "cancelled");
        });
  }

  private Future<JsonObject> cosign(RoutingContext ctx) {
    SignatureBody body = StrictJson.read(ctx, SignatureBody.class);
    byte[] signature = signature(body.signature(), "signature");
    BigInteger id = rideId(ctx);
    CallSignature.Verified call = CallSignature.verify(ctx, desk.clock());
    return existingRide(id).compose(ride -> {
      requireCaller(call, ride.rider(), "the rider");
      if (ride.state() != RideState.DROPPED_OFF) {
        return Future.failedFuture(outOfOrder(id, ride.state(), "co-signed"));
      }
      return desk.store().rides().receiptDraft(id).compose(draft -> {
        TripReceipt receipt = draft.orElseThrow();
        String signer;
        try {
          signer = MessageSigner.recover(desk.chain().ledgerDomain(), receipt.structHash(), signature);
        } catch (SignatureException e) {
          return Future.failedFuture(CallSignature.unauthorized("bad receipt signature: " + e.getMessage()));
        }
        if (!signer.equalsIgnoreCase(ride.rider())) {
          return Future.failedFuture(CallSignature.unauthorized("the receipt signature is not by the rider"));
        }
        return call.useNonce(desk.store().nonces())
            // Handed to the node's settlement queue, which completes once the receipt is on disk:
            // the answer leaves after that, so an acknowledged fare cannot be lost.
            .compose(v -> desk.settlement().enqueue(new CoSignedReceipt(receipt, signature)))
            .compose(v -> desk.store().rides().moveRide(id, RideState.DROPPED_OFF, RideState.RECEIPT_COSIGNED))
            .map(moved -> {
              desk.rideMoved(id, RideState.RECEIPT_COSIGNED);
              return new JsonObject().put("rideId", id.toString()).put("state", "receipt_cosigned");
            });
      });
    });
  }

  private Future<JsonObject> dispute(RoutingContext ctx) {
    StrictJson.read(ctx, Empty.class);
    BigInteger id = rideId(ctx);
    CallSignature.Verified call = CallSignature.verify(ctx, desk.clock());
    return existingRide(id).compose(ride -> {
      requireCaller(call, ride.rider(), "the rider");
      if (ride.state() == RideState.RECEIPT_COSIGNED) {
        // The rider signed the receipt: on the ledger a co-signed receipt settles with no dispute
        // window, and this node's settlement queue already holds it. Saying "disputed" here while
        // the fare is being paid would be a lie; the rider's recourse is the committee, not us.
        return Future.failedFuture(new ApiError(409, "receipt_cosigned", "ride " + id
            + ": receipt co-signed; settlement under way (a co-signed receipt cannot be disputed)"));
      }
      if (!ride.state().canMoveTo(RideState.DISPUTED)) {
        return Future.failedFuture(outOfOrder(id, ride.state(), "disputed"));
      }
      return call.useNonce(desk.store().nonces())
          .compose(v -> desk.store().rides().moveRide(id, ride.state(), RideState.DISPUTED))
          .compose(moved -> moved ? Future.succeededFuture(moved)
              : Future.failedFuture(new ApiError(409, "out_of_order", "ride " + id + " moved meanwhile")))
          .map(v -> {
            desk.rideMoved(id, RideState.DISPUTED);
            return new JsonObject().put("rideId", id.toString()).put("state", "disputed");
          });
    });
  }

  // ---------------------------------------------------------------- driver

  private Future<JsonObject> online(RoutingContext ctx) {
    PositionBody body = StrictJson.read(ctx, PositionBody.class);
    LatLng at = new Point(body.lat(), body.lng()).latLng("position");
    String driver = driverCall(ctx);
    CallSignature.Verified call = CallSignature.verify(ctx, desk.clock());
    requireCaller(call, driver, "the driver");
    return desk.chain().isActiveDriver(driver).compose(active -> {
      if (!active) {
        return Future.failedFuture(new ApiError(403, "not_active_driver", driver + " is not an active driver on the ledger"));
      }
      return call.useNonce(desk.store().nonces());
    }).map(v -> {
      desk.driverOnline(driver, at);
      return new JsonObject().put("driver", driver).put("state", "online");
    });
  }

  private Future<JsonObject> location(RoutingContext ctx) {
    PositionBody body = StrictJson.read(ctx, PositionBody.class);
    LatLng at = new Point(body.lat(), body.lng()).latLng("position");
    String driver = driverCall(ctx);
    CallSignature.Verified call = CallSignature.verify(ctx, desk.clock());
    requireCaller(call, driver, "the driver");
    if (!desk.isOnline(driver)) {
      throw new ApiError(409, "out_of_order", driver + " is not online");
    }
    return call.useNonce(desk.store().nonces()).map(v -> {
      desk.driverMoved(driver, at);
      return new JsonObject().put("driver", driver).put("state", "online");
    });
  }

  private Future<JsonObject> offline(RoutingContext ctx) {
    StrictJson.read(ctx, Empty.class);
    String driver = driverCall(ctx);
    CallSignature.Verified call = CallSignature.verify(ctx, desk.clock());
    requireCaller(call, driver, "the driver");
    return call.useNonce(desk.store().nonces()).map(v -> {
      desk.driverOffline(driver);
      return new JsonObject().put("driver", driver).put("state", "offline");
    });
  }

  private Future<JsonObject> accept(RoutingContext ctx) {
    SignatureBody body = StrictJson.read(ctx, SignatureBody.class);
    byte[] signature = signature(body.signature(), "signature");
    String driver = driverCall(ctx);
    String hash = requestHash(ctx);
    CallSignature.Verified call = CallSignature.verify(ctx, desk.clock());
    requireCaller(call, driver, "the driver");
    RideDesk.Pending p = desk.outstandingWith(hash, driver).orElseThrow(() -> offerGone(hash, driver));
    Offer offer = p.outstanding;
    SignedOffer signed = new SignedOffer(offer, signature, desk.clock().millis());
    return desk.offLoop(() -> {
      try {
        return MessageSigner.recover(desk.chain().ledgerDomain(), offer.structHash(), signature);
      } catch (SignatureException e) {
        throw CallSignature.unauthorized("bad offer signature: " + e.getMessage());
      }
    }).compose(signer -> {
      if (!signer.equalsIgnoreCase(driver)) {
        return Future.failedFuture(CallSignature.unauthorized("the offer signature is not by " + driver));
      }
      // Back on the desk: the offer may have timed out or been withdrawn while the key was recovered.
      if (desk.outstandingWith(hash, driver).orElse(null) != p || p.outstanding != offer) {
        return Future.failedFuture(offerGone(hash, driver));
      }
      return call.useNonce(desk.store().nonces());
    }).compose(v -> p.forPeer != null ? Future.<Void>succeededFuture() : desk.store().rides().saveOffer(signed))
    .map(v -> {
      desk.accepted(p, signed);
      return new JsonObject().put("requestHash", hash).put("state", "accepted")
          .put("offer", RideJson.signedOffer(signed, null));
    });
  }

  private Future<JsonObject> decline(RoutingContext ctx) {
    StrictJson.read(ctx, Empty.class);
    String driver = driverCall(ctx);
    String hash = requestHash(ctx);
    CallSignature.Verified call = CallSignature.verify(ctx, desk.clock());
    requireCaller(call, driver, "the driver");
    RideDesk.Pending p = desk.outstandingWith(hash, driver).orElseThrow(() -> new ApiError(409, "offer_gone",
        "no offer for request " + hash + " is outstanding with " + driver));
    return call.useNonce(desk.store().nonces()).map(v -> {
      desk.declined(p, driver);
      return new JsonObject().put("requestHash", hash).put("state", "declined");
    });
  }

  private Future<JsonObject> pickup(RoutingContext ctx) {
    // Straight from booked when the driver did not report arriving.
    return driverMove(ctx, null, RideState.PICKED_UP);
  }

  private Future<JsonObject> driverMove(RoutingContext ctx, RideState from, RideState to) {
    StrictJson.read(ctx, Empty.class);
    BigInteger id = rideId(ctx);
    CallSignature.Verified call = CallSignature.verify(ctx, desk.clock());
    return existingRide(id).compose(ride -> {
      requireCaller(call, ride.driver(), "the ride's driver");
      RideState source = from != null ? from : ride.state();
      if (ride.state() != source || !source.canMoveTo(to)) {
        return Future.failedFuture(outOfOrder(id, ride.state(), RideJson.state(to)));
      }
      return call.useNonce(desk.store().nonces())
          .compose(v -> desk.store().rides().moveRide(id, source, to))
          .compose(moved -> moved ? Future.succeededFuture(moved)
              : Future.failedFuture(new ApiError(409, "out_of_order", "ride " + id + " moved meanwhile")))
          .map(v -> {
            desk.rideMoved(id, to);
            return new JsonObject().put("rideId", id.toString()).put("state", RideJson.state(to));
          });
    });
  }

  private Future<JsonObject> dropoff(RoutingContext ctx) {
    ReceiptBody body = StrictJson.read(ctx, ReceiptBody.class);
    BigInteger id = rideId(ctx);
    if (body.distanceMetres() < 0 || body.distanceMetres() > MAX_UINT32
        || body.durationSeconds() < 0 || body.durationSeconds() > MAX_UINT32) {
      throw ApiError.badRequest("invalid_value", "distanceMetres and durationSeconds must be 0.." + MAX_UINT32);
    }
    if (body.pickupAt() < 0 || body.dropoffAt() < body.pickupAt()) {
      throw ApiError.badRequest("invalid_value", "need 0 <= pickupAt <= dropoffAt");
    }
    if (!HASH.matcher(body.routeHash()).matches()) {
      throw ApiError.badRequest("invalid_value", "field 'routeHash' must be 32 bytes as 0x hex");
    }
    TripReceipt receipt = new TripReceipt(id, body.distanceMetres(), body.durationSeconds(), body.pickupAt(),
        body.dropoffAt(), Numeric.hexStringToByteArray(body.routeHash()));
    CallSignature.Verified call = CallSignature.verify(ctx, desk.clock());
    return existingRide(id).compose(ride -> {
      requireCaller(call, ride.driver(), "the ride's driver");
      if (ride.state() != RideState.PICKED_UP) {
        return Future.failedFuture(outOfOrder(id, ride.state(), "dropped_off"));
      }
      return call.useNonce(desk.store().nonces())
          .compose(v -> desk.store().rides().dropOff(receipt))
          .compose(moved -> moved ? Future.succeededFuture(moved)
              : Future.failedFuture(new ApiError(409, "out_of_order", "ride " + id + " moved meanwhile")))
          .map(v -> {
            desk.rideMoved(id, RideState.DROPPED_OFF);
            return new JsonObject().put("rideId", id.toString()).put("state", "dropped_off")
                .put("receipt", RideJson.receipt(receipt))
                .put("receiptDigest", Numeric.toHexString(desk.chain().ledgerDomain().digest(receipt.structHash())));
          });
    });
  }

  private Future<JsonObject> earnings(RoutingContext ctx) {
    String driver = address(ctx.pathParam("addr"), "driver address");
    return desk.chain().earnings(driver).map(e -> new JsonObject().put("driver", driver).put("earnings", e.longValueExact()));
  }

  // ---------------------------------------------------------------- streams

  private void driverStream(RoutingContext ctx) {
    String driver = driverCall(ctx);
    // Offers carry the rider's exact pickup: only the driver may listen. The handshake is signed
    // like a call (GET, empty body); its nonce is not stored, the short expiry bounds a replay, and
    // the upgrade stays synchronous (a late upgrade finds the request already read).
    CallSignature.Verified call = CallSignature.verify(ctx, desk.clock());
    requireCaller(call, driver, "the driver");
    Context http = Vertx.currentContext();
    ctx.request().toWebSocket()
        .onSuccess(ws -> desk.onDesk(() -> {
          desk.addDriverSocket(driver, ws, http);
          return Future.succeededFuture();
        }))
        .onFailure(ctx::fail);
  }

  private void rideStream(RoutingContext ctx) {
    BigInteger id = rideId(ctx);
    // Upgrade at once: the handshake must not wait on the store (the request would be read by then).
    Context http = Vertx.currentContext();
    ctx.request().toWebSocket().onSuccess(ws -> desk.onDesk(() -> desk.followRide(id, ws, http)))
        .onFailure(ctx::fail);
  }

  // ---------------------------------------------------------------- checks

  private Future<RideInProgress> existingRide(BigInteger id) {
    return desk.store().rides().ride(id).compose(r -> r.isPresent() ? Future.succeededFuture(r.get())
        : Future.failedFuture(desk.pending(id).isPresent()
            ? new ApiError(409, "out_of_order", "ride " + id + " is not booked on the ledger yet")
            : ApiError.notFound("no ride " + id + " on this node")));
  }

  private String driverCall(RoutingContext ctx) {
    String driver = address(ctx.pathParam("addr"), "driver address");
    if (!desk.isLocalDriver(driver)) {
      throw ApiError.notFound(driver + " is not a driver of this node");
    }
    return driver;
  }

  private static void requireCaller(CallSignature.Verified call, String expected, String who) {
    if (!call.caller().equalsIgnoreCase(expected)) {
      throw new ApiError(403, "forbidden", "only " + who + " (" + expected + ") may do this, not " + call.caller());
    }
  }

  private static ApiError offerGone(String hash, String driver) {
    return new ApiError(409, "offer_gone",
        "no offer for request " + hash + " is outstanding with " + driver + " (answered, timed out or withdrawn)");
  }

  private static ApiError outOfOrder(BigInteger id, RideState state, String wanted) {
    return new ApiError(409, "out_of_order", "ride " + id + " is " + RideJson.state(state) + "; it cannot be " + wanted + " now");
  }

  private static BigInteger rideId(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    if (id == null || !id.matches("[0-9]{1,78}")) {
      throw ApiError.notFound("no ride " + id + " (ride ids are decimal)");
    }
    return new BigInteger(id);
  }

  private static String requestHash(RoutingContext ctx) {
    String h = ctx.pathParam("hash");
    if (h == null || !HASH.matcher(h).matches()) {
      throw ApiError.notFound("no request " + h + " (request hashes are 32 bytes as 0x hex)");
    }
    return h.toLowerCase(Locale.ROOT);
  }

  private static String address(String a, String what) {
    if (a == null || !ADDRESS.matcher(a).matches()) {
      throw ApiError.notFound("no " + what + " " + a);
    }
    return a.toLowerCase(Locale.ROOT);
  }

  private static long cell(String hex, String field) {
    if (!CELL.matcher(hex).matches()) {
      throw ApiError.badRequest("invalid_value", "field '" + field + "' must be an H3 cell in hex");
    }
    return Long.parseUnsignedLong(hex, 16);
  }

  private static byte[] signature(String hex, String field) {
    if (!SIGNATURE.matcher(hex).matches()) {
      throw ApiError.badRequest("invalid_value", "field '" + field + "' must be 65 bytes as 0x hex");
    }
    return Numeric.hexStringToByteArray(hex);
  }
}
