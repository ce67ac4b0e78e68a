package org.ridecoop.node.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code ridecoop node}: run a driver node and manage its key. */
@Command(
    name = "node",
    mixinStandardHelpOptions = true,
    description = "Run a driver node, or create its key.",
    subcommands = {NodeStartCommand.class, NodeKeygenCommand.class})
final class NodeCommand implements Runnable {

  @ParentCommand
  RideCoopCommand root;

  @Spec
  private CommandSpec spec;

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "Missing required subcommand: start or keygen");
  }
}
