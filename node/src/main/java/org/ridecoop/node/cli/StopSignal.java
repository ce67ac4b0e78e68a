package org.ridecoop.node.cli;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Ctrl-C (SIGINT/SIGTERM) for a command that keeps a dev chain running until it is stopped. The
 * JVM's shutdown hook is held until {@link #close()}, so whatever the command stops in between (Anvil
 * saving its state file, nodes closing their stores) finishes before the JVM exits. Used with
 * try-with-resources, opened before the chain starts and closed after it stopped.
 */
final class StopSignal implements AutoCloseable {
  private final CountDownLatch signalled = new CountDownLatch(1);
  private final CountDownLatch released = new CountDownLatch(1);
  private final Thread hook;
  private boolean interrupted;

  StopSignal(String threadName) {
    hook = new Thread(() -> {
      signalled.countDown();
      try {
        released.await(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, threadName);
    Runtime.getRuntime().addShutdownHook(hook);
  }

  /**
   * Blocks until a signal, or until the thread is interrupted (an embedding program, such as a
   * test, stops the command that way). The interrupt flag is restored only by {@link #close()}: set
   * earlier, it would kill Anvil's process before it writes its state.
   */
  void await() {
    try {
      signalled.await();
    } catch (InterruptedException e) {
      interrupted = true;
    }
  }

  /** Releases the shutdown hook; call once everything is stopped. */
  @Override
  public void close() {
    released.countDown();
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException shuttingDown) {
      // the hook is running: it has just been released
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }
}
