package org.ridecoop.node.api;

import io.vertx.core.Future;
import java.util.function.Supplier;

/**
 * One condition {@code /health/ready} requires, e.g. "the chain answers" or "the indexer is less
 * than 20 blocks behind". The probe's future succeeds when the condition holds and fails with a
 * reason (the exception message) when it does not; a probe slower than the check timeout fails.
 *
 * @param name short name shown in the response, e.g. {@code chain}
 * @param probe starts one check; called on the event loop, so it must not block
 */
public record ReadinessCheck(String name, Supplier<Future<?>> probe) {}
