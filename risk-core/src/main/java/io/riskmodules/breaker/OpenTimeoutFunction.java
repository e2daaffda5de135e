package io.riskmodules.breaker;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;

/**
 * How long a breaker stays OPEN, as a function of the attempt: the number of times it has opened
 * in a row without closing, 1 for a trip from CLOSED (Resilience4j's {@code IntervalFunction},
 * Failsafe's {@code withDelayFn}). Which openings count: the trip from CLOSED is attempt 1; each
 * failed or slow probe that re-opens a HALF_OPEN breaker adds one (with {@code
 * half_open_probe_window}, the bad probe that re-opens it); an operator's {@code transitionTo(OPEN)}
 * is attempt 1 again, and an operator's {@code transitionTo(HALF_OPEN)} counts as attempt 1, so
 * its failed probe is attempt 2; closing and {@code reset()} start afresh.
 *
 * <pre>{@code
 * CircuitBreakerConfig.builder()
 *     .openTimeoutFunction(OpenTimeoutFunction.exponential(Duration.ofSeconds(10), 2.0, Duration.ofMinutes(5))
 *         .withJitter(0.2))                 // 10 s, 20 s, 40 s ... 5 min, each within +-20 %
 *     .build();
 * }</pre>
 *
 * <p>Called when the breaker opens (never on a call that is permitted), possibly under the lock of
 * its window: it must be fast and must not block. A function that throws, or returns null, zero or
 * a negative duration, gives the configured open timeout instead (and is logged); one above 365
 * days gives 365 days. Implementations must be thread-safe.
 */
@FunctionalInterface
public interface OpenTimeoutFunction {

  /**
   * The open time of the {@code attempt}-th opening in a row, from 1.
   *
   * @param attempt the number of openings in a row without the breaker closing, this one included
   */
  Duration openTimeout(int attempt);

  /** Always {@code timeout}. */
  static OpenTimeoutFunction fixed(Duration timeout) {
    Objects.requireNonNull(timeout, "timeout");
    return attempt -> timeout;
  }

  /**
   * {@code initial} times {@code multiplier} to the power {@code attempt - 1}, at most {@code max}.
   *
   * @throws IllegalArgumentException if {@code initial} is not positive, {@code multiplier} is below
   *     1.0 or {@code max} is shorter than {@code initial}
   */
  static OpenTimeoutFunction exponential(Duration initial, double multiplier, Duration max) {
    Objects.requireNonNull(initial, "initial");
    Objects.requireNonNull(max, "max");
    if (initial.isNegative() || initial.isZero()) {
      throw new IllegalArgumentException("initial must be positive, was " + initial);
    }
    if (!(multiplier >= 1.0) || Double.isInfinite(multiplier)) {
      throw new IllegalArgumentException("multiplier must be at least 1.0, was " + multiplier);
    }
    if (max.compareTo(initial) < 0) {
      throw new IllegalArgumentException("max must be at least initial (" + initial + "), was " + max);
    }
    long initialNanos = initial.toNanos();
    long maxNanos = max.toNanos();
    return attempt -> {
      double grown = initialNanos * Math.pow(multiplier, Math.max(0, attempt - 1));
      return Duration.ofNanos((long) Math.min(grown, (double) maxNanos));
    };
  }

  /**
   * This function's time, moved at random by up to {@code jitter} of itself either way (0.2: from
   * 80 % to 120 %), uniformly: breakers on many nodes that opened together then probe at different
   * times.
   *
   * @throws IllegalArgumentException unless {@code jitter} is in [0, 1)
   */
  default OpenTimeoutFunction withJitter(double jitter) {
    return withJitter(jitter, () -> ThreadLocalRandom.current().nextDouble());
  }

  /**
   * As {@link #withJitter(double)}, with the random numbers (uniform in [0, 1)) from {@code random}:
   * for tests, or a seeded source.
   */
  default OpenTimeoutFunction withJitter(double jitter, DoubleSupplier random) {
    Objects.requireNonNull(random, "random");
    if (!(jitter >= 0 && jitter < 1)) {
      throw new IllegalArgumentException("jitter must be in [0, 1), was " + jitter);
    }
    OpenTimeoutFunction base = this;
    return attempt -> {
      Duration d = base.openTimeout(attempt);
      double factor = 1 + jitter * (2 * random.getAsDouble() - 1);
      return Duration.ofNanos(Math.max(1L, (long) (d.toNanos() * factor)));
    };
  }
}
