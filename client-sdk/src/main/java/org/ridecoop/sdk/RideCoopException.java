package org.ridecoop.sdk;

/** Something the SDK could not do: a node refused, no node answered, or the chain refused. */
public class RideCoopException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** @param message what could not be done and why */
  public RideCoopException(String message) {
    super(message);
  }

  /**
   * @param message what could not be done
   * @param cause the underlying failure
   */
  public RideCoopException(String message, Throwable cause) {
    super(message, cause);
  }
}
