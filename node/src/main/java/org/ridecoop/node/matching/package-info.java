/**
 * Real-time matching of ride requests to a node's online drivers: an H3 cell index of drivers, a
 * ring search outward from the pickup for the nearest free drivers by ETA, and batched assignment
 * of the requests of a short window that minimises their total pickup time. Each offer says why
 * its driver was chosen.
 *
 * <p>Plain domain code: nothing here knows HTTP, Vert.x, the chain or the store, so it is tested
 * and benchmarked alone. {@link org.ridecoop.node.matching.MatchingEngine} is the entry point and
 * documents the threading model (single writer on one event loop, no locks).
 */
package org.ridecoop.node.matching;
