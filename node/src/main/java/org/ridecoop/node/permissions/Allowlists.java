package org.ridecoop.node.permissions;

import java.util.Collection;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * The two lists a permissioned Besu node enforces: accounts that may send transactions and nodes
 * that may connect. Entries are compared case-insensitively (stored lower-case), as Besu does.
 *
 * @param accounts {@code 0x} addresses
 * @param enodes {@code enode://id@host:port} URLs
 */
public record Allowlists(Set<String> accounts, Set<String> enodes) {

  public Allowlists {
    accounts = normalised(accounts);
    enodes = normalised(enodes);
  }

  /** Lists from any collections. */
  public static Allowlists of(Collection<String> accounts, Collection<String> enodes) {
    return new Allowlists(Set.copyOf(accounts), Set.copyOf(enodes));
  }

  private static Set<String> normalised(Collection<String> values) {
    TreeSet<String> set = new TreeSet<>();
    values.forEach(v -> set.add(v.trim().toLowerCase(Locale.ROOT)));
    return java.util.Collections.unmodifiableSortedSet(set);
  }
}
