package org.ridecoop.sdk;

import java.util.LinkedHashMap;
import java.util.Map;
import org.ridecoop.sdk.governance.BallotRelay;
import org.ridecoop.sdk.governance.SignedBallot;

/**
 * Relays signed ballots through the nodes ({@code POST /v1/governance/ballots}), failing over like
 * every node call. The ballot carries its own EIP-712 signature, so the call is not signed again.
 * A node relays the same ballot once: asked again (say after a fail-over whose first answer was
 * lost) it answers with the same transaction.
 */
final class NodeBallotRelay implements BallotRelay {
  static final String PATH = "/v1/governance/ballots";

  private final NodeCalls calls;

  NodeBallotRelay(NodeCalls calls) {
    this.calls = calls;
  }

  @Override
  public String relay(SignedBallot ballot) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("proposalId", ballot.proposalId().toString());
    body.put("support", ballot.support().id());
    body.put("voter", ballot.voter());
    body.put("signature", ballot.signatureHex());
    NodeCalls.Answer answer = calls.send(NodeCalls.Call.post(PATH, calls.encode(body), null));
    String tx = answer.body().path("transactionHash").asText("");
    if (tx.isEmpty()) {
      throw new RideCoopException(answer.node() + " relayed the ballot but named no transaction: " + answer.body());
    }
    return tx;
  }
}
