package io.riskmodules.breaker.internal;

import io.riskmodules.breaker.CircuitBreakerConfig;
import io.riskmodules.breaker.CircuitState;
import io.riskmodules.breaker.StateTransition;
import java.util.List;

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

  /** The open time after {@code trips} trips in a row: grown by the multiplier, capped. */
  static long openNanos(CircuitBreakerConfig config, int trips) {
    double grown = config.openTimeout().toNanos() * Math.pow(config.openTimeoutMultiplier(), trips - 1);
    return (long) Math.min(grown, (double) config.maxOpenTimeout().toNanos());
  }
}
