package org.ridecoop.chain;

import java.util.List;
import java.util.Objects;

/**
 * A decoded revert: the Solidity custom error (or {@code Error(string)} / {@code Panic(uint256)})
 * with its arguments.
 *
 * <p>Argument values are Java values: {@code uintN}/{@code intN} → {@link java.math.BigInteger},
 * {@code address} → lower-case {@code 0x} hex {@link String}, {@code bytesN}/{@code bytes} →
 * {@code 0x} hex {@link String}, {@code bool} → {@link Boolean}, {@code string} → {@link String},
 * arrays → {@link List} of those.
 *
 * @param name the error name; for revert data no ABI knows, its 4-byte selector in hex; or
 *     {@link #EMPTY_REVERT} / {@link #NOT_REPRODUCED}
 * @param signature canonical signature, e.g. {@code ERC20InsufficientBalance(address,uint256,uint256)};
 *     empty when unknown
 * @param argNames parameter names from the ABI (empty strings where the ABI has none)
 * @param args decoded argument values; empty when the error is unknown or could not be decoded
 * @param data the raw revert data, {@code 0x}-prefixed
 */
public record ContractError(String name, String signature, List<String> argNames, List<Object> args, String data) {
  /** Name given to a revert without data ({@code revert()}, a failed {@code require} without message). */
  public static final String EMPTY_REVERT = "EmptyRevert";
  /** Name given to a mined failure whose replay through {@code eth_call} did not revert. */
  public static final String NOT_REPRODUCED = "RevertNotReproduced";

  /** Validates and copies the lists. */
  public ContractError {
    Objects.requireNonNull(name);
    Objects.requireNonNull(signature);
    argNames = List.copyOf(argNames);
    args = List.copyOf(args);
    Objects.requireNonNull(data);
  }

  /** Whether an ABI (or the built-in Error/Panic) knew the selector. */
  public boolean known() {
    return !signature.isEmpty();
  }

  /** The argument named {@code argName} in the ABI. */
  @SuppressWarnings("unchecked")
  public <T> T arg(String argName) {
    int i = argNames.indexOf(argName);
    if (i < 0 || i >= args.size()) {
      throw new IllegalArgumentException(name + " has no decoded argument '" + argName + "' (has " + argNames + ")");
    }
    return (T) args.get(i);
  }

  /** The argument at {@code index}. */
  @SuppressWarnings("unchecked")
  public <T> T arg(int index) {
    return (T) args.get(index);
  }

  /** {@code Name(arg1=value1, arg2=value2)}, or the name alone without decoded arguments. */
  @Override
  public String toString() {
    if (args.isEmpty()) return known() ? name + "()" : name + (data.length() > 10 ? " data=" + data : "");
    StringBuilder b = new StringBuilder(name).append('(');
    for (int i = 0; i < args.size(); i++) {
      if (i > 0) b.append(", ");
      String n = i < argNames.size() ? argNames.get(i) : "";
      if (!n.isEmpty()) b.append(n).append('=');
      b.append(args.get(i));
    }
    return b.append(')').toString();
  }
}
