package org.ridecoop.node.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.ridecoop.chain.ChainAccess;
import org.ridecoop.devchain.AnvilChain;
import org.ridecoop.protocol.ContractStructs;
import org.ridecoop.protocol.TripReceipt;
import org.ridecoop.sdk.statement.Statement;
import org.ridecoop.test.AnvilExtension;
import org.ridecoop.test.CoopFixture;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.Keys;
import org.web3j.crypto.WalletUtils;
import picocli.CommandLine;

/**
 * {@code ridecoop statement issue|verify} on a chain with a settled ride: the node-signed file
 * verifies (exit 0), an edited one fails naming the edit (exit 1), bad usage exits 2 and writes
 * nothing.
 */
@ExtendWith(AnvilExtension.class)
class StatementCommandTest {
  static CoopFixture f;
  @TempDir static Path dir;
  static Path manifest, keyFile, password;
  static String today;
  static Credentials driver;
  StringWriter out = new StringWriter();
  StringWriter err = new StringWriter();

  @BeforeAll
  static void aSettledRide(AnvilChain chain, ChainAccess access) throws Exception {
    f = CoopFixture.deploy(chain, access);
    driver = f.driver(0);
    f.join(driver, 0);
    f.join(f.rider(0), 1);
    Credentials node = Credentials.create(Keys.createEcKeyPair());
    f.membership(driver).registerNode(node.getAddress(), "http://127.0.0.1:1", new byte[0],
        List.of(new BigInteger("871fb4662ffffff", 16))).send();
    f.deposit(f.rider(0), 50_000_000L);
    BigInteger id = f.book(f.rider(0), driver, 30_000_000L);
    TripReceipt r = f.receipt(id, 5_000, 900);
    f.ledger(driver).settle(ContractStructs.receipt(r), ContractStructs.signature(f.cosign(r, f.rider(0)))).send();
    manifest = dir.resolve("manifest.json");
    f.manifest.write(manifest);
    keyFile = dir.resolve(WalletUtils.generateWalletFile("pw", node.getEcKeyPair(), dir.toFile(), false));
    password = Files.writeString(dir.resolve("pw"), "pw\n");
    today = LocalDate.ofInstant(Instant.ofEpochSecond(f.now()), ZoneOffset.UTC).toString();
  }

  int run(String... args) {
    CommandLine cl = RideCoopCommand.commandLine(Map.of());
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    return cl.execute(args);
  }

  int issue(Path json, Path csv) {
    return run("statement", "issue", "--member", driver.getAddress(), "--from", today, "--to", today,
        "--rpc", f.chain.rpcUrl(), "--manifest", manifest.toString(), "--key-file", keyFile.toString(),
        "--password-file", password.toString(), "--out", json.toString(), "--csv", csv.toString());
  }

  int verify(Path json) {
    return run("statement", "verify", json.toString(), "--rpc", f.chain.rpcUrl(), "--manifest", manifest.toString());
  }

  @Test
  void anIssuedStatementVerifies() throws Exception {
    Path json = dir.resolve("ok.json"), csv = dir.resolve("ok.csv");
    assertThat(issue(json, csv)).as(err.toString()).isZero();
    assertThat(out.toString()).contains("2 line(s)");
    Statement s = Statement.fromJson(Files.readString(json));
    assertThat(Files.readString(csv)).contains("# signature," + s.signature()).contains("ride_earned,");

    assertThat(verify(json)).as(out + " " + err).isZero();
    assertThat(out.toString()).contains("OK: statement of " + s.member()).contains("2 line(s) match the chain");
  }

  @Test
  void anEditedStatementFailsNamingTheEdit() throws Exception {
    Path json = dir.resolve("edited.json"), csv = dir.resolve("edited.csv");
    assertThat(issue(json, csv)).isZero();
    Statement s = Statement.fromJson(Files.readString(json));
    String commission = s.lines().get(1).commission().toString();
    Files.writeString(json, Files.readString(json).replace("\"commission\" : " + commission + ",", "\"commission\" : 0,"));

    assertThat(verify(json)).isEqualTo(1);
    assertThat(out.toString()).contains("MISMATCH")
        .contains("line 2 (ride_earned").contains("commission statement 0, chain " + commission)
        .contains("signature: does not match the statement");
  }

  @Test
  void badUsageExitsTwoAndWritesNothing() throws Exception {
    Path json = dir.resolve("never.json");
    assertThat(run("statement", "issue", "--member", "0x12", "--from", today, "--to", today, "--rpc", f.chain.rpcUrl(),
        "--manifest", manifest.toString(), "--key-file", keyFile.toString(), "--password-file", password.toString(),
        "--out", json.toString())).isEqualTo(2);
    assertThat(err.toString()).contains("--member: not an address");
    assertThat(run("statement", "issue", "--member", driver.getAddress(), "--from", "2026-13-01", "--to", today,
        "--rpc", f.chain.rpcUrl(), "--manifest", manifest.toString(), "--key-file", keyFile.toString(),
        "--password-file", password.toString(), "--out", json.toString())).isEqualTo(2);
    assertThat(err.toString()).contains("--from: not a date");
    Path wrong = Files.writeString(dir.resolve("wrong-pw"), "nope");
    assertThat(run("statement", "issue", "--member", driver.getAddress(), "--from", today, "--to", today,
        "--rpc", f.chain.rpcUrl(), "--manifest", manifest.toString(), "--key-file", keyFile.toString(),
        "--password-file", wrong.toString(), "--out", json.toString())).isEqualTo(2);
    assertThat(err.toString()).contains("--key-file: wrong password");
    assertThat(json).doesNotExist();

    assertThat(verify(dir.resolve("missing.json"))).isEqualTo(2);
    assertThat(verify(Files.writeString(dir.resolve("junk.json"), "{\"format\":\"something else\"}"))).isEqualTo(2);
    assertThat(err.toString()).contains("is not a ridecoop statement: format");
  }
}
