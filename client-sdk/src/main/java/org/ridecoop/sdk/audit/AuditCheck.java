package org.ridecoop.sdk.audit;

import java.util.List;
import java.util.Objects;

/**
 * One rule the auditor checked.
 *
 * @param id short stable name, e.g. {@code money.ledger}
 * @param title what the rule says, in words
 * @param passed whether the chain followed it
 * @param figures the numbers behind the verdict (and, on failure, the first offending items)
 */
public record AuditCheck(String id, String title, boolean passed, String figures) {

  public AuditCheck {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(title, "title");
    Objects.requireNonNull(figures, "figures");
  }

  /** {@code PASS|FAIL  id  title: figures}. */
  public String line() {
    return (passed ? "PASS" : "FAIL") + "  " + title + " [" + id + "]: " + figures;
  }

  /** Offending items quoted per failed check. */
  private static final int QUOTED = 3;

  /** {@code "; e.g. a; b; c (+n more)"} for the first offending items, or nothing. */
  static String quote(List<String> items) {
    if (items.isEmpty()) return "";
    return "; e.g. " + String.join("; ", items.subList(0, Math.min(QUOTED, items.size())))
        + (items.size() > QUOTED ? " (+" + (items.size() - QUOTED) + " more)" : "");
  }
}
