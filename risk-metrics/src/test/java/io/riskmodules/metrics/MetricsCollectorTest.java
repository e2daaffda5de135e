package io.riskmodules.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import io.riskmodules.breaker.CircuitBreaker;
import io.riskmodules.breaker.CircuitBreakerRegistry;
import io.riskmodules.breaker.CircuitState;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class MetricsCollectorTest {

  private final AtomicLong nanos = new AtomicLong();
  private final AtomicLong millis = new AtomicLong(1_700_000_000_000L);
  private final Clock clock = new Clock() {
    @Override
    public ZoneOffset getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return Instant.ofEpochMilli(millis.get());
    }
  };
  private final CircuitBreakerRegistry registry =
      CircuitBreakerRegistry.builder().ticker(nanos::get).clock(clock).eventExecutor(Runnable::run).build();

  private void advance(Duration d) {
    nanos.addAndGet(d.toNanos());
    millis.addAndGet(d.toMillis());
  }

  /** A call that takes {@code ms} on the manual ticker. */
  private void callTaking(CircuitBreaker b, long ms) {
    b.execute(() -> {
      nanos.addAndGet(Duration.ofMillis(ms).toNanos());
      return ms;
    });
  }

  @Test
  void samplesCountsRatesAndLatencyPercentilesPerInterval() {
    CircuitBreaker payments = registry.breaker("payment_service");
    MetricsCollector collector = MetricsCollector.builder(registry).clock(clock).build();
    for (int i = 1; i <= 100; i++) {
      callTaking(payments, i);
    }
    advance(Duration.ofSeconds(10));
    BreakerSample s = collector.sampleNow().get(0);
    assertThat(s.name()).isEqualTo("payment_service");
    assertThat(s.intervalCalls()).isEqualTo(100);
    assertThat(s.callsPerSecond()).isEqualTo(10.0);
    assertThat(s.p50Millis()).isCloseTo(50, within(1.0));
    assertThat(s.p99Millis()).isCloseTo(99, within(1.0));
    assertThat(s.maxMillis()).isCloseTo(100, within(1.0));
    assertThat(s.state()).isEqualTo(CircuitState.CLOSED);

    payments.trip();
    for (int i = 0; i < 10; i++) {
      payments.execute(() -> 1, cause -> 0);
    }
    advance(Duration.ofSeconds(10));
    BreakerSample next = collector.sampleNow().get(0);
    assertThat(next.intervalCalls()).isEqualTo(10);
    assertThat(next.intervalRejected()).isEqualTo(10);
    assertThat(next.rejectionRate()).isEqualTo(1.0);
    assertThat(next.p99Millis()).as("no call ran in this interval").isZero();
    assertThat(collector.store().history("payment_service")).containsExactly(s, next);
  }

  @Test
  void aBusyBreakersPercentilesComeFromItsWeightedSample() {
    CircuitBreaker busy = registry.breaker("busy");
    MetricsCollector collector = MetricsCollector.builder(registry).clock(clock).build();
    java.util.SplittableRandom random = new java.util.SplittableRandom(42);
    int calls = 300_000; // one in twenty takes 1 ms, the others 10 us: about 17,000 calls a second
    for (int i = 0; i < calls; i++) {
      long micros = random.nextInt(20) == 0 ? 1_000 : 10;
      busy.execute(() -> nanos.addAndGet(micros * 1_000));
    }
    advance(Duration.ofSeconds(10));
    BreakerSample s = collector.sampleNow().get(0);
    assertThat(s.intervalCalls()).isEqualTo(calls);
    assertThat(s.p50Millis()).isCloseTo(0.01, within(0.001));
    assertThat(s.p99Millis()).isCloseTo(1.0, within(0.02));
    assertThat(s.maxMillis()).isCloseTo(1.0, within(0.02));
  }

  @Test
  void followsBreakersAddedLaterAndForgetsRemovedOnes() {
    registry.breaker("a");
    MetricsCollector collector = MetricsCollector.builder(registry).clock(clock).build();
    registry.breaker("b");
    assertThat(collector.sampleNow()).extracting(BreakerSample::name).containsExactlyInAnyOrder("a", "b");
    registry.remove("a");
    advance(Duration.ofSeconds(10));
    assertThat(collector.sampleNow()).extracting(BreakerSample::name).containsExactly("b");
    assertThat(collector.store().names()).containsExactly("b");
  }

  @Test
  void memoryStaysBoundedWithTenThousandBreakers() {
    MetricsStore store = new MetricsStore(Duration.ofHours(1), 5);
    MetricsCollector collector = MetricsCollector.builder(registry).clock(clock).store(store).build();
    for (int i = 0; i < 10_000; i++) {
      registry.breaker("svc-" + i).execute(() -> 1);
    }
    for (int round = 0; round < 8; round++) {
      advance(Duration.ofSeconds(10));
      collector.sampleNow();
    }
    assertThat(store.size()).isEqualTo(50_000);
    for (int i = 0; i < 10_000; i++) {
      registry.remove("svc-" + i);
    }
    assertThat(store.size()).isZero();
    assertThat(collector.trackedNames()).isEmpty();
  }

  @Test
  void startSamplesOnTheSchedulerEveryInterval() {
    ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    try (MetricsCollector collector = MetricsCollector.builder(registry)
        .interval(Duration.ofMillis(20)).scheduler(scheduler).build()) {
      registry.breaker("scheduled");
      collector.start();
      await().atMost(Duration.ofSeconds(10)).until(() -> collector.store().history("scheduled").size() >= 3);
    } finally {
      scheduler.shutdownNow();
    }
  }

  @Test
  void listenersGetEachSample() {
    MetricsCollector collector = MetricsCollector.builder(registry).clock(clock).build();
    registry.breaker("x");
    List<BreakerSample> seen = new java.util.ArrayList<>();
    collector.onSample(seen::add);
    collector.sampleNow();
    assertThat(seen).extracting(BreakerSample::name).containsExactly("x");
  }
}
