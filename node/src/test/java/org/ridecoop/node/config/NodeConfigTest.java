package org.ridecoop.node.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ridecoop.node.NodeFiles;

class NodeConfigTest {

  @TempDir
  Path dir;

  NodeFiles files;
  Map<String, String> env = new HashMap<>();

  @BeforeEach
  void files() throws Exception {
    files = NodeFiles.create(dir);
  }

  NodeConfig load(String yaml) throws Exception {
    return NodeConfig.load(files.config(yaml), env);
  }

  /** Loads {@code yaml} expecting a failure, and returns its one-line message. */
  String error(String yaml) throws Exception {
    Path file = files.config(yaml);
    try {
      NodeConfig.load(file, env);
    } catch (ConfigException e) {
      assertThat(e.getMessage()).doesNotContain("\n").doesNotContain("\r");
      return e.getMessage();
    }
    throw new AssertionError("config loaded although it should not: " + yaml);
  }

  String valid() {
    return files.yaml(8080);
  }

  @Test
  void readsEverySetting() throws Exception {
    NodeConfig c = load(valid());

    assertThat(c.chain().rpcUrl()).isEqualTo(URI.create("http://127.0.0.1:8545"));
    assertThat(c.chain().manifest()).isEqualTo(files.manifest);
    assertThat(c.keystore().file()).isEqualTo(files.keyFile);
    assertThat(c.keystore().passwordFile()).contains(files.passwordFile);
    assertThat(c.keystore().passwordEnv()).isEmpty();
    assertThat(c.http()).isEqualTo(new NodeConfig.Http("127.0.0.1", 8080));
    assertThat(c.dataDir()).isEqualTo(dir.resolve("data"));
    assertThat(c.peers().enabled()).isTrue();
    assertThat(c.matching()).isEqualTo(new NodeConfig.Matching(1500, 12000));
    assertThat(c.settlement()).isEqualTo(new NodeConfig.Settlement(20, 60000));
    assertThat(c.node().endpoint()).isEqualTo(URI.create("https://node1.example.org"));
    assertThat(c.node().serviceArea()).containsExactly(Long.parseUnsignedLong(NodeFiles.CELL, 16), 0x8928308280bffffL);
  }

  @Test
  void appliesDefaultsForOptionalSettings() throws Exception {
    NodeConfig c = load("""
        chain: {rpcUrl: "ws://chain:8546", manifest: deployment.json}
        keystore: {file: node-key.json, passwordFile: node-key.password}
        dataDir: data
        node: {endpoint: "http://n1:8080", serviceArea: ["8928308280fffff"]}
        """);

    assertThat(c.http()).isEqualTo(new NodeConfig.Http("0.0.0.0", 8080));
    assertThat(c.peers().enabled()).isTrue();
    assertThat(c.matching()).isEqualTo(new NodeConfig.Matching(2000, 15000));
    assertThat(c.settlement()).isEqualTo(new NodeConfig.Settlement(50, 300000));
    // The safety limits (NodeConfig's "Operating safely").
    assertThat(c.http().maxConnections()).isEqualTo(10_000);
    assertThat(c.http().idleTimeoutSeconds()).isEqualTo(60);
    assertThat(c.http().firstRequestTimeoutMillis()).isEqualTo(10_000);
    assertThat(c.http().maxRequestsInFlight()).isEqualTo(2_000);
    assertThat(c.matching().maxRequestAheadSeconds()).isEqualTo(900);
    assertThat(c.matching().maxPendingRequests()).isEqualTo(10_000);
  }

  @Test
  void resolvesRelativePathsAgainstTheConfigFilesDirectory() throws Exception {
    Path sub = Files.createDirectories(dir.resolve("etc"));
    Path file = Files.writeString(sub.resolve("node.yaml"), valid()
        .replace("manifest: deployment.json", "manifest: ../deployment.json")
        .replace("file: node-key.json", "file: ../node-key.json")
        .replace("passwordFile: node-key.password", "passwordFile: " + files.passwordFile));

    NodeConfig c = NodeConfig.load(file, env);

    assertThat(c.chain().manifest()).isEqualTo(files.manifest);
    assertThat(c.keystore().file()).isEqualTo(files.keyFile);
    assertThat(c.dataDir()).isEqualTo(sub.resolve("data"));
  }

