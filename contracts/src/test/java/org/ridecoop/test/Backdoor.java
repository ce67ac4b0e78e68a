package org.ridecoop.test;

import java.io.IOException;
import java.math.BigInteger;
import java.util.List;
import org.ridecoop.devchain.AnvilChain;
import org.web3j.crypto.Hash;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.Request;
import org.web3j.protocol.core.Response;
import org.web3j.protocol.http.HttpService;
import org.web3j.tx.ClientTransactionManager;
import org.web3j.tx.TransactionManager;
import org.web3j.utils.Numeric;

/**
 * What a compromised deployment could do, staged on Anvil for tamper tests: act as any address
 * (say the timelock, as if its power had been handed to an outside account) and rewrite a token
 * balance with no event. Never for anything but tests of the checks that must catch it.
 */
public final class Backdoor {
  private final AnvilChain chain;
  private final HttpService rpc;

  public Backdoor(AnvilChain chain) {
    this.chain = chain;
    this.rpc = new HttpService(chain.rpcUrl());
  }

  /** Sends transactions as {@code address} without its key (anvil_impersonateAccount). */
  public TransactionManager as(String address) throws IOException {
    call("anvil_impersonateAccount", address);
    return new ClientTransactionManager(chain.web3j(), address);
  }

  /**
   * Overwrites {@code holder}'s balance in the OpenZeppelin ERC-20 at {@code token} (its
   * {@code _balances} mapping is storage slot 0), emitting nothing.
   *
   * @throws IllegalStateException if slot 0 does not hold the balance (the layout changed)
   */
  public void setTokenBalance(String token, String holder, BigInteger expectedNow, BigInteger balance)
      throws IOException {
    String slot = Numeric.toHexString(Hash.sha3(Numeric.hexStringToByteArray(
        Numeric.toHexStringNoPrefixZeroPadded(Numeric.toBigInt(holder), 64) + "0".repeat(64))));
    BigInteger now = Numeric.toBigInt(chain.web3j().ethGetStorageAt(token, Numeric.toBigInt(slot),
        DefaultBlockParameterName.LATEST).send().getData());
    if (!now.equals(expectedNow)) {
      throw new IllegalStateException("slot " + slot + " holds " + now + ", not the balance " + expectedNow);
    }
    call("anvil_setStorageAt", token, slot, Numeric.toHexStringWithPrefixZeroPadded(balance, 64));
    chain.mine(1);
  }

  private void call(String method, Object... params) throws IOException {
    Answer r = new Request<>(method, List.of(params), rpc, Answer.class).send();
    if (r.hasError()) throw new IllegalStateException(method + " failed: " + r.getError().getMessage());
  }

  /** Any JSON-RPC answer (these methods return null or true). */
  public static final class Answer extends Response<Object> {}
}
