package org.ridecoop.node.store;

/** The node's database could not do what was asked: it is locked, too new, or a write failed. */
public final class StoreException extends RuntimeException {

  /** @param message what went wrong, naming the database concern */
  public StoreException(String message) {
    super(message);
  }

  /**
   * @param message what went wrong
   * @param cause the JDBC or I/O error underneath
   */
  public StoreException(String message, Throwable cause) {
    super(message, cause);
  }
}
