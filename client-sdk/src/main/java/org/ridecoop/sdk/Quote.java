package org.ridecoop.sdk;

import java.net.URI;

/**
 * A node's quote for a ride: the fare of the current schedule version for the estimated distance
 * and duration. A rider usually asks for a {@code maxFare} somewhat above it.
 *
 * @param fare token base units
 * @param scheduleVersion the fare-schedule version the fare was computed with
 * @param distanceMetres estimated road distance
 * @param distanceSource how the distance was estimated (e.g. {@code great_circle_x1.3})
 * @param durationSeconds estimated duration
 * @param node the node that quoted
 */
public record Quote(long fare, int scheduleVersion, long distanceMetres, String distanceSource,
    long durationSeconds, URI node) {}
