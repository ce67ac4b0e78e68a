package org.ridecoop.node.federation;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.math.BigInteger;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.ridecoop.contracts.Membership;
import org.web3j.tuples.generated.Tuple5;

/**
 * {@link NodeRegistry} read straight from the Membership contract through its wrapper. The calls
 * block, so they run on Vert.x worker threads.
 */
public final class MembershipRegistry implements NodeRegistry {

  /** {@code Membership.Status.Active}. */
  private static final int ACTIVE = 2;
  /** The drivers' college. */
  private static final int DRIVERS = 0;
  private static final String ZERO = "0x0000000000000000000000000000000000000000";

  private final Vertx vertx;
  private final Membership membership;

  /** Reads through {@code membership} (any transaction manager: only views are called). */
  public MembershipRegistry(Vertx vertx, Membership membership) {
    this.vertx = vertx;
    this.membership = membership;
  }

  @Override
  public Future<List<String>> nodes() {
    return vertx.executeBlocking(() -> {
      int count = membership.nodeCount().send().intValueExact();
      List<String> out = new ArrayList<>(count);
      for (int i = 0; i < count; i++) {
        out.add(membership.nodeAt(BigInteger.valueOf(i)).send().toLowerCase(Locale.ROOT));
      }
      return out;
    }, false);
  }

  @Override
  public Future<Optional<RegisteredNode>> nodeOf(String node) {
    return vertx.executeBlocking(() -> {
      Tuple5<String, String, byte[], List<BigInteger>, Boolean> n = membership.nodeOf(node).send();
      if (n.component1() == null || n.component1().equalsIgnoreCase(ZERO)) {
        return Optional.<RegisteredNode>empty();
      }
      URI endpoint;
      try {
        endpoint = URI.create(n.component2());
      } catch (IllegalArgumentException e) {
        return Optional.<RegisteredNode>empty(); // an endpoint nobody can call is no peer
      }
      List<Long> cells = n.component4().stream().map(BigInteger::longValue).toList();
      return Optional.of(new RegisteredNode(node, n.component1(), endpoint, cells, n.component5()));
    }, false);
  }

  @Override
  public Future<Boolean> isActiveDriver(String account) {
    return vertx.executeBlocking(() -> membership.statusOf(account).send().intValue() == ACTIVE
        && membership.collegeOf(account).send().intValue() == DRIVERS, false);
  }
}
