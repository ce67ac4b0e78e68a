package org.ridecoop.node.governance;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.math.BigInteger;
import java.util.regex.Pattern;
import org.ridecoop.governance.Support;
import org.ridecoop.node.api.ApiError;
import org.ridecoop.node.api.ApiRoutes;
import org.ridecoop.node.api.StrictJson;
import org.web3j.utils.Numeric;

/**
 * {@code POST /v1/governance/ballots} (described in {@code /v1/openapi.json}): a member's signed
 * ballot, relayed on chain by this node. The ballot's own EIP-712 signature authenticates it, so
 * no call signature is asked. Answers 200 once the vote is mined, with its transaction: a member
 * who is told "voted" has voted. Refusals are 4xx (see {@link BallotRelay}).
 */
final class BallotApi implements ApiRoutes {
  static final String PATH = "/v1/governance/ballots";

  private static final Pattern ADDRESS = Pattern.compile("0x[0-9a-fA-F]{40}");
  private static final Pattern SIGNATURE = Pattern.compile("0x[0-9a-fA-F]{130}");
  private static final Pattern DECIMAL = Pattern.compile("[0-9]{1,78}");

  /** The request body. */
  record BallotBody(String proposalId, int support, String voter, String signature) {}

  private final BallotRelay relay;

  BallotApi(BallotRelay relay) {
    this.relay = relay;
  }

  @Override
  public void mount(Router router) {
    router.post(PATH).handler(this::ballot);
  }

  private void ballot(RoutingContext ctx) {
    Ballot ballot;
    try {
      ballot = read(ctx);
    } catch (ApiError e) {
      relay.refusedEarly();
      ctx.fail(e);
      return;
    }
    relay.relay(ballot).onComplete(ar -> {
      if (ar.failed()) {
        ctx.fail(ar.cause());
        return;
      }
      ctx.response().setStatusCode(200).putHeader("content-type", "application/json").end(new JsonObject()
          .put("proposalId", ballot.proposalId().toString())
          .put("voter", ballot.voter())
          .put("support", ballot.support().name())
          .put("transactionHash", ar.result().transactionHash())
          .put("repeat", ar.result().repeat())
          .encode());
    });
  }

  private static Ballot read(RoutingContext ctx) {
    BallotBody body = StrictJson.read(ctx, BallotBody.class);
    if (!DECIMAL.matcher(body.proposalId()).matches()) {
      throw ApiError.badRequest("invalid_value", "field 'proposalId' must be a decimal uint256");
    }
    BigInteger id = new BigInteger(body.proposalId());
    if (id.bitLength() > 256) {
      throw ApiError.badRequest("invalid_value", "field 'proposalId' must be a decimal uint256");
    }
    if (body.support() < 0 || body.support() >= Support.values().length) {
      throw ApiError.badRequest("invalid_value", "field 'support' must be 0 (against), 1 (for) or 2 (abstain)");
    }
    if (!ADDRESS.matcher(body.voter()).matches()) {
      throw ApiError.badRequest("invalid_value", "field 'voter' must be a 0x address");
    }
    if (!SIGNATURE.matcher(body.signature()).matches()) {
      throw ApiError.badRequest("invalid_value", "field 'signature' must be 65 bytes as 0x hex");
    }
    return new Ballot(id, Support.values()[body.support()], body.voter(), Numeric.hexStringToByteArray(body.signature()));
  }
}
