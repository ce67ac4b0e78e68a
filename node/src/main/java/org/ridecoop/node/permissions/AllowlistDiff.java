package org.ridecoop.node.permissions;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * What must change in a node's allowlists to make them equal to the membership: applying it to the
 * current lists gives the desired lists, and the diff of those against themselves is empty (the
 * sync is idempotent). Permanent entries (validators, the deployer) are always added when missing
 * and never removed, whatever the membership says: removing a validator's enode would split the
 * network.
 *
 * @param addAccounts accounts to allow
 * @param removeAccounts accounts to refuse
 * @param addEnodes nodes to allow
 * @param removeEnodes nodes to refuse
 */
public record AllowlistDiff(List<String> addAccounts, List<String> removeAccounts, List<String> addEnodes,
    List<String> removeEnodes) {

  public AllowlistDiff {
    addAccounts = List.copyOf(addAccounts);
    removeAccounts = List.copyOf(removeAccounts);
    addEnodes = List.copyOf(addEnodes);
    removeEnodes = List.copyOf(removeEnodes);
  }

  /**
   * The changes from {@code current} to {@code desired} plus {@code permanent}.
   *
   * @param desired what the membership allows now
   * @param permanent what is always allowed
   * @param current what the node allows now
   */
  public static AllowlistDiff between(Allowlists desired, Allowlists permanent, Allowlists current) {
    Set<String> accounts = union(desired.accounts(), permanent.accounts());
    Set<String> enodes = union(desired.enodes(), permanent.enodes());
    return new AllowlistDiff(
        minus(accounts, current.accounts()), minus(current.accounts(), accounts),
        minus(enodes, current.enodes()), minus(current.enodes(), enodes));
  }

  /** Whether the node's lists are already right. */
  public boolean isEmpty() {
    return addAccounts.isEmpty() && removeAccounts.isEmpty() && addEnodes.isEmpty() && removeEnodes.isEmpty();
  }

  /** The lists after this diff is applied to {@code current}. */
  public Allowlists applyTo(Allowlists current) {
    Set<String> accounts = new TreeSet<>(current.accounts());
    accounts.addAll(addAccounts);
    removeAccounts.forEach(accounts::remove);
    Set<String> enodes = new TreeSet<>(current.enodes());
    enodes.addAll(addEnodes);
    removeEnodes.forEach(enodes::remove);
    return new Allowlists(accounts, enodes);
  }

  private static Set<String> union(Set<String> a, Set<String> b) {
    Set<String> u = new TreeSet<>(a);
    u.addAll(b);
    return u;
  }

  private static List<String> minus(Set<String> a, Set<String> b) {
    return a.stream().filter(x -> !b.contains(x)).sorted().toList();
  }
}
