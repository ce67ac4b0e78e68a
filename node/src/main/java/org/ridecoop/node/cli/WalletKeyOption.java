package org.ridecoop.node.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.WalletUtils;
import org.web3j.crypto.exception.CipherException;

/**
 * Decrypts a key a command is given as a web3j wallet file (as {@code node keygen} writes), with
 * usage errors (exit code 2) that tell an unreadable file, a wrong password and a file that is not
 * a wallet apart.
 */
final class WalletKeyOption {
  private WalletKeyOption() {}

  /**
   * The key in {@code file}, decrypted with {@code password}.
   *
   * @param option the option that named the file, for the messages (e.g. {@code --key-file})
   * @throws CommandFailure usage error when the file cannot be read or decrypted
   */
  static Credentials load(String option, Path file, String password) {
    if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
      throw CommandFailure.usage(option + ": cannot read " + file);
    }
    try {
      return WalletUtils.loadCredentials(password, file.toFile());
    } catch (CipherException e) {
      // web3j says "Invalid password provided" on a MAC mismatch; anything else is a malformed wallet
      throw CommandFailure.usage(String.valueOf(e.getMessage()).contains("password")
          ? option + ": wrong password for " + file : option + ": not a web3j wallet file: " + file);
    } catch (IOException | RuntimeException e) {
      throw CommandFailure.usage(option + ": not a web3j wallet file: " + file);
    }
  }
}
