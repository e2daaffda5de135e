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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Samples every breaker of a registry (those added later too, none of the removed ones) every
 * {@code monitoring.metrics_interval_seconds} into a {@link MetricsStore}, with latency
 * percentiles from a latency histogram attached to each breaker.
 *
 * <pre>{@code
 * MetricsCollector collector = MetricsCollector.builder(registry)
 *     .interval(Duration.ofSeconds(10)).scheduler(scheduler).build();
 * assessor.attach(collector); // assesses each sample, forgets removed breakers
 * collector.start();
 * }</pre>
 *
 * <p>Recording a latency is a lock-free histogram write on the caller's thread; everything else
 * happens on the sampling thread, which reads of each histogram only the buckets written since
 * the last round. Thread-safe.
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
  private final List<Consumer<? super String>> removalListeners = new CopyOnWriteArrayList<>();
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

  /**
   * Tracks {@code breaker}, replacing a different breaker of the same name. Registry events come
   * after the registry changed and outside its lock, so the Added of a re-created name can come
   * before the Removed of the old breaker, and a Removed can come before the initial walk tracks
   * the breaker: hence the identity checks here and in {@link #untrack}, and the look at the
   * registry after tracking.
   */
  private void track(CircuitBreaker breaker) {
    String name = breaker.name();
    Tracked[] replaced = new Tracked[1];
    tracked.compute(name, (n, old) -> {
      if (old != null && old.breaker == breaker) {
        return old;
      }
      if (old != null && old.close()) {
        // the new breaker starts afresh, as if the old one's Removed had come first
        store.remove(name);
        replaced[0] = old;
      }
      return new Tracked(breaker, latency, clock.millis());
    });
    if (replaced[0] != null) {
      announceRemoval(name);
    }
    if (registry.find(name).orElse(null) != breaker) {
      untrack(breaker);
    }
  }

  private void untrack(CircuitBreaker breaker) {
    String name = breaker.name();
    Tracked t = tracked.get(name);
    if (t != null && t.breaker == breaker && tracked.remove(name, t)) {
      if (t.close()) {
        store.remove(name);
        announceRemoval(name);
      }
      // else a sample is being published: the sampler announces the removal when it is done
    }
  }

  private void announceRemoval(String name) {
    for (Consumer<? super String> listener : removalListeners) {
      try {
        listener.accept(name);
      } catch (RuntimeException e) {
        log.warn("a metrics removal listener failed on {}", name, e);
      }
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

  /**
   * Registers a listener called with the name of each breaker that left the registry, once its
   * history is dropped and after its last sample was published: where state kept per breaker
   * (a {@link io.riskmodules.risk.RiskAssessor}'s levels, say) is let go.
   */
  public Subscription onRemoved(Consumer<? super String> listener) {
    removalListeners.add(Objects.requireNonNull(listener, "listener"));
    return () -> removalListeners.remove(listener);
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

  /**
   * Samples every breaker now, stores and publishes the samples, and returns them. A breaker
   * removed meanwhile gets no history back, and its removal is announced to {@link #onRemoved}
   * listeners after the listeners of its last sample have run.
   */
  public List<BreakerSample> sampleNow() {
    long now = clock.millis();
    List<BreakerSample> samples = new ArrayList<>(tracked.size());
    for (Tracked t : tracked.values()) {
      BreakerSample sample = t.sampleAndStore(now, store);
      if (sample == null) {
        continue;
      }
      samples.add(sample);
      try {
        for (Consumer<? super BreakerSample> listener : listeners) {
          try {
            listener.accept(sample);
          } catch (RuntimeException e) {
            log.warn("a metrics listener failed on {}", sample.name(), e);
          }
        }
      } finally {
        if (t.published()) {
          // removed while its listeners ran: what they kept of it is let go now
          store.remove(sample.name());
          announceRemoval(sample.name());
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
    for (Tracked t : tracked.values()) {
      t.close();
    }
    tracked.clear();
  }

  /** One sampled breaker: its latency histogram and the counts of the previous sample. */
  static final class Tracked {
    final CircuitBreaker breaker;
    /** Fed with the breaker's weighted sample of calls, so one histogram per breaker is not contended. */
    final IntervalHistogram latencies;
    final Subscription observer;
    long previousTotal;
    long previousRejected;
    long previousMillis;
    /** Set under this object's lock when the breaker is no longer tracked. */
    private boolean closed;
    /** Samples stored whose listeners are still running; guarded by this object's lock. */
    private int publishing;

    Tracked(CircuitBreaker breaker, boolean latency, long nowMillis) {
      this.breaker = breaker;
      this.latencies = latency ? new IntervalHistogram() : null;
      this.observer = latency
          ? breaker.addObserver((outcome, nanos, weight) -> latencies.record(nanos, weight))
          : () -> { };
      CircuitBreakerStatus s = breaker.status();
      this.previousTotal = s.totalCalls();
      this.previousRejected = s.rejectedCalls();
      this.previousMillis = nowMillis;
    }

    /**
     * Samples and stores, unless closed (then null). The caller then runs the listeners, outside
     * this lock, so that no listener runs while the registry's thread waits to close this, and
     * calls {@link #published}.
     */
    synchronized BreakerSample sampleAndStore(long now, MetricsStore store) {
      if (closed) {
        return null;
      }
      BreakerSample sample = sample(now);
      store.append(sample);
      publishing++;
      return sample;
    }

    /** The listeners of a stored sample are done; true if the removal is this caller's to announce. */
    synchronized boolean published() {
      publishing--;
      return closed && publishing == 0;
    }

    private BreakerSample sample(long now) {
      CircuitBreakerStatus s = breaker.status();
      long calls = s.totalCalls() - previousTotal;
      long rejected = s.rejectedCalls() - previousRejected;
      double[] millis = NO_LATENCY;
      // A quiet interval skips the histogram. A call counted after the status was read and shown
      // to the histogram after that lands in the next interval with calls, where its count lands too.
      if (latencies != null && calls > 0) {
        latencies.nextInterval();
        if (latencies.totalCount() > 0) {
          millis = percentiles(latencies);
        }
      }
      double p50 = millis[0];
      double p95 = millis[1];
      double p99 = millis[2];
      double max = millis[3];
      long intervalMillis = now - previousMillis;
      double seconds = intervalMillis / 1000.0;
      previousTotal = s.totalCalls();
      previousRejected = s.rejectedCalls();
      previousMillis = now;
      // below the minimum the breaker ignores its rates: so does everything downstream of a sample
      boolean enough = s.enoughCalls();
      return new BreakerSample(s.name(), now, s.state(), s.totalCalls(), s.failedCalls(), s.slowCalls(),
          s.rejectedCalls(), calls, rejected, enough ? s.failureRate() : Double.NaN,
          enough ? s.slowCallRate() : Double.NaN, calls == 0 ? 0 : (double) rejected / calls, p50, p95, p99, max,
          seconds > 0 ? calls / seconds : 0, s.callsInWindow(), s.minimumCalls(), intervalMillis);
    }

    private static final double[] NO_LATENCY = new double[4];

    private static final double[] PERCENTILES = {50, 95, 99};

    /**
     * p50, p95, p99 and max of the interval taken last, in milliseconds, as the store keeps them:
     * the sample published is then the sample kept.
     */
    static double[] percentiles(IntervalHistogram h) {
      long[] nanos = new long[3];
      h.valuesAtPercentiles(PERCENTILES, nanos);
      return new double[] {SampleRing.quantizeMillis(nanos[0] / 1e6), SampleRing.quantizeMillis(nanos[1] / 1e6),
          SampleRing.quantizeMillis(nanos[2] / 1e6), SampleRing.quantizeMillis(h.maxValue() / 1e6)};
    }

    /**
     * Stops tracking: no sample is stored after this. True if the caller is to drop the history
     * and announce the removal; false if listeners of a sample are still running (the sampler
     * then does both when they are done) or it was closed already.
     */
    synchronized boolean close() {
      if (closed) {
        return false;
      }
      closed = true;
      observer.close();
      return publishing == 0;
    }
  }

  /** Builds a {@link MetricsCollector}. Not thread-safe. */
  public static final class Builder {
    private final CircuitBreakerRegistry registry;
    /** The most samples per breaker a store made here keeps: an hour at one a second, both ends. */
    static final int MAX_SAMPLES_PER_BREAKER = 3601;

    private MetricsStore store;
    private Duration retention = Duration.ofHours(1);
    private Duration interval = Duration.ofSeconds(10);
    private Clock clock = Clock.systemUTC();
    private ScheduledExecutorService scheduler;
    private boolean latency = true;

    Builder(CircuitBreakerRegistry registry) {
      this.registry = Objects.requireNonNull(registry, "registry");
    }

    /**
     * How long each breaker's samples are kept ({@code monitoring.metrics_retention_seconds},
     * default one hour, at least 1 s) in the store the collector makes: as many samples as the
     * retention holds at the interval, at most 3,601 per breaker (an hour at one a second; a
     * shorter interval keeps less than the retention). Ignored when {@link #store} is given.
     */
    public Builder retention(Duration retention) {
      requireBetween("metrics_retention_seconds", retention, Duration.ofSeconds(1), Duration.ofDays(365),
          "from 1 s to 365 days");
      this.retention = retention;
      return this;
    }

    /** Where samples go (default: a store sized by {@link #retention} and the interval). */
    public Builder store(MetricsStore store) {
      this.store = Objects.requireNonNull(store, "store");
      return this;
    }

    /** Time between samples ({@code monitoring.metrics_interval_seconds}, default 10 s, from 1 ms to 1 day). */
    public Builder interval(Duration interval) {
      requireBetween("metrics_interval_seconds", interval, Duration.ofMillis(1), Duration.ofDays(1),
          "from 1 ms to 1 day");
      this.interval = interval;
      return this;
    }

    /** @throws IllegalArgumentException naming the key, the value (in days where ms could overflow) and the range */
    private static void requireBetween(String key, Duration value, Duration min, Duration max, String range) {
      Objects.requireNonNull(value, key);
      if (value.compareTo(min) < 0 || value.compareTo(max) > 0) {
        String was = value.abs().compareTo(Duration.ofDays(365)) <= 0 ? value.toMillis() + " ms" : value.toDays() + " days";
        throw new IllegalArgumentException(key + " must be " + range + ", was " + was);
      }
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
      if (store == null) {
        long perRetention = (retention.toMillis() + interval.toMillis() - 1) / interval.toMillis() + 1;
        store = new MetricsStore(retention, (int) Math.min(perRetention, MAX_SAMPLES_PER_BREAKER));
      }
      return new MetricsCollector(this);
    }
  }
}
