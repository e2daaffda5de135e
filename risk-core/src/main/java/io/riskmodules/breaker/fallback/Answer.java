package io.riskmodules.breaker.fallback;

import java.time.Duration;

/**
 * An answer and where it came from, so that a caller can tell a cached answer from a fresh one.
 *
 * <pre>{@code
 * Answer<Quote> q = quotes.get();
 * if (q.fromCache()) response.setHeader("Warning", "110 - \"stale, " + q.age().toSeconds() + " s old\"");
 * }</pre>
 *
 * @param value the answer
 * @param source the call itself, the cache fallback, or the last-resort fallback
 * @param age how old a cached answer is; zero otherwise
 */
public record Answer<V>(V value, Source source, Duration age) {

  /** Where an answer came from. */
  public enum Source {
    /** The protected call answered. */
    CALL,
    /** The cache fallback served the last good result. */
    CACHE,
    /** The last-resort fallback answered. */
    FALLBACK
  }

  /** A fresh answer from the call. */
  public static <V> Answer<V> fresh(V value) {
    return new Answer<>(value, Source.CALL, Duration.ZERO);
  }

  /** Whether the cache fallback served this answer. */
  public boolean fromCache() {
    return source == Source.CACHE;
  }
}
