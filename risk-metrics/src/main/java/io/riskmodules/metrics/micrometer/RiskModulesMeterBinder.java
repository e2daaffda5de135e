package io.riskmodules.metrics.micrometer;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.riskmodules.breaker.CircuitBreaker;
import io.riskmodules.breaker.CircuitBreakerRegistry;
import io.riskmodules.breaker.CircuitBreakerStatus;
import io.riskmodules.breaker.CircuitState;
import io.riskmodules.breaker.RegistryEvent;
import io.riskmodules.breaker.Subscription;
import io.riskmodules.risk.RiskAssessment;
import io.riskmodules.metrics.BreakerSample;
import io.riskmodules.metrics.MetricsCollector;
import io.riskmodules.metrics.MetricsStore;
import io.riskmodules.risk.RiskAssessor;
import io.riskmodules.risk.RiskLevel;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.ToDoubleFunction;

/**
 * Puts every breaker of a registry (and, when given, its latency and risk) into a Micrometer
 * {@link MeterRegistry}; breakers added later get meters, removed ones lose them. Names are
 * lower-case and dotted; the only tags are {@code name}, {@code outcome}, {@code state} and
 * {@code level}. The README lists every meter.
 *
 * <pre>{@code
 * new RiskModulesMeterBinder(registry, collector, assessor).bindTo(prometheusRegistry);
 * }</pre>
 *
 * <p>Latency comes from the collector's samples, so binding adds no work to the call path.
 */
public final class RiskModulesMeterBinder implements MeterBinder, AutoCloseable {

  private final CircuitBreakerRegistry breakers;
  private final MetricsCollector collector;
  private final RiskAssessor assessor;
  private final List<Subscription> bindings = new CopyOnWriteArrayList<>();

  /** Breaker meters only. */
  public RiskModulesMeterBinder(CircuitBreakerRegistry breakers) {
    this(breakers, null, null);
  }

  /**
   * @param breakers the breakers
   * @param collector source of latency percentiles, or null for none
   * @param assessor source of risk scores and levels, or null for none
   */
  public RiskModulesMeterBinder(CircuitBreakerRegistry breakers, MetricsCollector collector, RiskAssessor assessor) {
    this.breakers = Objects.requireNonNull(breakers, "breakers");
    this.collector = collector;
    this.assessor = assessor;
  }

  /** May be called for several meter registries; each gets and loses the meters on its own. */
  @Override
  public void bindTo(MeterRegistry registry) {
    Binding binding = new Binding(registry);
    bindings.add(breakers.onEvent(event -> {
      if (event instanceof RegistryEvent.Added added) {
        binding.register(added.breaker());
      } else if (event instanceof RegistryEvent.Removed removed) {
        binding.unregister(removed.breaker());
      }
    }));
    for (CircuitBreaker breaker : breakers.all()) {
      binding.register(breaker);
    }
  }

  /** Stops following the registry; meters already registered stay. */
  @Override
  public void close() {
    bindings.forEach(Subscription::close);
    bindings.clear();
  }

  /**
   * The meters of one meter registry, by breaker name, with the breaker they read. Registry events
   * come after the registry changed and outside its lock: the Added of a re-created name can come
   * before the Removed of the old breaker, and a Removed before the initial walk registers the
   * breaker. Hence the identity checks and the look at the registry after registering.
   */
  private final class Binding {
    private final MeterRegistry registry;
    private final Map<String, Registered> byName = new HashMap<>();

    Binding(MeterRegistry registry) {
      this.registry = registry;
    }

    synchronized void register(CircuitBreaker breaker) {
      String name = breaker.name();
      Registered current = byName.get(name);
      if (current != null && current.breaker == breaker) {
        return;
      }
      if (current != null) {
        // Micrometer would hand back the old breaker's meters for the same name and tags
        current.meters.forEach(registry::remove);
      }
      byName.put(name, new Registered(breaker, meters(registry, breaker)));
      if (breakers.find(name).orElse(null) != breaker) {
        unregister(breaker);
      }
    }

