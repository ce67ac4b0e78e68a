package org.ridecoop.node.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * CPU time a process has used so far (user + system, from {@code /proc/<pid>/stat}), so a run can
 * say how many CPU milliseconds the node, Anvil and the generator each spent per request: a
 * figure that does not depend on how busy the shared machine was.
 */
final class ProcessCpu {
  /** Linux's USER_HZ: {@code /proc} counts CPU time in hundredths of a second. */
  private static final long MILLIS_PER_TICK = 10;

  private ProcessCpu() {}

  /** CPU milliseconds used by {@code pid}, or -1 when unknown (not Linux, process gone). */
  static long millis(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
      // Fields after the command name, which is in parentheses and may hold spaces.
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * MILLIS_PER_TICK;
    } catch (Exception e) {
      return -1;
    }
  }

  /** The Anvil process listening on {@code port}, if it can be found. */
  static Optional<Long> anvil(int port) {
    return ProcessHandle.allProcesses()
        .filter(p -> p.info().commandLine().map(c -> c.contains("anvil") && c.contains("--port " + port)).orElse(false))
        .map(ProcessHandle::pid).findFirst();
  }
}
