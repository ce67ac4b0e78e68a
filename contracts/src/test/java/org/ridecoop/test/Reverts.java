package org.ridecoop.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.util.IdentityHashMap;
import java.util.Map;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.ridecoop.chain.ContractError;
import org.ridecoop.chain.ContractRevertException;

/**
 * Assertions on contract reverts, by custom error name:
 * <pre>{@code
 * ContractError e = Reverts.assertRevert(() -> token.transfer(bob, 1_001).send(), "ERC20InsufficientBalance");
 * assertThat(e.<BigInteger>arg("needed")).isEqualTo(1_001);
 * }</pre>
 */
public final class Reverts {
  private Reverts() {}

  /**
   * Runs {@code call}, which must revert with the custom error {@code errorName}.
   *
   * @return the decoded error, for assertions on its arguments
   * @throws AssertionError if the call succeeds, fails otherwise, or reverts with another error
   */
  public static ContractError assertRevert(ThrowingCallable call, String errorName) {
    ContractRevertException revert = revertOf(call, errorName);
    assertThat(revert.errorName())
        .as("custom error of the revert (%s)", revert.getMessage())
        .isEqualTo(errorName);
    return revert.error();
  }

  /**
   * Runs {@code call}, which must revert (with any error), and returns the exception, e.g. to
   * check {@link ContractRevertException#transactionHash()}.
   */
  public static ContractRevertException assertReverts(ThrowingCallable call) {
    return revertOf(call, "any error");
  }

  private static ContractRevertException revertOf(ThrowingCallable call, String expected) {
    Throwable thrown = catchThrowable(call);
    if (thrown == null) throw new AssertionError("expected a revert with " + expected + ", but the call succeeded");
    ContractRevertException revert = find(thrown);
    if (revert == null) {
      throw new AssertionError("expected a revert with " + expected + ", but got " + thrown, thrown);
    }
    return revert;
  }

  /** Web3j wraps exceptions (deploy: RuntimeException), so look down the cause chain. */
  private static ContractRevertException find(Throwable thrown) {
    Map<Throwable, Boolean> seen = new IdentityHashMap<>();
    for (Throwable t = thrown; t != null && seen.put(t, Boolean.TRUE) == null; t = t.getCause()) {
      if (t instanceof ContractRevertException revert) return revert;
    }
    return null;
  }
}