  @Test
  void envVariableNamesFollowOneRule() {
    assertThat(NodeConfig.envVariable("chain.rpcUrl")).isEqualTo("RIDECOOP_CHAIN_RPCURL");
    assertThat(NodeConfig.envVariable("http.port")).isEqualTo("RIDECOOP_HTTP_PORT");
    assertThat(NodeConfig.envVariable("dataDir")).isEqualTo("RIDECOOP_DATADIR");
    assertThat(NodeConfig.envVariable("node.serviceArea")).isEqualTo("RIDECOOP_NODE_SERVICEAREA");
  }

  @Nested
  class ChainPoll {

    @Test
    void defaultsTo200Milliseconds() throws Exception {
      assertThat(load(valid()).chain().pollMillis()).isEqualTo(200);
    }

    @Test
    void readsThePollFromTheFileAndTheEnvironment() throws Exception {
      String yaml = valid().replace("  manifest: deployment.json\n", "  manifest: deployment.json\n  pollMillis: 20\n");
      assertThat(load(yaml).chain().pollMillis()).isEqualTo(20);

      env.put("RIDECOOP_CHAIN_POLLMILLIS", "50");
      assertThat(load(yaml).chain().pollMillis()).isEqualTo(50);
    }

    @Test
    void aPollTooShortForAnRpcEndpoint() throws Exception {
      String yaml = valid().replace("  manifest: deployment.json\n", "  manifest: deployment.json\n  pollMillis: 1\n");
      assertThat(error(yaml)).isEqualTo("chain.pollMillis: must be 10..60000, got 1");
    }
  }

  @Nested
  class Fleet {
    static final String A = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";
    static final String B = "0x3c44cdddb6a900fa2b585dd299e03d12fa4293bc";

    @Test
    void withoutDriversTheNodeKeyIsTheOneDriver() throws Exception {
      NodeConfig c = load(valid());

      assertThat(c.drivers()).isEmpty();
      assertThat(c.fleet(files.address)).containsExactly(files.address);
    }

    @Test
    void listedDriversAreTheFleetLowerCased() throws Exception {
      NodeConfig c = load(valid() + "drivers:\n  - " + A + "\n  - " + B + "\n");

      assertThat(c.fleet(files.address)).containsExactly(A.toLowerCase(), B);
    }

    @Test
    void theEnvironmentReplacesTheFilesFleet() throws Exception {
      env.put("RIDECOOP_DRIVERS", B + ", " + A);

      NodeConfig c = load(valid() + "drivers: [" + A + "]\n");

      assertThat(c.fleet(files.address)).containsExactly(B, A.toLowerCase());
    }

    @Test
    void aDriverThatIsNotAnAddress() throws Exception {
      assertThat(error(valid() + "drivers: [" + A + ", 0x1234]\n"))
          .isEqualTo("drivers[1]: not a 0x address of 40 hex digits: '0x1234'");
    }

    @Test
    void aBadAddressFromTheEnvironmentNamesTheVariable() throws Exception {
      env.put("RIDECOOP_DRIVERS", A + ",nobody");

      assertThat(error(valid())).isEqualTo("drivers (RIDECOOP_DRIVERS)[1]: not a 0x address of 40 hex digits: 'nobody'");
    }

    @Test
    void aMixedCaseAddressWithABadChecksum() throws Exception {
      String typo = A.replace("C51812", "c51812");
      assertThat(error(valid() + "drivers: [" + typo + "]\n"))
          .isEqualTo("drivers[0]: bad EIP-55 checksum: '" + typo + "' (write it all lower-case to skip the check)");
    }

    @Test
    void aDriverListedTwice() throws Exception {
      assertThat(error(valid() + "drivers: [" + A + ", " + A.toLowerCase() + "]\n"))
          .isEqualTo("drivers[1]: duplicate driver " + A.toLowerCase());
    }

