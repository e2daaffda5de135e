package io.riskmodules.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
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
import io.riskmodules.risk.RiskAssessor;
import io.riskmodules.risk.RiskLevel;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
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

  @Test
  void anAttachedAssessorForgetsRemovedBreakers() {
    MetricsCollector collector = MetricsCollector.builder(registry).build();
    RiskAssessor assessor = RiskAssessor.ofDefaults();
    assessor.attach(collector);
    registry.breaker("a").trip();
    collector.sampleNow();
    assertThat(assessor.level("a")).isEqualTo(RiskLevel.HIGH);
    registry.remove("a");
    assertThat(assessor.latest("a")).isEmpty();
    assertThat(assessor.level("a")).isEqualTo(RiskLevel.LOW);
  }

  @Test
  void aBreakerRecreatedUnderItsNameBeforeTheOldOnesRemovalArrivesIsSampledAfresh() {
    RegistryRaces.recreateOnFirstRemoval(registry); // before the collector subscribes
    registry.breaker("a").trip();
    MetricsCollector collector = MetricsCollector.builder(registry).build();
    RiskAssessor assessor = RiskAssessor.ofDefaults();
    assessor.attach(collector);
    collector.sampleNow();
    assertThat(assessor.level("a")).isEqualTo(RiskLevel.HIGH);
    registry.remove("a");
    assertThat(collector.trackedNames()).containsExactly("a");
    assertThat(collector.store().history("a")).as("the old breaker's history").isEmpty();
    assertThat(assessor.level("a")).as("the old breaker's level").isEqualTo(RiskLevel.LOW);
    assertThat(collector.sampleNow()).singleElement().extracting(BreakerSample::state).isEqualTo(CircuitState.CLOSED);
  }

  @Test
  void aListenerThatRemovesTheBreakerLeavesNeitherHistoryNorLevel() {
    MetricsCollector collector = MetricsCollector.builder(registry).build();
    RiskAssessor assessor = RiskAssessor.ofDefaults();
    List<String> announced = new CopyOnWriteArrayList<>();
    collector.onSample(s -> registry.remove(s.name())); // before the assessor hears of the sample
    assessor.attach(collector);
    collector.onRemoved(announced::add);
    registry.breaker("a").trip();
    collector.sampleNow();
    assertThat(announced).containsExactly("a");
    assertThat(collector.store().history("a")).isEmpty();
    assertThat(assessor.latest("a")).isEmpty();
  }

  @Test
  void aBreakerRemovedWhileBeingSampledGetsNoHistoryBack() throws Exception {
    MetricsCollector collector = MetricsCollector.builder(registry).latency(false).build();
    List<String> heardAfterRemoval = new CopyOnWriteArrayList<>();
    Set<String> removed = ConcurrentHashMap.newKeySet();
    collector.onRemoved(removed::add);
    collector.onSample(s -> {
      if (removed.contains(s.name())) {
        heardAfterRemoval.add(s.name());
      }
    });
    for (int round = 0; round < 20; round++) {
      for (int i = 0; i < 1_000; i++) {
        registry.breaker("svc-" + i);
      }
      removed.clear();
      Thread sampler = new Thread(() -> {
        for (int k = 0; k < 20; k++) {
          collector.sampleNow();
        }
      });
      sampler.start();
      for (int i = 0; i < 1_000; i++) {
        registry.remove("svc-" + i);
      }
      sampler.join();
      assertThat(collector.store().names()).as("round %d", round).isEmpty();
      assertThat(removed).hasSize(1_000);
    }
    assertThat(heardAfterRemoval).isEmpty();
  }

  @Test
  void theHistoryHoldsTheRetentionAtTheInterval() {
    MetricsCollector everySecond = MetricsCollector.builder(registry).clock(clock).latency(false)
        .interval(Duration.ofSeconds(1)).build();
    MetricsCollector everyTenSeconds = MetricsCollector.builder(registry).clock(clock).latency(false)
        .retention(Duration.ofMinutes(30)).build();
    registry.breaker("a");
    for (int second = 1; second <= 7_200; second++) {
      advance(Duration.ofSeconds(1));
      everySecond.sampleNow();
      if (second % 10 == 0) {
        everyTenSeconds.sampleNow();
      }
    }
    List<BreakerSample> hour = everySecond.store().history("a");
    assertThat(hour).hasSize(3_601);
    assertThat(hour.get(hour.size() - 1).epochMillis() - hour.get(0).epochMillis()).isEqualTo(3_600_000L);
    List<BreakerSample> halfHour = everyTenSeconds.store().history("a");
    assertThat(halfHour).hasSize(181);
    assertThat(halfHour.get(halfHour.size() - 1).epochMillis() - halfHour.get(0).epochMillis()).isEqualTo(1_800_000L);
  }

  @Test
  void retentionIsValidated() {
    assertThatThrownBy(() -> MetricsCollector.builder(registry).retention(Duration.ofMillis(500)))
        .hasMessage("metrics_retention_seconds must be from 1 s to 365 days, was 500 ms");
    assertThatThrownBy(() -> MetricsCollector.builder(registry).interval(java.time.temporal.ChronoUnit.FOREVER.getDuration()))
        .hasMessage("metrics_interval_seconds must be from 1 ms to 1 day, was 106751991167300 days");
  }

  private static void fail(CircuitBreaker b) {
    try {
      b.execute(() -> {
        throw new IllegalStateException("down");
      });
    } catch (IllegalStateException expected) {
      // a recorded failure
    }
  }

  @Test
  void oneFailureInTwoCallsIsNotEnoughDataForARateOrARisk() {
    // regression: a failure rate of 0.5 over 2 calls scored MEDIUM and published a level change,
    // although the breaker itself ignores rates below minimum_number_of_calls (10)
    MetricsCollector collector = MetricsCollector.builder(registry).clock(clock).build();
    RiskAssessor assessor = RiskAssessor.ofDefaults();
    List<io.riskmodules.risk.RiskLevelChanged> changes = new java.util.ArrayList<>();
    assessor.onLevelChange(changes::add);
    assessor.attach(collector);
    CircuitBreaker sparse = registry.breaker("sparse");
    sparse.execute(() -> 1);
    fail(sparse);
    advance(Duration.ofSeconds(10));
    BreakerSample s = collector.sampleNow().get(0);
    assertThat(s.enoughCalls()).isFalse();
    assertThat(s.failureRate()).isNaN();
    assertThat(s.slowCallRate()).isNaN();
    assertThat(s.callsInWindow()).isEqualTo(2);
    assertThat(s.minimumCalls()).isEqualTo(10);
    assertThat(assessor.level("sparse")).isEqualTo(RiskLevel.LOW);
    assertThat(changes).isEmpty();
    io.riskmodules.risk.RiskAssessment a = assessor.latest("sparse").orElseThrow();
    assertThat(a.score()).isZero();
    assertThat(a.factors().get(0).reason()).isEqualTo("not enough data: 2 of the 10 calls the window needs");

    // at the minimum the rate counts: 4 failures in 10 calls
    fail(sparse);
    fail(sparse);
    fail(sparse);
    for (int i = 0; i < 5; i++) {
      sparse.execute(() -> 1);
    }
    advance(Duration.ofSeconds(10));
    BreakerSample counted = collector.sampleNow().get(0);
    assertThat(counted.enoughCalls()).isTrue();
    assertThat(counted.failureRate()).isEqualTo(0.4);
    assertThat(assessor.latest("sparse").orElseThrow().score()).isCloseTo(28.0, within(1e-9));
    assertThat(changes).extracting(io.riskmodules.risk.RiskLevelChanged::to).containsExactly(RiskLevel.MEDIUM);
    assertThat(collector.store().history("sparse")).containsExactly(s, counted);
  }

  @Test
  void aCountWindowSmallerThanTheMinimumHasEnoughDataOnceFull() {
    CircuitBreaker small = registry.breaker("small", io.riskmodules.breaker.CircuitBreakerConfig.builder()
        .countBasedWindow(4).failureRateThreshold(1.0).build());
    MetricsCollector collector = MetricsCollector.builder(registry).clock(clock).build();
    small.execute(() -> 1);
    small.execute(() -> 1);
    small.execute(() -> 1);
    assertThat(collector.sampleNow().get(0).enoughCalls()).isFalse();
    fail(small);
    BreakerSample full = collector.sampleNow().get(0);
    assertThat(full.minimumCalls()).isEqualTo(4);
    assertThat(full.failureRate()).isEqualTo(0.25);
  }

  @Test
  void theCollectorsSamplesAreKeptInColumnsAndReadBackUnchanged() {
    MetricsCollector collector = MetricsCollector.builder(registry).clock(clock).interval(Duration.ofSeconds(1))
        .retention(Duration.ofMinutes(1)).build();
    java.util.SplittableRandom random = new java.util.SplittableRandom(48);
    List<BreakerSample> published = new java.util.ArrayList<>();
    collector.onSample(published::add);
    for (int i = 0; i < 20; i++) {
      registry.breaker("svc-" + i, io.riskmodules.breaker.CircuitBreakerConfig.builder()
          .minimumNumberOfCalls(1 + i).build());
    }
    for (int round = 0; round < 200; round++) {
      for (int i = 0; i < 20; i++) {
        CircuitBreaker b = registry.breaker("svc-" + i);
        for (int c = random.nextInt(30); c > 0; c--) {
          long micros = random.nextLong(1, 3_000_000);
          if (random.nextInt(4) == 0) {
            b.execute(() -> 1, cause -> 0);
            nanos.addAndGet(micros * 1_000);
          } else if (random.nextInt(3) == 0) {
            try {
              b.execute(() -> {
                nanos.addAndGet(micros * 1_000);
                throw new IllegalStateException("down");
              });
            } catch (RuntimeException expected) {
              // failed or not permitted
            }
          } else {
            b.execute(() -> nanos.addAndGet(micros * 1_000), cause -> 0L);
          }
        }
      }
      if (round % 50 == 49) {
        registry.breaker("svc-3").reset();
      }
      advance(Duration.ofMillis(1000 + random.nextInt(3) * 500));
      collector.sampleNow();
    }
    assertThat(collector.store().wholeSamples()).as("samples kept as objects").isZero();
    for (int i = 0; i < 20; i++) {
      String name = "svc-" + i;
      List<BreakerSample> mine = published.stream().filter(s -> s.name().equals(name)).toList();
      List<BreakerSample> kept = collector.store().history(name);
      assertThat(kept).isNotEmpty().isEqualTo(mine.subList(mine.size() - kept.size(), mine.size()));
    }
  }

  /** The figures a sample carries are those the HdrHistogram Recorder it had before gave. */
  @Test
  void percentilesAreThoseOfAnHdrHistogramWithTwoDigits() {
    java.util.SplittableRandom random = new java.util.SplittableRandom(99);
    IntervalHistogram mine = new IntervalHistogram();
    for (int round = 0; round < 500; round++) {
      org.HdrHistogram.Histogram h = new org.HdrHistogram.Histogram(2);
      for (int i = random.nextInt(1, 300); i > 0; i--) {
        long nanos = random.nextLong(0, 1L << random.nextInt(1, 40));
        int weight = random.nextInt(1, 50);
        h.recordValueWithCount(nanos, weight);
        mine.record(nanos, weight);
      }
      mine.nextInterval();
      double[] p = MetricsCollector.Tracked.percentiles(mine);
      assertThat(p).containsExactly(SampleRing.quantizeMillis(h.getValueAtPercentile(50) / 1e6),
          SampleRing.quantizeMillis(h.getValueAtPercentile(95) / 1e6),
          SampleRing.quantizeMillis(h.getValueAtPercentile(99) / 1e6),
          SampleRing.quantizeMillis(h.getMaxValue() / 1e6));
    }
  }
}
