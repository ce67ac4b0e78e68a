package org.ridecoop.chain;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.web3j.abi.FunctionReturnDecoder;
import org.web3j.abi.TypeReference;
import org.web3j.abi.datatypes.Address;
import org.web3j.abi.datatypes.Array;
import org.web3j.abi.datatypes.BytesType;
import org.web3j.abi.datatypes.Type;
import org.web3j.crypto.Hash;
import org.web3j.protocol.ObjectMapperFactory;
import org.web3j.protocol.core.methods.response.AbiDefinition;
import org.web3j.utils.Numeric;

/**
 * Turns revert data into a {@link ContractError} using the ABIs of our contracts: every
 * {@code type: "error"} entry (OpenZeppelin's included, as solc copies them into our ABIs) by its
 * 4-byte selector, plus the built-in {@code Error(string)} and {@code Panic(uint256)}.
 *
 * <p>Also names function selectors, so an exception can say which call reverted.
 */
public final class RevertDecoder {
  /** Classpath resource listing the contract names (written by scripts/compile.js). */
  public static final String INDEX_RESOURCE = "solidity/index.json";

  private final Map<String, ErrorAbi> errors = new HashMap<>();
  private final Map<String, String> functions = new HashMap<>();

  private RevertDecoder(Collection<String> abiJsons) {
    add(new ErrorAbi("Error", "Error(string)", List.of("message"), List.of("string")));
    add(new ErrorAbi("Panic", "Panic(uint256)", List.of("code"), List.of("uint256")));
    ObjectMapper json = ObjectMapperFactory.getObjectMapper();
    for (String abi : abiJsons) {
      try {
        for (AbiDefinition entry : json.readValue(abi, AbiDefinition[].class)) {
          if ("error".equals(entry.getType())) {
            List<AbiDefinition.NamedType> inputs = entry.getInputs();
            add(new ErrorAbi(entry.getName(), signature(entry.getName(), inputs),
                inputs.stream().map(i -> i.getName() == null ? "" : i.getName()).toList(),
                inputs.stream().map(RevertDecoder::canonicalType).toList()));
          } else if ("function".equals(entry.getType())) {
            String sig = signature(entry.getName(), entry.getInputs());
            functions.putIfAbsent(selector(sig), sig);
          }
        }
      } catch (IOException e) {
        throw new IllegalArgumentException("not an ABI: " + abi.substring(0, Math.min(80, abi.length())), e);
      }
    }
  }

  /**
   * A decoder for every contract listed in {@value #INDEX_RESOURCE}, reading
   * {@code solidity/<Name>.abi} from the classpath (the contracts jar carries both).
   *
   * @throws IllegalStateException if the index or an ABI it names is missing
   */
  public static RevertDecoder fromClasspath() {
    ClassLoader loader = RevertDecoder.class.getClassLoader();
    try {
      String[] names = ObjectMapperFactory.getObjectMapper().readValue(resource(loader, INDEX_RESOURCE), String[].class);
      List<String> abis = new ArrayList<>();
      for (String name : names) abis.add(resource(loader, "solidity/" + name + ".abi"));
      return new RevertDecoder(abis);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the contract ABIs from the classpath", e);
    }
  }

  /** A decoder for the given ABI JSON arrays (plus Error and Panic). */
  public static RevertDecoder fromAbis(Collection<String> abiJsons) {
    return new RevertDecoder(abiJsons);
  }

  /**
   * Decodes {@code revertData} ({@code 0x}-prefixed hex, may be null or {@code 0x}). Never fails:
   * unknown selectors come back with the selector as name, undecodable arguments as an empty list.
   */
  public ContractError decode(String revertData) {
    String data = revertData == null || revertData.isBlank() ? "0x"
        : Numeric.prependHexPrefix(revertData.trim()).toLowerCase(Locale.ROOT);
    if (data.length() <= 2) return new ContractError(ContractError.EMPTY_REVERT, "", List.of(), List.of(), "0x");
    if (data.length() < 10) return new ContractError(data, "", List.of(), List.of(), data);
    ErrorAbi abi = errors.get(data.substring(0, 10));
    if (abi == null) return new ContractError(data.substring(0, 10), "", List.of(), List.of(), data);
    return new ContractError(abi.name(), abi.signature(), abi.names(), decodeArgs(abi.types(), data.substring(10)), data);
  }

  /** The signature of the function {@code callData} calls, e.g. {@code transfer(address,uint256)}. */
  public Optional<String> functionSignature(String callData) {
    if (callData == null) return Optional.empty();
    String data = Numeric.prependHexPrefix(callData).toLowerCase(Locale.ROOT);
    return data.length() < 10 ? Optional.empty() : Optional.ofNullable(functions.get(data.substring(0, 10)));
  }

  /** Whether some ABI declares an error called {@code name}. */
  public boolean knowsError(String name) {
    return errors.values().stream().anyMatch(e -> e.name().equals(name));
  }

  private void add(ErrorAbi abi) {
    errors.putIfAbsent(selector(abi.signature()), abi);
  }

  @SuppressWarnings({"unchecked", "rawtypes"}) // Web3j's decoder API takes raw Type references
  private static List<Object> decodeArgs(List<String> types, String encoded) {
    if (types.isEmpty()) return List.of();
    try {
      List<TypeReference<Type>> refs = new ArrayList<>();
      for (String t : types) refs.add(TypeReference.makeTypeReference(t));
      List<Type> values = FunctionReturnDecoder.decode("0x" + encoded, refs);
      if (values.size() != types.size()) return List.of();
      return values.stream().map(RevertDecoder::javaValue).toList();
    } catch (ClassNotFoundException | RuntimeException e) {
      // tuples and malformed data: the name (and raw data) still tell the story
      return List.of();
    }
  }

  private static Object javaValue(Type<?> value) {
    if (value instanceof Address a) return a.getValue();
    if (value instanceof BytesType b) return Numeric.toHexString(b.getValue());
    if (value instanceof Array<?> array) return array.getValue().stream().map(v -> javaValue((Type<?>) v)).toList();
    return value.getValue();
  }

  private static String signature(String name, List<AbiDefinition.NamedType> inputs) {
    return name + inputs.stream().map(RevertDecoder::canonicalType).collect(Collectors.joining(",", "(", ")"));
  }

  private static String canonicalType(AbiDefinition.NamedType t) {
    if (!t.getType().startsWith("tuple")) return t.getType();
    return t.getComponents().stream().map(RevertDecoder::canonicalType).collect(Collectors.joining(",", "(", ")"))
        + t.getType().substring("tuple".length());
  }

  private static String selector(String signature) {
    return Hash.sha3String(signature).substring(0, 10);
  }

  private static String resource(ClassLoader loader, String name) throws IOException {
    try (InputStream in = loader.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("classpath resource " + name + " missing: build the contracts module"
            + " (scripts/compile.js writes it) or put the ridecoop-contracts jar on the classpath");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private record ErrorAbi(String name, String signature, List<String> names, List<String> types) {}
}
