package io.riskmodules.metrics.micrometer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.riskmodules.breaker.CircuitBreaker;
import io.riskmodules.breaker.CircuitBreakerConfig;
import io.riskmodules.breaker.CircuitBreakerStatus;
import io.riskmodules.breaker.CircuitBreakerRegistry;
import io.riskmodules.metrics.MetricsCollector;
import io.riskmodules.metrics.RegistryRaces;
import io.riskmodules.risk.RiskAssessor;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class RiskModulesMeterBinderTest {

  private final AtomicLong nanos = new AtomicLong();
  private final CircuitBreakerRegistry registry =
      CircuitBreakerRegistry.builder().ticker(nanos::get).eventExecutor(Runnable::run).build();

  /** A breaker that trips on its failure rate after 6 calls (5 failures), then rejects one. */
  private CircuitBreaker tripsAfterSix(String name) {
    return registry.breaker(name, CircuitBreakerConfig.builder().minimumNumberOfCalls(6).build());
  }

  private void exercise(CircuitBreaker b) {
    b.execute(() -> 1);
    for (int i = 0; i < 5; i++) {
      try {
        b.execute(() -> {
          nanos.addAndGet(100_000_000L); // each failure takes 100 ms
          throw new IllegalStateException("down");
        });
      } catch (IllegalStateException expected) {
        // failed
      }
    }
    b.execute(() -> 1, cause -> 0);
  }

  @Test
  void everyBreakerGetsItsMetersWithOnlyTheAllowedTags() {
    MeterRegistry meters = new SimpleMeterRegistry();
    MetricsCollector collector = MetricsCollector.builder(registry).build();
    RiskAssessor assessor = RiskAssessor.ofDefaults();
    new RiskModulesMeterBinder(registry, collector, assessor).bindTo(meters);
    CircuitBreaker payments = tripsAfterSix("payment_service");
    exercise(payments);
    collector.sampleNow().forEach(assessor::assess);

    assertThat(meters.get("riskmodules.breaker.calls").tags("name", "payment_service", "outcome", "failed")
        .functionTimer().count()).isEqualTo(5);
    assertThat(meters.get("riskmodules.breaker.not.permitted.calls").functionCounter().count()).isEqualTo(1);
    assertThat(meters.get("riskmodules.breaker.state").tags("state", "open").gauge().value()).isEqualTo(1);
    assertThat(meters.get("riskmodules.breaker.state").tags("state", "closed").gauge().value()).isEqualTo(0);
    assertThat(meters.get("riskmodules.breaker.failure.ratio").gauge().value()).isEqualTo(5.0 / 6);
    assertThat(meters.get("riskmodules.breaker.window.calls").gauge().value()).isEqualTo(6);
    assertThat(meters.get("riskmodules.risk.level").tags("level", "critical").gauge().value()
        + meters.get("riskmodules.risk.level").tags("level", "high").gauge().value()).isEqualTo(1);
    assertThat(meters.get("riskmodules.risk.score").gauge().value()).isGreaterThanOrEqualTo(50);
    assertThat(meters.get("riskmodules.breaker.latency.p99").gauge().value()).isCloseTo(0.1, within(0.001));

    Set<String> tagKeys = meters.getMeters().stream().flatMap(m -> m.getId().getTags().stream())
        .map(t -> t.getKey()).collect(Collectors.toSet());
    assertThat(tagKeys).isSubsetOf("name", "outcome", "state", "level");
    assertThat(meters.getMeters()).extracting(m -> m.getId().getName())
        .allMatch(n -> n.matches("[a-z0-9.]+"));
  }

  @Test
  void metersOfARemovedBreakerAreRemoved() {
    MeterRegistry meters = new SimpleMeterRegistry();
    new RiskModulesMeterBinder(registry).bindTo(meters);
    registry.breaker("a");
    registry.breaker("b");
    registry.remove("a");
    Set<String> names = meters.getMeters().stream().map(Meter::getId).map(id -> id.getTag("name")).collect(Collectors.toSet());
    assertThat(names).containsExactly("b");
  }

  @Test
  void prometheusScrapeTextCarriesTheMeters() {
    PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    RiskAssessor assessor = RiskAssessor.ofDefaults();
    MetricsCollector collector = MetricsCollector.builder(registry).build();
    new RiskModulesMeterBinder(registry, collector, assessor).bindTo(prometheus);
    exercise(tripsAfterSix("inventory_service"));
    collector.sampleNow().forEach(assessor::assess);
    String scrape = prometheus.scrape();
    assertThat(scrape)
        .contains("riskmodules_breaker_calls_seconds_count{name=\"inventory_service\",outcome=\"failed\"} 5")
        .contains("riskmodules_breaker_calls_seconds_sum{name=\"inventory_service\",outcome=\"failed\"} 0.5")
        .contains("riskmodules_breaker_failure_ratio{name=\"inventory_service\"} 0.8333")
        .contains("riskmodules_breaker_state{name=\"inventory_service\",state=\"open\"} 1.0")
        .contains("riskmodules_breaker_not_permitted_calls_total{name=\"inventory_service\"} 1.0")
        .contains("riskmodules_risk_score{name=\"inventory_service\"}")
        .contains("riskmodules_breaker_latency_p99_seconds{name=\"inventory_service\"}");
  }

  @Test
  void aBreakerRecreatedUnderItsNameBeforeTheOldOnesRemovalArrivesKeepsLiveMeters() {
    AtomicReference<CircuitBreaker> recreated = RegistryRaces.recreateOnFirstRemoval(registry); // before the binder
    CircuitBreaker old = registry.breaker("a");
    MeterRegistry meters = new SimpleMeterRegistry();
    new RiskModulesMeterBinder(registry).bindTo(meters);
    old.trip();
    registry.remove("a");
    recreated.get().execute(() -> 1);
    assertThat(meters.get("riskmodules.breaker.calls").tag("name", "a").tag("outcome", "successful")
        .functionTimer().count()).as("read from the live breaker").isEqualTo(1.0);
    assertThat(meters.get("riskmodules.breaker.state").tag("name", "a").tag("state", "closed").gauge().value())
        .isEqualTo(1.0);
  }

  @Test
  void metersOfARemovedBreakerLeaveEveryBoundRegistry() {
    MeterRegistry first = new SimpleMeterRegistry();
    MeterRegistry second = new SimpleMeterRegistry();
    RiskModulesMeterBinder binder = new RiskModulesMeterBinder(registry);
    binder.bindTo(first);
    binder.bindTo(second);
    registry.breaker("a");
    assertThat(first.getMeters()).isNotEmpty();
    assertThat(second.getMeters()).hasSameSizeAs(first.getMeters());
    registry.remove("a");
    assertThat(first.getMeters()).isEmpty();
    assertThat(second.getMeters()).isEmpty();
  }

  @Test
  void everyCallIsCountedOnceAcrossTheCallMeters() {
    // regression: rejections were in riskmodules.breaker.calls{outcome=rejected} and in not.permitted.calls
    MeterRegistry meters = new SimpleMeterRegistry();
    new RiskModulesMeterBinder(registry).bindTo(meters);
    CircuitBreaker b = tripsAfterSix("orders");
    exercise(b);
    b.execute(() -> 1, cause -> 0);
    CircuitBreakerStatus s = b.status();
    double ran = meters.find("riskmodules.breaker.calls").tag("name", "orders").meters().stream()
        .mapToDouble(m -> m.measure().iterator().next().getValue()).sum();
    double notPermitted = meters.get("riskmodules.breaker.not.permitted.calls").functionCounter().count();
    assertThat(s.totalCalls()).isEqualTo(8);
    assertThat(notPermitted).isEqualTo(2);
    assertThat(ran + notPermitted).isEqualTo(s.totalCalls());
  }

  @Test
  void ratiosAreNotANumberWhileTheWindowHoldsTooFewCalls() {
    MeterRegistry meters = new SimpleMeterRegistry();
    new RiskModulesMeterBinder(registry).bindTo(meters);
    CircuitBreaker b = registry.breaker("sparse"); // minimum_number_of_calls 10
    b.execute(() -> 1);
    try {
      b.execute(() -> {
        throw new IllegalStateException("down");
      });
    } catch (IllegalStateException expected) {
      // one failure in two calls: a rate of 0.5 the breaker ignores
    }
    assertThat(meters.get("riskmodules.breaker.failure.ratio").gauge().value()).isNaN();
    assertThat(meters.get("riskmodules.breaker.slow.call.ratio").gauge().value()).isNaN();
    assertThat(meters.get("riskmodules.breaker.window.calls").gauge().value()).isEqualTo(2);
    for (int i = 0; i < 8; i++) {
      b.execute(() -> 1);
    }
    assertThat(meters.get("riskmodules.breaker.failure.ratio").gauge().value()).isEqualTo(0.1);
    assertThat(meters.get("riskmodules.breaker.slow.call.ratio").gauge().value()).isZero();
  }

  @Test
  void theCallTimerCountsEveryCallThatRanAndSumsTheirDurations() {
    MeterRegistry meters = new SimpleMeterRegistry();
    new RiskModulesMeterBinder(registry).bindTo(meters);
    CircuitBreaker b = registry.breaker("timed");
    for (int i = 1; i <= 4; i++) {
      long ms = i * 10L;
      b.execute(() -> nanos.addAndGet(ms * 1_000_000));
    }
    io.micrometer.core.instrument.FunctionTimer t =
        meters.get("riskmodules.breaker.calls").tags("name", "timed", "outcome", "successful").functionTimer();
    assertThat(t.count()).isEqualTo(4);
    assertThat(t.totalTime(java.util.concurrent.TimeUnit.MILLISECONDS)).isEqualTo(100);
    assertThat(t.getId().getBaseUnit()).isEqualTo("seconds");
  }

  @Test
  void theHistogramIsOptionalAndHasNoClientSidePercentiles() {
    PrometheusMeterRegistry plain = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    PrometheusMeterRegistry withBuckets = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    new RiskModulesMeterBinder(registry).bindTo(plain);
    RiskModulesMeterBinder.builder(registry).publishPercentileHistogram(true).build().bindTo(withBuckets);
    CircuitBreaker b = registry.breaker("bucketed");
    for (int i = 1; i <= 4; i++) {
      long ms = i * 10L;
      b.execute(() -> nanos.addAndGet(ms * 1_000_000));
    }
    assertThat(plain.scrape()).doesNotContain("_bucket").doesNotContain("quantile=");
    String scrape = withBuckets.scrape();
    assertThat(scrape)
        .contains("riskmodules_breaker_calls_seconds_count{name=\"bucketed\",outcome=\"successful\"} 4")
        .contains("riskmodules_breaker_calls_seconds_sum{name=\"bucketed\",outcome=\"successful\"} 0.1")
        .contains("riskmodules_breaker_calls_seconds_bucket{name=\"bucketed\",outcome=\"successful\",le=\"+Inf\"} 4")
        .doesNotContain("quantile=");
  }
}
