package io.riskmodules.benchmarks;

import dev.failsafe.Failsafe;
import dev.failsafe.FailsafeExecutor;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig.SlidingWindowType;
import io.riskmodules.breaker.CircuitBreaker;
import io.riskmodules.breaker.CircuitBreakerConfig;
import java.time.Duration;

/**
 * The breakers under test, made the same way for every path. "Never trips" configs (for the
 * failure path) keep every library recording failures without ever opening: a time-based window
 * whose minimum number of calls is never reached, and a consecutive-failure threshold of
 * Integer.MAX_VALUE where the library has one.
 */
final class Contenders {
  private Contenders() {}

  /** Risk Modules with RFC-136's defaults (slow-call detection on). */
  static CircuitBreaker riskModules() {
    return CircuitBreaker.ofDefaults("risk-modules");
  }

  /** Risk Modules with slow-call detection off: the call path reads no clock. */
  static CircuitBreaker riskModulesNoClock() {
    return CircuitBreaker.of("risk-modules-no-clock",
        CircuitBreakerConfig.builder().disableSlowCallDetection().build());
  }

  /** RFC defaults plus a 2 s call timeout (issue #13): each call's deadline is watched. */
  static CircuitBreaker riskModulesCallTimeout() {
    return CircuitBreaker.of("risk-modules-call-timeout",
        CircuitBreakerConfig.builder().callTimeout(Duration.ofSeconds(2)).build());
  }

  static CircuitBreaker riskModulesNeverTrips() {
    return CircuitBreaker.of("risk-modules-never-trips", CircuitBreakerConfig.builder()
        .failureThreshold(Integer.MAX_VALUE).timeBasedWindow(60).minimumNumberOfCalls(Integer.MAX_VALUE).build());
  }

  /** RFC defaults, but a time-based window of 60 s. */
  static CircuitBreaker riskModulesTimeWindow() {
    return CircuitBreaker.of("risk-modules-time-window", CircuitBreakerConfig.builder().timeBasedWindow(60).build());
  }

  static io.github.resilience4j.circuitbreaker.CircuitBreaker resilience4jTimeWindow() {
    return io.github.resilience4j.circuitbreaker.CircuitBreaker.of("resilience4j-time-window",
        io.github.resilience4j.circuitbreaker.CircuitBreakerConfig.custom()
            .slidingWindow(60, 100, SlidingWindowType.TIME_BASED).build());
  }

  static dev.failsafe.CircuitBreaker<Object> failsafeTimeWindow() {
    return dev.failsafe.CircuitBreaker.builder()
        .withFailureRateThreshold(50, 100, Duration.ofMinutes(1)).build();
  }

  /** Failsafe with a count-based window like the others' defaults: 50 failures of the last 100. */
  static dev.failsafe.CircuitBreaker<Object> failsafeCountWindow() {
    return dev.failsafe.CircuitBreaker.builder().withFailureThreshold(50, 100).build();
  }

  static io.github.resilience4j.circuitbreaker.CircuitBreaker resilience4j() {
    return io.github.resilience4j.circuitbreaker.CircuitBreaker.ofDefaults("resilience4j");
  }

  static io.github.resilience4j.circuitbreaker.CircuitBreaker resilience4jNeverTrips() {
    return io.github.resilience4j.circuitbreaker.CircuitBreaker.of("resilience4j-never-trips",
        io.github.resilience4j.circuitbreaker.CircuitBreakerConfig.custom()
            .slidingWindow(60, Integer.MAX_VALUE, SlidingWindowType.TIME_BASED).build());
  }

  static dev.failsafe.CircuitBreaker<Object> failsafeBreaker() {
    return dev.failsafe.CircuitBreaker.ofDefaults();
  }

  static FailsafeExecutor<Object> failsafe(dev.failsafe.CircuitBreaker<Object> breaker) {
    return Failsafe.with(breaker);
  }

  static dev.failsafe.CircuitBreaker<Object> failsafeNeverTrips() {
    return dev.failsafe.CircuitBreaker.builder()
        .withFailureRateThreshold(100, Integer.MAX_VALUE, Duration.ofMinutes(1)).build();
  }
}
