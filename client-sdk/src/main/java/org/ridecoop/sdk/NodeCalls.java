package org.ridecoop.sdk;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.ridecoop.protocol.SignedCall;
import org.web3j.crypto.Credentials;

/**
 * HTTP calls to nodes with fail-over: a call goes to the first node of an order; on no connection,
 * a timeout or a 5xx that node is marked down and the same call goes to the next. A 4xx is the
 * caller's fault and is thrown as {@link NodeRefusedException} at once. Signed calls are signed
 * afresh (new nonce) for each node, since each node keeps its own used nonces.
 */
final class NodeCalls {
  /** How long a signed call stays valid: enough for a slow answer, short against replays. */
  static final long SIGNED_CALL_VALIDITY_SECONDS = 60;

  private static final SecureRandom RANDOM = new SecureRandom();

  /** A call to make. */
  record Call(String method, String path, byte[] body, Credentials signer) {
    static Call get(String path) {
      return new Call("GET", path, null, null);
    }

    static Call post(String path, byte[] body, Credentials signer) {
      return new Call("POST", path, body, signer);
    }
  }

  /** A 2xx answer and the node that gave it. */
  record Answer(URI node, int status, JsonNode body) {}

  /** The node did not answer usefully: a connection failure, a timeout or a 5xx. */
  static final class NodeDown extends Exception {
    private static final long serialVersionUID = 1L;

    NodeDown(String reason, Throwable cause) {
      super(reason, cause);
    }
  }

  private final NodeRoster roster;
  private final HttpClient http;
  private final Duration timeout;
  private final ObjectMapper json;

  NodeCalls(NodeRoster roster, HttpClient http, Duration timeout, ObjectMapper json) {
    this.roster = roster;
    this.http = http;
    this.timeout = timeout;
    this.json = json;
  }

  NodeRoster roster() {
    return roster;
  }

  ObjectMapper json() {
    return json;
  }

  HttpClient http() {
    return http;
  }

  /** Sends to the live nodes in order of preference, failing over. */
  Answer send(Call call) {
    return send(call, roster.inOrder());
  }

  /**
   * Sends to each node of {@code order} in turn until one answers 2xx or 4xx.
   *
   * @throws NodeRefusedException on a 4xx
   * @throws NoNodeAvailableException when every node failed
   */
  Answer send(Call call, List<URI> order) {
    List<String> failures = new ArrayList<>();
    for (URI node : order) {
      try {
        return sendTo(node, call);
      } catch (NodeDown e) {
        failures.add(node + ": " + e.getMessage());
      }
    }
    throw new NoNodeAvailableException(call.method() + " " + call.path(), failures);
  }

  /**
   * One attempt at one node; a failure marks the node down.
   *
   * @throws NodeDown when the node failed (it is marked down)
   * @throws NodeRefusedException on a 4xx
   */
  Answer sendTo(URI node, Call call) throws NodeDown {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(node + call.path())).timeout(timeout)
        .header("accept", "application/json");
    if (call.body() == null) {
      request.method(call.method(), HttpRequest.BodyPublishers.noBody());
    } else {
      request.header("content-type", "application/json")
          .method(call.method(), HttpRequest.BodyPublishers.ofByteArray(call.body()));
    }
    if (call.signer() != null) {
      SignedCall signed = SignedCall.sign(call.signer(), call.method(), call.path(),
          call.body() == null ? new byte[0] : call.body(), freshNonce(), nowSeconds() + SIGNED_CALL_VALIDITY_SECONDS);
      request.header(SignedCall.ADDRESS_HEADER, signed.address())
          .header(SignedCall.NONCE_HEADER, signed.nonce())
          .header(SignedCall.EXPIRY_HEADER, Long.toString(signed.expiry()))
          .header(SignedCall.SIGNATURE_HEADER, signed.signature());
    }
    HttpResponse<byte[]> response;
    try {
      response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    } catch (IOException e) {
      String reason = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
      roster.markDown(node, reason);
      throw new NodeDown(reason, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RideCoopException("interrupted while calling " + node, e);
    }
    int status = response.statusCode();
    if (status >= 500) {
      String reason = "HTTP " + status + " " + new String(response.body(), StandardCharsets.UTF_8);
      roster.markDown(node, reason);
      throw new NodeDown(reason, null);
    }
    JsonNode body = parse(node, response.body());
    if (status >= 400) {
      throw new NodeRefusedException(node, status, body.path("error").asText("http_" + status),
          body.path("reason").asText(new String(response.body(), StandardCharsets.UTF_8)));
    }
    roster.markUp(node);
    return new Answer(node, status, body);
  }

  byte[] encode(Object value) {
    try {
      return json.writeValueAsBytes(value);
    } catch (IOException e) {
      throw new IllegalStateException("cannot encode " + value, e);
    }
  }

  private JsonNode parse(URI node, byte[] body) {
    if (body.length == 0) {
      return json.createObjectNode();
    }
    try {
      return json.readTree(body);
    } catch (IOException e) {
      return json.createObjectNode().put("error", "not_json")
          .put("reason", node + " answered something that is not JSON");
    }
  }

  static String freshNonce() {
    byte[] b = new byte[12];
    RANDOM.nextBytes(b);
    return "sdk-" + HexFormat.of().formatHex(b);
  }

  static long nowSeconds() {
    return System.currentTimeMillis() / 1000;
  }
}
