package org.ridecoop.node.config;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.web3j.crypto.exception.CipherException;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.Keys;
import org.web3j.crypto.WalletUtils;

/**
 * The node's signing key, decrypted from its web3j wallet file. It signs offers, peer messages and
 * settlement transactions. {@link #toString()} shows only the address, so the key cannot reach a
 * log line by accident.
 */
public final class NodeKey {

  private final Credentials credentials;

  private NodeKey(Credentials credentials) {
    this.credentials = credentials;
  }

  /**
   * Decrypts the wallet file on a worker thread: scrypt takes about a second and must not hold up
   * the event loop.
   *
   * @param vertx the Vert.x instance whose worker pool runs the decryption
   * @param keystore where the wallet and its password are
   * @param env the environment, for {@code keystore.passwordEnv}
   * @return the key, or a failure with a {@link ConfigException} naming the keystore setting
   */
  public static Future<NodeKey> load(Vertx vertx, NodeConfig.Keystore keystore, Map<String, String> env) {
    return vertx.executeBlocking(() -> decrypt(keystore, env));
  }

  /** The blocking form of {@link #load}, for callers off the event loop (e.g. command-line tools). */
  public static NodeKey decrypt(NodeConfig.Keystore keystore, Map<String, String> env) throws ConfigException {
    String password = password(keystore, env);
    try {
      return new NodeKey(WalletUtils.loadCredentials(password, keystore.file().toFile()));
    } catch (CipherException e) {
      String source = keystore.passwordFile().isPresent() ? "keystore.passwordFile" : "keystore.passwordEnv";
      throw new ConfigException("keystore.file",
          "cannot decrypt " + keystore.file() + " with the password from " + source + " (" + e.getMessage() + ")");
    } catch (IOException | RuntimeException e) {
      throw new ConfigException("keystore.file", "not a web3j wallet file: " + keystore.file() + " (" + e.getMessage() + ")");
    }
  }

  /**
   * Reads a password from a file (one trailing line break ignored, as editors add one) or from an
   * environment variable.
   */
  static String password(NodeConfig.Keystore keystore, Map<String, String> env) throws ConfigException {
    if (keystore.passwordFile().isPresent()) {
      return readPasswordFile("keystore.passwordFile", keystore.passwordFile().get());
    }
    String var = keystore.passwordEnv().orElseThrow(
        () -> new ConfigException("keystore.passwordFile", "missing; set keystore.passwordFile or keystore.passwordEnv"));
    String value = env.get(var);
    if (value == null || value.isEmpty()) {
      throw new ConfigException("keystore.passwordEnv", "environment variable " + var + " is not set");
    }
    return value;
  }

  /**
   * Reads a password file: its content without one trailing line break.
   *
   * @param setting the setting or option that named the file, for the error message
   */
  public static String readPasswordFile(String setting, Path file) throws ConfigException {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new ConfigException(setting, "cannot read " + file + " (" + e.getMessage() + ")");
    }
    if (text.endsWith("\n")) {
      text = text.substring(0, text.length() - 1);
    }
    if (text.endsWith("\r")) {
      text = text.substring(0, text.length() - 1);
    }
    if (text.isEmpty()) {
      throw new ConfigException(setting, "the password file " + file + " is empty");
    }
    return text;
  }

  /** The node's address, EIP-55 checksummed. */
  public String address() {
    return Keys.toChecksumAddress(credentials.getAddress());
  }

  /** The web3j credentials, for signing. Never log them. */
  public Credentials credentials() {
    return credentials;
  }

  @Override
  public String toString() {
    return "NodeKey[address=" + address() + "]";
  }
}
