package org.ridecoop.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;

/** Reads which compiler built the contracts from the jar's {@code solidity/build-info.json}. */
final class CompilerInfo {
  private CompilerInfo() {}

  static String compiler() {
    try (InputStream in = CompilerInfo.class.getResourceAsStream("/solidity/build-info.json")) {
      if (in == null) {
        return "unknown";
      }
      JsonNode info = new ObjectMapper().readTree(in);
      return info.path("compiler").asText("unknown") + " evm="
          + info.path("settings").path("evmVersion").asText("?");
    } catch (IOException e) {
      return "unknown";
    }
  }
}
