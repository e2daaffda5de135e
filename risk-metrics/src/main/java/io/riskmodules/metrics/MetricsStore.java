package io.riskmodules.metrics;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A bounded history of samples per breaker: samples older than the retention are dropped, and no
 * breaker keeps more than {@code maxSamplesPerBreaker}, so memory stays bounded however many
 * breakers there are.
 *
 * <pre>{@code
 * MetricsStore store = new MetricsStore(Duration.ofHours(1), 720);
 * List<BreakerSample> lastFiveMinutes = store.range("payment_service", now - 300_000, now);
 * }</pre>
 *
 * <p>Thread-safe.
 */
public final class MetricsStore {

  private final long retentionMillis;
  private final int maxSamplesPerBreaker;
  private final ConcurrentHashMap<String, History> histories = new ConcurrentHashMap<>();

  /** One hour, at most 720 samples per breaker (one hour at a 5 s interval). */
  public MetricsStore() {
    this(Duration.ofHours(1), 720);
  }

  /**
   * @param retention how long samples are kept; at least 1 s
   * @param maxSamplesPerBreaker a hard cap per breaker; at least 1
   */
  public MetricsStore(Duration retention, int maxSamplesPerBreaker) {
    Objects.requireNonNull(retention, "retention");
    if (retention.toMillis() < 1000) {
      throw new IllegalArgumentException("retention_seconds must be at least 1, was " + retention.toMillis() + " ms");
    }
    if (maxSamplesPerBreaker < 1) {
      throw new IllegalArgumentException("max_samples_per_breaker must be at least 1, was " + maxSamplesPerBreaker);
    }
    this.retentionMillis = retention.toMillis();
    this.maxSamplesPerBreaker = maxSamplesPerBreaker;
  }

  /** Adds a sample and drops what fell out of the retention or over the cap. */
  public void append(BreakerSample sample) {
    History h = histories.computeIfAbsent(sample.name(), n -> new History());
    h.lock.lock();
    try {
      h.samples.addLast(sample);
      long oldest = sample.epochMillis() - retentionMillis;
      while (!h.samples.isEmpty()
          && (h.samples.size() > maxSamplesPerBreaker || h.samples.peekFirst().epochMillis() < oldest)) {
        h.samples.pollFirst();
      }
    } finally {
      h.lock.unlock();
    }
  }

  /** Samples of {@code name} taken from {@code fromMillis} to {@code toMillis} inclusive, oldest first. */
  public List<BreakerSample> range(String name, long fromMillis, long toMillis) {
    List<BreakerSample> out = new ArrayList<>();
    History h = histories.get(name);
    if (h == null) {
      return out;
    }
    h.lock.lock();
    try {
      for (BreakerSample s : h.samples) {
        if (s.epochMillis() >= fromMillis && s.epochMillis() <= toMillis) {
          out.add(s);
        }
      }
    } finally {
      h.lock.unlock();
    }
    return out;
  }

  /** Every kept sample of {@code name}, oldest first. */
  public List<BreakerSample> history(String name) {
    return range(name, Long.MIN_VALUE, Long.MAX_VALUE);
  }

  /** The newest sample of {@code name}. */
  public Optional<BreakerSample> latest(String name) {
    History h = histories.get(name);
    if (h == null) {
      return Optional.empty();
    }
    h.lock.lock();
    try {
      return Optional.ofNullable(h.samples.peekLast());
    } finally {
      h.lock.unlock();
    }
  }

  /** Forgets {@code name}'s history. */
  public void remove(String name) {
    histories.remove(name);
  }

  /** The breakers with a history. */
  public Set<String> names() {
    return Set.copyOf(histories.keySet());
  }

  /** Samples kept over all breakers. */
  public long size() {
    long n = 0;
    for (History h : histories.values()) {
      h.lock.lock();
      try {
        n += h.samples.size();
      } finally {
        h.lock.unlock();
      }
    }
    return n;
  }

  private static final class History {
    final ReentrantLock lock = new ReentrantLock();
    final ArrayDeque<BreakerSample> samples = new ArrayDeque<>();
  }
}
