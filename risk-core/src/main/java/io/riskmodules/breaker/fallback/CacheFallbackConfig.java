package io.riskmodules.breaker.fallback;

import io.riskmodules.breaker.internal.ConfigDurations;
import java.time.Duration;
import java.util.Objects;

/**
 * Settings of a {@link CacheFallback}: RFC-136's {@code fallback.cache_fallback} block.
 *
 * <pre>{@code
 * CacheFallbackConfig config = CacheFallbackConfig.builder()
 *     .maxAge(Duration.ofSeconds(300))     // max_age_seconds
 *     .maxEntries(10_000)
 *     .build();
 * }</pre>
 *
 * <p>Immutable and thread-safe; {@link Builder#build()} validates every value.
 */
public final class CacheFallbackConfig {

  private static final CacheFallbackConfig DEFAULTS = builder().build();

  private final boolean enabled;
  private final Duration maxAge;
  private final int maxEntries;

  private CacheFallbackConfig(Builder b) {
    this.enabled = b.enabled;
    this.maxAge = b.maxAge;
    this.maxEntries = b.maxEntries;
  }

  /** Enabled, 300 s, 10,000 entries: the RFC's values plus a bound. */
  public static CacheFallbackConfig ofDefaults() {
    return DEFAULTS;
  }

  /** A builder starting from the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** Whether results are kept and served ({@code enabled}, default true). */
  public boolean enabled() {
    return enabled;
  }

  /** How old a kept result may be and still be served ({@code max_age_seconds}, default 300 s). */
  public Duration maxAge() {
    return maxAge;
  }

  /** How many keys are kept; the least recently used goes first ({@code max_entries}, default 10,000). */
  public int maxEntries() {
    return maxEntries;
  }

  @Override
  public String toString() {
    return "CacheFallbackConfig{enabled=" + enabled + ", max_age_seconds=" + maxAge.toSeconds()
        + ", max_entries=" + maxEntries + "}";
  }

  /** Builds a {@link CacheFallbackConfig}. Not thread-safe. */
  public static final class Builder {
    private boolean enabled = true;
    private Duration maxAge = Duration.ofSeconds(300);
    private int maxEntries = 10_000;

    Builder() {}

    /** See {@link CacheFallbackConfig#enabled()}. */
    public Builder enabled(boolean enabled) {
      this.enabled = enabled;
      return this;
    }

    /** See {@link CacheFallbackConfig#maxAge()}; at least 1 ms. */
    public Builder maxAge(Duration maxAge) {
      this.maxAge = Objects.requireNonNull(maxAge, "maxAge");
      return this;
    }

    /** See {@link CacheFallbackConfig#maxEntries()}; from 1 to 10,000,000. */
    public Builder maxEntries(int maxEntries) {
      this.maxEntries = maxEntries;
      return this;
    }

    /**
     * @throws IllegalArgumentException naming the wrong field, its value and the rule
     */
    public CacheFallbackConfig build() {
      ConfigDurations.requireInRange("max_age_seconds", maxAge);
      if (maxEntries < 1 || maxEntries > 10_000_000) {
        throw new IllegalArgumentException("max_entries must be from 1 to 10000000, was " + maxEntries);
      }
      return new CacheFallbackConfig(this);
    }
  }
}
