package org.ridecoop.node.cli;

import org.ridecoop.sdk.RideCoop;
import org.ridecoop.sdk.Rider;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code ridecoop ride withdraw AMOUNT}: free wallet funds back to the rider's tokens. */
@Command(name = "withdraw", mixinStandardHelpOptions = true,
    description = "Move AMOUNT token units of your free ride-wallet balance back to your own tokens "
        + "(escrow of open rides stays locked).")
final class RideWithdrawCommand extends RiderCommand {

  @Parameters(paramLabel = "AMOUNT", description = "Token base units, a positive integer.")
  long amount;

  @Override
  int run(RideCoop coop, Rider rider) {
    rider.withdraw(amount);
    RideBalanceCommand.printBalance(this, rider.balance());
    return 0;
  }
}
