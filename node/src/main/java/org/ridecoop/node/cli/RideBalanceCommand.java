package org.ridecoop.node.cli;

import io.vertx.core.json.JsonObject;
import org.ridecoop.sdk.RideCoop;
import org.ridecoop.sdk.Rider;
import org.ridecoop.sdk.RiderBalance;
import picocli.CommandLine.Command;

/** {@code ridecoop ride balance}: the rider's free wallet, escrow and tokens. */
@Command(name = "balance", mixinStandardHelpOptions = true,
    description = "Show your free ride-wallet balance, the escrow locked in open rides, and your tokens.")
final class RideBalanceCommand extends RiderCommand {

  @Override
  int run(RideCoop coop, Rider rider) {
    printBalance(this, rider.balance());
    return 0;
  }

  static void printBalance(RiderCommand command, RiderBalance b) {
    command.print(new JsonObject().put("wallet", b.wallet()).put("escrow", b.escrow()).put("tokens", b.tokens()),
        "wallet " + euros(b.wallet()) + " free, " + euros(b.escrow()) + " in escrow; tokens " + euros(b.tokens()));
  }
}
