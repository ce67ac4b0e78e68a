package org.ridecoop.node.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.ridecoop.deploy.DeploymentManifest;
import org.web3j.crypto.Keys;

/**
 * Turns a YAML file plus environment variables into a validated {@link NodeConfig}. The table of
 * {@link #SETTINGS} is the one list of what may be configured: its keys, types, ranges and defaults.
 */
final class ConfigReader {

  private enum Kind { TEXT, INT, BOOL, URL, FILE, MANIFEST, DIR, ENV_NAME, CELLS, ADDRESSES;

    boolean isList() {
      return this == CELLS || this == ADDRESSES;
    }
  }

  private record Setting(String key, Kind kind, boolean required, String defaultValue, long min, long max,
      Set<String> schemes) {

    static Setting required(String key, Kind kind) {
      return new Setting(key, kind, true, null, 0, 0, Set.of());
    }

    static Setting optional(String key, Kind kind) {
      return new Setting(key, kind, false, null, 0, 0, Set.of());
    }

    static Setting withDefault(String key, Kind kind, String value) {
      return new Setting(key, kind, false, value, 0, 0, Set.of());
    }

    static Setting number(String key, long defaultValue, long min, long max) {
      return new Setting(key, Kind.INT, false, Long.toString(defaultValue), min, max, Set.of());
    }

    static Setting url(String key, String... schemes) {
      return new Setting(key, Kind.URL, true, null, 0, 0, Set.of(schemes));
    }
  }

  private static final String PASSWORD_FILE = "keystore.passwordFile";
  private static final String PASSWORD_ENV = "keystore.passwordEnv";

  private static final List<Setting> SETTINGS = List.of(
      Setting.url("chain.rpcUrl", "http", "https", "ws", "wss"),
      Setting.required("chain.manifest", Kind.MANIFEST),
      Setting.number("chain.pollMillis", NodeConfig.Chain.DEFAULT_POLL_MILLIS, 10, 60_000),
      Setting.required("keystore.file", Kind.FILE),
      Setting.optional(PASSWORD_FILE, Kind.FILE),
      Setting.optional(PASSWORD_ENV, Kind.ENV_NAME),
      Setting.withDefault("http.host", Kind.TEXT, "0.0.0.0"),
      Setting.number("http.port", 8080, 1, 65535),
      Setting.number("http.maxConnections", NodeConfig.Http.DEFAULT_MAX_CONNECTIONS, 1, 1_000_000),
      Setting.number("http.idleTimeoutSeconds", NodeConfig.Http.DEFAULT_IDLE_TIMEOUT_SECONDS, 1, 3600),
      Setting.number("http.firstRequestTimeoutMillis", NodeConfig.Http.DEFAULT_FIRST_REQUEST_TIMEOUT_MILLIS, 100, 600_000),
      Setting.number("http.maxRequestsInFlight", NodeConfig.Http.DEFAULT_MAX_REQUESTS_IN_FLIGHT, 1, 1_000_000),
      Setting.required("dataDir", Kind.DIR),
      Setting.withDefault("peers.enabled", Kind.BOOL, "true"),
      Setting.number("matching.windowMillis", 2000, 10, 60_000),
      Setting.number("matching.offerTimeoutMillis", 15_000, 1000, 600_000),
      Setting.number("matching.maxRequestAheadSeconds", NodeConfig.Matching.DEFAULT_MAX_REQUEST_AHEAD_SECONDS, 60, 86_400),
      Setting.number("matching.maxPendingRequests", NodeConfig.Matching.DEFAULT_MAX_PENDING_REQUESTS, 1, 1_000_000),
      Setting.number("settlement.batchSize", 50, 1, 500),
      Setting.number("settlement.maxAgeMillis", 300_000, 1000, 86_400_000),
      Setting.url("node.endpoint", "http", "https"),
      Setting.required("node.serviceArea", Kind.CELLS),
      Setting.optional("drivers", Kind.ADDRESSES));

  private static final Map<String, Setting> BY_KEY = SETTINGS.stream()
      .collect(Collectors.toMap(Setting::key, s -> s, (a, b) -> a, LinkedHashMap::new));

  /** Section name (e.g. {@code http}) to the keys inside it (e.g. {@code host, port}). */
  private static final Map<String, Set<String>> SECTIONS = sections();

  private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
  private static final Pattern ADDRESS = Pattern.compile("0x[0-9a-fA-F]{40}");

  /** A value as found, before conversion: a string, or a list of strings for lists. */
  private record Raw(Object value, String source, Path base) {
    boolean fromEnv() {
      return source.startsWith(NodeConfig.ENV_PREFIX);
    }
  }

