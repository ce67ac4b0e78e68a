package org.ridecoop.node.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code ridecoop chain}: a chain to run nodes against. */
@Command(
    name = "chain",
    mixinStandardHelpOptions = true,
    description = "Run a chain for nodes to use.",
    subcommands = {ChainDevCommand.class, ChainGenesisCommand.class, ChainDeployCommand.class})
final class ChainCommand implements Runnable {

  @ParentCommand
  RideCoopCommand root;

  @Spec
  private CommandSpec spec;

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "Missing required subcommand: dev, genesis or deploy");
  }
}
