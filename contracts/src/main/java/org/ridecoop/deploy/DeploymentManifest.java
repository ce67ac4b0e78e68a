package org.ridecoop.deploy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.TreeMap;

/**
 * Where a ridecoop deployment lives: what the node, the SDK and the auditor read to find the
 * contracts. Written once by the {@link Deployer} as JSON.
 *
 * @param chainId the chain's id
 * @param deploymentBlock the block of the first deployment transaction (auditors replay from it)
 * @param deployer the account that deployed (it keeps no power afterwards)
 * @param contracts contract name to 0x address: CoopToken, Membership, FareSchedule, Treasury,
 *     RideLedger, CoopTimelock, CoopGovernor
 * @param versions protocol and compiler versions the contracts were built with
 */
public record DeploymentManifest(
    long chainId,
    long deploymentBlock,
    String deployer,
    Map<String, String> contracts,
    Map<String, String> versions) {

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  public DeploymentManifest {
    contracts = Map.copyOf(new TreeMap<>(contracts));
    versions = Map.copyOf(new TreeMap<>(versions));
  }

  /** The address of contract {@code name}; fails loudly when the manifest lacks it. */
  public String address(String name) {
    String a = contracts.get(name);
    if (a == null) {
      throw new IllegalStateException("deployment manifest names no " + name);
    }
    return a;
  }

  /** Writes the manifest atomically (temp file, then rename), so a reader never sees half of it. */
  public void write(Path file) throws IOException {
    Path dir = file.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    Path tmp = Files.createTempFile(dir, ".manifest", ".json");
    JSON.writeValue(tmp.toFile(), this);
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  /** Reads a manifest written by {@link #write}. */
  public static DeploymentManifest read(Path file) throws IOException {
    return JSON.readValue(file.toFile(), DeploymentManifest.class);
  }

  /** The manifest as JSON text. */
  public String toJson() {
    try {
      return JSON.writeValueAsString(this);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
