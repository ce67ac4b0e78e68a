package org.ridecoop.node.statement;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import org.ridecoop.node.api.ApiError;
import org.ridecoop.node.api.ApiRoutes;
import org.ridecoop.sdk.statement.Statement;
import org.ridecoop.sdk.statement.Statements;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.web3j.crypto.Credentials;

/**
 * {@code GET /v1/members/:addr/statement?from=YYYY-MM-DD&to=YYYY-MM-DD&format=json|csv}: the
 * member's earnings statement for the period, signed by this node's key, so a member can hand it
 * to a tax office or a bank that checks it with {@code ridecoop statement verify}.
 *
 * <p>Unauthenticated on purpose: every line is already public on the chain, and the statement
 * holds no personal data beyond the member's address. Reading the chain blocks, so the work runs
 * on a worker thread; a period longer than {@link #MAX_DAYS} is refused to bound it.
 */
public final class StatementRoutes implements ApiRoutes {
  /** The longest period one request may ask for (a tax year and a bit). */
  public static final int MAX_DAYS = 400;
  private static final Logger LOG = LoggerFactory.getLogger(StatementRoutes.class);

  private final Vertx vertx;
  private final Statements statements;
  private final Credentials key;

  /**
   * @param statements reads the chain (its Web3j is the node's)
   * @param key this node's key, which signs
   */
  public StatementRoutes(Vertx vertx, Statements statements, Credentials key) {
    this.vertx = vertx;
    this.statements = statements;
    this.key = key;
  }

  @Override
  public void mount(Router router) {
    router.get("/v1/members/:addr/statement").handler(this::statement);
  }

  private void statement(RoutingContext ctx) {
    String member = ctx.pathParam("addr");
    if (!member.matches("0x[0-9a-fA-F]{40}")) throw ApiError.badRequest("invalid_value", "member must be a 0x address");
    LocalDate from = date(ctx, "from");
    LocalDate to = date(ctx, "to");
    if (to.isBefore(from)) throw ApiError.badRequest("invalid_value", "'to' (" + to + ") is before 'from' (" + from + ")");
    if (from.plusDays(MAX_DAYS).isBefore(to)) {
      throw ApiError.badRequest("invalid_value", "the period is longer than " + MAX_DAYS + " days");
    }
    String format = ctx.queryParams().get("format") == null ? "json" : ctx.queryParams().get("format");
    if (!format.equals("json") && !format.equals("csv")) {
      throw ApiError.badRequest("invalid_value", "'format' must be json or csv");
    }
    Context http = Vertx.currentContext();
    vertx.executeBlocking(() -> {
      try {
        return statements.issue(member.toLowerCase(Locale.ROOT), from, to, key);
      } catch (IllegalArgumentException e) {
        throw ApiError.badRequest("empty_period", e.getMessage());
      } catch (IOException e) {
        LOG.warn("statement for {} {}..{}: chain unreadable: {}", member, from, to, e.getMessage());
        throw new ApiError(503, "chain_unavailable", "the chain cannot be read now; try again");
      }
    }, false).onComplete(ar -> http.runOnContext(v -> {
      if (ar.failed()) {
        ctx.fail(ar.cause());
        return;
      }
      Statement s = ar.result();
      LOG.info("statement issued: member={} period={}..{} blocks={}..{} lines={}", s.member(), from, to,
          s.fromBlock(), s.toBlock(), s.lines().size());
      boolean csv = format.equals("csv");
      ctx.response().putHeader("content-type", csv ? "text/csv; charset=utf-8" : "application/json")
          .putHeader("content-disposition", "attachment; filename=\"statement-" + s.member() + "-" + from + "-" + to
              + (csv ? ".csv\"" : ".json\""))
          .end(csv ? s.toCsv() : s.toJson());
    }));
  }

  private static LocalDate date(RoutingContext ctx, String name) {
    String v = ctx.queryParams().get(name);
    if (v == null) throw ApiError.badRequest("missing_field", "query parameter '" + name + "' (YYYY-MM-DD) is required");
    try {
      return LocalDate.parse(v);
    } catch (DateTimeParseException e) {
      throw ApiError.badRequest("invalid_value", "'" + name + "' must be a date YYYY-MM-DD, got " + v);
    }
  }
}
