package org.ridecoop.node.cli;

import io.vertx.core.json.JsonObject;
import java.io.PrintWriter;
import java.util.Map;
import java.util.concurrent.Callable;
import org.ridecoop.sdk.ChainRefusedException;
import org.ridecoop.sdk.RideCoopException;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * A member or governance command: opens a {@link ChainSession}, does one thing, prints its result
 * (human lines, or one JSON object with {@code --json}) and exits 0. A revert exits 1 printing the
 * contract's custom error and what it means; anything else the SDK refuses exits 1 with its reason.
 */
abstract class ChainAction implements Callable<Integer> {

  /** What a command did: lines for people, an object for scripts. */
  record Result(String human, JsonObject json) {}

  @Mixin
  ChainSession session;

  @Spec
  CommandSpec spec;

  /** Does the command's work. */
  abstract Result run();

  @Override
  public final Integer call() {
    try (ChainSession s = session) {
      Result result = run();
      PrintWriter out = spec.commandLine().getOut();
      out.println(s.json ? result.json().encode() : result.human());
      out.flush();
      return 0;
    } catch (ChainRefusedException e) {
      throw new CommandFailure(RideCoopCommand.FAILURE, "reverted: " + RevertMeanings.explain(e));
    } catch (RideCoopException | IllegalStateException e) {
      throw new CommandFailure(RideCoopCommand.FAILURE, e.getMessage());
    }
  }

  /** The launcher's environment (for {@code --password-env}). */
  Map<String, String> environment() {
    return ((RideCoopCommand) spec.root().userObject()).environment();
  }
}
