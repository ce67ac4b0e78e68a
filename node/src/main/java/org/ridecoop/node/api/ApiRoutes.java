package org.ridecoop.node.api;

import io.vertx.ext.web.Router;

/**
 * A feature's HTTP routes, mounted on the API router after the platform's handlers (access log,
 * body limit) and before its error handling. Routes live under {@code /v1}; handlers read bodies
 * with {@link StrictJson} and refuse with {@link ApiError}.
 */
@FunctionalInterface
public interface ApiRoutes {

  /** Adds this feature's routes to {@code router}. */
  void mount(Router router);
}
