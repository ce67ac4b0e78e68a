package org.ridecoop.node.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code ridecoop permissions}: Besu's allowlists, kept equal to the membership. */
@Command(
    name = "permissions",
    mixinStandardHelpOptions = true,
    description = "Keep Besu's account and node allowlists equal to the membership.",
    subcommands = {PermissionsSyncCommand.class})
final class PermissionsCommand implements Runnable {

  @ParentCommand
  RideCoopCommand root;

  @Spec
  private CommandSpec spec;

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "Missing required subcommand: sync");
  }
}
