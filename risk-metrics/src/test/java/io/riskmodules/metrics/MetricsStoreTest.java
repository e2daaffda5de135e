package io.riskmodules.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.riskmodules.breaker.CircuitState;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class MetricsStoreTest {

  private static BreakerSample at(String name, long millis) {
    return new BreakerSample(name, millis, CircuitState.CLOSED, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
  }

  @Test
  void dropsSamplesOlderThanTheRetention() {
    MetricsStore store = new MetricsStore(Duration.ofMinutes(1), 1000);
    for (long t = 0; t <= 120_000; t += 10_000) {
      store.append(at("a", t));
    }
    assertThat(store.history("a")).extracting(BreakerSample::epochMillis)
        .containsExactly(60_000L, 70_000L, 80_000L, 90_000L, 100_000L, 110_000L, 120_000L);
    assertThat(store.range("a", 75_000, 100_000)).extracting(BreakerSample::epochMillis)
        .containsExactly(80_000L, 90_000L, 100_000L);
    assertThat(store.latest("a")).get().extracting(BreakerSample::epochMillis).isEqualTo(120_000L);
    assertThat(store.range("unknown", 0, 1)).isEmpty();
  }

  @Test
  void keepsAtMostTheCapPerBreaker() {
    MetricsStore store = new MetricsStore(Duration.ofHours(1), 3);
    for (long t = 0; t < 10; t++) {
      store.append(at("a", t));
    }
    assertThat(store.history("a")).extracting(BreakerSample::epochMillis).containsExactly(7L, 8L, 9L);
  }

  @Test
  void isValidated() {
    assertThatThrownBy(() -> new MetricsStore(Duration.ofMillis(10), 1)).hasMessage("retention_seconds must be at least 1, was 10 ms");
    assertThatThrownBy(() -> new MetricsStore(Duration.ofHours(1), 0)).hasMessage("max_samples_per_breaker must be at least 1, was 0");
  }
}
