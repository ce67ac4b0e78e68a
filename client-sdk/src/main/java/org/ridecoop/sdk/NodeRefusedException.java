package org.ridecoop.sdk;

import java.net.URI;

/**
 * A node answered 4xx: the call itself is wrong (bad input, bad signature, out of order), so it is
 * not retried on another node. Carries the node's JSON {@code error} code and {@code reason}.
 */
public final class NodeRefusedException extends RideCoopException {
  private static final long serialVersionUID = 1L;

  private final URI node;
  private final int status;
  private final String error;
  private final String reason;

  /**
   * @param node the node that refused
   * @param status the HTTP status (4xx)
   * @param error the node's error code, e.g. {@code wrong_ride_nonce}
   * @param reason the node's explanation
   */
  public NodeRefusedException(URI node, int status, String error, String reason) {
    super(node + " refused (" + status + " " + error + "): " + reason);
    this.node = node;
    this.status = status;
    this.error = error;
    this.reason = reason;
  }

  /** The node that refused. */
  public URI node() {
    return node;
  }

  /** The HTTP status. */
  public int status() {
    return status;
  }

  /** The node's error code ({@code invalid_value}, {@code unauthorized}, {@code not_found}, ...). */
  public String error() {
    return error;
  }

  /** The node's explanation. */
  public String reason() {
    return reason;
  }
}
