package org.ridecoop.sdk;

import org.ridecoop.chain.ContractRevertException;

/**
 * The SDK's one translation of chain failures, used by every SDK class that reads or writes the
 * chain ({@code Rider}, {@code Ride}, {@code Member}, {@code Governance}), so an SDK user catches
 * one kind of refusal: a contract revert, wherever web3j put it in the cause chain, becomes a
 * {@link ChainRefusedException} carrying the decoded custom error; any other failure becomes a
 * {@link RideCoopException} saying what could not be done.
 */
public final class ChainCalls {
  private ChainCalls() {}

  /** Work on the chain that may throw anything web3j throws. */
  @FunctionalInterface
  public interface ChainWork<T> {
    /**
     * Does the work.
     *
     * @return its result
     * @throws Exception whatever the chain client throws
     */
    T run() throws Exception;
  }

  /**
   * Runs {@code work}, translating its failures.
   *
   * @param what what the work does, in words for a message, e.g. {@code "withdraw 5"}
   * @param work the chain call(s)
   * @return the work's result
   * @throws ChainRefusedException if a contract reverted (nothing was changed on chain)
   * @throws RideCoopException if the chain could not be reached or the work failed otherwise
   */
  public static <T> T call(String what, ChainWork<T> work) {
    try {
      return work.run();
    } catch (RideCoopException e) {
      throw e; // already translated by a nested call
    } catch (RuntimeException e) {
      // web3j's generated code wraps the revert thrown by our transaction manager
      for (Throwable t = e; t != null; t = t.getCause()) {
        if (t instanceof ContractRevertException revert) {
          throw new ChainRefusedException(what, revert);
        }
      }
      throw new RideCoopException("could not " + what + ": " + e.getMessage(), e);
    } catch (Exception e) {
      throw new RideCoopException("could not " + what + " on chain: " + e.getMessage(), e);
    }
  }
}
