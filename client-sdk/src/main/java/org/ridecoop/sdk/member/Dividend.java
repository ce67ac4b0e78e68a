package org.ridecoop.sdk.member;

import java.math.BigInteger;

/**
 * A member's patronage dividend for one closed epoch: {@code pool × points / totalPoints}.
 *
 * @param epoch the Treasury epoch
 * @param amount token base units
 */
public record Dividend(long epoch, BigInteger amount) {}
