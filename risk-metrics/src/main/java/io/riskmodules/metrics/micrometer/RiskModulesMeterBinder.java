package io.riskmodules.metrics.micrometer;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.riskmodules.breaker.CircuitBreaker;
import io.riskmodules.breaker.CircuitBreakerRegistry;
import io.riskmodules.breaker.CallOutcome;
import io.riskmodules.breaker.CircuitBreakerStatus;
import io.riskmodules.breaker.CircuitState;
import io.riskmodules.breaker.RegistryEvent;
import io.riskmodules.breaker.Subscription;
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
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.ToDoubleFunction;

/**
 * Puts every breaker of a registry (and, when given, its latency and risk) into a Micrometer
 * {@link MeterRegistry}; breakers added later get meters, removed ones lose them. Names follow
 * Micrometer's conventions (lower-case, dotted, base units: seconds, ratios from 0 to 1 named
 * {@code .ratio}); the tags are {@code name}, {@code outcome}, {@code state} and {@code
 * level}, plus the breaker's own ({@link CircuitBreaker#tags()}: its registry's). Each call is
 * counted once: those that ran in the {@code riskmodules.breaker.calls} timer, those not
 * permitted in {@code riskmodules.breaker.not.permitted.calls}. The README lists every meter
 * and its Resilience4j counterpart.
 *
 * <pre>{@code
 * RiskModulesMeterBinder.builder(registry).collector(collector).assessor(assessor)
 *     .publishPercentileHistogram(true) // buckets for histogram_quantile across nodes
 *     .build().bindTo(prometheusRegistry);
 * }</pre>
 *
 * <p>Durations come from a {@link io.riskmodules.breaker.CallObserver} per breaker and bound
 * registry, so they cost only the calls the breaker shows (see its Javadoc) unless the histogram
 * is on. Thread-safe.
 */
public final class RiskModulesMeterBinder implements MeterBinder, AutoCloseable {

  private static final List<String> OUTCOMES = List.of("successful", "failed", "ignored");

