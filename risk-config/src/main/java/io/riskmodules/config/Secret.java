package io.riskmodules.config;

import java.security.MessageDigest;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * A value that must not be shown: a webhook URL, an integration key, a password, or anything that
 * came from an environment variable inside one. {@link #toString()} prints {@code [secret]}; only
 * {@link #reveal()} gives the value, for the code that sends it.
 *
 * <p>Immutable and thread-safe. Equality compares the values in constant time, so that a reload
 * can tell whether a channel changed without printing anything.
 */
public final class Secret {

  private final String value;

  private Secret(String value) {
    this.value = value;
  }

  /** Wraps {@code value}. */
  public static Secret of(String value) {
    return new Secret(Objects.requireNonNull(value, "value"));
  }

  /** The value itself: for the code that uses it, never for logs or messages. */
  public String reveal() {
    return value;
  }

  /** Whether the value is empty. */
  public boolean isEmpty() {
    return value.isEmpty();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Secret other && MessageDigest.isEqual(
        value.getBytes(StandardCharsets.UTF_8), other.value.getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public int hashCode() {
    return 0; // a hash would leak a little of the value; secrets are few
  }

  @Override
  public String toString() {
    return "[secret]";
  }
}
