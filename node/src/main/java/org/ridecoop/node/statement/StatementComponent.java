package org.ridecoop.node.statement;

import io.vertx.core.Future;
import org.ridecoop.node.NodeComponent;
import org.ridecoop.node.NodeServices;
import org.ridecoop.node.chain.ChainGateway;
import org.ridecoop.sdk.statement.Statements;

/** Earnings statements as a part of the node: mounts {@link StatementRoutes} on the chain the node uses. */
public final class StatementComponent implements NodeComponent {

  @Override
  public String name() {
    return "statements";
  }

  @Override
  public Future<Void> start(NodeServices services) {
    ChainGateway chain = services.chain();
    services.addRoutes(new StatementRoutes(services.vertx(), new Statements(chain.access().web3j(), chain.manifest()),
        services.key().credentials()));
    return Future.succeededFuture();
  }

  @Override
  public Future<Void> stop() {
    return Future.succeededFuture();
  }
}
