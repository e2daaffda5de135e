package io.riskmodules.breaker.fallback;

import io.riskmodules.breaker.Ticker;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The last good result per call key, served when the breaker rejects or the call fails, if it is
 * younger than {@code max_age_seconds} (RFC-136 {@code fallback.cache_fallback}).
 *
 * <pre>{@code
 * CacheFallback<String, Quote> lastQuotes = CacheFallback.of(CacheFallbackConfig.ofDefaults());
 * Supplier<Answer<Quote>> quote = Decorators.ofSupplier(() -> pricing.quote(sku))
 *     .withCircuitBreaker(breaker)
 *     .withCacheFallback(lastQuotes, sku)
 *     .decorateAnswer();
 * }</pre>
 *
 * <p>Bounded: beyond {@code max_entries} keys the least recently used one is dropped. A small
 * access-ordered map under a lock held only for the map operation (never around a call) does
 * this; risk-core depends on nothing but slf4j, and the working set of a fallback cache is small
 * enough that a striped cache library would not earn its place. Thread-safe.
 */
public final class CacheFallback<K, V> {

  private final CacheFallbackConfig config;
  private final Ticker ticker;
  private final long maxAgeNanos;
  private final ReentrantLock lock = new ReentrantLock();
  private final LinkedHashMap<K, Entry<V>> entries;
  private final LongAdder hits = new LongAdder();
  private final LongAdder misses = new LongAdder();
  private final LongAdder expired = new LongAdder();

  private CacheFallback(CacheFallbackConfig config, Ticker ticker) {
    this.config = Objects.requireNonNull(config, "config");
    this.ticker = Objects.requireNonNull(ticker, "ticker");
    this.maxAgeNanos = config.maxAge().toNanos();
    int bound = config.maxEntries();
    this.entries = new LinkedHashMap<>(16, 0.75f, true) {
      private static final long serialVersionUID = 1L;

      @Override
      protected boolean removeEldestEntry(Map.Entry<K, Entry<V>> eldest) {
        return size() > bound;
      }
    };
  }

  /** A cache timed by the system ticker. */
  public static <K, V> CacheFallback<K, V> of(CacheFallbackConfig config) {
    return new CacheFallback<>(config, Ticker.system());
  }

  /** A cache timed by {@code ticker} (a manual one in tests). */
  public static <K, V> CacheFallback<K, V> of(CacheFallbackConfig config, Ticker ticker) {
    return new CacheFallback<>(config, ticker);
  }

  /** The settings. */
  public CacheFallbackConfig config() {
    return config;
  }

  /** Keeps {@code value} as the last good result for {@code key}; does nothing when disabled or null. */
  public void put(K key, V value) {
    if (!config.enabled() || value == null) {
      return;
    }
    Entry<V> entry = new Entry<>(value, ticker.read());
    lock.lock();
    try {
      entries.put(key, entry);
    } finally {
      lock.unlock();
    }
  }

  /**
   * The last good result for {@code key} if it is younger than the max age (a hit); empty if there
   * is none (a miss) or it is too old (expired, and dropped).
   */
  public Optional<Answer<V>> get(K key) {
    if (!config.enabled()) {
      misses.increment();
      return Optional.empty();
    }
    long now = ticker.read();
    Entry<V> entry;
    lock.lock();
    try {
      entry = entries.get(key);
      if (entry != null && now - entry.storedAtNanos > maxAgeNanos) {
        entries.remove(key);
        entry = null;
        expired.increment();
      }
    } finally {
      lock.unlock();
    }
    if (entry == null) {
      misses.increment();
      return Optional.empty();
    }
    hits.increment();
    return Optional.of(new Answer<>(entry.value, Answer.Source.CACHE, Duration.ofNanos(now - entry.storedAtNanos)));
  }

  /** Hits, misses (expired ones included), expired entries and current size. */
  public Stats stats() {
    int size;
    lock.lock();
    try {
      size = entries.size();
    } finally {
      lock.unlock();
    }
    return new Stats(hits.sum(), misses.sum(), expired.sum(), size);
  }

  /**
   * Counters of a {@link CacheFallback}.
   *
   * @param hits lookups that served a result
   * @param misses lookups that found nothing fresh
   * @param expired of the misses, those that found a result older than the max age
   * @param size keys kept now
   */
  public record Stats(long hits, long misses, long expired, int size) {}

  private record Entry<V>(V value, long storedAtNanos) {}
}
