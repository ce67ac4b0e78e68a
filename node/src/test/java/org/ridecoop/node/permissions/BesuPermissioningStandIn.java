package org.ridecoop.node.permissions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A stand-in for a Besu node's local permissioning, for tests: a real JSON-RPC HTTP server that
 * answers the six {@code perm_*} methods the sync uses over two in-memory lists, with Besu's
 * parameter shape ({@code params: [[…]]}) and answers ({@code "Success"}, a JSON-RPC error for a
 * malformed request). Besu is not ours; the real one is exercised by {@code BesuNetworkIT}.
 */
public final class BesuPermissioningStandIn implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpServer server;
  private final Set<String> accounts = new LinkedHashSet<>();
  private final Set<String> enodes = new LinkedHashSet<>();
  private final AtomicInteger changes = new AtomicInteger();
  private volatile boolean down;

  public BesuPermissioningStandIn(Collection<String> accounts, Collection<String> enodes) throws IOException {
    accounts.forEach(a -> this.accounts.add(a.toLowerCase(Locale.ROOT)));
    enodes.forEach(e -> this.enodes.add(e.toLowerCase(Locale.ROOT)));
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", exchange -> {
      byte[] body;
      int status = 200;
      if (down) {
        status = 503;
        body = "down".getBytes(StandardCharsets.UTF_8);
      } else {
        body = JSON.writeValueAsBytes(answer(JSON.readTree(exchange.getRequestBody())));
      }
      exchange.getResponseHeaders().add("Content-Type", "application/json");
      exchange.sendResponseHeaders(status, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    server.start();
  }

  public String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/";
  }

  public synchronized List<String> accounts() {
    return new ArrayList<>(accounts);
  }

  public synchronized List<String> enodes() {
    return new ArrayList<>(enodes);
  }

  /** How many add/remove calls changed something. */
  public int changes() {
    return changes.get();
  }

  /** Makes the node answer 503 to everything (a restarting Besu). */
  public void down(boolean down) {
    this.down = down;
  }

  /** A change made behind the sync's back (an operator's manual perm_ call, a stale file). */
  public synchronized void allowAccount(String account) {
    accounts.add(account.toLowerCase(Locale.ROOT));
  }

  private synchronized ObjectNode answer(JsonNode request) {
    ObjectNode reply = JSON.createObjectNode().put("jsonrpc", "2.0");
    reply.set("id", request.get("id"));
    String method = request.path("method").asText();
    JsonNode params = request.path("params");
    switch (method) {
      case "perm_getAccountsAllowlist" -> reply.set("result", JSON.valueToTree(accounts));
      case "perm_getNodesAllowlist" -> reply.set("result", JSON.valueToTree(enodes));
      case "perm_addAccountsToAllowlist", "perm_removeAccountsFromAllowlist",
          "perm_addNodesToAllowlist", "perm_removeNodesFromAllowlist" -> {
        if (!params.isArray() || params.size() != 1 || !params.get(0).isArray() || params.get(0).isEmpty()) {
          return error(reply, -32602, "Invalid params");
        }
        Set<String> target = method.contains("Accounts") ? accounts : enodes;
        List<String> values = new ArrayList<>();
        params.get(0).forEach(v -> values.add(v.asText().toLowerCase(Locale.ROOT)));
        boolean add = method.startsWith("perm_add");
        for (String v : values) {
          // Besu refuses the whole call when an entry is already (or not) there
          if (add == target.contains(v)) {
            return error(reply, -32000, add ? "Account/node already on the allowlist" : "Account/node not on the allowlist");
          }
        }
        if (add) {
          target.addAll(values);
        } else {
          values.forEach(target::remove);
        }
        changes.incrementAndGet();
        reply.put("result", "Success");
      }
      default -> {
        return error(reply, -32601, "Method not found");
      }
    }
    return reply;
  }

  private static ObjectNode error(ObjectNode reply, int code, String message) {
    reply.putObject("error").put("code", code).put("message", message);
    return reply;
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
