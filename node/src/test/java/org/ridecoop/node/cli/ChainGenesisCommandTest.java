package org.ridecoop.node.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ridecoop.node.besu.BesuNetwork;
import org.web3j.crypto.Credentials;
import org.web3j.rlp.RlpDecoder;
import org.web3j.rlp.RlpList;
import org.web3j.rlp.RlpString;
import org.web3j.rlp.RlpType;
import org.web3j.utils.Numeric;

/** {@code ridecoop chain genesis}: the files a Besu QBFT network starts from, and its refusals. */
class ChainGenesisCommandTest {

  static final String DEPLOYER = "0x00000000000000000000000000000000000000d1";
  static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path dir;

  StringWriter out = new StringWriter();
  StringWriter err = new StringWriter();

  int run(String... args) {
    var cl = RideCoopCommand.commandLine(Map.of());
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    return cl.execute(args);
  }

  @Test
  void writesAFourValidatorNetworkBesuCanStartFrom() throws Exception {
    Path net = dir.resolve("net");
    assertThat(run("chain", "genesis", "--validators", "4", "--out", net.toString(), "--chain-id", "4242",
        "--deployer", DEPLOYER)).as(err.toString()).isZero();

    List<String> addresses = new ArrayList<>();
    for (int i = 1; i <= 4; i++) {
      Path v = net.resolve("validator" + i);
      Path key = v.resolve("key");
      assertThat(Files.getPosixFilePermissions(key)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
      String keyHex = Files.readString(key).trim();
      assertThat(keyHex).matches("0x[0-9a-f]{64}");
      assertThat(out.toString()).doesNotContain(keyHex.substring(2));
      // the validator address is the key's account address, and key.pub its public key
      Credentials c = Credentials.create(keyHex);
      assertThat(Files.readString(v.resolve("address")).trim()).isEqualTo(c.getAddress());
      assertThat(Files.readString(v.resolve("key.pub")).trim())
          .isEqualTo(Numeric.toHexStringWithPrefixZeroPadded(c.getEcKeyPair().getPublicKey(), 128));
      assertThat(Files.readString(v.resolve("permissions_config.toml")))
          .contains("accounts-allowlist=[", c.getAddress(), DEPLOYER, "nodes-allowlist=[\"enode://");
      addresses.add(c.getAddress());
    }

    JsonNode genesis = JSON.readTree(net.resolve("genesis.json").toFile());
    JsonNode config = genesis.get("config");
    assertThat(config.get("chainId").asLong()).isEqualTo(4242);
    assertThat(config.get("zeroBaseFee").asBoolean()).isTrue();
    assertThat(config.get("londonBlock").asInt()).isZero();
    assertThat(config.get("shanghaiTime").asInt()).isZero();
    assertThat(config.get("cancunTime").asInt()).isZero();
    assertThat(config.has("osakaTime")).as("Osaka would cap every transaction's gas").isFalse();
    assertThat(config.get("qbft").get("blockperiodseconds").asInt()).isEqualTo(2);
    assertThat(config.get("qbft").get("requesttimeoutseconds").asInt()).isEqualTo(4);
    assertThat(genesis.get("difficulty").asText()).isEqualTo("0x1");
    assertThat(genesis.get("mixHash").asText())
        .isEqualTo("0x63746963616c2062797a616e74696e65206661756c7420746f6c6572616e6365");
    assertThat(genesis.get("alloc").has(DEPLOYER.substring(2))).isTrue();

    // extraData lists exactly the four validators, ascending, with no vote, round 0 and no seals
    RlpList extra = (RlpList) RlpDecoder.decode(Numeric.hexStringToByteArray(genesis.get("extraData").asText()))
        .getValues().get(0);
    List<RlpType> fields = extra.getValues();
    assertThat(fields).hasSize(5);
    assertThat(((RlpString) fields.get(0)).getBytes()).isEqualTo(new byte[32]);
    List<String> listed = ((RlpList) fields.get(1)).getValues().stream()
        .map(a -> Numeric.toHexString(((RlpString) a).getBytes())).toList();
    assertThat(listed).isSorted().containsExactlyInAnyOrderElementsOf(addresses);
    assertThat(((RlpList) fields.get(2)).getValues()).isEmpty();
    assertThat(((RlpString) fields.get(3)).getBytes()).isEmpty();
    assertThat(((RlpList) fields.get(4)).getValues()).isEmpty();

    JsonNode staticNodes = JSON.readTree(net.resolve("static-nodes.json").toFile());
    assertThat(staticNodes).hasSize(4);
    assertThat(staticNodes.get(0).asText()).matches("enode://[0-9a-f]{128}@172\\.28\\.0\\.11:30303");
    assertThat(staticNodes.get(3).asText()).endsWith("@172.28.0.14:30303");

    BesuNetwork network = BesuNetwork.read(net.resolve("network.json"));
    assertThat(network.chainId()).isEqualTo(4242);
    assertThat(network.permanentAccounts()).containsAll(addresses).contains(DEPLOYER);
    assertThat(network.permanentEnodes()).containsExactlyElementsOf(
        List.of(staticNodes.get(0).asText(), staticNodes.get(1).asText(), staticNodes.get(2).asText(),
            staticNodes.get(3).asText()));
  }

  @Test
  void refusesBadOptionsWithExitCodeTwoAndWritesNothing() throws Exception {
    Path net = dir.resolve("net");
    assertThat(run("chain", "genesis", "--validators", "0", "--out", net.toString())).isEqualTo(2);
    assertThat(err.toString()).contains("--validators: must be 1..64, got 0");
    assertThat(run("chain", "genesis", "--validators", "4", "--out", net.toString(), "--deployer", "0x12")).isEqualTo(2);
    assertThat(err.toString()).contains("--deployer: not an address: 0x12");
    assertThat(run("chain", "genesis", "--validators", "4", "--out", net.toString(), "--first-ip", "10.0.0.253")).isEqualTo(2);
    assertThat(err.toString()).contains("run past .254");
    assertThat(net).doesNotExist();
  }

  @Test
  void refusesANonEmptyDirectoryRatherThanOverwriteKeys() throws Exception {
    Path net = Files.createDirectories(dir.resolve("net"));
    Path keep = Files.writeString(net.resolve("key"), "old");
    assertThat(run("chain", "genesis", "--validators", "1", "--out", net.toString())).isEqualTo(2);
    assertThat(err.toString()).contains("is not empty; refusing to overwrite");
    assertThat(Files.readString(keep)).isEqualTo("old");
    try (var entries = Files.list(net)) {
      assertThat(entries).hasSize(1);
    }
  }
}