  private final CircuitBreakerRegistry breakers;
  private final MetricsCollector collector;
  private final RiskAssessor assessor;
  private final boolean histogram;
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
    this(breakers, collector, assessor, false);
  }

  private RiskModulesMeterBinder(CircuitBreakerRegistry breakers, MetricsCollector collector, RiskAssessor assessor,
      boolean histogram) {
    this.breakers = Objects.requireNonNull(breakers, "breakers");
    this.collector = collector;
    this.assessor = assessor;
    this.histogram = histogram;
  }

  /** A builder over {@code breakers}. */
  public static Builder builder(CircuitBreakerRegistry breakers) {
    return new Builder(breakers);
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
        current.close(registry);
      }
      byName.put(name, meters(registry, breaker));
      if (breakers.find(name).orElse(null) != breaker) {
        unregister(breaker);
      }
    }

    synchronized void unregister(CircuitBreaker breaker) {
      Registered current = byName.get(breaker.name());
      if (current != null && current.breaker == breaker) {
        byName.remove(breaker.name());
        current.close(registry);
      }
    }
  }

  private record Registered(CircuitBreaker breaker, List<Meter> meters, Subscription observer) {
    void close(MeterRegistry registry) {
      observer.close();
      meters.forEach(registry::remove);
    }
  }

  private Registered meters(MeterRegistry registry, CircuitBreaker breaker) {
    String name = breaker.name();
    Tags tags = tagsOf(breaker);
    List<Meter> made = new ArrayList<>();
    Subscription observer = durations(registry, breaker, made);
    made.add(FunctionCounter.builder("riskmodules.breaker.not.permitted.calls", breaker, b -> b.status().rejectedCalls())
        .tag("name", name).tags(tags).description("Calls the breaker did not permit (they did not run)").register(registry));
    made.add(FunctionCounter.builder("riskmodules.breaker.slow.calls", breaker, b -> b.status().slowCalls())
        .tag("name", name).tags(tags).description("Calls slower than the slow-call threshold").register(registry));
    for (CircuitState state : CircuitState.values()) {
      made.add(gauge("riskmodules.breaker.state", breaker, b -> b.state() == state ? 1 : 0, name,
          "1 for the breaker's current state, 0 for the others").tag("state", state.value()).register(registry));
    }
    made.add(gauge("riskmodules.breaker.failure.ratio", breaker, b -> ratio(b.status(), true), name,
        "Failed over recorded calls in the sliding window, 0 to 1; NaN below minimum_number_of_calls")
        .register(registry));
    made.add(gauge("riskmodules.breaker.slow.call.ratio", breaker, b -> ratio(b.status(), false), name,
        "Slow over recorded calls in the sliding window, 0 to 1; NaN below minimum_number_of_calls")
        .register(registry));
    made.add(gauge("riskmodules.breaker.window.calls", breaker, b -> b.status().callsInWindow(), name,
        "Calls recorded in the sliding window").register(registry));
    if (collector != null) {
      MetricsStore store = collector.store();
      made.add(latency(registry, store, name, tags, "p50", BreakerSample::p50Millis));
      made.add(latency(registry, store, name, tags, "p95", BreakerSample::p95Millis));
      made.add(latency(registry, store, name, tags, "p99", BreakerSample::p99Millis));
      made.add(latency(registry, store, name, tags, "max", BreakerSample::maxMillis));
    }
    if (assessor != null) {
      made.add(Gauge.builder("riskmodules.risk.score", assessor, a -> a.score(name))
          .tag("name", name).tags(tags).description("Risk score, 0 to 100").strongReference(true).register(registry));
      for (RiskLevel level : RiskLevel.values()) {
        made.add(Gauge.builder("riskmodules.risk.level", assessor, a -> a.level(name) == level ? 1 : 0)
            .tag("name", name).tags(tags).tag("level", level.severity())
            .description("1 for the downstream's current risk level, 0 for the others").strongReference(true)
            .register(registry));
      }
    }
    return new Registered(breaker, made, observer);
  }

  /**
   * The {@code riskmodules.breaker.calls} timer of each outcome and the observer that feeds it.
   * Without the histogram: a function timer whose count is the breaker's own exact count and whose
   * total time sums the shown calls' durations times their weights (exact while every call is
   * shown, an unbiased estimate above). With it: a timer that records each shown call as many
   * times as it stands for, so its count and buckets cover every call.
   */
  private Subscription durations(MeterRegistry registry, CircuitBreaker breaker, List<Meter> made) {
    String name = breaker.name();
    Tags tags = tagsOf(breaker);
    if (histogram) {
      Timer[] timers = new Timer[OUTCOMES.size()];
      for (int i = 0; i < timers.length; i++) {
        timers[i] = Timer.builder("riskmodules.breaker.calls").tag("name", name).tags(tags).tag("outcome", OUTCOMES.get(i))
            .description("Duration of the calls that ran, by outcome").publishPercentileHistogram(true)
            .register(registry);
        made.add(timers[i]);
      }
      return breaker.addObserver((outcome, nanos, weight) -> {
        Timer timer = timers[index(outcome)];
        for (int k = 0; k < weight; k++) {
          timer.record(Math.max(0, nanos), TimeUnit.NANOSECONDS);
        }
      });
    }
    LongAdder[] nanosByOutcome = {new LongAdder(), new LongAdder(), new LongAdder()};
    for (int i = 0; i < OUTCOMES.size(); i++) {
      String outcome = OUTCOMES.get(i);
      LongAdder total = nanosByOutcome[i];
      made.add(FunctionTimer.builder("riskmodules.breaker.calls", breaker, b -> count(b.status(), outcome),
              b -> total.sum(), TimeUnit.NANOSECONDS)
          .tag("name", name).tags(tags).tag("outcome", outcome).description("Duration of the calls that ran, by outcome")
          .register(registry));
    }
    return breaker.addObserver((outcome, nanos, weight) ->
        nanosByOutcome[index(outcome)].add(Math.max(0, nanos) * weight));
  }

  /** The place of an observed outcome in {@link #OUTCOMES}. */
  private static int index(CallOutcome outcome) {
    switch (outcome) {
      case SUCCESS:
        return 0;
      case FAILURE:
        return 1;
      default:
        return 2; // IGNORED: an observer sees no rejected call
    }
  }

  /** A window rate, or NaN while the window holds too few calls for rates to count. */
  private static double ratio(CircuitBreakerStatus s, boolean failures) {
    if (!s.enoughCalls()) {
      return Double.NaN;
    }
    return failures ? s.failureRate() : s.slowCallRate();
  }

  /** The breaker's own tags (its registry's), on every meter of it beside the meters' own. */
  private static Tags tagsOf(CircuitBreaker breaker) {
    Tags tags = Tags.empty();
    for (Map.Entry<String, String> e : breaker.tags().entrySet()) {
      tags = tags.and(e.getKey(), e.getValue());
    }
    return tags;
  }

  private static Gauge.Builder<CircuitBreaker> gauge(String meter, CircuitBreaker breaker,
      ToDoubleFunction<CircuitBreaker> value, String name, String description) {
    Tags tags = tagsOf(breaker);
    return Gauge.builder(meter, breaker, value).tag("name", name).tags(tags).description(description).strongReference(true);
  }

  private static Meter latency(MeterRegistry registry, MetricsStore store, String name, Tags tags, String which,
      ToDoubleFunction<BreakerSample> millis) {
    return Gauge.builder("riskmodules.breaker.latency." + which, store,
            s -> s.latest(name).map(sample -> millis.applyAsDouble(sample) / 1000.0).orElse(0.0))
        .tag("name", name).tags(tags).baseUnit("seconds")
        .description(which.toUpperCase(Locale.ROOT) + " call latency over the last sampling interval")
        .strongReference(true).register(registry);
  }

  private static long count(CircuitBreakerStatus s, String outcome) {
    switch (outcome) {
      case "successful":
        return s.successfulCalls();
      case "failed":
        return s.failedCalls();
      default:
        return s.ignoredCalls();
    }
  }

  /** Builds a {@link RiskModulesMeterBinder}. Not thread-safe. */
  public static final class Builder {
    private final CircuitBreakerRegistry breakers;
    private MetricsCollector collector;
    private RiskAssessor assessor;
    private boolean histogram;

    Builder(CircuitBreakerRegistry breakers) {
      this.breakers = Objects.requireNonNull(breakers, "breakers");
    }

    /** Source of the latency percentile gauges (default none). */
    public Builder collector(MetricsCollector collector) {
      this.collector = Objects.requireNonNull(collector, "collector");
      return this;
    }

    /** Source of the risk score and level gauges (default none). */
    public Builder assessor(RiskAssessor assessor) {
      this.assessor = Objects.requireNonNull(assessor, "assessor");
      return this;
    }

    /**
     * Whether the {@code riskmodules.breaker.calls} timer publishes histogram buckets (default
     * false), for percentiles aggregated across nodes on the server ({@code histogram_quantile}).
     * Its cost: each call then costs one timer record, on the caller's thread (a shown call that
     * stands for others records once for each), where without it only the calls shown cost an add.
     */
    public Builder publishPercentileHistogram(boolean enabled) {
      this.histogram = enabled;
      return this;
    }

    public RiskModulesMeterBinder build() {
      return new RiskModulesMeterBinder(breakers, collector, assessor, histogram);
    }
  }
}