  private final Path file;
  private final Map<String, String> env;
  private final Map<String, Raw> raws = new HashMap<>();
  private List<String> rawFleet = List.of();

  ConfigReader(Path file, Map<String, String> env) {
    this.file = file.toAbsolutePath().normalize();
    this.env = env;
  }

  NodeConfig read() throws ConfigException {
    readFile();
    overlayEnvironment();
    Map<String, Object> v = new HashMap<>();
    for (Setting s : SETTINGS) {
      Object value = convert(s);
      if (value != null) {
        v.put(s.key(), value);
      }
    }
    boolean hasFile = v.containsKey(PASSWORD_FILE);
    boolean hasEnv = v.containsKey(PASSWORD_ENV);
    if (hasFile == hasEnv) {
      throw new ConfigException(PASSWORD_FILE, hasFile
          ? "set only one of keystore.passwordFile and keystore.passwordEnv, not both"
          : "missing; set keystore.passwordFile or keystore.passwordEnv (a password is never written in the config)");
    }
    return new NodeConfig(
        new NodeConfig.Chain((URI) v.get("chain.rpcUrl"), (Path) v.get("chain.manifest"),
            (Long) v.get("chain.pollMillis")),
        new NodeConfig.Keystore((Path) v.get("keystore.file"),
            Optional.ofNullable((Path) v.get(PASSWORD_FILE)), Optional.ofNullable((String) v.get(PASSWORD_ENV))),
        new NodeConfig.Http((String) v.get("http.host"), Math.toIntExact((Long) v.get("http.port")),
            Math.toIntExact((Long) v.get("http.maxConnections")), (Long) v.get("http.idleTimeoutSeconds"),
            (Long) v.get("http.firstRequestTimeoutMillis"), Math.toIntExact((Long) v.get("http.maxRequestsInFlight"))),
        (Path) v.get("dataDir"),
        new NodeConfig.Peers((Boolean) v.get("peers.enabled")),
        new NodeConfig.Matching((Long) v.get("matching.windowMillis"), (Long) v.get("matching.offerTimeoutMillis"),
            (Long) v.get("matching.maxRequestAheadSeconds"), Math.toIntExact((Long) v.get("matching.maxPendingRequests"))),
        new NodeConfig.Settlement(Math.toIntExact((Long) v.get("settlement.batchSize")),
            (Long) v.get("settlement.maxAgeMillis")),
        new NodeConfig.Node((URI) v.get("node.endpoint"), cells(v.get("node.serviceArea"))),
        addresses(v.get("drivers")));
  }

  // ---------------------------------------------------------------- reading the file

