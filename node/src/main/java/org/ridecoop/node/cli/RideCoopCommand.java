package org.ridecoop.node.cli;

import java.io.PrintWriter;
import java.util.Map;
import org.ridecoop.node.config.ConfigException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The {@code ridecoop} launcher (main class of {@code ridecoop.jar}).
 *
 * <p>Exit codes: 0 done; 1 failed while running; 2 bad usage or configuration (one line on
 * standard error saying what and why, e.g. {@code config error: http.port: must be 1..65535, got
 * 70000}). Logs go to standard error; standard output carries only results (e.g. an address).
 */
@Command(
    name = "ridecoop",
    mixinStandardHelpOptions = true,
    versionProvider = RideCoopCommand.Version.class,
    description = "A ride-hailing network owned by its members.",
    subcommands = {NodeCommand.class, ChainCommand.class, AuditCommand.class, DemoCommand.class,
        RideCommand.class, MemberCommand.class, GovCommand.class, PermissionsCommand.class,
        StatementCommand.class})
public final class RideCoopCommand implements Runnable {

  /** Exit code for a bad command line or configuration. */
  public static final int USAGE = CommandLine.ExitCode.USAGE;
  /** Exit code for a failure while running. */
  public static final int FAILURE = CommandLine.ExitCode.SOFTWARE;

  private final Map<String, String> environment;

  @Spec
  private CommandSpec spec;

  /** The launcher with the process environment. */
  public RideCoopCommand() {
    this(System.getenv());
  }

  /** The launcher with a given environment (tests). */
  public RideCoopCommand(Map<String, String> environment) {
    this.environment = Map.copyOf(environment);
  }

  /** Runs the launcher and exits with its exit code. */
  public static void main(String[] args) {
    System.exit(commandLine(System.getenv()).execute(args));
  }

  /**
   * The configured command line: run it with {@code execute(args)}, which returns the exit code.
   *
   * @param environment what settings and {@code --password-env} read
   */
  public static CommandLine commandLine(Map<String, String> environment) {
    CommandLine cl = new CommandLine(new RideCoopCommand(environment));
    cl.setExecutionExceptionHandler(RideCoopCommand::onFailure);
    return cl;
  }

  /** The environment settings are read from. */
  Map<String, String> environment() {
    return environment;
  }

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "Missing required subcommand");
  }

  private static int onFailure(Exception e, CommandLine cl, CommandLine.ParseResult parsed) {
    PrintWriter err = cl.getErr();
    Throwable cause = unwrap(e);
    ConfigException config = configCause(cause);
    int code;
    if (config != null) {
      ConfigException c = config;
      err.println("config error: " + c.getMessage());
      code = USAGE;
    } else if (cause instanceof CommandFailure f) {
      err.println("error: " + oneLine(f.getMessage()));
      code = f.exitCode();
    } else {
      err.println("error: " + oneLine(cause.getMessage() == null ? cause.toString() : cause.getMessage()));
      code = FAILURE;
    }
    err.flush();
    return code;
  }

  // A component's start can fail with a setting that is wrong (e.g. a node key that is no member),
  // wrapped by the runtime: that is still a configuration error.
  private static ConfigException configCause(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof ConfigException c) {
        return c;
      }
    }
    return null;
  }

  private static Throwable unwrap(Throwable e) {
    Throwable t = e;
    while ((t instanceof java.util.concurrent.ExecutionException || t instanceof java.util.concurrent.CompletionException)
        && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }

  static String oneLine(String s) {
    return s.replace("\r", "\\r").replace("\n", "\\n");
  }

  /** The version from the jar manifest. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = RideCoopCommand.class.getPackage().getImplementationVersion();
      return new String[] {"ridecoop " + (v == null ? "(development build)" : v)};
    }
  }
}
