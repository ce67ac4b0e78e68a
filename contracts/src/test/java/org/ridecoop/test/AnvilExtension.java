package org.ridecoop.test;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.ridecoop.chain.ChainAccess;
import org.ridecoop.devchain.AnvilChain;

/**
 * JUnit 5 extension giving tests a real Anvil chain: {@code @ExtendWith(AnvilExtension.class)}.
 *
 * <ul>
 *   <li>One {@link AnvilChain} per JVM, started on first use and closed when the test run ends.
 *       If it cannot start, every test using it fails with the reason (never skipped).
 *   <li>An evm snapshot is taken before each test class and each test, and reverted after, so
 *       state made in a test or {@code @BeforeEach} is gone for the next test, and state made in
 *       {@code @BeforeAll} (deploy once per class) is gone for the next class.
 *   <li>Parameters of type {@link AnvilChain} and {@link ChainAccess} (the chain's own, whose nonce
 *       cache is reset on every revert) are injected into constructors, lifecycle and test methods.
 * </ul>
 *
 * <p>Tests share the chain, so they must not run in parallel in one JVM, and a test that stops or
 * restarts a chain must start its own {@code AnvilChain} rather than use this one.
 */
public final class AnvilExtension
    implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback, ParameterResolver {
  private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(AnvilExtension.class);
  private static final String SNAPSHOT = "snapshot";

  /** The JVM's shared chain, starting it on first use. */
  public static AnvilChain chain(ExtensionContext context) {
    return context.getRoot().getStore(NAMESPACE)
        .getOrComputeIfAbsent(SharedChain.class, k -> SharedChain.start(), SharedChain.class)
        .get();
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    takeSnapshot(context);
  }

  @Override
  public void afterAll(ExtensionContext context) {
    revertSnapshot(context);
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    takeSnapshot(context);
  }

  @Override
  public void afterEach(ExtensionContext context) {
    revertSnapshot(context);
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    Class<?> type = parameter.getParameter().getType();
    return type == AnvilChain.class || type == ChainAccess.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    AnvilChain chain = chain(context);
    return parameter.getParameter().getType() == AnvilChain.class ? chain : chain.access();
  }

  private static void takeSnapshot(ExtensionContext context) {
    context.getStore(NAMESPACE).put(SNAPSHOT, chain(context).snapshot());
  }

  private static void revertSnapshot(ExtensionContext context) {
    String id = context.getStore(NAMESPACE).remove(SNAPSHOT, String.class);
    if (id != null) chain(context).revert(id);
  }

  /** The chain, or why it could not start; closed by JUnit at the end of the run (AutoCloseable). */
  private static final class SharedChain implements AutoCloseable {
    private final AnvilChain chain;
    private final RuntimeException failure;

    private SharedChain(AnvilChain chain, RuntimeException failure) {
      this.chain = chain;
      this.failure = failure;
    }

    static SharedChain start() {
      try {
        return new SharedChain(AnvilChain.start(), null);
      } catch (RuntimeException e) {
        // remembered so each later test fails fast with the same reason instead of retrying
        return new SharedChain(null, e);
      }
    }

    AnvilChain get() {
      if (failure != null) throw new IllegalStateException("the test chain (Anvil) could not start: " + failure.getMessage(), failure);
      return chain;
    }

    @Override
    public void close() {
      if (chain != null) chain.close();
    }
  }
}
