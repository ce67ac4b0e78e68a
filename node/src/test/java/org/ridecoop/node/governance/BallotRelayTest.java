package org.ridecoop.node.governance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonObject;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.ridecoop.chain.ChainAccess;
import org.ridecoop.devchain.AnvilChain;
import org.ridecoop.fare.FareParams;
import org.ridecoop.governance.Proposal;
import org.ridecoop.governance.Support;
import org.ridecoop.node.NodeFiles;
import org.ridecoop.node.NodeRuntime;
import org.ridecoop.node.chain.ChainNode;
import org.ridecoop.node.config.NodeConfig;
import org.ridecoop.protocol.ContractStructs;
import org.ridecoop.sdk.NodeRefusedException;
import org.ridecoop.sdk.RideCoop;
import org.ridecoop.sdk.governance.Governance;
import org.ridecoop.sdk.governance.SignedBallot;
import org.ridecoop.test.AnvilExtension;
import org.ridecoop.test.CoopFixture;
import org.web3j.crypto.Credentials;

/**
 * {@code POST /v1/governance/ballots} on a whole node (real socket, real chain): a member's signed
 * ballot is counted with the node paying, a repeat gets the same transaction and no second vote,
 * and every bad ballot is refused with a 4xx saying why while nothing is sent.
 */
@ExtendWith(AnvilExtension.class)
class BallotRelayTest {
  static CoopFixture coop;
  static Credentials nodeKey;
  static Credentials alice;
  static Credentials bob;
  static Credentials outsider;

  @TempDir
  Path dir;

  NodeRuntime node;
  URI nodeUri;
  final List<AutoCloseable> closing = new ArrayList<>();
  final HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  static void deploy(AnvilChain chain, ChainAccess access) throws Exception {
    coop = CoopFixture.deploy(chain, access);
    nodeKey = coop.driver(0);
    alice = coop.driver(1);
    bob = coop.rider(0);
    outsider = coop.rider(5);
    coop.join(nodeKey, 0); // a node's key is an active driver member
    coop.join(alice, 0);
    coop.join(bob, 1);
  }

  /** A node started per test: its start registers it on chain, which each test's snapshot undoes. */
  @BeforeEach
  void startNode() throws Exception {
    node = start();
  }

  /** Starts the node on a fresh port (and so with an empty memory of ballots); sets {@link #nodeUri}. */
  NodeRuntime start() throws Exception {
    ChainNode files = new ChainNode(dir.resolve("node"), coop, nodeKey);
    int port = NodeFiles.freePort();
    NodeRuntime started = files.start(files.config(20, 60_000, "http://127.0.0.1:" + port, List.of(ChainNode.CELL),
        port, false, new NodeConfig.Matching(1000, 10000)), new GovernanceComponent());
    nodeUri = URI.create("http://127.0.0.1:" + port);
    return started;
  }

  @AfterEach
  void stopNode() throws Exception {
    for (AutoCloseable c : closing) {
      c.close();
    }
    node.stop().await();
  }

  RideCoop connect(URI... nodes) {
    RideCoop sdk = RideCoop.connect(List.of(nodes), URI.create(coop.chain.rpcUrl()), coop.manifest,
        new RideCoop.Options(Duration.ofSeconds(30), Duration.ofSeconds(30), Duration.ofMinutes(10)));
    closing.add(sdk);
    return sdk;
  }

  /** A fare proposal by alice, its votes open. */
  BigInteger activeProposal(String description) throws Exception {
    BigInteger id = pendingProposal(description);
    coop.chain.mine(coop.config.votingDelayBlocks() + 1);
    return id;
  }

  BigInteger pendingProposal(String description) throws Exception {
    FareParams p = FareParams.standard();
    Proposal proposal = Proposal.describedAs(description).call(coop.schedule(alice), coop.schedule(alice).publish(
        ContractStructs.fareParams(new FareParams(p.baseFare() + 100_000, p.perKm(), p.perMinute(), p.minimumFare(),
            p.bookingFee(), p.cancellationFee(), p.cancellationGraceSeconds(), p.commissionBps(), p.reserveBps(),
            p.solidarityBps(), p.operationsBps(), p.dividendBps(), p.riderPatronageBps())))).build();
    proposal.propose(coop.governor(alice));
    return proposal.id(coop.governor(alice));
  }

