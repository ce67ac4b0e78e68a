package org.ridecoop.sdk.statement;

import java.util.List;

/**
 * The result of verifying a statement: empty differences means it is what the chain says and was
 * signed by whom it claims.
 *
 * @param differences one sentence per difference, each naming what differs (a line, a total, the
 *     block hash, the signature)
 */
public record StatementCheck(List<String> differences) {
  public StatementCheck {
    differences = List.copyOf(differences);
  }

  /** Whether the statement verified. */
  public boolean ok() {
    return differences.isEmpty();
  }
}
