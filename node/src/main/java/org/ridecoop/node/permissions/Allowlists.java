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
    enodes = normalised(enodes.stream().map(Allowlists::withoutDefaultDiscoveryPort).toList());
  }

  /** Lists from any collections. */
  public static Allowlists of(Collection<String> accounts, Collection<String> enodes) {
    return new Allowlists(Set.copyOf(accounts), Set.copyOf(enodes));
  }

  // enode://id@host:30303?discport=30303 names the same node as enode://id@host:30303
  private static String withoutDefaultDiscoveryPort(String enode) {
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("(.*:(\\d+))\\?discport=(\\d+)").matcher(enode.trim());
    return m.matches() && m.group(2).equals(m.group(3)) ? m.group(1) : enode;
  }

  private static Set<String> normalised(Collection<String> values) {
    TreeSet<String> set = new TreeSet<>();
    values.forEach(v -> set.add(v.trim().toLowerCase(Locale.ROOT)));
    return java.util.Collections.unmodifiableSortedSet(set);
  }
}
