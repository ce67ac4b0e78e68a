package org.ridecoop.sdk;

import java.math.BigInteger;
import java.net.URI;

/**
 * A ride's state as a node reported it.
 *
 * @param rideId the ride
 * @param state where it is
 * @param node the node that reported it
 */
public record RideStatus(BigInteger rideId, RideState state, URI node) {}
