package org.ridecoop.node.besu;

import org.web3j.crypto.ECKeyPair;
import org.web3j.crypto.Keys;
import org.web3j.utils.Numeric;

/**
 * One QBFT validator: its Besu node key and where other nodes reach it. In QBFT the node address
 * is the validator address, so the same key signs blocks and identifies the node (its enode).
 *
 * @param name directory and service name, e.g. {@code validator1}
 * @param keys the node key pair
 * @param host P2P host (an IP: Besu needs {@code --Xdns-enabled} for names in enodes)
 * @param p2pPort P2P port
 */
public record Validator(String name, ECKeyPair keys, String host, int p2pPort) {

  /** The validator address, {@code 0x} + 40 lower-case hex. */
  public String address() {
    return "0x" + Keys.getAddress(keys);
  }

  /** The 64-byte public key as 128 hex digits without {@code 0x}: the enode id. */
  public String publicKeyHex() {
    return Numeric.toHexStringNoPrefixZeroPadded(keys.getPublicKey(), 128);
  }

  /** {@code enode://<public key>@host:port}. */
  public String enode() {
    return "enode://" + publicKeyHex() + "@" + host + ":" + p2pPort;
  }

  /** The private key as Besu's {@code key} file holds it: {@code 0x} + 64 hex. Never log it. */
  String privateKeyFileText() {
    return Numeric.toHexStringWithPrefixZeroPadded(keys.getPrivateKey(), 64);
  }

  @Override
  public String toString() {
    // the record's default would print the key pair
    return "Validator[" + name + " " + address() + " " + host + ":" + p2pPort + "]";
  }
}