    synchronized void unregister(CircuitBreaker breaker) {
      Registered current = byName.get(breaker.name());
      if (current != null && current.breaker == breaker) {
        byName.remove(breaker.name());
        current.meters.forEach(registry::remove);
      }
    }
  }

  private record Registered(CircuitBreaker breaker, List<Meter> meters) {}

  private List<Meter> meters(MeterRegistry registry, CircuitBreaker breaker) {
    String name = breaker.name();
    List<Meter> made = new ArrayList<>();
    for (String outcome : List.of("successful", "failed", "ignored", "rejected")) {
      made.add(FunctionCounter.builder("riskmodules.breaker.calls", breaker, b -> count(b.status(), outcome))
          .tag("name", name).tag("outcome", outcome).description("Calls by outcome").register(registry));
    }
    made.add(FunctionCounter.builder("riskmodules.breaker.not.permitted.calls", breaker, b -> b.status().rejectedCalls())
        .tag("name", name).description("Calls the breaker did not permit").register(registry));
    made.add(FunctionCounter.builder("riskmodules.breaker.slow.calls", breaker, b -> b.status().slowCalls())
        .tag("name", name).description("Calls slower than the slow-call threshold").register(registry));
    for (CircuitState state : CircuitState.values()) {
      made.add(gauge("riskmodules.breaker.state", breaker, b -> b.state() == state ? 1 : 0, name,
          "1 for the breaker's current state, 0 for the others").tag("state", state.value()).register(registry));
    }
    made.add(gauge("riskmodules.breaker.failure.rate", breaker, b -> b.status().failureRate(), name,
        "Failure rate over the sliding window").register(registry));
    made.add(gauge("riskmodules.breaker.slow.call.rate", breaker, b -> b.status().slowCallRate(), name,
        "Slow-call rate over the sliding window").register(registry));
    if (collector != null) {
      MetricsStore store = collector.store();
      made.add(latency(registry, store, name, "p50", BreakerSample::p50Millis));
      made.add(latency(registry, store, name, "p95", BreakerSample::p95Millis));
      made.add(latency(registry, store, name, "p99", BreakerSample::p99Millis));
      made.add(latency(registry, store, name, "max", BreakerSample::maxMillis));
    }
    if (assessor != null) {
      made.add(Gauge.builder("riskmodules.risk.score", assessor,
              a -> a.latest(name).map(RiskAssessment::score).orElse(0.0))
          .tag("name", name).description("Risk score, 0 to 100").strongReference(true).register(registry));
      for (RiskLevel level : RiskLevel.values()) {
        made.add(Gauge.builder("riskmodules.risk.level", assessor, a -> a.level(name) == level ? 1 : 0)
            .tag("name", name).tag("level", level.severity())
            .description("1 for the downstream's current risk level, 0 for the others").strongReference(true)
            .register(registry));
      }
    }
    return made;
  }

  private static Gauge.Builder<CircuitBreaker> gauge(String meter, CircuitBreaker breaker,
      ToDoubleFunction<CircuitBreaker> value, String name, String description) {
    return Gauge.builder(meter, breaker, value).tag("name", name).description(description).strongReference(true);
  }

  private static Meter latency(MeterRegistry registry, MetricsStore store, String name, String which,
      ToDoubleFunction<BreakerSample> millis) {
    return Gauge.builder("riskmodules.breaker.latency." + which, store,
            s -> s.latest(name).map(sample -> millis.applyAsDouble(sample) / 1000.0).orElse(0.0))
        .tag("name", name).baseUnit("seconds")
        .description(which.toUpperCase(Locale.ROOT) + " call latency over the last sampling interval")
        .strongReference(true).register(registry);
  }

  private static double count(CircuitBreakerStatus s, String outcome) {
    switch (outcome) {
      case "successful":
        return s.successfulCalls();
      case "failed":
        return s.failedCalls();
      case "ignored":
        return s.ignoredCalls();
      default:
        return s.rejectedCalls();
    }
  }
}
