package org.ridecoop.node.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ridecoop.deploy.DeploymentManifest;
import org.ridecoop.node.cli.RideCoopCommand;
import picocli.CommandLine;

/** {@code ridecoop demo} in-process, with a small co-op: every phase runs and the audit passes. */
class DemoCommandTest {

  @Test
  void aSmallDemoRunsEveryPhaseAndPassesItsAudit(@TempDir Path dir) throws Exception {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cl = RideCoopCommand.commandLine(Map.of());
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));

    int code = cl.execute("demo", "--drivers", "3", "--riders", "4", "--windows-before", "2", "--windows-after", "1",
        "--seed", "7", "--data-dir", dir.toString());

    String text = out.toString();
    assertThat(code).as(text + err).isZero();
    assertThat(text)
        .contains("[demo] found: 3 drivers, 4 riders and 2 supporters")
        // Three fleet nodes; riders 2 and 4 ask nodes whose drivers are out of reach: peers serve them.
        .contains("[demo] nodes: 4 rides through the nodes, 2 served locally, 2 by a peer node, 0 failed")
        .containsPattern("rider 2 asked http://127\\.0\\.0\\.1:\\d+, driver 2 of http://127\\.0\\.0\\.1:\\d+ served it as a peer")
        .contains("Fleet nodes       3 nodes, 4 rides through them before the first time warp: 2 served locally, "
            + "2 by a peer node (federation)")
        .contains("[demo] rides, window 1 (fare v1)")
        .contains("[demo] rides, window 3 (fare v2)")
        .containsPattern("\\[demo\\] vote: \"Lower the commission from 12 % to 10 %; Solidarity payout #1 to 0x[0-9a-fA-F]{40},"
            + " reason committed as 0x[0-9a-f]{64}\"") // the reason stays off chain
        .contains("(one ballot signed and relayed by a node)")
        .contains("passed, executed after the 2-day timelock -> fare version 2")
        .contains("[demo] dividends: epoch 1 closed")
        .contains("AUDIT PASSED: all 16 checks hold")
        .contains("== ridecoop demo: what happened ==")
        .containsPattern("Rides +\\d+ completed")
        .contains("Total fares")
        .contains("Driver earnings")
        .containsPattern("Commission .* -> reserve .*, solidarity .*, operations .*, dividends ")
        .containsPattern("After the vote +\\d+ rides under fare version 2")
        .containsPattern("Dividends paid +\\d")
        .containsPattern("Solidarity +\\d+\\.\\d\\d EUR sick-day benefit paid by vote")
        .contains("PASS  solidarity and operations payouts only by executed proposals [payouts]: 1 payout transaction(s)")
        .containsPattern("Gas per ride +[\\d,]+ on average")
        .contains("Audit             PASSED: 16 of 16 checks hold");
    assertThat(text).doesNotContain("FAIL ");
    DeploymentManifest manifest = DeploymentManifest.read(dir.resolve("manifest.json"));
    assertThat(manifest.contracts()).containsKeys("RideLedger", "Treasury", "CoopGovernor");
    assertThat(Files.size(dir.resolve("manifest.json"))).isPositive();
  }

  /**
   * More members than the vote lasts blocks (50 in the dev config): sent one block per ballot, the
   * last ballots reached a closed vote and the demo crashed (GovernorUnexpectedProposalState).
   */
  @Test
  void aCoopOfMoreMembersThanTheVoteLastsBlocksVotesAndPassesItsAudit(@TempDir Path dir) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cl = RideCoopCommand.commandLine(Map.of());
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));

    int code = cl.execute("demo", "--drivers", "30", "--riders", "24", "--windows-before", "1", "--windows-after", "1",
        "--seed", "11", "--data-dir", dir.toString());

    String text = out.toString();
    assertThat(code).as(text + err).isZero();
    assertThat(text)
        .contains("[demo] found: 30 drivers, 24 riders and 2 supporters")
        .contains("[demo] vote: 56 ballots cast at once, mined in 1 block(s) of the 50-block voting period")
        .contains("drivers 30 for / 0 against, riders 22/2")
        .contains("-> fare version 2")
        .contains("PASS  one member, one vote [votes]: 56 member(s) ever joined")
        .contains("Audit             PASSED: 16 of 16 checks hold");
  }

  @Test
  void nonsenseSizesAreBadUsage() {
    StringWriter err = new StringWriter();
    CommandLine cl = RideCoopCommand.commandLine(Map.of());
    cl.setErr(new PrintWriter(err, true));
    assertThat(cl.execute("demo", "--drivers", "0")).isEqualTo(2);
    assertThat(err.toString()).contains("--drivers must be 1..200");
  }
}
