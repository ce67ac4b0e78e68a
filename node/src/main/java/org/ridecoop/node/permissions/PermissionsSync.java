package org.ridecoop.node.permissions;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps Besu nodes' allowlists equal to the membership plus the permanent entries. Every node of
 * the network must get the same lists: Besu checks accounts when a transaction enters its pool and
 * when it builds a block, not when it imports one.
 *
 * <p>Each {@link #syncOnce()} reads the membership, reads each node's lists and applies only the
 * difference, logging every change; running it again changes nothing. Not thread-safe; blocking.
 */
public final class PermissionsSync {
  private static final Logger LOG = LoggerFactory.getLogger(PermissionsSync.class);

  private final MembershipAllowlist membership;
  private final Allowlists permanent;
  private final List<BesuPermissioning> nodes;

  /**
   * @param membership what the membership allows
   * @param permanent what is always allowed (validators, deployer): never removed
   * @param nodes the Besu nodes to keep in line
   */
  public PermissionsSync(MembershipAllowlist membership, Allowlists permanent, List<BesuPermissioning> nodes) {
    if (nodes.isEmpty()) {
      throw new IllegalArgumentException("at least one Besu node");
    }
    this.membership = membership;
    this.permanent = permanent;
    this.nodes = List.copyOf(nodes);
  }

  /**
   * Brings every node's allowlists in line with the membership.
   *
   * @return the changes applied, per node name (an empty diff: the node was already right)
   * @throws IOException if the chain or a node cannot be read or changed; nodes synced before the
   *     failure keep their changes, and the next call finishes the work
   */
  public Map<String, AllowlistDiff> syncOnce() throws IOException {
    Allowlists desired = membership.read();
    Map<String, AllowlistDiff> applied = new LinkedHashMap<>();
    for (BesuPermissioning node : nodes) {
      AllowlistDiff diff = AllowlistDiff.between(desired, permanent, node.current());
      // Additions first: a member who was just re-admitted must not be refused in between.
      node.addAccounts(diff.addAccounts());
      diff.addAccounts().forEach(a -> LOG.info("allowlist add account={} besu={}", a, node.name()));
      node.addNodes(diff.addEnodes());
      diff.addEnodes().forEach(e -> LOG.info("allowlist add node={} besu={}", e, node.name()));
      node.removeAccounts(diff.removeAccounts());
      diff.removeAccounts().forEach(a -> LOG.info("allowlist remove account={} besu={}", a, node.name()));
      node.removeNodes(diff.removeEnodes());
      diff.removeEnodes().forEach(e -> LOG.info("allowlist remove node={} besu={}", e, node.name()));
      if (!diff.isEmpty()) {
        LOG.info("allowlists synced besu={} memberAccounts={} memberNodes={} added={} removed={}", node.name(),
            desired.accounts().size(), desired.enodes().size(), diff.addAccounts().size() + diff.addEnodes().size(),
            diff.removeAccounts().size() + diff.removeEnodes().size());
      }
      applied.put(node.name(), diff);
    }
    return applied;
  }
}
