package io.riskmodules.breaker.internal;

import io.riskmodules.breaker.CircuitBreakerConfig;
import io.riskmodules.breaker.CircuitState;
import io.riskmodules.breaker.StateTransition;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * HALF_OPEN: at most {@code half_open_max_calls} probes in flight, counted by the breaker's {@link
 * ProbePermits}; a finished probe frees its permit, so {@code success_threshold} may exceed {@code
 * half_open_max_calls}. Probes still running from an earlier episode, or from before a reconfigure,
 * count against the limit. A permit held longer than {@code half_open_probe_timeout} may be
 * reclaimed for a new probe, and the outcome of the probe that lost it is then not counted.
 */
final class HalfOpenState extends BreakerState {

  private final int trips;
  private final Window trippedWindow;
  private final ProbePermits permits;
  private final AtomicInteger successes;

  HalfOpenState(DefaultCircuitBreaker breaker, CircuitBreakerConfig config, long sequence,
      List<StateTransition> history, int trips, Window trippedWindow, HalfOpenState sameEpisode) {
    super(breaker, config, CircuitState.HALF_OPEN, sequence, history);
    this.trips = trips;
    this.trippedWindow = trippedWindow;
    this.permits = breaker.probePermits();
    this.successes = sameEpisode != null ? sameEpisode.successes : new AtomicInteger();
  }

  @Override
  long tryAcquire() {
    long id = permits.acquire(config.halfOpenMaxCalls(), breaker.ticker.read(),
        config.halfOpenProbeTimeout().toNanos(), breaker);
    return id == ProbePermits.NONE ? -1 : id;
  }

  /** Frees the permit of {@code token}; false if it was reclaimed by another probe meanwhile. */
  private boolean free(long token) {
    return permits.release(token);
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
              Window.create(from.config, breaker.ticker.read())));
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
