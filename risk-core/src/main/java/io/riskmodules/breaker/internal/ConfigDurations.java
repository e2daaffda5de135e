package io.riskmodules.breaker.internal;

import java.time.Duration;

/**
 * The one rule for every duration a config holds: from 1 ms to 365 days. The upper bound keeps
 * every duration, and ten times it (the default cap of a growing open timeout), well inside the
 * nanoseconds a {@code long} holds, so that no config that builds can overflow later on a call.
 * Not API: shared by the config builders of this module.
 */
public final class ConfigDurations {

  public static final Duration MIN = Duration.ofMillis(1);
  public static final Duration MAX = Duration.ofDays(365);

  private ConfigDurations() {}

  /**
   * @param key the YAML key the value comes from, named in the message
   * @throws IllegalArgumentException naming the key, the value and the rule
   */
  public static void requireInRange(String key, Duration value) {
    if (value.compareTo(MIN) < 0) {
      throw new IllegalArgumentException(key + " must be at least 1 ms, was " + describe(value));
    }
    if (value.compareTo(MAX) > 0) {
      throw new IllegalArgumentException(key + " must be at most 365 days, was " + describe(value));
    }
  }

  /** Milliseconds while they are readable, days beyond (where {@code toMillis} could overflow). */
  private static String describe(Duration value) {
    return value.abs().compareTo(MAX) <= 0 ? value.toMillis() + " ms" : value.toDays() + " days";
  }
}
