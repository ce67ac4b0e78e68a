package org.ridecoop.node.cli;

import org.ridecoop.sdk.RideCoop;
import org.ridecoop.sdk.Rider;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code ridecoop ride deposit AMOUNT}: tokens into the rider's RideLedger wallet. */
@Command(name = "deposit", mixinStandardHelpOptions = true,
    description = "Move AMOUNT token units (6 decimals: 1000000 = 1 EUR) into your ride wallet (permit + deposit).")
final class RideDepositCommand extends RiderCommand {

  @Parameters(paramLabel = "AMOUNT", description = "Token base units, a positive integer.")
  long amount;

  @Override
  int run(RideCoop coop, Rider rider) {
    rider.deposit(amount);
    RideBalanceCommand.printBalance(this, rider.balance());
    return 0;
  }
}
