package org.ridecoop.node.cli;

/** A command that cannot do what was asked; the launcher prints {@code error: <message>} and exits. */
final class CommandFailure extends RuntimeException {

  private final int exitCode;

  CommandFailure(int exitCode, String message) {
    super(message, null, false, false);
    this.exitCode = exitCode;
  }

  /** Refused because of how the command was called (exit code 2). */
  static CommandFailure usage(String message) {
    return new CommandFailure(RideCoopCommand.USAGE, message);
  }

  int exitCode() {
    return exitCode;
  }
}
