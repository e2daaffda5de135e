package io.riskmodules.alerts;

import java.time.Duration;
import java.util.Optional;

/**
 * A failed delivery that tells the manager what to do next: retry (perhaps not before a time the
 * receiver asked for), give up on this notification, or disable the sink altogether.
 *
 * <pre>{@code
 * if (status == 429) throw DeliveryException.retryable("status 429", Duration.ofSeconds(retryAfter));
 * if (status == 410) throw DeliveryException.disableSink("webhook gone (410)");
 * }</pre>
 *
 * <p>The message is logged: never put a secret in it. No stack trace is filled in.
 */
public final class DeliveryException extends Exception {

  /** What the manager does after this failure. */
  public enum Action {
    /** Try again after a backoff (or the receiver's {@code Retry-After}, capped). */
    RETRY,
    /** Drop this notification, counted as a permanent error. */
    DROP,
    /** Drop this notification and every later one of this sink; the sink is disabled. */
    DISABLE_SINK
  }

  private final Action action;
  private final Duration retryAfter;

  private DeliveryException(String message, Action action, Duration retryAfter) {
    super(message, null, false, false);
    this.action = action;
    this.retryAfter = retryAfter;
  }

  /** A transient failure; {@code retryAfter} is the receiver's wish, or null. */
  public static DeliveryException retryable(String message, Duration retryAfter) {
    return new DeliveryException(message, Action.RETRY, retryAfter);
  }

  /** A failure that retrying would not fix (a 4xx other than 429). */
  public static DeliveryException permanent(String message) {
    return new DeliveryException(message, Action.DROP, null);
  }

  /** The receiver is gone for good (Slack's 410): disable the sink. */
  public static DeliveryException disableSink(String message) {
    return new DeliveryException(message, Action.DISABLE_SINK, null);
  }

  /** What to do next. */
  public Action action() {
    return action;
  }

  /** The delay the receiver asked for, if any. */
  public Optional<Duration> retryAfter() {
    return Optional.ofNullable(retryAfter);
  }
}