  private void readFile() throws ConfigException {
    if (!Files.exists(file)) {
      throw new ConfigException("--config", "no such file: " + file);
    }
    if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
      throw new ConfigException("--config", "not a readable file: " + file);
    }
    YAMLMapper yaml = new YAMLMapper(new YAMLFactory());
    // A key given twice is most likely an edit gone wrong; the later one would silently win.
    yaml.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    JsonNode root;
    try {
      root = yaml.readTree(file.toFile());
    } catch (JsonProcessingException e) {
      JsonLocation at = e.getLocation();
      String where = at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
      throw new ConfigException(file.getFileName().toString(), "not valid YAML" + where + ": " + e.getOriginalMessage());
    } catch (IOException e) {
      throw new ConfigException("--config", "cannot read " + file + ": " + e.getMessage());
    }
    if (root == null || root.isMissingNode() || root.isNull()) {
      return; // an empty file: every required setting will be reported missing
    }
    if (!root.isObject()) {
      throw new ConfigException(file.getFileName().toString(), "must be a mapping of settings, e.g. 'http:' then 'port: 8080'");
    }
    rawFleet = rawItems(yaml, "drivers");
    walk(root, "");
  }

  /**
   * The items of the top-level list {@code key} exactly as written. YAML reads an unquoted
   * {@code 0x70997970...} as a hexadecimal number, and the tree keeps only its value (leading
   * zeros and EIP-55 letter case lost): addresses are read from the text instead.
   */
  private List<String> rawItems(YAMLMapper yaml, String key) throws ConfigException {
    List<String> items = new ArrayList<>();
    try (JsonParser p = yaml.getFactory().createParser(file.toFile())) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        return items;
      }
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        JsonToken value = p.nextToken();
        if (name.equals(key) && value == JsonToken.START_ARRAY) {
          for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
            items.add(t.isScalarValue() ? p.getText() : null);
            p.skipChildren();
          }
          return items;
        }
        p.skipChildren();
      }
      return items;
    } catch (IOException e) {
      throw new ConfigException("--config", "cannot read " + file + ": " + e.getMessage());
    }
  }

  private void walk(JsonNode object, String prefix) throws ConfigException {
    for (Map.Entry<String, JsonNode> field : object.properties()) {
      String name = field.getKey();
      String key = prefix.isEmpty() ? name : prefix + "." + name;
      JsonNode child = field.getValue();
      if (name.toLowerCase(Locale.ROOT).contains("password") && !BY_KEY.containsKey(key)) {
        throw new ConfigException(key,
            "a password is never written in the config; use keystore.passwordFile or keystore.passwordEnv");
      }
      Setting setting = BY_KEY.get(key);
      if (setting != null) {
        Object value = setting.kind() == Kind.ADDRESSES ? fleetFromYaml(key, child) : fromYaml(key, setting, child);
        raws.put(key, new Raw(value, "file", file.getParent()));
      } else if (SECTIONS.containsKey(key)) {
        if (!child.isObject()) {
          throw new ConfigException(key, "must be a mapping with " + String.join(", ", SECTIONS.get(key)));
        }
        walk(child, key);
      } else {
        Set<String> known = SECTIONS.get(prefix);
        throw new ConfigException(key, "unknown setting"
            + (known == null ? "" : "; known " + (prefix.isEmpty() ? "top-level keys" : "in " + prefix)
                + ": " + String.join(", ", known)));
      }
    }
  }

  private List<String> fleetFromYaml(String key, JsonNode node) throws ConfigException {
    @SuppressWarnings("unchecked")
    List<String> checked = (List<String>) fromYaml(key, BY_KEY.get(key), node);
    return rawFleet.size() == checked.size() ? rawFleet : checked;
  }

  private static Object fromYaml(String key, Setting setting, JsonNode node) throws ConfigException {
    if (node.isNull()) {
      throw new ConfigException(key, "has no value");
    }
    if (setting.kind().isList()) {
      String what = setting.kind() == Kind.CELLS ? "H3 cells, e.g. [8928308280fffff]"
          : "driver addresses, e.g. [0x70997970C51812dc3A010C7d01b50e0d17dc79C8]";
      if (!node.isArray()) {
        throw new ConfigException(key, "must be a list of " + what);
      }
      List<String> items = new ArrayList<>();
      for (int i = 0; i < node.size(); i++) {
        JsonNode item = node.get(i);
        if (!item.isValueNode() || item.isNull()) {
          throw new ConfigException(key + "[" + i + "]", "must be "
              + (setting.kind() == Kind.CELLS ? "an H3 cell in hex" : "a 0x address") + ", got " + describe(item));
        }
        items.add(item.asText());
      }
      return items;
    }
    if (!node.isValueNode()) {
      throw new ConfigException(key, "must be a single value, got " + describe(node));
    }
    return node.asText();
  }

  private static String describe(JsonNode node) {
    if (node.isObject()) {
      return "a mapping";
    }
    if (node.isArray()) {
      return "a list";
    }
    return node.isNull() ? "nothing" : "'" + node.asText() + "'";
  }

  // ---------------------------------------------------------------- environment

  private void overlayEnvironment() {
    Path cwd = Path.of("").toAbsolutePath();
    // The two password sources are one choice: overriding either replaces the file's choice.
    if (present(NodeConfig.envVariable(PASSWORD_FILE)) || present(NodeConfig.envVariable(PASSWORD_ENV))) {
      raws.remove(PASSWORD_FILE);
      raws.remove(PASSWORD_ENV);
    }
    for (Setting s : SETTINGS) {
      String var = NodeConfig.envVariable(s.key());
      if (present(var)) {
        String value = env.get(var);
        Object raw = s.kind().isList() ? List.of(value.split(",", -1)) : value;
        raws.put(s.key(), new Raw(raw, var, cwd));
      }
    }
  }

  // An empty variable counts as unset, as container tools often pass empty values through.
  private boolean present(String var) {
    String v = env.get(var);
    return v != null && !v.isEmpty();
  }

  // ---------------------------------------------------------------- conversion and checks

  private Object convert(Setting s) throws ConfigException {
    Raw raw = raws.get(s.key());
    if (raw == null && s.defaultValue() != null) {
      raw = new Raw(s.defaultValue(), "default", file.getParent());
    }
    if (raw == null) {
      if (s.required()) {
        throw new ConfigException(s.key(), "missing; set it in the config file or with " + NodeConfig.envVariable(s.key()));
      }
      return null;
    }
    String name = raw.fromEnv() ? s.key() + " (" + raw.source() + ")" : s.key();
    if (s.kind().isList()) {
      @SuppressWarnings("unchecked")
      List<String> items = (List<String>) raw.value();
      return s.kind() == Kind.CELLS ? parseCells(name, items) : parseAddresses(name, items);
    }
    String text = ((String) raw.value()).strip();
    return switch (s.kind()) {
      case TEXT -> {
        if (text.isEmpty()) {
          throw new ConfigException(name, "must not be empty");
        }
        yield text;
      }
      case INT -> parseNumber(name, text, s.min(), s.max());
      case BOOL -> switch (text.toLowerCase(Locale.ROOT)) {
        case "true" -> Boolean.TRUE;
        case "false" -> Boolean.FALSE;
        default -> throw new ConfigException(name, "must be true or false, got '" + text + "'");
      };
      case URL -> parseUrl(name, text, s.schemes());
      case FILE -> readableFile(name, path(name, text, raw.base()));
      case MANIFEST -> manifest(name, readableFile(name, path(name, text, raw.base())));
      case DIR -> directory(name, path(name, text, raw.base()));
      case ENV_NAME -> passwordVariable(name, text);
      case CELLS, ADDRESSES -> throw new IllegalStateException("handled above");
    };
  }

  private static long parseNumber(String name, String text, long min, long max) throws ConfigException {
    long n;
    try {
      n = Long.parseLong(text);
    } catch (NumberFormatException e) {
      throw new ConfigException(name, "must be an integer " + min + ".." + max + ", got '" + text + "'");
    }
    if (n < min || n > max) {
      throw new ConfigException(name, "must be " + min + ".." + max + ", got " + n);
    }
    return n;
  }

  private static URI parseUrl(String name, String text, Set<String> schemes) throws ConfigException {
    String expected = "must be an absolute " + String.join("/", new java.util.TreeSet<>(schemes)) + " URL";
    URI uri;
    try {
      uri = new URI(text);
    } catch (URISyntaxException e) {
      throw new ConfigException(name, expected + ", got '" + text + "' (" + e.getReason() + ")");
    }
    if (uri.getScheme() == null || !schemes.contains(uri.getScheme().toLowerCase(Locale.ROOT))
        || uri.getHost() == null) {
      throw new ConfigException(name, expected + ", got '" + text + "'");
    }
    return uri;
  }

  private static Path path(String name, String text, Path base) throws ConfigException {
    if (text.isEmpty()) {
      throw new ConfigException(name, "must not be empty");
    }
    try {
      return base.resolve(text).normalize();
    } catch (InvalidPathException e) {
      throw new ConfigException(name, "not a valid path: '" + text + "'");
    }
  }

  private static Path readableFile(String name, Path p) throws ConfigException {
    if (!Files.exists(p)) {
      throw new ConfigException(name, "no such file: " + p);
    }
    if (!Files.isRegularFile(p) || !Files.isReadable(p)) {
      throw new ConfigException(name, "not a readable file: " + p);
    }
    return p;
  }

  private static Path manifest(String name, Path p) throws ConfigException {
    DeploymentManifest m;
    try {
      m = DeploymentManifest.read(p);
    } catch (IOException | RuntimeException e) {
      throw new ConfigException(name, "not a deployment manifest: " + p + " (" + firstLine(e.getMessage()) + ")");
    }
    if (m.contracts().isEmpty()) {
      throw new ConfigException(name, "the deployment manifest " + p + " names no contracts");
    }
    return p;
  }

  private static Path directory(String name, Path p) throws ConfigException {
    if (Files.exists(p)) {
      if (!Files.isDirectory(p)) {
        throw new ConfigException(name, "not a directory: " + p);
      }
      if (!Files.isWritable(p)) {
        throw new ConfigException(name, "directory is not writable: " + p);
      }
      return p;
    }
    // Created at start-up; its nearest existing ancestor must let us do that.
    Path ancestor = p.getParent();
    while (ancestor != null && !Files.exists(ancestor)) {
      ancestor = ancestor.getParent();
    }
    if (ancestor == null || !Files.isDirectory(ancestor) || !Files.isWritable(ancestor)) {
      throw new ConfigException(name, "cannot be created: " + p);
    }
    return p;
  }

  private String passwordVariable(String name, String text) throws ConfigException {
    if (!ENV_NAME.matcher(text).matches()) {
      throw new ConfigException(name, "must name an environment variable, got '" + text + "'");
    }
    if (!present(text)) {
      throw new ConfigException(name, "environment variable " + text + " is not set");
    }
    return text;
  }

  private static List<Long> parseCells(String name, List<String> items) throws ConfigException {
    if (items.isEmpty()) {
      throw new ConfigException(name, "must list at least one H3 cell");
    }
    Set<Long> seen = new LinkedHashSet<>();
    for (int i = 0; i < items.size(); i++) {
      String item = items.get(i).strip();
      long cell = parseCell(name + "[" + i + "]", item);
      if (!seen.add(cell)) {
        throw new ConfigException(name + "[" + i + "]", "duplicate cell " + item);
      }
    }
    return List.copyOf(seen);
  }

  /**
   * Driver addresses, lower-cased. A mixed-case address must carry a valid EIP-55 checksum, so a
   * mistyped character is caught at start-up instead of leaving a driver unable to go online.
   */
  private static List<String> parseAddresses(String name, List<String> items) throws ConfigException {
    if (items.isEmpty()) {
      throw new ConfigException(name, "must list at least one driver address (leave it out to serve the node key's address)");
    }
    Set<String> seen = new LinkedHashSet<>();
    for (int i = 0; i < items.size(); i++) {
      String item = items.get(i).strip();
      String at = name + "[" + i + "]";
      if (!ADDRESS.matcher(item).matches()) {
        throw new ConfigException(at, "not a 0x address of 40 hex digits: '" + item + "'");
      }
      String digits = item.substring(2);
      boolean mixedCase = !digits.equals(digits.toLowerCase(Locale.ROOT)) && !digits.equals(digits.toUpperCase(Locale.ROOT));
      if (mixedCase && !Keys.toChecksumAddress(item).equals(item)) {
        throw new ConfigException(at, "bad EIP-55 checksum: '" + item + "' (write it all lower-case to skip the check)");
      }
      if (!seen.add(item.toLowerCase(Locale.ROOT))) {
        throw new ConfigException(at, "duplicate driver " + item);
      }
    }
    return List.copyOf(seen);
  }

  /**
   * Parses an H3 cell index written in hex and checks its bit layout (mode 1 = cell, resolution,
   * base cell below 122, unused digits 7), so a mistyped cell is caught at start-up rather than
   * matching nothing. The matching engine's H3 library does the geometry.
   */
  static long parseCell(String name, String hex) throws ConfigException {
    String h = hex.startsWith("0x") || hex.startsWith("0X") ? hex.substring(2) : hex;
    long cell;
    try {
      if (h.isEmpty() || h.length() > 16 || h.startsWith("+") || h.startsWith("-")) {
        throw new NumberFormatException();
      }
      cell = Long.parseUnsignedLong(h, 16);
    } catch (NumberFormatException e) {
      throw new ConfigException(name, "not an H3 cell in hex: '" + hex + "'");
    }
    int mode = (int) ((cell >>> 59) & 0xF);
    int resolution = (int) ((cell >>> 52) & 0xF);
    int baseCell = (int) ((cell >>> 45) & 0x7F);
    boolean valid = (cell >>> 63) == 0 && mode == 1 && ((cell >>> 56) & 0x7) == 0 && baseCell < 122;
    for (int r = 1; r <= 15 && valid; r++) {
      int digit = (int) ((cell >>> ((15 - r) * 3)) & 0x7);
      valid = r <= resolution ? digit != 7 : digit == 7;
    }
    if (!valid) {
      throw new ConfigException(name, "not a valid H3 cell index: '" + hex + "'");
    }
    return cell;
  }

  @SuppressWarnings("unchecked")
  private static List<Long> cells(Object o) {
    return (List<Long>) o;
  }

  @SuppressWarnings("unchecked")
  private static List<String> addresses(Object o) {
    return o == null ? List.of() : (List<String>) o;
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "unreadable";
    }
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }

  private static Map<String, Set<String>> sections() {
    Map<String, Set<String>> sections = new LinkedHashMap<>();
    Set<String> top = new LinkedHashSet<>();
    for (Setting s : SETTINGS) {
      String[] parts = s.key().split("\\.");
      top.add(parts[0]);
      String prefix = parts[0];
      for (int i = 1; i < parts.length; i++) {
        sections.computeIfAbsent(prefix, k -> new LinkedHashSet<>()).add(parts[i]);
        prefix = prefix + "." + parts[i];
      }
    }
    sections.put("", top);
    return Map.copyOf(sections);
  }
}
