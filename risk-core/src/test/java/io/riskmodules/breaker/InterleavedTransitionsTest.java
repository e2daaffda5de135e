package io.riskmodules.breaker;

import static io.riskmodules.breaker.Faults.fail;
import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.Test;

/**
 * Requests that land while another transition is being committed, put there on one thread by a
 * clock that runs them when the committing transition reads its timestamp: the request that
 * loses the race is applied after the one that won, never dropped, and listeners see both in
 * order.
 */
class InterleavedTransitionsTest {
  private final ManualTime time = new ManualTime();
  private final InterposingClock clock = new InterposingClock(time);
  private final List<String> seen = new ArrayList<>();

  private CircuitBreaker breaker(CircuitBreakerConfig config) {
    CircuitBreaker b = CircuitBreaker.builder("svc").config(config).ticker(time).clock(clock)
        .eventExecutor(Runnable::run).build();
    b.onStateChange(t -> seen.add(t.from() + ">" + t.to() + "#" + t.sequence()));
    return b;
  }

  @Test
  void aDisableThatLosesTheRaceToATripIsAppliedAfterIt() {
    CircuitBreaker b = breaker(CircuitBreakerConfig.ofDefaults());
    clock.atNextRead(b::trip);
    b.disable();
    assertThat(clock.ran()).isTrue();
    assertThat(b.state()).isEqualTo(CircuitState.DISABLED);
    assertThat(seen).containsExactly("CLOSED>FORCED_OPEN#1", "FORCED_OPEN>DISABLED#2");
  }

  @Test
  void anOperatorsOpenThatLosesTheRaceToADisableIsAppliedAfterIt() {
    CircuitBreaker b = breaker(CircuitBreakerConfig.ofDefaults());
    clock.atNextRead(b::disable);
    b.transitionTo(CircuitState.OPEN);
    assertThat(b.state()).isEqualTo(CircuitState.OPEN);
    assertThat(seen).containsExactly("CLOSED>DISABLED#1", "DISABLED>OPEN#2");
  }

  @Test
  void aTripThatLosesTheRaceToADisableIsAppliedAfterIt() {
    CircuitBreaker b = breaker(CircuitBreakerConfig.ofDefaults());
    clock.atNextRead(b::disable);
    b.trip();
    assertThat(b.state()).isEqualTo(CircuitState.FORCED_OPEN);
    assertThat(seen).containsExactly("CLOSED>DISABLED#1", "DISABLED>FORCED_OPEN#2");
  }

  @Test
  void aTimedTripThatLosesTheRaceToADisableIsAppliedAfterIt() {
    CircuitBreaker b = breaker(CircuitBreakerConfig.ofDefaults());
    clock.atNextRead(b::disable);
    b.tripFor(Duration.ofSeconds(10));
    assertThat(b.state()).isEqualTo(CircuitState.FORCED_OPEN);
    assertThat(b.remainingOpenTime()).isEqualTo(Duration.ofSeconds(10));
    assertThat(seen).containsExactly("CLOSED>DISABLED#1", "DISABLED>FORCED_OPEN#2");
  }

  @Test
  void aResetThatLosesTheRaceToADisableIsAppliedAfterIt() {
    CircuitBreaker b = breaker(CircuitBreakerConfig.ofDefaults());
    b.transitionTo(CircuitState.OPEN);
    clock.atNextRead(b::disable);
    b.reset();
    assertThat(b.state()).isEqualTo(CircuitState.CLOSED);
    assertThat(seen).containsExactly("CLOSED>OPEN#1", "OPEN>DISABLED#2", "DISABLED>CLOSED#3");
  }

  @Test
  void aReconfigureThatLandsWhileTheWindowTripsDoesNotCancelTheTripWhichTakesTheNewConfig() {
    CircuitBreaker b = breaker(CircuitBreakerConfig.ofDefaults());
    CircuitBreakerConfig longerOpen = CircuitBreakerConfig.builder().openTimeout(Duration.ofSeconds(90)).build();
    fail(b, 4);
    clock.atNextRead(() -> b.reconfigure(longerOpen)); // same window: the trip decided on it stands
    fail(b, 1);
    assertThat(clock.ran()).isTrue();
    assertThat(b.state()).isEqualTo(CircuitState.OPEN);
    assertThat(b.config()).isEqualTo(longerOpen);
    assertThat(b.remainingOpenTime()).isEqualTo(Duration.ofSeconds(90));
    assertThat(seen).containsExactly("CLOSED>OPEN#1");
  }

  @Test
  void aReconfigureThatLandsWhileMetricsOnlyRenewsItsWindowKeepsBothTheConfigAndTheFreshWindow() {
    CircuitBreaker b = breaker(CircuitBreakerConfig.ofDefaults());
    List<WouldHaveOpened> wouldHave = new ArrayList<>();
    b.onEvent(e -> {
      if (e instanceof WouldHaveOpened w) {
        wouldHave.add(w);
      }
    });
    b.transitionTo(CircuitState.METRICS_ONLY);
    CircuitBreakerConfig reconfigured = CircuitBreakerConfig.builder().openTimeout(Duration.ofSeconds(90)).build();
    fail(b, 4);
    clock.atNextRead(() -> b.reconfigure(reconfigured)); // while the event for the 5th failure is made
    fail(b, 1);
    assertThat(clock.ran()).isTrue();
    assertThat(wouldHave).hasSize(1);
    assertThat(b.config()).isEqualTo(reconfigured);
    assertThat(b.status().callsInWindow()).as("a fresh window").isZero();
    fail(b, 4);
    assertThat(b.status().callsInWindow()).as("the fresh window records").isEqualTo(4);
    fail(b, 1);
    assertThat(wouldHave).as("and would have opened again").hasSize(2);
    assertThat(b.state()).isEqualTo(CircuitState.METRICS_ONLY);
  }

  @Test
  void transitionsPublishedOutOfOrderAreDeliveredInTheirOrder() {
    // the end of an OPEN state is scheduled while its transition commits, before it is published:
    // a transition made from there is published first, and must still be delivered second
    ScheduledTime scheduled = new ScheduledTime();
    Runnable[] atSchedule = new Runnable[1];
    ScheduledExecutorService interposing = (ScheduledExecutorService) Proxy.newProxyInstance(
        getClass().getClassLoader(), new Class<?>[] {ScheduledExecutorService.class}, (proxy, method, args) -> {
          Runnable action = atSchedule[0];
          atSchedule[0] = null;
          if (action != null && method.getName().equals("schedule")) {
            action.run();
          }
          try {
            return method.invoke(scheduled.scheduler(), args);
          } catch (InvocationTargetException e) {
            throw e.getCause();
          }
        });
    CircuitBreaker b = CircuitBreaker.builder("svc")
        .config(CircuitBreakerConfig.builder().automaticTransitionFromOpenToHalfOpen(true).build())
        .ticker(scheduled).clock(scheduled).scheduler(interposing).eventExecutor(Runnable::run).build();
    b.onStateChange(t -> seen.add(t.from() + ">" + t.to() + "#" + t.sequence()));
    atSchedule[0] = () -> b.transitionTo(CircuitState.HALF_OPEN);
    b.transitionTo(CircuitState.OPEN);
    assertThat(atSchedule[0]).as("ran").isNull();
    assertThat(b.state()).isEqualTo(CircuitState.HALF_OPEN);
    assertThat(seen).containsExactly("CLOSED>OPEN#1", "OPEN>HALF_OPEN#2");
  }
}
