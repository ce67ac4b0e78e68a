package org.ridecoop.devchain;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Finds the Anvil executable. The npm toolchain (contracts/node_modules) ships it as a platform
 * package, so a checkout that has built the contracts module has it; an explicit path wins.
 */
public final class AnvilBinary {
  /** System property naming the Anvil executable explicitly. */
  public static final String PROPERTY = "ridecoop.anvil";
  /** Environment variable naming the Anvil executable explicitly. */
  public static final String ENV = "RIDECOOP_ANVIL";
  /** System property naming the repository root (surefire sets it). */
  public static final String REPO_PROPERTY = "ridecoop.repo";

  private AnvilBinary() {}

  /**
   * The Anvil executable: {@value #PROPERTY}, else {@value #ENV}, else
   * {@code contracts/node_modules/@foundry-rs/anvil-<os>-<arch>/bin/anvil} found by walking up
   * from {@value #REPO_PROPERTY} and from the working directory.
   *
   * @throws IllegalStateException naming every path tried when none is an executable file
   */
  public static Path locate() {
    String explicit = System.getProperty(PROPERTY);
    if (explicit != null && !explicit.isBlank()) {
      return requireExecutable(Path.of(explicit), "-D" + PROPERTY);
    }
    explicit = System.getenv(ENV);
    if (explicit != null && !explicit.isBlank()) {
      return requireExecutable(Path.of(explicit), "$" + ENV);
    }
    String relative = npmRelativePath();
    List<Path> tried = new ArrayList<>();
    for (String start : new String[] {System.getProperty(REPO_PROPERTY), System.getProperty("user.dir")}) {
      if (start == null || start.isBlank()) continue;
      for (Path dir = Path.of(start).toAbsolutePath().normalize(); dir != null; dir = dir.getParent()) {
        Path candidate = dir.resolve(relative);
        if (tried.contains(candidate)) continue;
        tried.add(candidate);
        if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) return candidate;
      }
    }
    throw new IllegalStateException("Anvil binary not found. Tried: " + tried
        + ". Build the contracts module once (./mvnw -pl contracts generate-sources installs the npm"
        + " toolchain), or name the binary with -D" + PROPERTY + "=... or $" + ENV + ".");
  }

  /** {@code contracts/node_modules/@foundry-rs/anvil-<os>-<arch>/bin/anvil} for this machine. */
  static String npmRelativePath() {
    return "contracts/node_modules/@foundry-rs/anvil-" + os() + "-" + arch() + "/bin/anvil";
  }

  private static String os() {
    String name = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
    if (name.contains("linux")) return "linux";
    if (name.contains("mac") || name.contains("darwin")) return "darwin";
    throw new IllegalStateException("no Anvil npm build for OS '" + name + "'; set -D" + PROPERTY);
  }

  private static String arch() {
    String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
    return switch (arch) {
      case "amd64", "x86_64" -> "amd64";
      case "aarch64", "arm64" -> "arm64";
      default -> throw new IllegalStateException("no Anvil npm build for arch '" + arch + "'; set -D" + PROPERTY);
    };
  }

  private static Path requireExecutable(Path path, String source) {
    if (Files.isRegularFile(path) && Files.isExecutable(path)) return path.toAbsolutePath();
    throw new IllegalStateException("Anvil binary named by " + source + " is not an executable file: " + path.toAbsolutePath());
  }
}
