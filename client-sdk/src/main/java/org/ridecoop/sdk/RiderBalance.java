package org.ridecoop.sdk;

/**
 * What a rider holds, in token base units.
 *
 * @param wallet the unlocked balance of its RideLedger wallet: what it can book rides with or
 *     withdraw
 * @param escrow what its open rides (booked, receipt pending or disputed) hold locked in escrow;
 *     the unused part comes back to the wallet when a ride settles
 * @param tokens its CoopToken balance outside the ledger (what a withdrawal adds to)
 */
public record RiderBalance(long wallet, long escrow, long tokens) {}