    @Test
    void anEmptyFleet() throws Exception {
      assertThat(error(valid() + "drivers: []\n"))
          .isEqualTo("drivers: must list at least one driver address (leave it out to serve the node key's address)");
    }

    @Test
    void driversThatAreNotAList() throws Exception {
      assertThat(error(valid() + "drivers: " + A + "\n"))
          .startsWith("drivers: must be a list of driver addresses");
    }
  }

  @Nested
  class EnvironmentOverrides {

    @Test
    void overrideFileValues() throws Exception {
      env.put("RIDECOOP_HTTP_PORT", "9191");
      env.put("RIDECOOP_CHAIN_RPCURL", "https://rpc.example.org");
      env.put("RIDECOOP_NODE_SERVICEAREA", "8928308280fffff,8928308283bffff");
      env.put("RIDECOOP_PEERS_ENABLED", "false");
      env.put("RIDECOOP_SETTLEMENT_BATCHSIZE", "7");

      NodeConfig c = load(valid());

      assertThat(c.http().port()).isEqualTo(9191);
      assertThat(c.chain().rpcUrl()).isEqualTo(URI.create("https://rpc.example.org"));
      assertThat(c.node().serviceArea()).containsExactly(0x8928308280fffffL, 0x8928308283bffffL);
      assertThat(c.peers().enabled()).isFalse();
      assertThat(c.settlement().batchSize()).isEqualTo(7);
    }

    @Test
    void canSupplyARequiredSettingTheFileLacks() throws Exception {
      env.put("RIDECOOP_DATADIR", dir.resolve("elsewhere").toString());

      NodeConfig c = load(valid().replace("dataDir: data\n", ""));

      assertThat(c.dataDir()).isEqualTo(dir.resolve("elsewhere"));
    }

    @Test
    void aPasswordVariableReplacesTheFilesPasswordFile() throws Exception {
      env.put("RIDECOOP_KEYSTORE_PASSWORDENV", "NODE_PW");
      env.put("NODE_PW", NodeFiles.PASSWORD);

      NodeConfig c = load(valid());

      assertThat(c.keystore().passwordFile()).isEmpty();
      assertThat(c.keystore().passwordEnv()).contains("NODE_PW");
    }

    @Test
    void anEmptyVariableCountsAsUnset() throws Exception {
      env.put("RIDECOOP_HTTP_PORT", "");

      assertThat(load(valid()).http().port()).isEqualTo(8080);
    }

    @Test
    void errorsNameTheVariable() throws Exception {
      env.put("RIDECOOP_HTTP_PORT", "70000");

      assertThat(error(valid())).isEqualTo("http.port (RIDECOOP_HTTP_PORT): must be 1..65535, got 70000");
    }
  }

  @Nested
  class Refuses {

    @Test
    void aPortOutOfRange() throws Exception {
      assertThat(error(valid().replace("port: 8080", "port: 70000")))
          .isEqualTo("http.port: must be 1..65535, got 70000");
    }

    @Test
    void aPortThatIsNotANumber() throws Exception {
      assertThat(error(valid().replace("port: 8080", "port: eighty")))
          .isEqualTo("http.port: must be an integer 1..65535, got 'eighty'");
    }

    @Test
    void aFractionWhereAnIntegerBelongs() throws Exception {
      assertThat(error(valid().replace("batchSize: 20", "batchSize: 2.5")))
          .isEqualTo("settlement.batchSize: must be an integer 1..500, got '2.5'");
    }

    @Test
    void safetyLimitsOutOfRange() throws Exception {
      assertThat(error(valid().replace("port: 8080", "port: 8080\n  maxConnections: 0")))
          .isEqualTo("http.maxConnections: must be 1..1000000, got 0");
      assertThat(error(valid().replace("windowMillis: 1500", "windowMillis: 1500\n  maxRequestAheadSeconds: 999999")))
          .isEqualTo("matching.maxRequestAheadSeconds: must be 60..86400, got 999999");
    }

