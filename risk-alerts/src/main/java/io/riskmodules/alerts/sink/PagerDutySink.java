package io.riskmodules.alerts.sink;

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
import java.util.Map;
import java.util.Objects;

/**
 * Sends each alert of a notification as one PagerDuty Events API v2 event ({@code POST
 * /v2/enqueue}): {@code event_action} {@code trigger} for a firing alert, {@code resolve} for a
 * resolved one, both with the alert's key as {@code dedup_key}, so that PagerDuty opens one
 * incident per alert and closes it. Severities map critical→critical, high→error,
 * medium→warning, low and info→info. PagerDuty answers 202; 429 and 5xx are retried (an
 * event already accepted is sent again, which PagerDuty deduplicates by key); 400 is permanent.
 *
 * <pre>{@code
 * AlertSink pagerDuty = PagerDutySink.builder().routingKey(System.getenv("PAGERDUTY_KEY")).build();
 * }</pre>
 *
 * <p>The routing key (the RFC's {@code integration_key}) is a secret: it never appears in
 * {@code toString()}, logs or exceptions. Thread-safe.
 */
public final class PagerDutySink implements AlertSink {

  /** PagerDuty's events endpoint host. */
  public static final String DEFAULT_BASE_URL = "https://events.pagerduty.com";

  private final String name;
  private final String routingKey;
  private final URI enqueue;
  private final Http http;

  private PagerDutySink(Builder b) {
    this.name = b.name;
    this.routingKey = b.routingKey;
    this.enqueue = Http.resolve(Http.parse("pagerduty base_url", b.baseUrl, false), "/v2/enqueue");
    this.http = new Http(name, b.connectTimeout, b.requestTimeout, routingKey);
  }

  /** A builder; {@link Builder#routingKey} is required. */
  public static Builder builder() {
    return new Builder();
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public void deliver(Notification n) throws DeliveryException, InterruptedException {
    for (Alert a : n.alerts()) {
      Http.Answer answer = http.postJson(enqueue, event(a, routingKey), Map.of());
      if (answer.status() != 202) {
        http.requireSuccess(answer); // any other 2xx is fine too
      }
    }
  }

  /** The event sent for {@code a}. */
  static String event(Alert a, String routingKey) {
    ObjectNode e = Json.object();
    e.put("routing_key", routingKey);
    e.put("event_action", a.isFiring() ? "trigger" : "resolve");
    e.put("dedup_key", a.key());
    if (a.isFiring()) {
      ObjectNode p = e.putObject("payload");
      p.put("summary", a.title().length() > 1024 ? a.title().substring(0, 1024) : a.title());
      p.put("source", a.source());
      p.put("severity", severity(a.severity()));
      p.put("timestamp", Json.time(a.startsAt()));
      p.put("class", a.kind().alertName());
      ObjectNode d = p.putObject("custom_details");
      d.put("details", a.details());
      d.put("severity", a.severity().value());
      a.labels().entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(l -> d.put(l.getKey(), l.getValue()));
    }
    return Json.write(e);
  }

  /** PagerDuty's four severities. */
  static String severity(Severity s) {
    return switch (s) {
      case CRITICAL -> "critical";
      case HIGH -> "error";
      case MEDIUM -> "warning";
      case LOW, INFO -> "info";
    };
  }

  /** Names the sink only; the routing key is a secret. */
  @Override
  public String toString() {
    return "PagerDutySink[name=" + name + ", routingKey=<secret>]";
  }

  /** Configures a {@link PagerDutySink}. Not thread-safe. */
  public static final class Builder {
    private String name = "pagerduty";
    private String routingKey;
    private String baseUrl = DEFAULT_BASE_URL;
    private Duration connectTimeout = Duration.ofSeconds(5);
    private Duration requestTimeout = Duration.ofSeconds(10);

    Builder() {}

    /** The integration's routing key (the RFC's {@code integration_key}). Required. */
    public Builder routingKey(String key) {
      Objects.requireNonNull(key, "routingKey");
      if (key.isBlank()) {
        throw new IllegalArgumentException("pagerduty integration_key must not be blank");
      }
      this.routingKey = key.strip();
      return this;
    }

    /** Same as {@link #routingKey}, under the RFC's name. */
    public Builder integrationKey(String key) {
      return routingKey(key);
    }

    /** Where the events API lives; default {@value #DEFAULT_BASE_URL}; tests point it at loopback. */
    public Builder baseUrl(String url) {
      this.baseUrl = Objects.requireNonNull(url, "baseUrl");
      return this;
    }

    /** The sink's name in logs and meters; default {@code pagerduty}. */
    public Builder name(String name) {
      this.name = Sinks.requireName(name);
      return this;
    }

    /** TCP connect timeout; default 5 s. */
    public Builder connectTimeout(Duration timeout) {
      this.connectTimeout = Http.requireTimeout("pagerduty connect_timeout", timeout);
      return this;
    }

    /** Timeout of one event's request, answer included; default 10 s. */
    public Builder requestTimeout(Duration timeout) {
      this.requestTimeout = Http.requireTimeout("pagerduty request_timeout", timeout);
      return this;
    }

    /** Validates and builds. */
    public PagerDutySink build() {
      if (routingKey == null) {
        throw new IllegalArgumentException("pagerduty integration_key is required");
      }
      return new PagerDutySink(this);
    }
  }
}
