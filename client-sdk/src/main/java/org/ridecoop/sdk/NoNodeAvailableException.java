package org.ridecoop.sdk;

import java.util.List;

/** Every node was tried and none answered (no connection, timeout or 5xx from each). */
public final class NoNodeAvailableException extends RideCoopException {
  private static final long serialVersionUID = 1L;

  private final List<String> failures;

  /**
   * @param what the call that failed
   * @param failures one line per node tried: the node and why it failed
   */
  public NoNodeAvailableException(String what, List<String> failures) {
    super("no node answered " + what + ": " + String.join("; ", failures));
    this.failures = List.copyOf(failures);
  }

  /** One line per node tried: the node and why it failed. */
  public List<String> failures() {
    return failures;
  }
}