    @Test
    void aMatchingWindowOutOfRange() throws Exception {
      assertThat(error(valid().replace("windowMillis: 1500", "windowMillis: 0")))
          .isEqualTo("matching.windowMillis: must be 10..60000, got 0");
    }

    @Test
    void anUnknownTopLevelKey() throws Exception {
      assertThat(error(valid() + "colour: blue\n")).startsWith("colour: unknown setting; known top-level keys: chain, ");
    }

    @Test
    void anUnknownKeyInASection() throws Exception {
      assertThat(error(valid().replace("port: 8080", "prot: 8080")))
          .isEqualTo("http.prot: unknown setting; known in http: host, port, maxConnections, idleTimeoutSeconds,"
              + " firstRequestTimeoutMillis, maxRequestsInFlight");
    }

    @Test
    void aPasswordInTheFile() throws Exception {
      assertThat(error(valid().replace("passwordFile: node-key.password", "password: hunter2")))
          .isEqualTo("keystore.password: a password is never written in the config; "
              + "use keystore.passwordFile or keystore.passwordEnv")
          .doesNotContain("hunter2");
    }

    @Test
    void aMissingRequiredSetting() throws Exception {
      assertThat(error(valid().replace("  rpcUrl: http://127.0.0.1:8545\n", "")))
          .isEqualTo("chain.rpcUrl: missing; set it in the config file or with RIDECOOP_CHAIN_RPCURL");
    }

    @Test
    void aSettingWithoutValue() throws Exception {
      assertThat(error(valid().replace("port: 8080", "port:"))).isEqualTo("http.port: has no value");
    }

    @Test
    void aSectionThatIsNotAMapping() throws Exception {
      assertThat(error(valid().replace("peers:\n  enabled: true\n", "peers: yes\n")))
          .isEqualTo("peers: must be a mapping with enabled");
    }

    @Test
    void aListWhereOneValueBelongs() throws Exception {
      assertThat(error(valid().replace("host: 127.0.0.1", "host: [a, b]")))
          .isEqualTo("http.host: must be a single value, got a list");
    }

    @Test
    void aUrlWithTheWrongScheme() throws Exception {
      assertThat(error(valid().replace("rpcUrl: http://127.0.0.1:8545", "rpcUrl: ftp://chain")))
          .isEqualTo("chain.rpcUrl: must be an absolute http/https/ws/wss URL, got 'ftp://chain'");
    }

    @Test
    void aRelativeEndpoint() throws Exception {
      assertThat(error(valid().replace("endpoint: https://node1.example.org", "endpoint: node1")))
          .isEqualTo("node.endpoint: must be an absolute http/https URL, got 'node1'");
    }

    @Test
    void aBooleanThatIsNotTrueOrFalse() throws Exception {
      assertThat(error(valid().replace("enabled: true", "enabled: maybe")))
          .isEqualTo("peers.enabled: must be true or false, got 'maybe'");
    }

    @Test
    void aKeystoreFileThatDoesNotExist() throws Exception {
      assertThat(error(valid().replace("file: node-key.json", "file: nope.json")))
          .isEqualTo("keystore.file: no such file: " + dir.resolve("nope.json"));
    }

    @Test
    void bothPasswordSources() throws Exception {
      env.put("PW", "x");
      assertThat(error(valid().replace("passwordFile: node-key.password",
          "passwordFile: node-key.password\n  passwordEnv: PW")))
          .isEqualTo("keystore.passwordFile: set only one of keystore.passwordFile and keystore.passwordEnv, not both");
    }

    @Test
    void noPasswordSource() throws Exception {
      assertThat(error(valid().replace("  passwordFile: node-key.password\n", "")))
          .startsWith("keystore.passwordFile: missing; set keystore.passwordFile or keystore.passwordEnv");
    }

    @Test
    void aPasswordVariableThatIsNotSet() throws Exception {
      assertThat(error(valid().replace("passwordFile: node-key.password", "passwordEnv: NODE_PW")))
          .isEqualTo("keystore.passwordEnv: environment variable NODE_PW is not set");
    }

