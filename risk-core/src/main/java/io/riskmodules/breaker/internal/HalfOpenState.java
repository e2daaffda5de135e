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
  /** Failed and slow probes of this episode; counted only with a probe window above the threshold. */
  private final AtomicInteger failures;

  HalfOpenState(DefaultCircuitBreaker breaker, CircuitBreakerConfig config, long sequence,
      List<StateTransition> history, int trips, Window trippedWindow, HalfOpenState sameEpisode) {
    super(breaker, config, CircuitState.HALF_OPEN, sequence, history);
    this.trips = trips;
    this.trippedWindow = trippedWindow;
    this.permits = breaker.probePermits();
    this.successes = sameEpisode != null ? sameEpisode.successes : new AtomicInteger();
    this.failures = sameEpisode != null ? sameEpisode.failures : new AtomicInteger();
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
      badProbe("probe slower than " + config.slowCallDurationThreshold().toMillis() + " ms");
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
      badProbe("probe failed");
    }
  }

  @Override
  void onRelease(long token) {
    free(token);
  }

  /**
   * A failed or slow probe: re-opens unless the probe window tolerates it (more than {@code
   * window - success_threshold} bad probes re-open; by default the window is the threshold, so
   * the first does).
   */
  private void badProbe(String reason) {
    int tolerated = config.halfOpenProbeWindow() - config.successThreshold();
    if (tolerated == 0) {
      reopen(reason);
      return;
    }
    int bad = failures.incrementAndGet();
    if (bad > tolerated) {
      reopen(bad + " of the last " + (bad + successes.get()) + " probes failed or were slow (at most "
          + tolerated + " of " + config.halfOpenProbeWindow() + " tolerated; last: " + reason + ")");
    }
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
