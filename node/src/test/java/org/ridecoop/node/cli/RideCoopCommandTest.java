package org.ridecoop.node.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ridecoop.node.NodeFiles;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.WalletFile;
import org.web3j.crypto.WalletUtils;
import org.web3j.protocol.ObjectMapperFactory;

/** The launcher run in-process: exit codes and exactly what it prints. */
class RideCoopCommandTest {

  @TempDir
  Path dir;

  Map<String, String> env = new HashMap<>();
  StringWriter out = new StringWriter();
  StringWriter err = new StringWriter();

  int run(String... args) {
    var cl = RideCoopCommand.commandLine(env);
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    return cl.execute(args);
  }

  @Nested
  class Usage {

    @Test
    void noCommandIsAUsageError() {
      assertThat(run()).isEqualTo(2);
      assertThat(err.toString()).startsWith("Missing required subcommand").contains("Usage: ridecoop");
    }

    @Test
    void nodeWithoutSubcommandIsAUsageError() {
      assertThat(run("node")).isEqualTo(2);
      assertThat(err.toString()).startsWith("Missing required subcommand: start or keygen");
    }

    @Test
    void anUnknownOptionIsAUsageError() {
      assertThat(run("node", "start", "--config", "x.yaml", "--colour")).isEqualTo(2);
      assertThat(err.toString()).startsWith("Unknown option: '--colour'");
    }

    @Test
    void startNeedsAConfig() {
      assertThat(run("node", "start")).isEqualTo(2);
      assertThat(err.toString()).startsWith("Missing required option: '--config=FILE'");
    }

    @Test
    void helpExitsZero() {
      assertThat(run("node", "start", "--help")).isZero();
      assertThat(out.toString()).contains("--config=FILE");
    }
  }

  @Nested
  class Start {

    @Test
    void aBadConfigExitsTwoWithOneLine() throws Exception {
      NodeFiles files = NodeFiles.create(dir);
      Path bad = files.config(files.yaml(70000));

      assertThat(run("node", "start", "--config", bad.toString())).isEqualTo(2);

      assertThat(err.toString()).isEqualTo("config error: http.port: must be 1..65535, got 70000" + System.lineSeparator());
      assertThat(out.toString()).isEmpty();
    }

    @Test
    void aBadFleetAddressExitsTwoNamingTheKey() throws Exception {
      NodeFiles files = NodeFiles.create(dir);
      Path bad = files.config(files.yaml(8080) + "drivers: [0xnot-an-address]\n");

      assertThat(run("node", "start", "--config", bad.toString())).isEqualTo(2);

      assertThat(err.toString()).isEqualTo("config error: drivers[0]: not a 0x address of 40 hex digits: '0xnot-an-address'"
          + System.lineSeparator());
    }

    @Test
    void aMissingConfigFileExitsTwo() {
      assertThat(run("node", "start", "--config", dir.resolve("none.yaml").toString())).isEqualTo(2);
      assertThat(err.toString()).isEqualTo("config error: --config: no such file: " + dir.resolve("none.yaml")
          + System.lineSeparator());
    }

    @Test
    void theEnvironmentGivenIsTheOneRead() throws Exception {
      NodeFiles files = NodeFiles.create(dir);
      Path good = files.config(files.yaml(8080));
      env.put("RIDECOOP_HTTP_PORT", "0");

      assertThat(run("node", "start", "--config", good.toString())).isEqualTo(2);
      assertThat(err.toString()).isEqualTo("config error: http.port (RIDECOOP_HTTP_PORT): must be 1..65535, got 0"
          + System.lineSeparator());
    }
  }

  @Nested
  class Keygen {

    Path passwordFile;
    Path keyFile;

    @BeforeEach
    void password() throws Exception {
      passwordFile = Files.writeString(dir.resolve("pw"), "s3cret\n");
      keyFile = dir.resolve("keys/node-key.json");
    }

    @Test
    void writesAnEncryptedWalletAndPrintsOnlyTheAddress() throws Exception {
      assertThat(run("node", "keygen", "--out", keyFile.toString(), "--password-file", passwordFile.toString(),
          "--kdf", "light")).isZero();

      String address = out.toString().strip();
      assertThat(out.toString()).isEqualTo(address + System.lineSeparator());
      assertThat(address).matches("0x[0-9a-fA-F]{40}");
      assertThat(err.toString()).isEmpty();
      assertThat(Files.getPosixFilePermissions(keyFile)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
      assertThat(Files.list(keyFile.getParent())).containsExactly(keyFile); // no temp files left
      Credentials c = WalletUtils.loadCredentials("s3cret", keyFile.toFile());
      assertThat(c.getAddress()).isEqualToIgnoringCase(address);
      assertThat(Files.readString(keyFile)).doesNotContain("s3cret");
    }

    @Test
    void usesStandardScryptByDefaultAndThePasswordFromTheEnvironment() throws Exception {
      env.put("NODE_PW", "from-env");

      assertThat(run("node", "keygen", "--out", keyFile.toString(), "--password-env", "NODE_PW")).isZero();

      WalletFile wallet = ObjectMapperFactory.getObjectMapper().readValue(keyFile.toFile(), WalletFile.class);
      assertThat(wallet.getCrypto().getKdf()).isEqualTo("scrypt");
      assertThat(((WalletFile.ScryptKdfParams) wallet.getCrypto().getKdfparams()).getN()).isEqualTo(1 << 18);
      assertThat(WalletUtils.loadCredentials("from-env", keyFile.toFile()).getAddress())
          .isEqualToIgnoringCase(out.toString().strip());
    }

    @Test
    void neverOverwritesAKey() throws Exception {
      Files.createDirectories(keyFile.getParent());
      Files.writeString(keyFile, "existing");

      assertThat(run("node", "keygen", "--out", keyFile.toString(), "--password-file", passwordFile.toString()))
          .isEqualTo(2);

      assertThat(err.toString()).isEqualTo("error: --out: " + keyFile + " exists; refusing to overwrite a key"
          + System.lineSeparator());
      assertThat(Files.readString(keyFile)).isEqualTo("existing");
    }

    @Test
    void needsExactlyOnePasswordSource() {
      assertThat(run("node", "keygen", "--out", keyFile.toString())).isEqualTo(2);
      assertThat(err.toString()).startsWith("Error: Missing required argument (specify one of these): "
          + "(--password-file=FILE | --password-env=VAR)");

      err.getBuffer().setLength(0);
      assertThat(run("node", "keygen", "--out", keyFile.toString(), "--password-file", passwordFile.toString(),
          "--password-env", "X")).isEqualTo(2);
      assertThat(err.toString()).contains("mutually exclusive");
      assertThat(keyFile).doesNotExist();
    }

    @Test
    void anUnsetPasswordVariableIsAUsageError() {
      assertThat(run("node", "keygen", "--out", keyFile.toString(), "--password-env", "NOPE")).isEqualTo(2);
      assertThat(err.toString()).isEqualTo("error: --password-env: environment variable NOPE is not set"
          + System.lineSeparator());
    }

    @Test
    void aMissingPasswordFileIsAUsageError() {
      assertThat(run("node", "keygen", "--out", keyFile.toString(), "--password-file", dir.resolve("nope").toString()))
          .isEqualTo(2);
      assertThat(err.toString()).startsWith("error: --password-file: cannot read " + dir.resolve("nope"));
    }
  }
}
