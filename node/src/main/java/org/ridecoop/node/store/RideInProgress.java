package org.ridecoop.node.store;

import java.math.BigInteger;

/**
 * A ride booked on chain that this node follows until it is settled or cancelled.
 *
 * @param rideId the on-chain ride id
 * @param rider the rider's address
 * @param driver the driver's address
 * @param maxFare the escrowed maximum, in token base units
 * @param scheduleVersion the fare schedule version the offer was made under
 * @param state where the ride stands
 * @param createdAt when this node recorded it (unix ms)
 * @param updatedAt when its state last changed (unix ms)
 */
public record RideInProgress(
    BigInteger rideId,
    String rider,
    String driver,
    BigInteger maxFare,
    int scheduleVersion,
    RideState state,
    long createdAt,
    long updatedAt) {}
