package org.ridecoop.node.besu;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Writes what a QBFT network starts from into one directory:
 * <pre>
 * genesis.json            the QBFT genesis
 * static-nodes.json       every validator's enode
 * network.json            validators and initial accounts (read by the permissions sync)
 * validatorN/key          the node's private key, Besu's own format, mode 0600
 * validatorN/key.pub      its public key
 * validatorN/address      its validator address
 * validatorN/permissions_config.toml  the initial accounts and nodes allowlists (Besu writes
 *                         runtime changes back to it, so each validator has its own copy)
 * </pre>
 * Besu reads its node key only from an unencrypted file, so the key is written owner-only and
 * never printed or logged.
 */
public final class NetworkFiles {

  /** The per-validator permissioning file name. */
  public static final String PERMISSIONS_FILE = "permissions_config.toml";

  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private NetworkFiles() {}

  /**
   * Writes the network into {@code dir}, which must be absent or empty.
   *
   * @param initialAccounts accounts allowed from the start besides the validators (the deployer)
   * @return the public description also written as {@code network.json}
   * @throws IOException if a file cannot be written
   */
  public static BesuNetwork write(Path dir, QbftGenesis genesis, List<String> initialAccounts) throws IOException {
    Files.createDirectories(dir);
    JSON.writeValue(dir.resolve("genesis.json").toFile(), genesis.toJson(JSON));
    List<String> enodes = genesis.validators().stream().map(Validator::enode).toList();
    JSON.writeValue(dir.resolve("static-nodes.json").toFile(), enodes);
    List<String> accounts = new ArrayList<>(genesis.sortedValidatorAddresses());
    initialAccounts.stream().map(a -> a.toLowerCase(java.util.Locale.ROOT)).filter(a -> !accounts.contains(a))
        .forEach(accounts::add);
    String toml = permissionsToml(accounts, enodes);
    for (Validator v : genesis.validators()) {
      Path own = Files.createDirectories(dir.resolve(v.name()));
      writeSecret(own.resolve("key"), v.privateKeyFileText());
      Files.writeString(own.resolve("key.pub"), "0x" + v.publicKeyHex() + "\n");
      Files.writeString(own.resolve("address"), v.address() + "\n");
      Files.writeString(own.resolve(PERMISSIONS_FILE), toml);
    }
    BesuNetwork network = new BesuNetwork(genesis.chainId(), genesis.validators().stream()
        .map(v -> new BesuNetwork.Node(v.name(), v.address(), v.enode())).toList(), initialAccounts);
    network.write(dir.resolve(BesuNetwork.FILE));
    return network;
  }

  /** Besu's local permissioning file: both allowlists in one TOML file. */
  static String permissionsToml(List<String> accounts, List<String> enodes) {
    return "# Written by `ridecoop chain genesis`; `ridecoop permissions sync` keeps it equal to Membership\n"
        + "accounts-allowlist=" + tomlArray(accounts) + "\n"
        + "nodes-allowlist=" + tomlArray(enodes) + "\n";
  }

  private static String tomlArray(List<String> values) {
    return values.stream().map(v -> "\"" + v + "\"").collect(Collectors.joining(", ", "[", "]"));
  }

  // Created owner-only before the key is written, so it is never readable by others, even briefly.
  private static void writeSecret(Path file, String text) throws IOException {
    try {
      Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    } catch (UnsupportedOperationException notPosix) {
      Files.createFile(file);
    }
    Files.writeString(file, text + "\n", StandardCharsets.US_ASCII, StandardOpenOption.TRUNCATE_EXISTING);
  }
}
