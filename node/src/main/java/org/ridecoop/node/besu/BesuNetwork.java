package org.ridecoop.node.besu;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * What a generated network holds that is public and must always stay allowed: its validators
 * (address and enode) and the accounts allowed from the start (the deployer). Written by
 * {@code ridecoop chain genesis} as {@code network.json}; read by {@code ridecoop permissions sync},
 * which never removes these from Besu's allowlists whatever the membership says.
 *
 * @param chainId the genesis chain id
 * @param validators the genesis validators
 * @param accounts accounts allowed from the start, lower-case {@code 0x} hex
 */
public record BesuNetwork(long chainId, List<Node> validators, List<String> accounts) {

  /** The file name inside the genesis output directory. */
  public static final String FILE = "network.json";

  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  public BesuNetwork {
    validators = List.copyOf(validators);
    accounts = accounts.stream().map(a -> a.toLowerCase(Locale.ROOT)).toList();
  }

  /**
   * A Besu node of the network.
   *
   * @param name its service name
   * @param address its node (validator) address
   * @param enode its enode URL
   */
  public record Node(String name, String address, String enode) {}

  /** The validator addresses and the initial accounts: never to be removed from the accounts allowlist. */
  public List<String> permanentAccounts() {
    return java.util.stream.Stream.concat(validators.stream().map(n -> n.address().toLowerCase(Locale.ROOT)),
        accounts.stream()).distinct().toList();
  }

  /** The validators' enodes: never to be removed from the nodes allowlist. */
  public List<String> permanentEnodes() {
    return validators.stream().map(Node::enode).toList();
  }

  /** Writes the JSON file. */
  public void write(Path file) throws IOException {
    JSON.writeValue(file.toFile(), this);
  }

  /**
   * Reads a {@code network.json}.
   *
   * @throws IOException if it cannot be read or is not one
   */
  public static BesuNetwork read(Path file) throws IOException {
    BesuNetwork network = JSON.readValue(file.toFile(), BesuNetwork.class);
    if (network.validators == null || network.validators.isEmpty()) {
      throw new IOException(file + ": no validators");
    }
    return network;
  }
}
