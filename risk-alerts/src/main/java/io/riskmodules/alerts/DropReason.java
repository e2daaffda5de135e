package io.riskmodules.alerts;

import java.util.Locale;

/**
 * Why an alert did not reach a sink. Every alert routed to a sink ends as delivered or as dropped
 * for one of these reasons, counted and logged.
 */
public enum DropReason {
  /** The sink's queue was full and this alert had the lowest severity. */
  QUEUE_FULL,
  /** The receiver refused it for good (a 4xx other than 429). */
  PERMANENT_ERROR,
  /** Every attempt failed. */
  GAVE_UP,
  /** The manager closed before it could be delivered. */
  SHUTDOWN,
  /** The sink had been disabled (Slack answered 410). */
  SINK_DISABLED,
  /** The manager's inbox was full: the event never became an alert (counted under sink {@code manager}). */
  INBOX_FULL;

  /** The lower-case tag value, for example {@code queue_full}. */
  public String value() {
    return name().toLowerCase(Locale.ROOT);
  }
}
