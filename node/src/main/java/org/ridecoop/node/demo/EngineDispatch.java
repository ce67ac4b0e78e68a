package org.ridecoop.node.demo;

import com.uber.h3core.H3Core;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.ridecoop.fare.Fare;
import org.ridecoop.fare.FareParams;
import org.ridecoop.node.demo.People.Driver;
import org.ridecoop.node.matching.DriverId;
import org.ridecoop.node.matching.MatchOutcome;
import org.ridecoop.node.matching.MatchingConfig;
import org.ridecoop.node.matching.MatchingEngine;
import org.ridecoop.node.matching.Offer;
import org.ridecoop.node.matching.RideId;
import org.ridecoop.protocol.ContractStructs;
import org.ridecoop.protocol.MessageSigner;
import org.ridecoop.protocol.RideRequest;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.utils.Numeric;

/**
 * Matching and booking in one process, as one node serving every driver would do it: the
 * node's {@link MatchingEngine} assigns each window of signed requests together, the chosen
 * drivers accept and sign EIP-712 offers, the riders book them on the ledger.
 */
final class EngineDispatch implements Dispatch {
  /** Privacy: requests name H3 cells of this resolution (about 5 km²), never addresses. */
  private static final int REQUEST_CELL_RESOLUTION = 7;
  /** A rider accepts to lock this much over the quote, for traffic. */
  private static final BigInteger MARGIN_PERCENT = BigInteger.valueOf(125);
  private static final long VALIDITY_SECONDS = 600;

  private final Coop coop;
  private final City city;
  private final MatchingEngine engine;
  private final Map<DriverId, Driver> drivers = new HashMap<>();
  private final H3Core h3;

  EngineDispatch(Coop coop, City city) {
    this.coop = coop;
    this.city = city;
    // A small fleet for a whole city: search far (30 min) so nobody is left for want of a ring.
    this.engine = new MatchingEngine(new MatchingConfig(8, Duration.ofMillis(250), 4, 32, 1_800, 80,
        Duration.ofSeconds(15), 5));
    try {
      this.h3 = H3Core.newInstance();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void driverFree(Driver driver) {
    DriverId id = new DriverId(driver.address());
    drivers.put(id, driver);
    engine.driverOnline(id, driver.at);
  }

  @Override
  public void driverMoved(Driver driver) {
    engine.driverMoved(new DriverId(driver.address()), driver.at);
  }

  @Override
  public Outcome dispatch(List<Ask> asks) throws Exception {
    int version = coop.currentVersion();
    FareParams fare = coop.fareParams(version);
    long now = coop.now();
    Map<RideId, Signed> waiting = new HashMap<>();
    for (Ask ask : asks) {
      long metres = city.routeMetres(ask.pickup(), ask.dropoff());
      BigInteger quote = BigInteger.valueOf(Fare.of(fare, metres, city.seconds(metres)));
      BigInteger maxFare = new java.math.BigDecimal(quote.multiply(MARGIN_PERCENT))
          .divide(java.math.BigDecimal.valueOf(100 * 100_000L), 0, RoundingMode.CEILING)
          .toBigInteger().multiply(BigInteger.valueOf(100_000)); // rounded up to 0.10 EUR
      long nonce = coop.nextRideNonce(ask.rider().address());
      RideRequest request = new RideRequest(ask.rider().address(),
          h3.latLngToCell(ask.pickup().lat(), ask.pickup().lng(), REQUEST_CELL_RESOLUTION),
          h3.latLngToCell(ask.dropoff().lat(), ask.dropoff().lng(), REQUEST_CELL_RESOLUTION),
          maxFare, nonce, now + VALIDITY_SECONDS, RideRequest.newSalt());
      byte[] hash = request.structHash();
      byte[] signature = MessageSigner.sign(coop.ledgerDomain, hash, ask.rider().key);
      // The node takes only requests the rider really signed.
      if (!MessageSigner.recover(coop.ledgerDomain, hash, signature).equalsIgnoreCase(ask.rider().address())) {
        continue;
      }
      RideId id = new RideId(Numeric.toHexString(hash));
      waiting.put(id, new Signed(ask, request, hash));
      engine.submit(new org.ridecoop.node.matching.RideRequest(id, ask.pickup()));
    }

    List<Booking> booked = new ArrayList<>();
    List<Ask> unserved = new ArrayList<>();
    for (MatchOutcome outcome : engine.closeWindow(Instant.ofEpochSecond(now))) {
      Signed s = waiting.get(outcome.ride());
      if (!(outcome instanceof Offer o)) {
        unserved.add(s.ask);
        continue;
      }
      Driver driver = drivers.get(o.driver());
      engine.accepted(o.ride(), o.driver());
      org.ridecoop.protocol.Offer offer = new org.ridecoop.protocol.Offer(s.hash, s.ask.rider().address(),
          driver.address(), s.request.maxFare(), s.request.rideNonce(), o.why().etaSeconds(), version,
          now + VALIDITY_SECONDS);
      byte[] driverSignature = MessageSigner.sign(coop.ledgerDomain, offer.structHash(), driver.key);
      try {
        TransactionReceipt r = coop.ledger(s.ask.rider().key).book(ContractStructs.offer(offer), ContractStructs.signature(driverSignature)).send();
        coop.bookingGas.addAndGet(r.getGasUsed().longValueExact());
        booked.add(new Booking(offer.rideId(), s.ask, driver, o.why().etaSeconds(), coop.timeOf(r), version,
            offer.maxFare(), o.why().describe()));
      } catch (Exception e) {
        // The booking did not happen (e.g. the wallet ran dry): the driver is free again.
        driverFree(driver);
        unserved.add(s.ask);
      }
    }
    return new Outcome(booked, unserved);
  }

  private record Signed(Ask ask, RideRequest request, byte[] hash) {}
}
