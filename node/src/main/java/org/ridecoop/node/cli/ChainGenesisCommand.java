package org.ridecoop.node.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.InvalidAlgorithmParameterException;
import java.security.NoSuchAlgorithmException;
import java.security.NoSuchProviderException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.ridecoop.node.besu.BesuNetwork;
import org.ridecoop.node.besu.NetworkFiles;
import org.ridecoop.node.besu.QbftGenesis;
import org.ridecoop.node.besu.Validator;
import org.web3j.crypto.Keys;
import org.web3j.crypto.WalletUtils;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ridecoop chain genesis}: the files a Besu QBFT network starts from, with fresh validator
 * keys. Prints the validators and what to do next; never prints a key.
 */
@Command(
    name = "genesis",
    mixinStandardHelpOptions = true,
    description = {"Generate a Besu QBFT network: validator node keys, genesis.json (free gas,",
        "forks through Cancun), static-nodes.json, the initial permissions allowlists and",
        "network.json (read by `ridecoop permissions sync`).",
        "Each validator's `key` is Besu's unencrypted node key, written with mode 0600."})
final class ChainGenesisCommand implements Callable<Integer> {

  @Spec
  CommandSpec spec;

  @Option(names = "--validators", required = true, paramLabel = "N",
      description = "Number of validators, 1..64 (4 tolerates one faulty validator).")
  int validators;

  @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output directory (absent or empty).")
  Path out;

  @Option(names = "--chain-id", defaultValue = "1337", paramLabel = "ID", description = "Chain id (default ${DEFAULT-VALUE}).")
  long chainId;

  @Option(names = "--block-period", defaultValue = "2", paramLabel = "SECONDS",
      description = "Minimum seconds between blocks (default ${DEFAULT-VALUE}).")
  int blockPeriod;

  @Option(names = "--request-timeout", paramLabel = "SECONDS",
      description = "QBFT round timeout (default: twice the block period).")
  Integer requestTimeout;

  @Option(names = "--epoch-length", defaultValue = "30000", paramLabel = "BLOCKS",
      description = "Blocks after which pending validator votes reset (default ${DEFAULT-VALUE}).")
  long epochLength;

  @Option(names = "--first-ip", defaultValue = "172.28.0.11", paramLabel = "IP",
      description = "P2P address of validator1; the next validators take the following addresses "
          + "(default ${DEFAULT-VALUE}, the docker/ compose network).")
  String firstIp;

  @Option(names = "--p2p-port", defaultValue = "30303", paramLabel = "PORT", description = "P2P port (default ${DEFAULT-VALUE}).")
  int p2pPort;

  @Option(names = "--deployer", paramLabel = "ADDRESS",
      description = "The account that will deploy the contracts: funded and allowed from the start.")
  String deployer;

  @Override
  public Integer call() throws Exception {
    validate();
    List<Validator> keys = new ArrayList<>();
    byte[] ip = InetAddress.getByName(firstIp).getAddress();
    for (int i = 0; i < validators; i++) {
      keys.add(new Validator("validator" + (i + 1), newKey(), ipPlus(ip, i), p2pPort));
    }
    List<String> initial = deployer == null ? List.of() : List.of(deployer);
    QbftGenesis genesis = new QbftGenesis(chainId, keys, initial, blockPeriod,
        requestTimeout == null ? 2 * blockPeriod : requestTimeout, epochLength);
    BesuNetwork network = NetworkFiles.write(out, genesis, initial);
    PrintWriter o = spec.commandLine().getOut();
    o.println("genesis:    " + out.resolve("genesis.json") + " (chain id " + chainId + ", QBFT, "
        + blockPeriod + " s blocks, zero base fee, forks through cancun)");
    for (BesuNetwork.Node v : network.validators()) {
      o.println(v.name() + ": " + Keys.toChecksumAddress(v.address()) + " " + v.enode());
    }
    o.println("keys:       " + out + "/validatorN/key (mode 0600; Besu reads it unencrypted: keep it private)");
    o.println("allowlists: " + out + "/validatorN/" + NetworkFiles.PERMISSIONS_FILE + ", " + out.resolve(BesuNetwork.FILE));
    o.flush();
    return 0;
  }

  private void validate() throws IOException {
    if (validators < 1 || validators > 64) {
      throw CommandFailure.usage("--validators: must be 1..64, got " + validators);
    }
    if (chainId < 1) {
      throw CommandFailure.usage("--chain-id: must be positive, got " + chainId);
    }
    if (blockPeriod < 1) {
      throw CommandFailure.usage("--block-period: must be at least 1 second, got " + blockPeriod);
    }
    if (requestTimeout != null && requestTimeout < 1) {
      throw CommandFailure.usage("--request-timeout: must be at least 1 second, got " + requestTimeout);
    }
    if (epochLength < 1) {
      throw CommandFailure.usage("--epoch-length: must be positive, got " + epochLength);
    }
    if (p2pPort < 1 || p2pPort > 65535) {
      throw CommandFailure.usage("--p2p-port: must be 1..65535, got " + p2pPort);
    }
    if (!firstIp.matches("\\d{1,3}(\\.\\d{1,3}){3}") || Stream.of(firstIp.split("\\.")).anyMatch(o -> Integer.parseInt(o) > 255)) {
      throw CommandFailure.usage("--first-ip: not an IPv4 address: " + firstIp);
    }
    int last = Integer.parseInt(firstIp.substring(firstIp.lastIndexOf('.') + 1));
    if (last + validators - 1 > 254) {
      throw CommandFailure.usage("--first-ip: " + validators + " validators from " + firstIp + " run past .254");
    }
    if (deployer != null && !WalletUtils.isValidAddress(deployer)) {
      throw CommandFailure.usage("--deployer: not an address: " + deployer);
    }
    if (Files.exists(out)) {
      if (!Files.isDirectory(out)) {
        throw CommandFailure.usage("--out: " + out + " is a file");
      }
      try (Stream<Path> entries = Files.list(out)) {
        if (entries.findAny().isPresent()) {
          throw CommandFailure.usage("--out: " + out + " is not empty; refusing to overwrite a network's keys");
        }
      }
    }
  }

  private static org.web3j.crypto.ECKeyPair newKey()
      throws InvalidAlgorithmParameterException, NoSuchAlgorithmException, NoSuchProviderException {
    return Keys.createEcKeyPair();
  }

  private static String ipPlus(byte[] ip, int n) {
    return (ip[0] & 0xff) + "." + (ip[1] & 0xff) + "." + (ip[2] & 0xff) + "." + ((ip[3] & 0xff) + n);
  }
}
