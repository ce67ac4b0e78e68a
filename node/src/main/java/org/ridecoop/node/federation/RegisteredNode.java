package org.ridecoop.node.federation;

import java.net.URI;
import java.util.List;

/**
 * A node as the chain's registry ({@code Membership.nodeOf}) describes it.
 *
 * @param address the node's key address, lower case 0x hex
 * @param operator the driver member running it
 * @param endpoint its public URL
 * @param cells the H3 resolution-7 cells it serves
 * @param usable whether its operator is an active driver member now
 */
public record RegisteredNode(String address, String operator, URI endpoint, List<Long> cells, boolean usable) {

  public RegisteredNode {
    address = address.toLowerCase(java.util.Locale.ROOT);
    cells = List.copyOf(cells);
  }

  /** Whether the node serves {@code cell}. */
  public boolean serves(long cell) {
    return cells.contains(cell);
  }
}
