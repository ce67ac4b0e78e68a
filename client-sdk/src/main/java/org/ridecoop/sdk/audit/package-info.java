/**
 * The auditor anyone can run: replays a deployment's contract events from its deployment block,
 * recomputes the books (wallets, escrows, earnings, funds, dividend pools, votes) and checks every
 * rule the co-op promises against both the recomputed books and the contracts' own views.
 * Read-only: it needs an RPC URL and the deployment manifest, no key.
 */
package org.ridecoop.sdk.audit;
