package io.riskmodules.alerts;

import java.util.Locale;

/**
 * How urgent an alert is, from {@link #CRITICAL} down to {@link #INFO}. The lower-case
 * {@link #value()} is the word RFC-136's {@code severity_filter} uses.
 *
 * <pre>{@code
 * Severity s = Severity.parse("high");
 * if (s.isAtLeast(Severity.HIGH)) page();
 * }</pre>
 */
public enum Severity {
  /** Someone must act now (an open {@code payment_service}). */
  CRITICAL,
  /** Someone should act soon. */
  HIGH,
  /** Worth a look during working hours. */
  MEDIUM,
  /** Informative, degraded but harmless. */
  LOW,
  /** For the record. */
  INFO;

  /** The lower-case word: {@code critical}, {@code high}, {@code medium}, {@code low}, {@code info}. */
  public String value() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Whether this severity is {@code other} or more urgent. */
  public boolean isAtLeast(Severity other) {
    return ordinal() <= other.ordinal();
  }

  /**
   * The severity named by {@code word}, ignoring case.
   *
   * @throws IllegalArgumentException naming the word and the allowed ones
   */
  public static Severity parse(String word) {
    if (word != null) {
      for (Severity s : values()) {
        if (s.value().equalsIgnoreCase(word.trim())) {
          return s;
        }
      }
    }
    throw new IllegalArgumentException(
        "severity must be one of critical, high, medium, low, info, was " + word);
  }
}
