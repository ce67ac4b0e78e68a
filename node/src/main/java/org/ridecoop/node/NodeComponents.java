package org.ridecoop.node;

import java.time.Duration;
import java.util.List;
import org.ridecoop.node.chain.ChainComponent;
import org.ridecoop.node.governance.GovernanceComponent;
import org.ridecoop.node.config.NodeConfig;
import org.ridecoop.node.dashboard.DashboardComponent;
import org.ridecoop.node.ride.RideNetworkComponent;
import org.ridecoop.node.settlement.SettlementComponent;
import org.ridecoop.node.statement.StatementComponent;

/**
 * The components {@code ridecoop node start} runs, in start order. The platform alone (store,
 * metrics, HTTP) has none; the chain gateway (Web3j connection, deployment manifest, node
 * registration), the event indexer, matching, federation and settlement are added here as they
 * are built, each a {@link NodeComponent}.
 */
public final class NodeComponents {

  private NodeComponents() {}

  /** The components for a node configured with {@code config}. */
  public static List<NodeComponent> forConfig(NodeConfig config) {
    ChainComponent chain = new ChainComponent(
        ChainComponent.Settings.DEFAULT.withIndexerPoll(Duration.ofMillis(config.chain().pollMillis())));
    // The indexer starts last, once every component listening to chain events has registered.
    return List.of(chain, new SettlementComponent(), new RideNetworkComponent(), new GovernanceComponent(),
        new StatementComponent(), new DashboardComponent(), chain.indexer());
  }
}
