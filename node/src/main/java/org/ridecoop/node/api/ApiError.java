package org.ridecoop.node.api;

/**
 * A request the API refuses, with the HTTP status and the body every error shares:
 * {@code {"error": "<code>", "reason": "<human sentence>"}}. Throw it (or fail the routing context
 * with it) from a handler; {@link ErrorResponses} writes it.
 *
 * <p>Codes: {@code bad_request}, {@code malformed_json}, {@code unknown_field},
 * {@code missing_field}, {@code wrong_type}, {@code invalid_value}, {@code unsupported_media_type},
 * {@code body_too_large}, {@code not_found}, {@code method_not_allowed}, {@code not_ready},
 * {@code internal}; features add their own (e.g. {@code bad_signature}).
 */
public final class ApiError extends RuntimeException {

  private final int status;
  private final String code;

  /**
   * @param status the HTTP status, 400..599
   * @param code a stable machine-readable code in snake_case
   * @param reason a sentence a person can act on
   */
  public ApiError(int status, String code, String reason) {
    super(reason, null, false, false); // an expected refusal: no stack trace to fill or log
    if (status < 400 || status > 599) {
      throw new IllegalArgumentException("not an error status: " + status);
    }
    this.status = status;
    this.code = code;
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
