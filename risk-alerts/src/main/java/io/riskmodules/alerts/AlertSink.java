package io.riskmodules.alerts;

import java.time.Duration;

/**
 * Where notifications go: the extension point for channels Risk Modules does not ship.
 *
 * <pre>{@code
 * AlertSink teams = new AlertSink() {
 *   public String name() { return "teams"; }
 *   public void deliver(Notification n) throws Exception {
 *     HttpResponse<String> r = http.send(post(n.summary()), BodyHandlers.ofString());
 *     if (r.statusCode() == 429 || r.statusCode() >= 500) throw DeliveryException.retryable("status " + r.statusCode(), null);
 *     if (r.statusCode() >= 300) throw DeliveryException.permanent("status " + r.statusCode());
 *   }
 * };
 * AlertManager.builder().sink(teams, Severity.CRITICAL, Severity.HIGH).build();
 * }</pre>
 *
 * <p>The manager calls {@link #deliver} from the sink's own worker thread, one notification at a
 * time, never from the thread that raised the alert; so a sink may block (within the timeouts it
 * sets on its own I/O). A {@link DeliveryException} says whether to retry; any other exception is
 * treated as transient and retried. Messages of exceptions a sink throws are logged: they must
 * not carry secrets (URLs with tokens, keys, passwords).
 */
public interface AlertSink {

  /**
   * A short name for logs and meter tags, for example {@code slack}; unique within a manager.
   * Never a secret.
   */
  String name();

  /**
   * Sends one notification, returning only once the receiver has accepted it.
   *
   * @throws DeliveryException to say whether and when to retry
   * @throws Exception any other failure, retried with backoff
   */
  void deliver(Notification notification) throws Exception;

  /**
   * The least time between the starts of two deliveries of this sink (pacing); zero by default.
   * Slack's incoming webhooks take about one message per second.
   */
  default Duration minInterval() {
    return Duration.ZERO;
  }
}
