package io.riskmodules.risk;

import java.util.Locale;

/** How risky a downstream is, from its score: LOW below 25, MEDIUM below 50, HIGH below 75, else CRITICAL. */
public enum RiskLevel {
  LOW(0),
  MEDIUM(25),
  HIGH(50),
  CRITICAL(75);

  private final double lowerBound;

  RiskLevel(double lowerBound) {
    this.lowerBound = lowerBound;
  }

  /** The lowest score of this level. */
  public double lowerBound() {
    return lowerBound;
  }

  /** The level of {@code score}, without hysteresis. */
  public static RiskLevel of(double score) {
    RiskLevel level = LOW;
    for (RiskLevel l : values()) {
      if (score >= l.lowerBound) {
        level = l;
      }
    }
    return level;
  }

  /** The alert severity word of this level: {@code low}, {@code medium}, {@code high}, {@code critical}. */
  public String severity() {
    return name().toLowerCase(Locale.ROOT);
  }
}
