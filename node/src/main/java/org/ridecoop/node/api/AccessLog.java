package org.ridecoop.node.api;

import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Logs one line per request when its response ends: method, path, status, milliseconds. */
final class AccessLog implements Handler<RoutingContext> {

  private static final Logger LOG = LoggerFactory.getLogger("ridecoop.access");

  @Override
  public void handle(RoutingContext ctx) {
    long start = System.nanoTime();
    ctx.addEndHandler(done -> {
      long ms = (System.nanoTime() - start) / 1_000_000;
      LOG.info("method={} path={} status={} ms={}", ctx.request().method(), ctx.request().path(),
          ctx.response().getStatusCode(), ms);
    });
    ctx.next();
  }
}
