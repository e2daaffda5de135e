package io.riskmodules.breaker.internal;

import io.riskmodules.breaker.CircuitBreakerConfig;
import io.riskmodules.breaker.CircuitState;
import io.riskmodules.breaker.StateTransition;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** OPEN: calls are rejected until the open timeout has passed; then the next request moves it HALF_OPEN. */
final class OpenState extends BreakerState {

  private final long openedAtNanos;
  private final long openNanos;
  /** Trips in a row without closing, this one included: grows the open time. */
  final int trips;
  private final Window trippedWindow;

  OpenState(DefaultCircuitBreaker breaker, CircuitBreakerConfig config, long sequence,
      List<StateTransition> history, long openedAtNanos, long openNanos, int trips, Window trippedWindow) {
    super(breaker, config, CircuitState.OPEN, sequence, history);
    this.openedAtNanos = openedAtNanos;
    this.openNanos = openNanos;
    this.trips = trips;
    this.trippedWindow = trippedWindow;
  }

  @Override
  long tryAcquire() {
    long remaining = remainingOpenNanos(breaker.ticker.read());
    if (remaining > 0) {
      return -remaining - 1;
    }
    moveToHalfOpen();
    return RETRY;
  }

  /** Moves to HALF_OPEN if the open time has passed; returns whether this state is over. */
  boolean expireIfDue(long nowNanos) {
    if (remainingOpenNanos(nowNanos) > 0) {
      return false;
    }
    moveToHalfOpen();
    return true;
  }

  private void moveToHalfOpen() {
    breaker.transition(this, CircuitState.HALF_OPEN,
        "open timeout of " + (openNanos / 1_000_000) + " ms elapsed",
        (from, seq, history) -> new HalfOpenState(breaker, from.config, seq, history,
            trips, trippedWindow, null));
  }

  @Override
  long remainingOpenNanos(long nowNanos) {
    return Math.max(0, openNanos - (nowNanos - openedAtNanos));
  }

  @Override
  BreakerState withConfig(CircuitBreakerConfig newConfig) {
    return new OpenState(breaker, newConfig, sequence, history, openedAtNanos, openNanos, trips, trippedWindow);
  }

  @Override
  Window window() {
    return trippedWindow;
  }

  /**
   * The open time after {@code trips} openings in a row, from the config's {@link
   * CircuitBreakerConfig#openTimeoutFunction()}: a function that throws or gives no positive time
   * gives the open timeout, one above the longest duration allowed gives that.
   */
  static long openNanos(CircuitBreakerConfig config, int trips) {
    Duration d;
    try {
      d = config.openTimeoutFunction().openTimeout(trips);
    } catch (RuntimeException e) {
      log.warn("open-time function failed on attempt {}; using the open timeout {}", trips, config.openTimeout(), e);
      return config.openTimeout().toNanos();
    }
    if (d == null || d.isNegative() || d.isZero()) {
      log.warn("open-time function gave {} on attempt {}; using the open timeout {}", d, trips, config.openTimeout());
      return config.openTimeout().toNanos();
    }
    return d.compareTo(LONGEST) > 0 ? LONGEST.toNanos() : d.toNanos();
  }

  private static final Duration LONGEST = Duration.ofDays(365);
  private static final Logger log = LoggerFactory.getLogger(io.riskmodules.breaker.CircuitBreaker.class);
}