    @Test
    void aManifestThatIsNotAManifest() throws Exception {
      Files.writeString(files.manifest, "not json");
      assertThat(error(valid())).startsWith("chain.manifest: not a deployment manifest: " + files.manifest);
    }

    @Test
    void aCellThatIsNotHex() throws Exception {
      assertThat(error(valid().replace("8928308280bffff", "zz")))
          .isEqualTo("node.serviceArea[1]: not an H3 cell in hex: 'zz'");
    }

    @Test
    void aHexNumberThatIsNotAnH3Cell() throws Exception {
      // mode bits 0 instead of 1 (cell)
      assertThat(error(valid().replace("8928308280bffff", "0928308280bffff")))
          .isEqualTo("node.serviceArea[1]: not a valid H3 cell index: '0928308280bffff'");
    }

    @Test
    void aDuplicateCell() throws Exception {
      assertThat(error(valid().replace("8928308280bffff", NodeFiles.CELL)))
          .isEqualTo("node.serviceArea[1]: duplicate cell " + NodeFiles.CELL);
    }

    @Test
    void anEmptyServiceArea() throws Exception {
      assertThat(error(valid().replace("serviceArea: [" + NodeFiles.CELL + ", 8928308280bffff]", "serviceArea: []")))
          .isEqualTo("node.serviceArea: must list at least one H3 cell");
    }

    @Test
    void aDataDirThatIsAFile() throws Exception {
      Files.writeString(dir.resolve("data"), "");
      assertThat(error(valid())).isEqualTo("dataDir: not a directory: " + dir.resolve("data"));
    }

    @Test
    void invalidYaml() throws Exception {
      assertThat(error("chain: [unclosed\nhttp: {port: 1}\n")).startsWith("node.yaml: not valid YAML at line ");
    }

    @Test
    void aKeyGivenTwice() throws Exception {
      assertThat(error(valid() + "dataDir: other\n")).startsWith("node.yaml: not valid YAML at line")
          .contains("dataDir");
    }

    @Test
    void aFileThatIsNotAMapping() throws Exception {
      assertThat(error("- a\n- b\n")).startsWith("node.yaml: must be a mapping of settings");
    }

    @Test
    void aMissingConfigFile() {
      assertThatThrownBy(() -> NodeConfig.load(dir.resolve("absent.yaml"), env))
          .isInstanceOf(ConfigException.class)
          .hasMessage("--config: no such file: " + dir.resolve("absent.yaml"));
    }

    @Test
    void anEmptyFileReportingTheFirstMissingSetting() throws Exception {
      assertThat(error("")).startsWith("chain.rpcUrl: missing");
    }
  }

  @Test
  void cellParsingKeepsTheIndexBits() throws Exception {
    assertThat(ConfigReader.parseCell("x", "8928308280fffff")).isEqualTo(0x8928308280fffffL);
    assertThat(ConfigReader.parseCell("x", "0x8928308280FFFFF")).isEqualTo(0x8928308280fffffL);
    // resolution 0 base cell 0
    assertThat(ConfigReader.parseCell("x", "8001fffffffffff")).isEqualTo(0x8001fffffffffffL);
    assertThatThrownBy(() -> ConfigReader.parseCell("x", "8928308280ffff7"))
        .hasMessage("x: not a valid H3 cell index: '8928308280ffff7'");
  }

  @Test
  void toStringHoldsNoSecret() throws Exception {
    env.put("NODE_PW", "s3cret-value");
    NodeConfig c = load(valid().replace("passwordFile: node-key.password", "passwordEnv: NODE_PW"));

    assertThat(c.toString()).doesNotContain("s3cret-value").contains("NODE_PW");
    assertThat(c.keystore()).isEqualTo(new NodeConfig.Keystore(files.keyFile, Optional.empty(), Optional.of("NODE_PW")));
    assertThat(List.of(c.node().serviceArea().size())).containsExactly(2);
  }
}
