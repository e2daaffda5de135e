package io.riskmodules.metrics.micrometer;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.riskmodules.breaker.CircuitBreakerRegistry;
import io.riskmodules.metrics.MetricsCollector;
import io.riskmodules.risk.RiskAssessor;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Registry tags reach every meter of every breaker, beside the meters' own tags. */
class MeterTagsTest {

  @Test
  void everyMeterOfABreakerCarriesItsRegistrysTags() {
    CircuitBreakerRegistry registry = CircuitBreakerRegistry.builder().eventExecutor(Runnable::run)
        .tags(Map.of("region", "eu-west", "cluster", "inf")).build();
    MeterRegistry meters = new SimpleMeterRegistry();
    new RiskModulesMeterBinder(registry, MetricsCollector.builder(registry).build(), RiskAssessor.ofDefaults())
        .bindTo(meters);
    registry.breaker("payment_service").execute(() -> 1);

    assertThat(meters.getMeters()).hasSizeGreaterThan(10).allSatisfy(m -> assertThat(m.getId().getTags())
        .contains(Tag.of("name", "payment_service"), Tag.of("region", "eu-west"), Tag.of("cluster", "inf")));
    assertThat(meters.get("riskmodules.breaker.calls")
        .tags("name", "payment_service", "outcome", "successful", "region", "eu-west").functionTimer().count())
        .isEqualTo(1);
    assertThat(meters.get("riskmodules.breaker.state").tags("state", "closed", "cluster", "inf").gauge().value())
        .isEqualTo(1);
  }

  @Test
  void aRegistryWithoutTagsAddsNone() {
    CircuitBreakerRegistry registry = CircuitBreakerRegistry.builder().eventExecutor(Runnable::run).build();
    MeterRegistry meters = new SimpleMeterRegistry();
    new RiskModulesMeterBinder(registry).bindTo(meters);
    registry.breaker("svc");
    for (Meter m : meters.getMeters()) {
      assertThat(m.getId().getTags()).extracting(Tag::getKey).isSubsetOf("name", "state", "outcome", "level");
    }
  }
}
