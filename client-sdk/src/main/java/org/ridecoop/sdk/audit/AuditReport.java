package org.ridecoop.sdk.audit;

import java.util.List;

/**
 * The outcome of one audit.
 *
 * @param chainId the chain audited
 * @param fromBlock first block replayed (the manifest's deployment block)
 * @param toBlock last block replayed; the contracts' views were read at this block
 * @param events contract events replayed
 * @param checks every rule checked, in a fixed order
 * @param totals what the history adds up to
 */
public record AuditReport(
    long chainId, long fromBlock, long toBlock, long events, List<AuditCheck> checks, AuditTotals totals) {

  public AuditReport {
    checks = List.copyOf(checks);
  }

  /** Whether every check passed. */
  public boolean passed() {
    return checks.stream().allMatch(AuditCheck::passed);
  }

  /** The checks that failed. */
  public List<AuditCheck> failures() {
    return checks.stream().filter(c -> !c.passed()).toList();
  }

  /** The check named {@code id}. */
  public AuditCheck check(String id) {
    return checks.stream().filter(c -> c.id().equals(id)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no check " + id));
  }

  /** A text anyone can read: one line per check, then the verdict. */
  public String summary() {
    StringBuilder s = new StringBuilder();
    s.append("Audit of chain ").append(chainId).append(", blocks ").append(fromBlock).append("..")
        .append(toBlock).append(", ").append(events).append(" events replayed\n");
    for (AuditCheck c : checks) {
      s.append("  ").append(c.line()).append('\n');
    }
    long failed = failures().size();
    s.append(failed == 0
        ? "AUDIT PASSED: all " + checks.size() + " checks hold"
        : "AUDIT FAILED: " + failed + " of " + checks.size() + " checks do not hold");
    return s.toString();
  }
}
