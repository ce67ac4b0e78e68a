/**
 * The auditor anyone can run: replays a deployment's contract events from its deployment block,
 * recomputes the books (wallets, escrows, earnings, funds, dividend pools, votes, token supply,
 * proposals and ballots) and checks every rule the co-op promises against both the recomputed
 * books and the contracts' own views. {@code Auditor} runs the money and ride checks itself;
 * {@code SupplyChecks} and {@code GovernanceChecks} hold the token-supply and governance ones.
 * Read-only: it needs an RPC URL and the deployment manifest, no key.
 */
package org.ridecoop.sdk.audit;
