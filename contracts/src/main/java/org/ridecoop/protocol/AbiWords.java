package org.ridecoop.protocol;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import org.web3j.utils.Numeric;

/**
 * Builds {@code abi.encode(...)} of static values, 32 bytes per value, as EIP-712 struct hashing
 * needs. Only the types our messages use.
 */
final class AbiWords {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();

  AbiWords uint(BigInteger value) {
    if (value.signum() < 0 || value.bitLength() > 256) {
      throw new IllegalArgumentException("not a uint256: " + value);
    }
    out.writeBytes(Numeric.toBytesPadded(value, 32));
    return this;
  }

  AbiWords uint(long value) {
    return uint(BigInteger.valueOf(value));
  }

  AbiWords address(String address) {
    return uint(Numeric.toBigInt(address));
  }

  AbiWords bytes32(byte[] value) {
    if (value.length != 32) {
      throw new IllegalArgumentException("bytes32 needs 32 bytes, got " + value.length);
    }
    out.writeBytes(value);
    return this;
  }

  byte[] toBytes() {
    return out.toByteArray();
  }
}
