package io.riskmodules.failover;

import java.util.Locale;

/** A node's role in its group, as RFC-136's {@code deployment_config.yaml} names it. */
public enum NodeRole {
  /** Serves traffic, by weight, with the secondaries. */
  PRIMARY,
  /** Serves traffic, by weight, with the primaries. */
  SECONDARY,
  /** Serves only when no primary or secondary can. */
  STANDBY;

  /** The YAML word: {@code primary}, {@code secondary} or {@code standby}. */
  public String value() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The role for a YAML word, case-insensitive. */
  public static NodeRole of(String value) {
    for (NodeRole role : values()) {
      if (role.value().equalsIgnoreCase(value)) {
        return role;
      }
    }
    throw new IllegalArgumentException("role must be one of primary, secondary, standby, was '" + value + "'");
  }
}
