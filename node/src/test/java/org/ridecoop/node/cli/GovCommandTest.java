package org.ridecoop.node.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.ridecoop.chain.ChainAccess;
import org.ridecoop.devchain.AnvilChain;
import org.ridecoop.node.NodeFiles;
import org.ridecoop.node.NodeRuntime;
import org.ridecoop.node.chain.ChainNode;
import org.ridecoop.node.config.NodeConfig;
import org.ridecoop.node.governance.GovernanceComponent;
import org.ridecoop.test.AnvilExtension;
import org.ridecoop.test.CoopFixture;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.WalletUtils;
import picocli.CommandLine;

/**
 * {@code ridecoop member …} and {@code ridecoop gov …} run in-process against Anvil with a deployed
 * co-op and a real node: a member joins, proposes a fare change, members vote (one ballot relayed
 * through the node), the proposal is queued and executed after the timelock, and the new fare
 * version is current; bad usage exits 2, a revert exits 1 naming the custom error and its meaning.
 */
@ExtendWith(AnvilExtension.class)
class GovCommandTest {
  static final String PASSWORD = "member password";
  static CoopFixture coop;
  @TempDir static Path dir;
  static Path manifest;
  static Path passwordFile;
  static Credentials alice;
  static Credentials bob;
  static Credentials newcomer;

  StringWriter out;
  StringWriter err;

  @BeforeAll
  static void deploy(AnvilChain chain, ChainAccess access) throws Exception {
    coop = CoopFixture.deploy(chain, access);
    manifest = dir.resolve("manifest.json");
    coop.manifest.write(manifest);
    passwordFile = Files.writeString(dir.resolve("password"), PASSWORD + "\n");
    alice = coop.driver(1);
    bob = coop.rider(0);
    newcomer = coop.rider(2);
    coop.join(coop.driver(0), 0); // the relaying node's key
    coop.join(alice, 0);
    coop.join(bob, 1);
  }

  @BeforeEach
  void streams() {
    out = new StringWriter();
    err = new StringWriter();
  }

  static Path keyFile(Credentials key) throws Exception {
    Path file = dir.resolve(key.getAddress() + ".json");
    if (!Files.exists(file)) {
      String name = WalletUtils.generateWalletFile(PASSWORD, key.getEcKeyPair(), dir.toFile(), false);
      Files.move(dir.resolve(name), file);
    }
    return file;
  }

  int run(String... args) {
    out = new StringWriter();
    err = new StringWriter();
    CommandLine cl = RideCoopCommand.commandLine(Map.of("MEMBER_PW", PASSWORD));
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    return cl.execute(args);
  }

  /** {@code args} then the chain, manifest and {@code key}'s wallet options. */
  int as(Credentials key, String... args) throws Exception {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(List.of("--rpc", coop.chain.rpcUrl(), "--manifest", manifest.toString(), "--key-file",
        keyFile(key).toString(), "--password-file", passwordFile.toString()));
    return run(all.toArray(String[]::new));
  }

  JsonObject json() {
    return new JsonObject(out.toString().trim());
  }

  @Test
  void aMemberJoinsProposesAFareChangeMembersVoteOneThroughANodeAndItIsExecutedAfterTheTimelock() throws Exception {
    coop.fund(newcomer, coop.config.sharePrice().longValueExact());
    assertThat(as(newcomer, "member", "join", "--college", "riders")).as(err.toString()).isZero();
    assertThat(out.toString()).contains("joined: ").contains("ACTIVE in the RIDERS college");
    assertThat(as(newcomer, "member", "status", "--json")).as(err.toString()).isZero();
    assertThat(json().getString("status")).isEqualTo("ACTIVE");
    assertThat(json().getBoolean("votes")).isTrue();

    assertThat(as(newcomer, "gov", "propose-fare", "--base-fare", "1600000", "--description", "Base fare 1.60 EUR",
        "--json")).as(err.toString()).isZero();
    String id = json().getString("id");
    assertThat(json().getString("state")).isEqualTo("PENDING");
    coop.chain.mine(coop.config.votingDelayBlocks() + 1);

    ChainNode files = new ChainNode(dir.resolve("node"), coop, coop.driver(0));
    int port = NodeFiles.freePort();
    NodeRuntime node = files.start(files.config(20, 60_000, "http://127.0.0.1:" + port, List.of(ChainNode.CELL), port,
        false, new NodeConfig.Matching(1000, 10000)), new GovernanceComponent());
    try {
      assertThat(as(bob, "gov", "vote", id, "--support", "for", "--via-node", "http://127.0.0.1:" + port))
          .as(err.toString()).isZero();
      assertThat(out.toString()).contains("voted FOR on proposal " + id + " (relayed by http://127.0.0.1:" + port + ")");
    } finally {
      node.stop().await();
    }
    assertThat(as(alice, "gov", "vote", id, "--support", "for")).as(err.toString()).isZero();
    assertThat(as(newcomer, "gov", "vote", id, "--support", "abstain")).as(err.toString()).isZero();
    assertThat(as(alice, "gov", "vote", id, "--support", "against")).isEqualTo(1);
    assertThat(err.toString()).contains("reverted: GovernorAlreadyCastVote")
        .contains("this account has already voted on this proposal");

    assertThat(as(alice, "gov", "queue", id)).isEqualTo(1);
    assertThat(err.toString()).contains("is ACTIVE; only a SUCCEEDED proposal can be queued");
    coop.chain.mine(coop.config.votingPeriodBlocks() + 1);
    assertThat(as(alice, "gov", "queue", id)).as(err.toString()).isZero();
    assertThat(out.toString()).contains("queued proposal " + id + "; executable from ");
    assertThat(as(bob, "gov", "execute", id)).isEqualTo(1);
    assertThat(err.toString()).contains("QUEUED until its eta");
    assertThat(coop.schedule(alice).currentVersion().send()).isEqualTo(BigInteger.ONE);

    coop.chain.increaseTime(coop.config.timelockDelaySeconds() + 1);
    coop.chain.mine(1);
    assertThat(as(bob, "gov", "execute", id)).as(err.toString()).isZero();
    assertThat(coop.schedule(alice).currentVersion().send()).isEqualTo(BigInteger.TWO);
    assertThat(coop.fareParams(2).baseFare()).isEqualTo(1_600_000);
    assertThat(coop.fareParams(2).perKm()).isEqualTo(coop.fareParams(1).perKm());

    assertThat(run("gov", "show", id, "--rpc", coop.chain.rpcUrl(), "--manifest", manifest.toString(), "--json"))
        .as(err.toString()).isZero();
    assertThat(json().getString("state")).isEqualTo("EXECUTED");
    assertThat(json().getLong("for")).isEqualTo(2);
    assertThat(json().getLong("abstain")).isEqualTo(1);
    assertThat(run("gov", "list", "--rpc", coop.chain.rpcUrl(), "--manifest", manifest.toString())).isZero();
    assertThat(out.toString()).contains(id + "  EXECUTED").contains("\"Base fare 1.60 EUR\"").contains("1 proposal");
  }

