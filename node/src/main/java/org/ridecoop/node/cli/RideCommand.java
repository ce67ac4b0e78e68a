package org.ridecoop.node.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code ridecoop ride}: the rider's command line, over the rider SDK. */
@Command(
    name = "ride",
    mixinStandardHelpOptions = true,
    description = {"Ride as a rider: quote, deposit, request and book, follow, co-sign, cancel, dispute, withdraw.",
        "Exit code 0 done, 1 refused or failed (a node's JSON reason or the chain's named error is printed),",
        "2 bad usage (bad place or amount, unknown ride, wrong key file or password)."},
    subcommands = {RideQuoteCommand.class, RideDepositCommand.class, RideWithdrawCommand.class,
        RideBalanceCommand.class, RideRequestCommand.class, RideStatusCommand.class, RideCosignCommand.class,
        RideCancelCommand.class, RideDisputeCommand.class})
final class RideCommand implements Runnable {

  @Spec
  private CommandSpec spec;

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "Missing required subcommand");
  }
}
