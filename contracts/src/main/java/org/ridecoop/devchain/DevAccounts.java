package org.ridecoop.devchain;

import java.util.ArrayList;
import java.util.List;
import org.web3j.crypto.Bip32ECKeyPair;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.MnemonicUtils;

/**
 * The funded accounts of a dev chain, derived the way Anvil derives them: BIP-39 seed of the
 * mnemonic (no passphrase), BIP-32 path {@code m/44'/60'/0'/0/i}.
 */
public final class DevAccounts {
  /** Anvil's (and Hardhat's) default mnemonic. Public knowledge: never hold real value with it. */
  public static final String DEFAULT_MNEMONIC = "test test test test test test test test test test test junk";

  private DevAccounts() {}

  /** The first {@code count} accounts of {@code mnemonic}, index 0 first. */
  public static List<Credentials> derive(String mnemonic, int count) {
    Bip32ECKeyPair master = Bip32ECKeyPair.generateKeyPair(MnemonicUtils.generateSeed(mnemonic, ""));
    int hardened = Bip32ECKeyPair.HARDENED_BIT;
    // m/44'/60'/0'/0 once, then one step per account: 4 + count derivations instead of 5 * count
    Bip32ECKeyPair parent = Bip32ECKeyPair.deriveKeyPair(master, new int[] {44 | hardened, 60 | hardened, hardened, 0});
    List<Credentials> accounts = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      accounts.add(Credentials.create(Bip32ECKeyPair.deriveKeyPair(parent, new int[] {i})));
    }
    return List.copyOf(accounts);
  }
}
