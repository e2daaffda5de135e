package io.riskmodules.alerts.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.riskmodules.alerts.AlertSink;
import io.riskmodules.alerts.Notification;
import io.riskmodules.alerts.Severity;
import io.riskmodules.breaker.CircuitBreakerConfig;
import io.riskmodules.breaker.Ticker;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class BackoffTest {

  private static SinkWorker worker(Duration initial, Duration max, Duration maxRetryAfter) {
    AlertSink sink = new AlertSink() {
      @Override
      public String name() {
        return "s";
      }

      @Override
      public void deliver(Notification n) {}
    };
    Settings.Route route = new Settings.Route(sink, Set.of(Severity.values()));
    Settings s = new Settings(List.of(route), Severity.HIGH, Map.of(), Severity.MEDIUM, Map.of(),
        io.riskmodules.risk.RiskLevel.HIGH, Map.of(), Map.of(), Duration.ZERO, Duration.ofHours(1),
        Duration.ofMinutes(5), true, List.of(), 10, 16, 10, 5, initial, max, maxRetryAfter,
        CircuitBreakerConfig.ofDefaults(), Duration.ofSeconds(1), Clock.systemUTC(), Ticker.system(), null);
    return new SinkWorker(route, s, new Meters(null, new java.util.concurrent.atomic.AtomicLong()));
  }

  @Test
  void backoffDoublesPerAttemptWithJitterAndStopsAtTheMaximum() {
    SinkWorker w = worker(Duration.ofSeconds(1), Duration.ofSeconds(10), Duration.ofMinutes(5));
    for (int i = 0; i < 200; i++) {
      assertThat(w.backoffNanos(1, null)).isBetween(500_000_000L, 1_000_000_000L);
      assertThat(w.backoffNanos(3, null)).isBetween(2_000_000_000L, 4_000_000_000L);
      assertThat(w.backoffNanos(10, null)).isBetween(5_000_000_000L, 10_000_000_000L);
      assertThat(w.backoffNanos(100, null)).isBetween(5_000_000_000L, 10_000_000_000L);
    }
  }

  @Test
  void retryAfterIsAFloorCappedByMaxRetryAfter() {
    SinkWorker w = worker(Duration.ofMillis(100), Duration.ofSeconds(1), Duration.ofSeconds(30));
    assertThat(w.backoffNanos(1, Duration.ofSeconds(7))).isEqualTo(7_000_000_000L);
    assertThat(w.backoffNanos(1, Duration.ofHours(2))).isEqualTo(30_000_000_000L);
    assertThat(w.backoffNanos(1, Duration.ZERO)).isBetween(50_000_000L, 100_000_000L);
  }

  @Test
  void retryAfterIsReadAsSecondsOrAnHttpDate() {
    assertThat(Http.retryAfter("120")).isEqualTo(Duration.ofSeconds(120));
    assertThat(Http.retryAfter(" 3 ")).isEqualTo(Duration.ofSeconds(3));
    assertThat(Http.retryAfter("Wed, 21 Oct 2015 07:28:00 GMT")).isEqualTo(Duration.ZERO); // in the past
    assertThat(Http.retryAfter("soon")).isNull();
    assertThat(Http.retryAfter(null)).isNull();
  }
}
