package org.ridecoop.sdk.statement;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.SignatureException;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.ridecoop.protocol.EarningsStatement;
import org.ridecoop.protocol.Eip712Domain;
import org.ridecoop.protocol.MessageSigner;
import org.ridecoop.sdk.audit.TokenAmount;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.Hash;
import org.web3j.utils.Numeric;

/**
 * A member's earnings and activity statement for a period: the money lines the chain holds, the
 * block range they were read from and the hash of its last block, and the signature that seals it.
 *
 * <p>Its JSON has one canonical form (fields in a fixed order, amounts as integers in token base
 * units with the euro amount as a string beside each); the signature covers the keccak256 of the
 * compact canonical body (everything but {@code signer} and {@code signature}), so a reader can
 * re-derive it from the file and any edit shows. The totals are derived from the lines and written
 * for people; a file whose totals or euro strings disagree with its integers is caught by
 * {@link #differencesFromCanonical(String)}.
 *
 * @param chainId the chain
 * @param contracts the contracts read, name → 0x address (RideLedger, Treasury, Membership)
 * @param member the member (0x, lower case)
 * @param from first day of the period (UTC)
 * @param to last day of the period (UTC, inclusive)
 * @param fromBlock first block of the period
 * @param toBlock last block read
 * @param toBlockHash hash of {@code toBlock} (0x)
 * @param lines the money lines, in chain order
 * @param signer the signing address (0x, lower case), or empty when unsigned
 * @param signature the 65-byte signature (0x), or empty when unsigned
 */
