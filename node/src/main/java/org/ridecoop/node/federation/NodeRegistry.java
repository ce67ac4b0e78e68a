package org.ridecoop.node.federation;

import io.vertx.core.Future;
import java.util.List;
import java.util.Optional;

/**
 * What federation reads from the chain: the node registry and driver membership. The chain
 * gateway provides it; {@link MembershipRegistry} reads the Membership contract directly.
 */
public interface NodeRegistry {

  /** Every registered node address (lower case), in registry order. */
  Future<List<String>> nodes();

  /** The registration of {@code node}, empty if it is not registered. */
  Future<Optional<RegisteredNode>> nodeOf(String node);

  /** Whether {@code account} is an active member of the drivers' college. */
  Future<Boolean> isActiveDriver(String account);
}
