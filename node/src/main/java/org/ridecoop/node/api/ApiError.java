package org.ridecoop.node.api;

/**
 * A request the API refuses, with the HTTP status and the body every error shares:
 * {@code {"error": "<code>", "reason": "<human sentence>"}}. Throw it (or fail the routing context
 * with it) from a handler; {@link ErrorResponses} writes it.
 *
 * <p>Codes: {@code bad_request}, {@code malformed_json}, {@code unknown_field},
 * {@code missing_field}, {@code wrong_type}, {@code invalid_value}, {@code unsupported_media_type},
 * {@code body_too_large}, {@code not_found}, {@code method_not_allowed}, {@code not_ready},
 * {@code internal}, {@code overloaded} (503, with {@code Retry-After}); features add their own (e.g. {@code bad_signature}).
 */
public final class ApiError extends RuntimeException {

  private final int status;
  private final String code;
  private final long retryAfterSeconds;

  /**
   * @param status the HTTP status, 400..599
   * @param code a stable machine-readable code in snake_case
   * @param reason a sentence a person can act on
   */
  public ApiError(int status, String code, String reason) {
    this(status, code, reason, 0);
  }

  private ApiError(int status, String code, String reason, long retryAfterSeconds) {
    super(reason, null, false, false); // an expected refusal: no stack trace to fill or log
    if (status < 400 || status > 599) {
      throw new IllegalArgumentException("not an error status: " + status);
    }
    this.status = status;
    this.code = code;
    this.retryAfterSeconds = retryAfterSeconds;
  }

  /**
   * 503 {@code overloaded} with a {@code Retry-After} header: the node refuses work rather than
   * queue it without bound.
   *
   * @param retryAfterSeconds when the client may try again, at least 1
   */
  public static ApiError overloaded(String reason, long retryAfterSeconds) {
    return new ApiError(503, "overloaded", reason, Math.max(1, retryAfterSeconds));
  }

  /** Seconds for the {@code Retry-After} header; 0 when the error has none. */
  public long retryAfterSeconds() {
    return retryAfterSeconds;
  }

  /** 400 with {@code code}. */
  public static ApiError badRequest(String code, String reason) {
    return new ApiError(400, code, reason);
  }

  /** 404 {@code not_found}. */
  public static ApiError notFound(String reason) {
    return new ApiError(404, "not_found", reason);
  }

  /** The HTTP status. */
  public int status() {
    return status;
  }

  /** The machine-readable code. */
  public String code() {
    return code;
  }

  /** The human sentence. */
  public String reason() {
    return getMessage();
  }
}
