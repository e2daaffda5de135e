package io.riskmodules.alerts.sink;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.riskmodules.alerts.Alert;
import io.riskmodules.alerts.AlertSink;
import io.riskmodules.alerts.DeliveryException;
import io.riskmodules.alerts.Notification;
import io.riskmodules.alerts.internal.Http;
import io.riskmodules.alerts.internal.Json;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * Posts notifications to a Prometheus Alertmanager ({@code POST /api/v2/alerts}), so that the
 * nodes of a deployment share one Alertmanager that deduplicates, groups, silences and routes
 * cluster-wide. Each alert is sent with the labels {@code alertname}, {@code service} and
 * {@code severity}, plus {@code node} when the alert carries a {@code node} label (the
 * downstream node it is about); annotations {@code summary}, {@code description} and, when set,
 * {@code reporter} (which instance saw it). Labels identify an alert in Alertmanager, so two
 * nodes reporting the same open breaker make one alert there; the reporter is therefore an
 * annotation, not a label.
 *
 * <p>A firing alert is sent with {@code endsAt} = now + {@link Builder#firingTimeout} (default
 * 4 h 15 min, longer than the manager's default repeat interval, which re-sends it), so that
 * Alertmanager does not resolve it by itself meanwhile; a resolved alert is sent with its real
 * {@code endsAt}. 2xx is success; 429 and 5xx are retried; other answers are permanent.
 *
 * <pre>{@code
 * AlertSink am = AlertmanagerSink.builder().baseUrl("https://alertmanager.example.com").reporter("inf-node-1").build();
 * }</pre>
 */
public final class AlertmanagerSink implements AlertSink {

  private final String name;
  private final URI alerts;
  private final String reporter;
  private final Duration firingTimeout;
  private final Http http;

  private AlertmanagerSink(Builder b) {
    this.name = b.name;
    this.alerts = Http.resolve(Http.parse("alertmanager url", b.baseUrl, false), "/api/v2/alerts");
    this.reporter = b.reporter;
    this.firingTimeout = b.firingTimeout;
    this.http = new Http(name, b.connectTimeout, b.requestTimeout);
  }

  /** A builder; {@link Builder#baseUrl} is required. */
  public static Builder builder() {
    return new Builder();
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public void deliver(Notification n) throws DeliveryException, InterruptedException {
    http.requireSuccess(http.postJson(alerts, body(n), Map.of()));
  }

  String body(Notification n) {
    ArrayNode array = Json.array();
    for (Alert a : n.alerts()) {
      ObjectNode o = array.addObject();
      ObjectNode labels = o.putObject("labels");
      labels.put("alertname", a.kind().alertName());
      labels.put("service", a.source());
      labels.put("severity", a.severity().value());
      String node = a.labels().get("node");
      if (node != null && !node.isBlank()) {
        labels.put("node", node);
      }
      ObjectNode annotations = o.putObject("annotations");
      annotations.put("summary", a.title());
      annotations.put("description", a.details());
      if (reporter != null) {
        annotations.put("reporter", reporter);
      }
      o.put("startsAt", Json.time(a.startsAt()));
      o.put("endsAt", Json.time(a.isFiring() ? n.createdAt().plus(firingTimeout) : a.endsAt()));
    }
    return Json.write(array);
  }

  @Override
  public String toString() {
    return "AlertmanagerSink[name=" + name + ", url=" + alerts + ", reporter=" + reporter + "]";
  }

  /** Configures an {@link AlertmanagerSink}. Not thread-safe. */
  public static final class Builder {
    private String name = "alertmanager";
    private String baseUrl;
    private String reporter;
    private Duration firingTimeout = Duration.ofHours(4).plusMinutes(15);
    private Duration connectTimeout = Duration.ofSeconds(5);
    private Duration requestTimeout = Duration.ofSeconds(10);

    Builder() {}

    /** The Alertmanager's base URL, for example {@code https://alertmanager:9093}; https, or http to loopback. Required. */
    public Builder baseUrl(String url) {
      this.baseUrl = Objects.requireNonNull(url, "baseUrl");
      return this;
    }

    /** This instance's name (a node name), sent as the {@code reporter} annotation; default none. */
    public Builder reporter(String reporter) {
      this.reporter = Objects.requireNonNull(reporter, "reporter");
      return this;
    }

    /** How far ahead a firing alert's {@code endsAt} is set; keep it above the manager's repeat interval. */
    public Builder firingTimeout(Duration timeout) {
      Objects.requireNonNull(timeout, "firingTimeout");
      if (timeout.compareTo(Duration.ofMinutes(1)) < 0) {
        throw new IllegalArgumentException("alertmanager firing_timeout must be at least 1m, was " + timeout);
      }
      this.firingTimeout = timeout;
      return this;
    }

    /** The sink's name in logs and meters; default {@code alertmanager}. */
    public Builder name(String name) {
      this.name = Sinks.requireName(name);
      return this;
    }

    /** TCP connect timeout; default 5 s. */
    public Builder connectTimeout(Duration timeout) {
      this.connectTimeout = Http.requireTimeout("alertmanager connect_timeout", timeout);
      return this;
    }

    /** Timeout of a whole request, answer included; default 10 s. */
    public Builder requestTimeout(Duration timeout) {
      this.requestTimeout = Http.requireTimeout("alertmanager request_timeout", timeout);
      return this;
    }

    /** Validates and builds. */
    public AlertmanagerSink build() {
      if (baseUrl == null) {
        throw new IllegalArgumentException("alertmanager url is required");
      }
      return new AlertmanagerSink(this);
    }
  }
}
