package org.ridecoop.node.api;

import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes every 4xx/5xx response as {@code {"error": "<code>", "reason": "<sentence>"}}, whether it
 * comes from an {@link ApiError}, from Vert.x (no route, body too large) or from a bug (500, logged
 * with its stack trace, reason kept generic).
 */
final class ErrorResponses {

  private static final Logger LOG = LoggerFactory.getLogger(ErrorResponses.class);

  private final long bodyLimitBytes;

  ErrorResponses(long bodyLimitBytes) {
    this.bodyLimitBytes = bodyLimitBytes;
  }

  /** Installs the failure handler for every route and the router's 404/405/500 handlers. */
  void install(Router router) {
    router.route().failureHandler(this::onFailure);
    router.errorHandler(404, ctx -> send(ctx, 404, "not_found",
        "no such resource: " + ctx.request().method() + " " + ctx.request().path()));
    router.errorHandler(405, ctx -> send(ctx, 405, "method_not_allowed",
        ctx.request().method() + " is not allowed on " + ctx.request().path()));
    router.errorHandler(500, ctx -> {
      LOG.error("unhandled failure path={}", ctx.request().path(), ctx.failure());
      send(ctx, 500, "internal", "internal error; the node's log has the details");
    });
  }

  private void onFailure(RoutingContext ctx) {
    Throwable failure = ctx.failure();
    if (failure instanceof ApiError e) {
      if (e.retryAfterSeconds() > 0 && !ctx.response().headWritten()) {
        ctx.response().putHeader("retry-after", Long.toString(e.retryAfterSeconds()));
      }
      send(ctx, e.status(), e.code(), e.reason());
      return;
    }
    int status = ctx.statusCode();
    switch (status) {
      case 413 -> send(ctx, 413, "body_too_large",
          "the request body is larger than the limit of " + bodyLimitBytes + " bytes");
      case 404 -> send(ctx, 404, "not_found", "no such resource: " + ctx.request().path());
      case 405 -> send(ctx, 405, "method_not_allowed",
          ctx.request().method() + " is not allowed on " + ctx.request().path());
      case 415 -> send(ctx, 415, "unsupported_media_type", "the request body must be application/json");
      default -> {
        if (status >= 400 && status < 500) {
          send(ctx, status, "bad_request", failure == null || failure.getMessage() == null
              ? "the request was refused (HTTP " + status + ")" : failure.getMessage());
        } else {
          LOG.error("request failed method={} path={}", ctx.request().method(), ctx.request().path(), failure);
          send(ctx, status >= 500 && status < 600 ? status : 500, "internal",
              "internal error; the node's log has the details");
        }
      }
    }
  }

  /** Writes the error body, unless a response is already under way (then the connection is reset). */
  static void send(RoutingContext ctx, int status, String code, String reason) {
    HttpServerResponse response = ctx.response();
    if (response.headWritten()) {
      if (!response.ended()) {
        response.reset();
      }
      return;
    }
    response.setStatusCode(status)
        .putHeader("content-type", "application/json")
        .end(new JsonObject().put("error", code).put("reason", reason).encode());
  }
}
