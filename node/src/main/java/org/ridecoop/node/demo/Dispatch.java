package org.ridecoop.node.demo;

import java.math.BigInteger;
import java.util.List;
import org.ridecoop.node.demo.People.Driver;
import org.ridecoop.node.demo.People.Rider;
import org.ridecoop.node.matching.LatLng;

/**
 * The demo's matching-and-booking phase: riders' requests in, rides booked on chain out. The
 * in-process {@link EngineDispatch} runs the node's matching engine; a network of real nodes can
 * take its place without touching the rest of the demo.
 */
interface Dispatch {

  /** {@code driver} is online and free at {@code driver.at}. */
  void driverFree(Driver driver);

  /** {@code driver} moved to {@code driver.at} while free. */
  void driverMoved(Driver driver);

  /**
   * Matches one window of requests: each rider signs a request, matched drivers sign offers, the
   * riders book them on chain.
   */
  Outcome dispatch(List<Ask> asks) throws Exception;

  /** A rider wants to go from {@code pickup} to {@code dropoff}. */
  record Ask(Rider rider, LatLng pickup, LatLng dropoff) {}

  /**
   * A ride booked on chain.
   *
   * @param bookedAt the booking block's timestamp
   * @param why the matching engine's explanation of the choice of driver
   */
  record Booking(BigInteger rideId, Ask ask, Driver driver, int etaSeconds, long bookedAt, int version,
      BigInteger maxFare, String why) {}

  /** What a window gave: bookings, and the requests no driver could take. */
  record Outcome(List<Booking> booked, List<Ask> unserved) {}
}
