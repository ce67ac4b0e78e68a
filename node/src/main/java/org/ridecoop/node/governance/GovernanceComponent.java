package org.ridecoop.node.governance;

import io.vertx.core.Future;
import org.ridecoop.node.NodeComponent;
import org.ridecoop.node.NodeServices;

/**
 * Adds the ballot relay ({@code POST /v1/governance/ballots}) to the node. Needs the chain
 * component started before it: ballots are checked and sent through its gateway.
 */
public final class GovernanceComponent implements NodeComponent {

  @Override
  public String name() {
    return "governance";
  }

  @Override
  public Future<Void> start(NodeServices services) {
    services.addRoutes(new BallotApi(new BallotRelay(services.chain(), services.registry())));
    return Future.succeededFuture();
  }

  @Override
  public Future<Void> stop() {
    return Future.succeededFuture();
  }
}