  HttpResponse<String> post(String body) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(nodeUri + "/v1/governance/ballots"))
        .header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  static String body(SignedBallot b, String voter) {
    return new JsonObject().put("proposalId", b.proposalId().toString()).put("support", b.support().id())
        .put("voter", voter).put("signature", b.signatureHex()).encode();
  }

  long forVotes(BigInteger id) throws Exception {
    return coop.governor(alice).proposalVotes(id).send().component2().longValueExact();
  }

  @Test
  void aRelayedBallotCountsOncePaidByTheNodeAndARepeatGetsTheSameTransaction() throws Exception {
    BigInteger id = activeProposal("Base fare +0.10 EUR");
    URI deadNode = URI.create("http://127.0.0.1:" + NodeFiles.freePort());
    Governance gov = connect(deadNode, nodeUri).governance();

    String tx = gov.voteBySignature(bob, id, Support.FOR); // the dead node first: the SDK fails over
    assertThat(coop.governor(alice).hasVoted(id, bob.getAddress()).send()).isTrue();
    assertThat(forVotes(id)).isEqualTo(1);
    var sent = coop.chain.web3j().ethGetTransactionByHash(tx).send().getTransaction().orElseThrow();
    assertThat(sent.getFrom()).isEqualToIgnoringCase(nodeKey.getAddress());

    SignedBallot ballot = gov.signBallot(alice, id, Support.FOR);
    HttpResponse<String> first = post(body(ballot, alice.getAddress()));
    assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
    JsonObject firstBody = new JsonObject(first.body());
    assertThat(firstBody.getBoolean("repeat")).isFalse();
    HttpResponse<String> again = post(body(ballot, alice.getAddress()));
    assertThat(again.statusCode()).as(again.body()).isEqualTo(200);
    assertThat(new JsonObject(again.body()).getString("transactionHash")).isEqualTo(firstBody.getString("transactionHash"));
    assertThat(new JsonObject(again.body()).getBoolean("repeat")).isTrue();
    assertThat(forVotes(id)).as("the repeat is not a second vote").isEqualTo(2);

    // A fresh ballot (signed for the new nonce) from someone who has voted is refused by name.
    assertThatThrownBy(() -> gov.voteBySignature(bob, id, Support.AGAINST)).isInstanceOfSatisfying(
        NodeRefusedException.class, e -> {
          assertThat(e.status()).isEqualTo(409);
          assertThat(e.error()).isEqualTo("already_voted");
        });
    String metrics = http.send(HttpRequest.newBuilder(URI.create(nodeUri + "/metrics")).build(),
        HttpResponse.BodyHandlers.ofString()).body();
    assertThat(metrics).contains("ridecoop_ballots_total{outcome=\"relayed\"} 2.0")
        .contains("ridecoop_ballots_total{outcome=\"repeat\"} 1.0")
        .contains("ridecoop_ballots_total{outcome=\"refused\"} 1.0");
  }

  @Test
  void aBallotRelayedBeforeARestartIsRecognisedOnChainAsARepeatAndAnotherVoteIsRefusedByName() throws Exception {
    BigInteger id = activeProposal("Base fare +0.10 EUR");
    Governance gov = connect(nodeUri).governance();
    SignedBallot ballot = gov.signBallot(alice, id, Support.FOR);
    HttpResponse<String> first = post(body(ballot, alice.getAddress()));
    assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
    String tx = new JsonObject(first.body()).getString("transactionHash");

    node.stop().await(); // its memory of relayed ballots goes with it
    node = start();
    HttpResponse<String> again = post(body(ballot, alice.getAddress()));
    assertThat(again.statusCode()).as(again.body()).isEqualTo(200);
    assertThat(new JsonObject(again.body()).getString("transactionHash")).isEqualTo(tx);
    assertThat(new JsonObject(again.body()).getBoolean("repeat")).isTrue();
    assertThat(forVotes(id)).as("the repeat is not a second vote").isEqualTo(1);

    // Another ballot by the same voter (signed for the next nonce) is not this vote: refused,
    // naming the vote that counted, whether its choice differs or not.
    HttpResponse<String> against = post(body(gov.signBallot(alice, id, Support.AGAINST), alice.getAddress()));
    assertRefused(against, 409, "already_voted");
    assertThat(new JsonObject(against.body()).getString("reason")).contains("FOR").contains(tx);
    HttpResponse<String> otherFor = post(body(gov.signBallot(alice, id, Support.FOR), alice.getAddress()));
    assertRefused(otherFor, 409, "already_voted");
    assertThat(new JsonObject(otherFor.body()).getString("reason")).contains(tx);

    // Once votes are closed, the counted ballot is still answered as counted.
    coop.chain.mine(coop.config.votingPeriodBlocks() + 1);
    node.stop().await();
    node = start();
    HttpResponse<String> late = post(body(ballot, alice.getAddress()));
    assertThat(late.statusCode()).as(late.body()).isEqualTo(200);
    assertThat(new JsonObject(late.body()).getString("transactionHash")).isEqualTo(tx);
    assertThat(new JsonObject(late.body()).getBoolean("repeat")).isTrue();
    assertThat(forVotes(id)).isEqualTo(1);
  }

  @Test
  void badBallotsAreRefusedWithTheReasonAndNothingIsSent() throws Exception {
    BigInteger id = activeProposal("Base fare +0.10 EUR");
    Governance gov = connect(nodeUri).governance();
    BigInteger nodeNonce = coop.chain.web3j().ethGetTransactionCount(nodeKey.getAddress(),
        org.web3j.protocol.core.DefaultBlockParameterName.LATEST).send().getTransactionCount();

    SignedBallot byAlice = gov.signBallot(alice, id, Support.FOR);
    assertRefused(post(body(byAlice, bob.getAddress())), 401, "bad_signature");
    assertRefused(post(body(gov.signBallot(outsider, id, Support.FOR), outsider.getAddress())), 403, "not_a_voter");
    BigInteger pending = pendingProposal("Another change");
    assertRefused(post(body(gov.signBallot(bob, pending, Support.FOR), bob.getAddress())), 409, "proposal_not_active");
    assertRefused(post(body(gov.signBallot(bob, BigInteger.valueOf(12345), Support.FOR), bob.getAddress())), 404,
        "not_found");
    assertRefused(post("{\"proposalId\":\"" + id + "\",\"support\":1,\"voter\":\"" + bob.getAddress() + "\"}"), 400,
        "missing_field");
    assertRefused(post(body(byAlice, alice.getAddress()).replace("\"support\":1", "\"support\":7")), 400,
        "invalid_value");
    assertRefused(post(body(byAlice, alice.getAddress()).replace("\"proposalId\":\"", "\"proposalId\":\"x")), 400,
        "invalid_value");
    assertRefused(post(body(byAlice, alice.getAddress()).replace("}", ",\"reason\":\"x\"}")), 400, "unknown_field");

    assertThat(forVotes(id)).isZero();
    assertThat(coop.chain.web3j().ethGetTransactionCount(nodeKey.getAddress(),
        org.web3j.protocol.core.DefaultBlockParameterName.LATEST).send().getTransactionCount())
        .as("the node sent nothing").isEqualTo(nodeNonce);
    // The ballot refused for a wrong voter is still good for its signer.
    assertThat(post(body(byAlice, alice.getAddress())).statusCode()).isEqualTo(200);
    assertThat(forVotes(id)).isEqualTo(1);
  }

  static void assertRefused(HttpResponse<String> r, int status, String error) {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
    assertThat(new JsonObject(r.body()).getString("error")).as(r.body()).isEqualTo(error);
    assertThat(new JsonObject(r.body()).getString("reason")).isNotBlank();
  }
}
