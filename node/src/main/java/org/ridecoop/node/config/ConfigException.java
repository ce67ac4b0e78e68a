package org.ridecoop.node.config;

/**
 * A setting the node cannot start with. The message is one line naming the setting and why, e.g.
 * {@code http.port: must be 1..65535, got 70000}; the launcher prints it after {@code config error: }
 * and exits with code 2.
 */
public final class ConfigException extends Exception {

  private final String setting;
  private final String problem;

  /**
   * @param setting the dotted setting name ({@code http.port}), or what else was wrong ({@code --config})
   * @param problem why it is wrong, as a short sentence without a trailing period
   */
  public ConfigException(String setting, String problem) {
    super(oneLine(setting + ": " + problem));
    this.setting = setting;
    this.problem = problem;
  }

  /** The setting that is wrong, e.g. {@code http.port}. */
  public String setting() {
    return setting;
  }

  /** Why it is wrong. */
  public String problem() {
    return problem;
  }

  // The launcher promises one line; values quoted from files may hold line breaks.
  static String oneLine(String s) {
    return s.replace("\r", "\\r").replace("\n", "\\n");
  }
}
