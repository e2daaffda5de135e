package io.riskmodules.breaker.internal;

import io.riskmodules.breaker.CircuitBreakerConfig;
import io.riskmodules.breaker.CircuitState;
import io.riskmodules.breaker.StateTransition;
import io.riskmodules.breaker.WouldHaveOpened;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.List;

/**
 * METRICS_ONLY: records every call in a window exactly as CLOSED does, and never rejects. Where
 * CLOSED would trip, the window is frozen as CLOSED's would be, a {@link WouldHaveOpened} event is
 * published and the breaker goes on in a new METRICS_ONLY state with an empty window (no
 * transition: the state is the same): as if it had opened and closed again at once, so that one
 * event stands for one trip prevented, and a downstream that keeps failing raises one event per
 * window's worth of evidence, not one per failure.
 */
final class MetricsOnlyState extends ClosedState {

  private static final VarHandle PUBLISHED;

  static {
    try {
      PUBLISHED = MethodHandles.lookup().findVarHandle(MetricsOnlyState.class, "published", boolean.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  /** Set once, under the window's lock, when the window would have tripped. */
  private volatile WouldHaveOpened wouldHaveOpened;
  private volatile boolean published;

  MetricsOnlyState(DefaultCircuitBreaker breaker, CircuitBreakerConfig config, long sequence,
      List<StateTransition> history, Window window) {
    super(breaker, config, CircuitState.METRICS_ONLY, sequence, history, window);
  }

  @Override
  void onSuccess(long token, long nowNanos, boolean slow) {
    super.onSuccess(token, nowNanos, slow);
    publishIfTripped();
  }

  @Override
  void onFailure(long token, long nowNanos, boolean slow) {
    super.onFailure(token, nowNanos, slow);
    publishIfTripped();
  }

  /** Publishes the event after the window's lock is let go (listeners may run inline), once. */
  private void publishIfTripped() {
    WouldHaveOpened event = wouldHaveOpened;
    if (event != null && PUBLISHED.compareAndSet(this, false, true)) {
      breaker.publishEvent(event);
    }
  }

  /**
   * The window decided to trip, and froze: go on with a fresh window instead of opening. Called
   * under the window's lock; the event is published by the recording thread once it lets go.
   */
  @Override
  StateTransition tripUnderLock(Window.Breach breach) {
    Window.Counts counts = window().counts(breaker.ticker.read());
    long now = breaker.clockMillis();
    wouldHaveOpened = new WouldHaveOpened(breaker.name(), breach.reason(),
        breach.event(breaker.name(), now, breaker.tags()), counts.failureRate(), counts.slowRate(), counts.calls(),
        now, breaker.tags());
    breaker.renewWindow(this);
    return null;
  }

  @Override
  BreakerState withConfig(CircuitBreakerConfig newConfig) {
    Window kept = window().fits(newConfig) ? window() : Window.create(newConfig, breaker.ticker.read());
    return new MetricsOnlyState(breaker, newConfig, sequence, history, kept);
  }
}
