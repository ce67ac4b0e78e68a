package org.ridecoop.benchmark;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Rewrites one "## " section of BENCHMARKS.md, leaving the others as they are. */
public final class BenchmarksFile {
  private BenchmarksFile() {}

  /** Replaces (or appends) the section whose heading line is {@code heading} with {@code body}. */
  public static void replaceSection(Path file, String heading, String body) throws IOException {
    String text = Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "# ridecoop benchmarks\n";
    String section = heading + "\n\n" + body.strip() + "\n";
    int start = text.indexOf(heading + "\n");
    if (start < 0) {
      text = text.stripTrailing() + "\n\n" + section;
    } else {
      int next = text.indexOf("\n## ", start + heading.length());
      text = text.substring(0, start) + section + (next < 0 ? "" : text.substring(next));
    }
    Files.writeString(file, text, StandardCharsets.UTF_8);
  }
}