  @Test
  void anExclusionIsProposedWithOnlyTheReasonHashAndARevertExitsOneWithItsMeaning() throws Exception {
    assertThat(as(alice, "gov", "propose-exclusion", "--member", bob.getAddress(), "--reason", "private matter",
        "--description", "Exclude a rider", "--json")).as(err.toString()).isZero();
    assertThat(json().getString("reasonHash")).startsWith("0x").hasSize(66);
    assertThat(json().getJsonArray("calls").getJsonObject(0).getString("target"))
        .isEqualToIgnoringCase(coop.manifest.address("Membership"));
    assertThat(out.toString()).doesNotContain("private matter");

    assertThat(as(alice, "member", "claim", "--epoch", "1")).isEqualTo(1);
    assertThat(err.toString()).startsWith("error: reverted: EpochNotClosed").contains("not closed yet");
    assertThat(out.toString()).isEmpty();
    assertThat(as(alice, "member", "claim", "--list")).as(err.toString()).isZero();
    assertThat(out.toString()).contains("claimable: 0 in 0 epochs");
  }

  @Test
  void badUsageExitsTwoWithAMessage() throws Exception {
    assertThat(as(alice, "gov", "vote", "abc", "--support", "for")).isEqualTo(2);
    assertThat(err.toString()).contains("PROPOSAL: not a decimal proposal id");
    assertThat(as(alice, "gov", "vote", "1", "--support", "maybe")).isEqualTo(2);
    assertThat(err.toString()).contains("--support: maybe is not for, against or abstain");
    assertThat(as(alice, "member", "join", "--college", "pilots")).isEqualTo(2);
    assertThat(err.toString()).contains("not a college: pilots");
    assertThat(as(alice, "gov", "propose-fare", "--description", "nothing")).isEqualTo(2);
    assertThat(err.toString()).contains("needs at least one change");
    assertThat(as(alice, "gov", "propose-fare", "--description", "d", "--dividend-bps", "0")).isEqualTo(2);
    assertThat(err.toString()).contains("must be 10000");
    assertThat(run("member", "status", "--manifest", manifest.toString())).isEqualTo(2);
    assertThat(err.toString()).contains("--rpc");
    assertThat(run("member", "status", "--rpc", coop.chain.rpcUrl(), "--manifest", manifest.toString())).isEqualTo(2);
    assertThat(err.toString()).contains("--key-file is required");
    assertThat(run("member", "status", "--rpc", coop.chain.rpcUrl(), "--manifest", manifest.toString(),
        "--key-file", keyFile(alice).toString(), "--password-env", "NOT_SET")).isEqualTo(2);
    assertThat(err.toString()).contains("NOT_SET is not set");
    Path wrong = Files.writeString(dir.resolve("wrong"), "wrong");
    assertThat(run("member", "status", "--rpc", coop.chain.rpcUrl(), "--manifest", manifest.toString(),
        "--key-file", keyFile(alice).toString(), "--password-file", wrong.toString())).isEqualTo(2);
    assertThat(err.toString()).contains("cannot decrypt");
    assertThat(run("member", "status", "--rpc", coop.chain.rpcUrl(), "--manifest", manifest.toString(),
        "--key-file", keyFile(alice).toString(), "--password-env", "MEMBER_PW")).as(err.toString()).isZero();
    assertThat(out.toString()).contains("ACTIVE in the DRIVERS college");
    assertThat(as(alice, "gov", "execute", "12345")).isEqualTo(1);
    assertThat(err.toString()).contains("no proposal 12345");
  }
}
