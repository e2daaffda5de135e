package io.riskmodules.metrics;

import io.riskmodules.breaker.CircuitBreaker;
import io.riskmodules.breaker.CircuitBreakerRegistry;
import io.riskmodules.breaker.CircuitBreakerStatus;
import io.riskmodules.breaker.RegistryEvent;
import io.riskmodules.breaker.Subscription;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Samples every breaker of a registry (those added later too, none of the removed ones) every
 * {@code monitoring.metrics_interval_seconds} into a {@link MetricsStore}, with latency
 * percentiles from an HdrHistogram recorder attached to each breaker.
 *
 * <pre>{@code
 * MetricsCollector collector = MetricsCollector.builder(registry)
 *     .interval(Duration.ofSeconds(10)).scheduler(scheduler).build();
 * collector.onSample(sample -> assessor.assess(sample, collector.store().history(sample.name())));
 * collector.start();
 * }</pre>
 *
 * <p>Recording a latency is a lock-free histogram write on the caller's thread; everything else
 * happens on the sampling thread. Thread-safe.
 */
public final class MetricsCollector implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(MetricsCollector.class);

  private final CircuitBreakerRegistry registry;
  private final MetricsStore store;
  private final Duration interval;
  private final Clock clock;
  private final ScheduledExecutorService scheduler;
  private final boolean latency;
  private final ConcurrentHashMap<String, Tracked> tracked = new ConcurrentHashMap<>();
  private final List<Consumer<? super BreakerSample>> listeners = new CopyOnWriteArrayList<>();
  private final Subscription registryEvents;
  private volatile ScheduledFuture<?> schedule;

  private MetricsCollector(Builder b) {
    this.registry = b.registry;
    this.store = b.store;
    this.interval = b.interval;
    this.clock = b.clock;
    this.scheduler = b.scheduler;
    this.latency = b.latency;
    this.registryEvents = registry.onEvent(this::onRegistryEvent);
    for (CircuitBreaker breaker : registry.all()) {
      track(breaker);
    }
  }

  /** A builder over {@code registry}. */
  public static Builder builder(CircuitBreakerRegistry registry) {
    return new Builder(registry);
  }

  private void onRegistryEvent(RegistryEvent event) {
    if (event instanceof RegistryEvent.Added added) {
      track(added.breaker());
    } else if (event instanceof RegistryEvent.Removed removed) {
      untrack(removed.breaker());
    }
  }

  private void track(CircuitBreaker breaker) {
    tracked.computeIfAbsent(breaker.name(), n -> new Tracked(breaker, latency, clock.millis()));
  }

  private void untrack(CircuitBreaker breaker) {
    Tracked t = tracked.get(breaker.name());
    if (t != null && t.breaker == breaker && tracked.remove(breaker.name(), t)) {
      t.close();
      store.remove(breaker.name());
    }
  }

  /** The store the samples go to. */
  public MetricsStore store() {
    return store;
  }

  /** The sampling interval. */
  public Duration interval() {
    return interval;
  }

  /** Names of the breakers being sampled. */
  public List<String> trackedNames() {
    return new ArrayList<>(tracked.keySet());
  }

  /** Registers a listener called with each sample, on the sampling thread. */
  public Subscription onSample(Consumer<? super BreakerSample> listener) {
    listeners.add(Objects.requireNonNull(listener, "listener"));
    return () -> listeners.remove(listener);
  }

  /** Samples every breaker every interval on the scheduler, until {@link #close()}. */
  public void start() {
    if (scheduler == null) {
      throw new IllegalStateException("start() needs a scheduler: set one with builder().scheduler(...)");
    }
    long millis = interval.toMillis();
    schedule = scheduler.scheduleAtFixedRate(() -> {
      try {
        sampleNow();
      } catch (RuntimeException e) {
        log.warn("metrics sampling failed", e);
      }
    }, millis, millis, TimeUnit.MILLISECONDS);
  }

  /** Samples every breaker now, stores and publishes the samples, and returns them. */
  public List<BreakerSample> sampleNow() {
    long now = clock.millis();
    List<BreakerSample> samples = new ArrayList<>(tracked.size());
    for (Tracked t : tracked.values()) {
      BreakerSample sample = t.sample(now);
      store.append(sample);
      samples.add(sample);
    }
    for (BreakerSample sample : samples) {
      for (Consumer<? super BreakerSample> listener : listeners) {
        try {
          listener.accept(sample);
        } catch (RuntimeException e) {
          log.warn("a metrics listener failed on {}", sample.name(), e);
        }
      }
    }
    return samples;
  }

  /** Stops sampling and detaches from the registry and its breakers. */
  @Override
  public void close() {
    ScheduledFuture<?> s = schedule;
    if (s != null) {
      s.cancel(false);
    }
    registryEvents.close();
    tracked.values().forEach(Tracked::close);
    tracked.clear();
  }

  /** One sampled breaker: its latency recorder and the counts of the previous sample. */
  private static final class Tracked {
    final CircuitBreaker breaker;
    /** Fed with the breaker's weighted sample of calls, so one recorder per breaker is not contended. */
    final Recorder recorder;
    Histogram recycled;
    final Subscription observer;
    long previousTotal;
    long previousRejected;
    long previousMillis;

    Tracked(CircuitBreaker breaker, boolean latency, long nowMillis) {
      this.breaker = breaker;
      this.recorder = latency ? new Recorder(2) : null;
      this.observer = latency
          ? breaker.addObserver((outcome, nanos, weight) -> recorder.recordValueWithCount(Math.max(0, nanos), weight))
          : () -> { };
      CircuitBreakerStatus s = breaker.status();
      this.previousTotal = s.totalCalls();
      this.previousRejected = s.rejectedCalls();
      this.previousMillis = nowMillis;
    }

    /** Called by one sampling thread at a time per collector round. */
    synchronized BreakerSample sample(long now) {
      CircuitBreakerStatus s = breaker.status();
      double p50 = 0;
      double p95 = 0;
      double p99 = 0;
      double max = 0;
      if (recorder != null) {
        Histogram h = recorder.getIntervalHistogram(recycled);
        recycled = h;
        if (h.getTotalCount() > 0) {
          p50 = h.getValueAtPercentile(50) / 1e6;
          p95 = h.getValueAtPercentile(95) / 1e6;
          p99 = h.getValueAtPercentile(99) / 1e6;
          max = h.getMaxValue() / 1e6;
        }
      }
      long calls = s.totalCalls() - previousTotal;
      long rejected = s.rejectedCalls() - previousRejected;
      double seconds = (now - previousMillis) / 1000.0;
      previousTotal = s.totalCalls();
      previousRejected = s.rejectedCalls();
      previousMillis = now;
      return new BreakerSample(s.name(), now, s.state(), s.totalCalls(), s.failedCalls(), s.slowCalls(),
          s.rejectedCalls(), calls, rejected, s.failureRate(), s.slowCallRate(),
          calls == 0 ? 0 : (double) rejected / calls, p50, p95, p99, max, seconds > 0 ? calls / seconds : 0);
    }

    void close() {
      observer.close();
    }
  }

  /** Builds a {@link MetricsCollector}. Not thread-safe. */
  public static final class Builder {
    private final CircuitBreakerRegistry registry;
    private MetricsStore store = new MetricsStore();
    private Duration interval = Duration.ofSeconds(10);
    private Clock clock = Clock.systemUTC();
    private ScheduledExecutorService scheduler;
    private boolean latency = true;

    Builder(CircuitBreakerRegistry registry) {
      this.registry = Objects.requireNonNull(registry, "registry");
    }

    /** Where samples go (default: one hour, 720 samples per breaker). */
    public Builder store(MetricsStore store) {
      this.store = Objects.requireNonNull(store, "store");
      return this;
    }

    /** Time between samples ({@code monitoring.metrics_interval_seconds}, default 10 s, at least 1 ms). */
    public Builder interval(Duration interval) {
      Objects.requireNonNull(interval, "interval");
      if (interval.toMillis() < 1) {
        throw new IllegalArgumentException("metrics_interval_seconds must be at least 1 ms, was " + interval.toMillis() + " ms");
      }
      this.interval = interval;
      return this;
    }

    /** The clock that stamps samples (default: UTC system clock). */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** Where {@link MetricsCollector#start()} schedules sampling. */
    public Builder scheduler(ScheduledExecutorService scheduler) {
      this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
      return this;
    }

    /** Whether to attach latency recorders to the breakers (default true). */
    public Builder latency(boolean enabled) {
      this.latency = enabled;
      return this;
    }

    /** The collector, already tracking the registry's breakers. */
    public MetricsCollector build() {
      return new MetricsCollector(this);
    }
  }
}
