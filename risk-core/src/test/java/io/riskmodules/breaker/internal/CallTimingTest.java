package io.riskmodules.breaker.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.riskmodules.breaker.CircuitBreakerConfig;
import io.riskmodules.breaker.Ticker;
import java.lang.reflect.Proxy;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** What times a breaker's calls, and what it keeps of them: seen through test hooks, as no result shows it. */
class CallTimingTest {
  private final Clock clock = Clock.fixed(Instant.parse("2026-01-15T00:00:00Z"), ZoneOffset.UTC);

  private DefaultCircuitBreaker systemTimed(CircuitBreakerConfig config) {
    return new DefaultCircuitBreaker("svc", config, Ticker.system(), clock, Runnable::run);
  }

  @Test
  void withTheSystemTickerSlowCallThresholdsOf100MsOrMoreAreTimedByTheCoarseTickerAndShorterOnesPrecisely() {
    assertThat(systemTimed(CircuitBreakerConfig.builder().slowCallDurationThreshold(Duration.ofMillis(99)).build())
        .callTickerForTest()).isSameAs(Ticker.system());
    assertThat(systemTimed(CircuitBreakerConfig.builder().slowCallDurationThreshold(Duration.ofMillis(100)).build())
        .callTickerForTest()).isSameAs(CoarseTicker.system());
    assertThat(systemTimed(CircuitBreakerConfig.builder().slowCallDurationThreshold(Duration.ofMillis(1))
        .disableSlowCallDetection().timeBasedWindow(10).build()).callTickerForTest())
        .as("no slow calls to find: a time window needs only the coarse time").isSameAs(CoarseTicker.system());
  }

  @Test
  void callsThatEndedOrTimedOutAreNoLongerKeptForTheirDeadline() {
    AtomicLong nanos = new AtomicLong();
    List<Runnable> scheduled = new ArrayList<>();
    ScheduledExecutorService capturing = (ScheduledExecutorService) Proxy.newProxyInstance(
        getClass().getClassLoader(), new Class<?>[] {ScheduledExecutorService.class}, (proxy, method, args) -> {
          if (!method.getName().equals("schedule")) {
            throw new UnsupportedOperationException(method.getName());
          }
          scheduled.add((Runnable) args[0]);
          return null;
        });
    DefaultCircuitBreaker b = new DefaultCircuitBreaker("svc",
        CircuitBreakerConfig.builder().callTimeout(Duration.ofMillis(100)).build(), nanos::get, clock,
        Runnable::run, capturing);
    CompletableFuture<String> inTime = new CompletableFuture<>();
    b.executeAsync(() -> inTime);
    b.executeAsync(CompletableFuture::new);
    b.executeAsync(CompletableFuture::new);
    inTime.complete("ok");
    assertThat(b.timedCallsInFlightForTest()).isEqualTo(2);
    nanos.addAndGet(Duration.ofMillis(100).toNanos());
    assertThat(scheduled).hasSize(1);
    scheduled.remove(0).run();
    assertThat(b.status().failedCalls()).isEqualTo(2);
    assertThat(b.timedCallsInFlightForTest()).isZero();
  }
}
