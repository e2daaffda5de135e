package io.riskmodules.breaker.internal;

import io.riskmodules.breaker.CircuitBreakerConfig;
import io.riskmodules.breaker.CircuitState;
import io.riskmodules.breaker.StateTransition;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * HALF_OPEN: at most {@code half_open_max_calls} probes in flight. Each probe holds a slot stamped
 * with the time it was taken; a finished probe frees its slot, so {@code success_threshold} may
 * exceed {@code half_open_max_calls}. The slots belong to the breaker, not to one HALF_OPEN
 * episode, so probes still running from an earlier episode count against the next one. A slot held
 * longer than {@code half_open_probe_timeout} may be taken over by a new probe, and the outcome of
 * the probe that lost it is then not counted.
 */
final class HalfOpenState extends BreakerState {

  private static final int SLOT_BITS = 10;
  private static final int SLOT_MASK = (1 << SLOT_BITS) - 1;

  private final int trips;
  private final Window trippedWindow;
  /** Per slot: 0 when free, else the breaker's probe stamp of the time the slot was taken. */
  private final AtomicLongArray slots;
  private final AtomicInteger successes;

  HalfOpenState(DefaultCircuitBreaker breaker, CircuitBreakerConfig config, long sequence,
      List<StateTransition> history, int trips, Window trippedWindow, HalfOpenState sameEpisode) {
    super(breaker, config, CircuitState.HALF_OPEN, sequence, history);
    this.trips = trips;
    this.trippedWindow = trippedWindow;
    this.slots = breaker.probeSlots(config.halfOpenMaxCalls());
    this.successes = sameEpisode != null ? sameEpisode.successes : new AtomicInteger();
  }

  @Override
  long tryAcquire() {
    long stamp = breaker.probeStamp();
    int n = slots.length();
    for (int i = 0; i < n; i++) {
      if (slots.get(i) == 0 && slots.compareAndSet(i, 0, stamp)) {
        return (stamp << SLOT_BITS) | i;
      }
    }
    long timeoutMicros = config.halfOpenProbeTimeout().toNanos() / 1000;
    for (int i = 0; i < n; i++) {
      long held = slots.get(i);
      if (held != 0 && stamp - held >= timeoutMicros && slots.compareAndSet(i, held, stamp)) {
        breaker.logReclaimedProbe(held, stamp);
        return (stamp << SLOT_BITS) | i;
      }
    }
    return -1;
  }

  /** Frees the slot of {@code token}; false if it was reclaimed by another probe meanwhile. */
  private boolean free(long token) {
    return slots.compareAndSet((int) (token & SLOT_MASK), token >>> SLOT_BITS, 0);
  }

  @Override
  void onSuccess(long token, long nowNanos, boolean slow) {
    if (!free(token)) {
      return;
    }
    if (slow) {
      reopen("probe slower than " + config.slowCallDurationThreshold().toMillis() + " ms");
      return;
    }
    int good = successes.incrementAndGet();
    if (good >= config.successThreshold()) {
      breaker.transition(this, CircuitState.CLOSED, good + " successful probes",
          (from, seq, history) -> new ClosedState(breaker, from.config, seq, history,
              Window.create(from.config, breaker, breaker.ticker.read())));
    }
  }

  @Override
  void onFailure(long token, long nowNanos, boolean slow) {
    if (free(token)) {
      reopen("probe failed");
    }
  }

  @Override
  void onRelease(long token) {
    free(token);
  }

  private void reopen(String reason) {
    int next = trips + 1;
    breaker.transition(this, CircuitState.OPEN, reason,
        (from, seq, history) -> new OpenState(breaker, from.config, seq, history,
            breaker.ticker.read(), OpenState.openNanos(from.config, next), next, trippedWindow));
  }

  @Override
  BreakerState withConfig(CircuitBreakerConfig newConfig) {
    return new HalfOpenState(breaker, newConfig, sequence, history, trips, trippedWindow, this);
  }

  @Override
  Window window() {
    return trippedWindow;
  }
}
