package io.riskmodules.breaker.internal;

import io.riskmodules.breaker.CallNotPermittedException;
import io.riskmodules.breaker.CircuitBreaker;
import io.riskmodules.breaker.CircuitBreakerConfig;
import java.lang.reflect.Method;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.jetbrains.kotlinx.lincheck.Actor;
import org.jetbrains.lincheck.datastructures.ManagedStrategyGuaranteeKt;
import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;
import org.jetbrains.kotlinx.lincheck.execution.ExecutionScenario;

/** Breakers for the model checks: a ticker that stands still, delivery on the publishing thread. */
final class LincheckBreakers {
  private LincheckBreakers() {}

  static {
    // Trip reasons are formatted; the JDK's locale data must be loaded before Lincheck runs code,
    // or loading it under the model checker fails with NoClassDefFoundError.
    String.format(Locale.ROOT, "%.1f%%", 50.0);
  }

  private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-01-15T00:00:00Z"), ZoneOffset.UTC);

  static CircuitBreaker breaker(CircuitBreakerConfig config) {
    return CircuitBreaker.builder("lincheck").config(config).ticker(() -> 0L).clock(CLOCK)
        .eventExecutor(Runnable::run).build();
  }

  /**
   * Model checking with a small budget, that switches threads only inside the breaker's own
   * mutable parts: immutable values (configs, status records, transitions) and logging (SLF4J and
   * the tests' binding) are run without switch points, which keeps the checks within seconds.
   */
  static ModelCheckingOptions options(int iterations, int invocations) {
    return new ModelCheckingOptions().iterations(iterations).invocationsPerIteration(invocations)
        // the first invocations instrument the breaker's classes; on a loaded machine that took
        // longer than the 30 s Lincheck allows an invocation before it reports a hang
        .invocationTimeout$lincheck(180_000)
        .addGuarantee(ManagedStrategyGuaranteeKt.forClasses(LincheckBreakers::immutable).allMethods().ignore());
  }

  private static Boolean immutable(String className) {
    return className.startsWith("io.riskmodules.breaker.CircuitBreakerConfig")
        || className.startsWith("io.riskmodules.breaker.CircuitBreakerStatus")
        || className.equals("io.riskmodules.breaker.StateTransition")
        || className.equals("io.riskmodules.breaker.CallNotPermittedException")
        || className.startsWith("org.slf4j.")
        // the tests' log binding: a static deque that every test of the JVM writes to (see the
        // pom's model-checks execution); logging is not what these checks are about
        || className.startsWith("io.riskmodules.testlogs.");
  }

  /** A call that succeeds: "ok", or "rejected". */
  static String succeed(CircuitBreaker breaker) {
    try {
      return breaker.execute(() -> "ok");
    } catch (CallNotPermittedException e) {
      return "rejected";
    }
  }

  /** A call that fails: "failed", or "rejected". */
  static String fail(CircuitBreaker breaker) {
    try {
      return breaker.execute(() -> {
        throw new IllegalStateException("down");
      });
    } catch (IllegalStateException e) {
      return "failed";
    } catch (CallNotPermittedException e) {
      return "rejected";
    }
  }

  /**
   * A scenario to check besides the random ones: {@code initial} runs first, then each array of
   * {@code parallel} in a thread of its own, then {@code post}; operations are named by method.
   */
  static ExecutionScenario scenario(Class<?> test, String[] initial, String[][] parallel, String[] post) {
    List<List<Actor>> threads = new ArrayList<>();
    for (String[] thread : parallel) {
      threads.add(actors(test, thread));
    }
    return new ExecutionScenario(actors(test, initial), threads, actors(test, post), null);
  }

  private static List<Actor> actors(Class<?> test, String[] names) {
    List<Actor> actors = new ArrayList<>();
    for (String name : names) {
      try {
        Method m = test.getMethod(name);
        actors.add(new Actor(m, List.of()));
      } catch (NoSuchMethodException e) {
        throw new IllegalArgumentException(name, e);
      }
    }
    return actors;
  }
}
