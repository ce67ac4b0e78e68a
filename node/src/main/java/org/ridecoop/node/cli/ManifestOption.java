package org.ridecoop.node.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.ridecoop.deploy.DeploymentManifest;

/**
 * Reads the deployment manifest a command is given with {@code --manifest}, with the one pair of
 * usage errors (exit code 2) every command prints for a missing or unreadable file.
 */
final class ManifestOption {
  private ManifestOption() {}

  /**
   * The manifest in {@code file}.
   *
   * @throws CommandFailure usage error when the file is missing or not a deployment manifest
   */
  static DeploymentManifest read(Path file) {
    if (!Files.isRegularFile(file)) {
      throw CommandFailure.usage("--manifest: no such file: " + file);
    }
    try {
      return DeploymentManifest.read(file);
    } catch (IOException | RuntimeException e) {
      throw CommandFailure.usage("--manifest: not a deployment manifest: " + file + " (" + e.getMessage() + ")");
    }
  }
}