public record Statement(long chainId, Map<String, String> contracts, String member, LocalDate from, LocalDate to,
    long fromBlock, long toBlock, String toBlockHash, List<StatementLine> lines, String signer, String signature) {

  /** The format name written first in every file. */
  public static final String FORMAT = "ridecoop-statement/1";

  private static final ObjectMapper JSON = new ObjectMapper()
      .enable(DeserializationFeature.USE_BIG_INTEGER_FOR_INTS);
  private static final ObjectMapper PRETTY = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  public Statement {
    // Sorted, not Map.copyOf: the canonical body (and so the signed hash) lists the contracts in
    // one order in every JVM, and Map.copyOf's iteration order changes from one run to the next.
    contracts = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(contracts));
    lines = List.copyOf(lines);
    member = member.toLowerCase(java.util.Locale.ROOT);
    Objects.requireNonNull(signer, "signer");
    Objects.requireNonNull(signature, "signature");
  }

  /** The statement's totals, one per kind (kinds without lines count zero). */
  public List<KindTotal> totals() {
    Map<LineKind, BigInteger[]> sums = new EnumMap<>(LineKind.class);
    for (LineKind k : LineKind.values()) {
      sums.put(k, new BigInteger[] {BigInteger.ZERO, BigInteger.ZERO, BigInteger.ZERO, BigInteger.ZERO});
    }
    for (StatementLine l : lines) {
      BigInteger[] s = sums.get(l.kind());
      s[0] = s[0].add(BigInteger.ONE);
      s[1] = s[1].add(l.gross());
      s[2] = s[2].add(l.commission());
      s[3] = s[3].add(l.net());
    }
    List<KindTotal> out = new ArrayList<>();
    sums.forEach((k, s) -> out.add(new KindTotal(k, s[0].longValueExact(), s[1], s[2], s[3])));
    return out;
  }

  /** The EIP-712 message the signature covers. */
  public EarningsStatement seal() {
    return new EarningsStatement(member, fromBlock, toBlock, Numeric.hexStringToByteArray(toBlockHash), contentHash());
  }

  /** The EIP-712 domain: the co-op's Membership contract on this chain. */
  public Eip712Domain domain() {
    return EarningsStatement.domain(chainId, contracts.get("Membership"));
  }

  /** keccak256 of the compact canonical body. */
  public byte[] contentHash() {
    try {
      return Hash.sha3(JSON.writeValueAsString(body()).getBytes(StandardCharsets.UTF_8));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** This statement signed by {@code key}. */
  public Statement signedBy(Credentials key) {
    byte[] sig = MessageSigner.sign(domain(), seal().structHash(), key);
    return new Statement(chainId, contracts, member, from, to, fromBlock, toBlock, toBlockHash, lines,
        key.getAddress().toLowerCase(java.util.Locale.ROOT), Numeric.toHexString(sig));
  }

  /**
   * Who signed the statement as it stands, recovered from the signature.
   *
   * @throws SignatureException if it is unsigned or the signature is malformed
   */
  public String recoverSigner() throws SignatureException {
    if (signature.isEmpty()) throw new SignatureException("the statement is not signed");
    byte[] sig;
    try {
      sig = Numeric.hexStringToByteArray(signature);
    } catch (RuntimeException e) {
      throw new SignatureException("the signature is not hex");
    }
    try {
      return MessageSigner.recover(domain(), seal().structHash(), sig);
    } catch (RuntimeException e) {
      // web3j refuses some forged r values with an unchecked exception: still a bad signature.
      throw new SignatureException("no key recovers from it (" + e.getMessage() + ")");
    }
  }

  // ------------------------------------------------------------------ JSON

  /** The canonical JSON document, indented for people. */
  public String toJson() {
    ObjectNode doc = body();
    doc.put("signer", signer);
    doc.put("signature", signature);
    try {
      return PRETTY.writeValueAsString(doc) + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Reads a statement written by {@link #toJson()}.
   *
   * @throws IllegalArgumentException naming the field when the text is no statement
   */
  public static Statement fromJson(String text) {
    JsonNode n;
    try {
      n = JSON.readTree(text);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("not JSON: " + e.getOriginalMessage());
    }
    if (n == null || !n.isObject()) throw new IllegalArgumentException("not a JSON object");
    if (!FORMAT.equals(n.path("format").asText())) {
      throw new IllegalArgumentException("format: expected " + FORMAT + ", got " + n.path("format"));
    }
    Map<String, String> contracts = new TreeMap<>();
    n.path("contracts").fields().forEachRemaining(e -> contracts.put(e.getKey(), e.getValue().asText()));
    List<StatementLine> lines = new ArrayList<>();
    int i = 0;
    for (JsonNode l : array(n, "lines")) {
      String at = "lines[" + i++ + "].";
      lines.add(new StatementLine(LineKind.ofWire(text(l, at + "kind", "kind")), number(l, at + "block", "block").longValueExact(),
          text(l, at + "tx", "tx"), number(l, at + "logIndex", "logIndex").longValueExact(), text(l, at + "reference", "reference"),
          number(l, at + "gross", "gross"), number(l, at + "commission", "commission"), number(l, at + "net", "net")));
    }
    try {
      return new Statement(number(n, "chainId", "chainId").longValueExact(), contracts, text(n, "member", "member"),
          LocalDate.parse(text(n, "from", "from")), LocalDate.parse(text(n, "to", "to")),
          number(n, "fromBlock", "fromBlock").longValueExact(), number(n, "toBlock", "toBlock").longValueExact(),
          text(n, "toBlockHash", "toBlockHash"), lines, n.path("signer").asText(""), n.path("signature").asText(""));
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException("from/to: not a date (yyyy-mm-dd): " + e.getParsedString());
    }
  }

  /**
   * Where the document {@code text} differs from this statement's canonical form: totals or euro
   * strings that disagree with the lines' integers, fields added or missing. Empty when it is the
   * canonical form (whitespace aside).
   */
  public List<String> differencesFromCanonical(String text) {
    List<String> out = new ArrayList<>();
    try {
      JsonNode written = JSON.readTree(text);
      JsonNode canonical = JSON.readTree(toJson());
      diff("", written, canonical, out);
    } catch (JsonProcessingException e) {
      out.add("file: not JSON");
    }
    return out;
  }

  private static void diff(String path, JsonNode written, JsonNode canonical, List<String> out) {
    if (written.isObject() && canonical.isObject()) {
      canonical.fieldNames().forEachRemaining(f -> {
        String at = path.isEmpty() ? f : path + "." + f;
        if (written.has(f)) diff(at, written.get(f), canonical.get(f), out);
        else out.add(at + ": missing");
      });
      written.fieldNames().forEachRemaining(f -> {
        if (!canonical.has(f)) out.add((path.isEmpty() ? f : path + "." + f) + ": not a statement field");
      });
    } else if (written.isArray() && canonical.isArray()) {
      for (int i = 0; i < Math.max(written.size(), canonical.size()); i++) {
        String at = path + "[" + i + "]";
        if (i >= written.size()) out.add(at + ": missing");
        else if (i >= canonical.size()) out.add(at + ": extra");
        else diff(at, written.get(i), canonical.get(i), out);
      }
    } else if (!written.equals(canonical)) {
      out.add(path + ": written " + written + ", the statement's lines give " + canonical);
    }
  }

  private ObjectNode body() {
    ObjectNode doc = JSON.createObjectNode();
    doc.put("format", FORMAT);
    doc.put("chainId", chainId);
    ObjectNode c = doc.putObject("contracts");
    contracts.forEach(c::put);
    doc.put("member", member);
    doc.put("from", from.toString());
    doc.put("to", to.toString());
    doc.put("fromBlock", fromBlock);
    doc.put("toBlock", toBlock);
    doc.put("toBlockHash", toBlockHash);
    doc.put("token", "EUR");
    doc.put("decimals", TokenAmount.DECIMALS);
    ArrayNode ls = doc.putArray("lines");
    for (StatementLine l : lines) {
      ObjectNode o = ls.addObject();
      o.put("kind", l.kind().wireName());
      o.put("block", l.block());
      o.put("tx", l.tx());
      o.put("logIndex", l.logIndex());
      o.put("reference", l.reference());
      amounts(o, l.gross(), l.commission(), l.net());
    }
    ArrayNode ts = doc.putArray("totals");
    for (KindTotal t : totals()) {
      ObjectNode o = ts.addObject();
      o.put("kind", t.kind().wireName());
      o.put("count", t.count());
      amounts(o, t.gross(), t.commission(), t.net());
    }
    return doc;
  }

  private static void amounts(ObjectNode o, BigInteger gross, BigInteger commission, BigInteger net) {
    o.put("gross", gross);
    o.put("commission", commission);
    o.put("net", net);
    o.put("grossEur", euros(gross));
    o.put("commissionEur", euros(commission));
    o.put("netEur", euros(net));
  }

  /** Base units as a plain euro amount with at least two decimals, never rounded: {@code 12.345678}. */
  static String euros(BigInteger units) {
    BigDecimal e = new BigDecimal(units, TokenAmount.DECIMALS).stripTrailingZeros();
    return (e.scale() < 2 ? e.setScale(2) : e).toPlainString();
  }

  private static Iterable<JsonNode> array(JsonNode n, String field) {
    JsonNode a = n.get(field);
    if (a == null || !a.isArray()) throw new IllegalArgumentException(field + ": missing or not a list");
    return a;
  }

  private static String text(JsonNode n, String where, String field) {
    JsonNode v = n.get(field);
    if (v == null || !v.isTextual()) throw new IllegalArgumentException(where + ": missing or not a string");
    return v.asText();
  }

  private static BigInteger number(JsonNode n, String where, String field) {
    JsonNode v = n.get(field);
    if (v == null || !v.isIntegralNumber()) throw new IllegalArgumentException(where + ": missing or not an integer");
    return v.bigIntegerValue();
  }

  // ------------------------------------------------------------------ CSV

  /**
   * The same lines as CSV: a commented header with the period, the chain id, the contracts, the
   * block range and hash, the signer and the signature; one row per line; the totals as comment
   * rows at the end.
   */
  public String toCsv() {
    StringBuilder s = new StringBuilder();
    s.append("# ").append(FORMAT).append('\n');
    s.append("# member,").append(member).append('\n');
    s.append("# period,").append(from).append(',').append(to).append('\n');
    s.append("# chain id,").append(chainId).append('\n');
    contracts.forEach((name, address) -> s.append("# contract,").append(name).append(',').append(address).append('\n'));
    s.append("# blocks,").append(fromBlock).append(',').append(toBlock).append(',').append(toBlockHash).append('\n');
    s.append("# amounts,EUR base units (").append(TokenAmount.DECIMALS).append(" decimals)\n");
    s.append("# signer,").append(signer).append('\n');
    s.append("# signature,").append(signature).append('\n');
    s.append("kind,block,tx,log_index,reference,gross,commission,net,gross_eur,commission_eur,net_eur\n");
    for (StatementLine l : lines) {
      s.append(l.kind().wireName()).append(',').append(l.block()).append(',').append(l.tx()).append(',')
          .append(l.logIndex()).append(',').append(l.reference()).append(',');
      csvAmounts(s, l.gross(), l.commission(), l.net());
    }
    s.append("# total,kind,count,gross,commission,net,gross_eur,commission_eur,net_eur\n");
    for (KindTotal t : totals()) {
      s.append("# total,").append(t.kind().wireName()).append(',').append(t.count()).append(',');
      csvAmounts(s, t.gross(), t.commission(), t.net());
    }
    return s.toString();
  }

  private static void csvAmounts(StringBuilder s, BigInteger gross, BigInteger commission, BigInteger net) {
    s.append(gross).append(',').append(commission).append(',').append(net).append(',')
        .append(euros(gross)).append(',').append(euros(commission)).append(',').append(euros(net)).append('\n');
  }
}
