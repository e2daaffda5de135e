package io.riskmodules.metrics;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

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
 * <p>Samples are kept compactly, about 45 bytes each (a {@link BreakerSample} object takes about
 * 160), as columns of primitives per breaker; what is read back equals what was appended. The
 * samples a {@link MetricsCollector} takes are kept that way; a sample it could not have taken
 * (one made by hand, say) is kept whole. Thread-safe.
 */
public final class MetricsStore {

  private final long retentionMillis;
  private final int maxSamplesPerBreaker;
  private final ConcurrentHashMap<String, SampleRing> histories = new ConcurrentHashMap<>();

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
    SampleRing ring = histories.computeIfAbsent(sample.name(), n -> new SampleRing(n, maxSamplesPerBreaker));
    ring.append(sample, sample.epochMillis() - retentionMillis);
  }

  /** Samples of {@code name} taken from {@code fromMillis} to {@code toMillis} inclusive, oldest first. */
  public List<BreakerSample> range(String name, long fromMillis, long toMillis) {
    List<BreakerSample> out = new ArrayList<>();
    SampleRing ring = histories.get(name);
    if (ring != null) {
      ring.range(fromMillis, toMillis, out);
    }
    return out;
  }

  /** Every kept sample of {@code name}, oldest first. */
  public List<BreakerSample> history(String name) {
    return range(name, Long.MIN_VALUE, Long.MAX_VALUE);
  }

  /** The newest sample of {@code name}. */
  public Optional<BreakerSample> latest(String name) {
    SampleRing ring = histories.get(name);
    return ring == null ? Optional.empty() : Optional.ofNullable(ring.latest());
  }

  /** Forgets {@code name}'s history. */
  public void remove(String name) {
    histories.remove(name);
  }

  /** The breakers with a history. */
  public Set<String> names() {
    return Set.copyOf(histories.keySet());
  }

  /** Samples kept as objects because the columns could not hold them; for tests. */
  long wholeSamples() {
    long n = 0;
    for (SampleRing ring : histories.values()) {
      n += ring.wholeSamples();
    }
    return n;
  }

  /** Samples kept over all breakers. */
  public long size() {
    long n = 0;
    for (SampleRing ring : histories.values()) {
      n += ring.size();
    }
    return n;
  }
}
