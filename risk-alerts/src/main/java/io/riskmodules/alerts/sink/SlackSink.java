package io.riskmodules.alerts.sink;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.riskmodules.alerts.Alert;
import io.riskmodules.alerts.AlertSink;
import io.riskmodules.alerts.DeliveryException;
import io.riskmodules.alerts.Notification;
import io.riskmodules.alerts.Severity;
import io.riskmodules.alerts.internal.Http;
import io.riskmodules.alerts.internal.Json;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Posts notifications to a Slack incoming webhook: a {@code text} line (what notifications and
 * old clients show) plus blocks, a header and one section per alert (at most 20, then a line
 * saying how many more). Slack answers 200 with the body {@code ok}; 429 and 5xx are retried
 * (honouring {@code Retry-After}); 410 means the webhook is gone, which disables the sink; other
 * answers are permanent errors. Paced to one message per second by default, Slack's limit per
 * webhook.
 *
 * <pre>{@code
 * AlertSink slack = SlackSink.builder().webhookUrl(System.getenv("SLACK_WEBHOOK_URL")).build();
 * }</pre>
 *
 * <p>The webhook URL is a secret: it never appears in {@code toString()}, logs or exceptions.
 * Thread-safe.
 */
public final class SlackSink implements AlertSink {

  static final int MAX_SECTIONS = 20;

  private final String name;
  private final URI webhook;
  private final Duration minInterval;
  private final Http http;

  private SlackSink(Builder b) {
    this.name = b.name;
    this.webhook = Http.parse("slack webhook_url", b.webhookUrl, true);
    this.minInterval = b.minInterval;
    this.http = new Http(name, b.connectTimeout, b.requestTimeout, Http.secretParts(b.webhookUrl, webhook));
  }

  /** A builder; {@link Builder#webhookUrl} is required. */
  public static Builder builder() {
    return new Builder();
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public Duration minInterval() {
    return minInterval;
  }

  @Override
  public void deliver(Notification n) throws DeliveryException, InterruptedException {
    Http.Answer a = http.postJson(webhook, body(n), Map.of());
    if (a.status() == 200 && "ok".equals(a.body() == null ? null : a.body().strip())) {
      return;
    }
    if (a.status() == 410) {
      String word = a.body() == null || a.body().isBlank() ? "" : ", " + a.body().strip();
      throw DeliveryException.disableSink(name + ": the webhook is gone (HTTP 410"
          + http.scrub(word.length() > 80 ? word.substring(0, 80) : word) + ")");
    }
    if (a.status() == 200) {
      throw DeliveryException.permanent(name + ": HTTP 200 without ok");
    }
    throw http.failure(a);
  }

  /** The JSON posted for {@code n}. */
  static String body(Notification n) {
    ObjectNode root = Json.object();
    root.put("text", n.summary());
    ArrayNode blocks = root.putArray("blocks");
    ObjectNode header = blocks.addObject();
    header.put("type", "header");
    header.putObject("text").put("type", "plain_text").put("text", truncate(n.summary(), 150));
    List<Alert> alerts = n.alerts();
    for (int i = 0; i < Math.min(MAX_SECTIONS, alerts.size()); i++) {
      Alert a = alerts.get(i);
      ObjectNode section = blocks.addObject();
      section.put("type", "section");
      String text = (a.isFiring() ? icon(a.severity()) : ":white_check_mark:")
          + " *" + escape(a.isFiring() ? a.severity().value() : "resolved") + "* " + escape(a.title())
          + (a.details().isEmpty() ? "" : "\n" + escape(a.details()))
          + "\n_" + (a.isFiring() ? "since " + Json.time(a.startsAt()) : "resolved at " + Json.time(a.endsAt())) + "_";
      section.putObject("text").put("type", "mrkdwn").put("text", truncate(text, 3000));
    }
    if (alerts.size() > MAX_SECTIONS) {
      ObjectNode context = blocks.addObject();
      context.put("type", "context");
      context.putArray("elements").addObject().put("type", "mrkdwn")
          .put("text", "and " + (alerts.size() - MAX_SECTIONS) + " more");
    }
    return Json.write(root);
  }

  private static String icon(Severity s) {
    return switch (s) {
      case CRITICAL -> ":red_circle:";
      case HIGH -> ":large_orange_circle:";
      case MEDIUM -> ":large_yellow_circle:";
      case LOW, INFO -> ":large_blue_circle:";
    };
  }

  /** Slack's mrkdwn escapes: only these three characters are control characters. */
  private static String escape(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }

  private static String truncate(String s, int max) {
    return s.length() <= max ? s : s.substring(0, max - 1) + "…";
  }

  /** Names the sink only; the webhook URL is a secret. */
  @Override
  public String toString() {
    return "SlackSink[name=" + name + ", webhookUrl=<secret>, minInterval=" + minInterval + "]";
  }

  /** Configures a {@link SlackSink}. Not thread-safe. */
  public static final class Builder {
    private String name = "slack";
    private String webhookUrl;
    private Duration minInterval = Duration.ofSeconds(1);
    private Duration connectTimeout = Duration.ofSeconds(5);
    private Duration requestTimeout = Duration.ofSeconds(10);

    Builder() {}

    /** The incoming webhook URL (the RFC's {@code webhook_url}); https, or http to a loopback address. Required. */
    public Builder webhookUrl(String url) {
      this.webhookUrl = Objects.requireNonNull(url, "webhookUrl");
      return this;
    }

    /** The sink's name in logs and meters; default {@code slack}. */
    public Builder name(String name) {
      this.name = Sinks.requireName(name);
      return this;
    }

    /** Least time between two messages; default 1 s (Slack's limit per webhook). */
    public Builder minInterval(Duration interval) {
      Objects.requireNonNull(interval, "minInterval");
      if (interval.isNegative()) {
        throw new IllegalArgumentException("slack min_interval must not be negative, was " + interval);
      }
      this.minInterval = interval;
      return this;
    }

    /** TCP connect timeout; default 5 s. */
    public Builder connectTimeout(Duration timeout) {
      this.connectTimeout = Http.requireTimeout("slack connect_timeout", timeout);
      return this;
    }

    /** Timeout of a whole request, answer included; default 10 s. */
    public Builder requestTimeout(Duration timeout) {
      this.requestTimeout = Http.requireTimeout("slack request_timeout", timeout);
      return this;
    }

    /** Validates and builds. */
    public SlackSink build() {
      if (webhookUrl == null) {
        throw new IllegalArgumentException("slack webhook_url is required");
      }
      return new SlackSink(this);
    }
  }
}
