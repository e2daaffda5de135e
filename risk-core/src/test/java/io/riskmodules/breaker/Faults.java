package io.riskmodules.breaker;

import java.time.Duration;
import java.util.function.Supplier;

/** Calls for tests: succeed, fail, or take a given time on the manual ticker. */
final class Faults {
  private Faults() {}

  static final class Boom extends RuntimeException {
    Boom() {
      super("boom", null, false, false);
    }
  }

  static final class Business extends RuntimeException {
    Business() {
      super("business rule", null, false, false);
    }
  }

  static CircuitBreaker breaker(ManualTime time, CircuitBreakerConfig config) {
    return CircuitBreaker.builder("svc").config(config).ticker(time).clock(time).eventExecutor(Runnable::run).build();
  }

  static void fail(CircuitBreaker breaker, int times) {
    for (int i = 0; i < times; i++) {
      try {
        breaker.execute(() -> {
          throw new Boom();
        });
      } catch (Boom expected) {
        // recorded
      }
    }
  }

  static void succeed(CircuitBreaker breaker, int times) {
    for (int i = 0; i < times; i++) {
      breaker.execute(() -> "ok");
    }
  }

  /** A call that advances the manual ticker by {@code d} while it runs. */
  static Supplier<String> taking(ManualTime time, Duration d) {
    return () -> {
      time.advance(d);
      return "ok";
    };
  }
}
