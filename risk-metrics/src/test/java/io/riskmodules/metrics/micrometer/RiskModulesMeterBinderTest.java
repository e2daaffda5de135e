package io.riskmodules.metrics.micrometer;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.riskmodules.breaker.CircuitBreaker;
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

  private void exercise(CircuitBreaker b) {
    b.execute(() -> 1);
    for (int i = 0; i < 5; i++) {
      try {
        b.execute(() -> {
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
    CircuitBreaker payments = registry.breaker("payment_service");
    exercise(payments);
    collector.sampleNow().forEach(assessor::assess);

    assertThat(meters.get("riskmodules.breaker.calls").tags("name", "payment_service", "outcome", "failed")
        .functionCounter().count()).isEqualTo(5);
    assertThat(meters.get("riskmodules.breaker.calls").tags("outcome", "rejected").functionCounter().count()).isEqualTo(1);
    assertThat(meters.get("riskmodules.breaker.not.permitted.calls").functionCounter().count()).isEqualTo(1);
    assertThat(meters.get("riskmodules.breaker.state").tags("state", "open").gauge().value()).isEqualTo(1);
    assertThat(meters.get("riskmodules.breaker.state").tags("state", "closed").gauge().value()).isEqualTo(0);
    assertThat(meters.get("riskmodules.breaker.failure.rate").gauge().value()).isEqualTo(5.0 / 6);
    assertThat(meters.get("riskmodules.risk.level").tags("level", "critical").gauge().value()
        + meters.get("riskmodules.risk.level").tags("level", "high").gauge().value()).isEqualTo(1);
    assertThat(meters.get("riskmodules.risk.score").gauge().value()).isGreaterThanOrEqualTo(50);
    assertThat(meters.get("riskmodules.breaker.latency.p99").gauge().value()).isZero();

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
    exercise(registry.breaker("inventory_service"));
    collector.sampleNow().forEach(assessor::assess);
    String scrape = prometheus.scrape();
    assertThat(scrape)
        .contains("riskmodules_breaker_calls_total{name=\"inventory_service\",outcome=\"failed\"} 5.0")
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
        .functionCounter().count()).as("read from the live breaker").isEqualTo(1.0);
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
}
