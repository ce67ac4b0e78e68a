package org.ridecoop.sdk;

import java.math.BigInteger;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;

/** Where a ride lives among the nodes: which node takes its request, which node knows it. */
final class RideNodes {
  /** How {@link #lookUp} reports a node that answered 404 for the ride. */
  static final String NOT_HERE = "does not know the ride";

  private RideNodes() {}

  /**
   * Posts the signed request to the live nodes in order; returns the node that took it. A node
   * that already has it (409 {@code duplicate}) took it.
   *
   * @throws NodeRefusedException if a node refuses the request itself
   * @throws NoNodeAvailableException if no node answers
   */
  static URI post(NodeCalls calls, byte[] requestBody, BigInteger rideId) {
    List<String> failures = new ArrayList<>();
    for (URI at : calls.roster().inOrder()) {
      try {
        NodeCalls.Answer answer = calls.sendTo(at, NodeCalls.Call.post("/v1/rides", requestBody, null));
        String answered = answer.body().path("rideId").asText();
        if (!rideId.toString().equals(answered)) {
          throw new RideCoopException(at + " answered ride id " + answered + ", not " + rideId);
        }
        return at;
      } catch (NodeCalls.NodeDown e) {
        failures.add(at + ": " + e.getMessage());
      } catch (NodeRefusedException e) {
        if (e.status() == 409 && "duplicate".equals(e.error())) {
          return at;
        }
        throw e;
      }
    }
    throw new NoNodeAvailableException("POST /v1/rides", failures);
  }

  /**
   * The answer of the first node, {@code current} first, that knows the ride at {@code path}
   * ({@code /v1/rides/<id>}); a 404 means "not here", not a refusal.
   *
   * @throws NoNodeAvailableException if no node knows it or answers
   */
  static NodeCalls.Answer lookUp(NodeCalls calls, String path, URI current) {
    List<String> failures = new ArrayList<>();
    for (URI at : calls.roster().startingWith(current)) {
      try {
        return calls.sendTo(at, NodeCalls.Call.get(path));
      } catch (NodeCalls.NodeDown e) {
        failures.add(at + ": " + e.getMessage());
      } catch (NodeRefusedException e) {
        if (e.status() != 404) {
          throw e;
        }
        failures.add(at + ": " + NOT_HERE);
      }
    }
    throw new NoNodeAvailableException("GET " + path, failures);
  }
}
