package org.ridecoop.sdk.statement;

import java.math.BigInteger;

/**
 * The sum of a statement's lines of one kind.
 *
 * @param kind the kind summed
 * @param count how many lines
 * @param gross Σ gross, token base units
 * @param commission Σ commission
 * @param net Σ net
 */
public record KindTotal(LineKind kind, long count, BigInteger gross, BigInteger commission, BigInteger net) {}
