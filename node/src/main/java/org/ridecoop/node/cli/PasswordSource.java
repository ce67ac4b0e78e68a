package org.ridecoop.node.cli;

import java.nio.file.Path;
import java.util.Map;
import org.ridecoop.node.config.ConfigException;
import org.ridecoop.node.config.NodeKey;
import picocli.CommandLine.Option;

/**
 * Where a wallet's password comes from on the command line: a file or an environment variable,
 * exactly one (a picocli argument group), never the password itself as an argument, so it stays
 * out of shell histories and process listings.
 */
final class PasswordSource {

  @Option(names = "--password-file", paramLabel = "FILE", required = true,
      description = "A file holding the password (one trailing line break is ignored).")
  Path file;

  @Option(names = "--password-env", paramLabel = "VAR", required = true,
      description = "An environment variable holding the password.")
  String variable;

  /**
   * Reads the password.
   *
   * @param environment the process environment, for {@code --password-env}
   * @throws CommandFailure usage error (exit 2) naming the option when it cannot be read
   */
  String read(Map<String, String> environment) {
    if (file != null) {
      try {
        return NodeKey.readPasswordFile("--password-file", file);
      } catch (ConfigException e) {
        throw CommandFailure.usage(e.getMessage());
      }
    }
    String value = environment.get(variable);
    if (value == null || value.isEmpty()) {
      throw CommandFailure.usage("--password-env: environment variable " + variable + " is not set");
    }
    return value;
  }
}
