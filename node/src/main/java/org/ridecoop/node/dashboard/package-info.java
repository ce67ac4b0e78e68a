/**
 * The operator's view of a node: {@code GET /v1/node/status} (rides by state, today's settled rides
 * and earnings per driver, the settlement queue, the indexer's lag behind the chain, the peers,
 * uptime) and {@code GET /dashboard}, one static page that shows it and refreshes itself.
 * Read-only; no secrets and no locations.
 */
package org.ridecoop.node.dashboard;
