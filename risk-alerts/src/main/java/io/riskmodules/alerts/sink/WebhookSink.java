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
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Posts each notification as one JSON document to any URL:
 *
 * <pre>{@code
 * {"version":"1","status":"firing","summary":"[FIRING:1] critical: ...","createdAt":"2026-...Z",
 *  "alerts":[{"key":"breaker_open:payment_service","kind":"breaker_open","alertname":"CircuitBreakerOpen",
 *             "status":"firing","severity":"critical","source":"payment_service","title":"...",
 *             "details":"...","startsAt":"...","labels":{...}}]}
 * }</pre>
 *
 * <p>{@code status} is {@code firing} when any alert fires, else {@code resolved}. 2xx is success;
 * 408, 429 and 5xx are retried; other answers are permanent. The URL and the header values are
 * secrets (they often carry a token): they never appear in {@code toString()}, logs or exceptions.
 *
 * <pre>{@code
 * AlertSink hook = WebhookSink.builder().url("https://ops.example.com/hooks/risk")
 *     .header("Authorization", "Bearer " + token).build();
 * }</pre>
 */
public final class WebhookSink implements AlertSink {

  private final String name;
  private final URI url;
  private final Map<String, String> headers;
  private final Http http;

  private WebhookSink(Builder b) {
    this.name = b.name;
    this.url = Http.parse("webhook url", b.url, true);
    this.headers = Map.copyOf(b.headers);
    List<String> secrets = new ArrayList<>(List.of(Http.secretParts(b.url, url)));
    for (String value : b.headers.values()) {
      secrets.add(value);
      for (String word : value.split(" ")) {
        if (word.length() >= 6) {
          secrets.add(word); // "Bearer <token>": the token alone
        }
      }
    }
    this.http = new Http(name, b.connectTimeout, b.requestTimeout, secrets.toArray(String[]::new));
  }

  /** A builder; {@link Builder#url} is required. */
  public static Builder builder() {
    return new Builder();
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public void deliver(Notification n) throws DeliveryException, InterruptedException {
    http.requireSuccess(http.postJson(url, body(n), headers));
  }

  static String body(Notification n) {
    ObjectNode root = Json.object();
    root.put("version", "1");
    root.put("status", n.firing().isEmpty() ? "resolved" : "firing");
    root.put("summary", n.summary());
    root.put("createdAt", Json.time(n.createdAt()));
    ArrayNode alerts = root.putArray("alerts");
    for (Alert a : n.alerts()) {
      alerts.add(Json.alert(a));
    }
    return Json.write(root);
  }

  /** Names the sink and the header names only. */
  @Override
  public String toString() {
    return "WebhookSink[name=" + name + ", url=<secret>, headers=" + headers.keySet() + "]";
  }

  /** Configures a {@link WebhookSink}. Not thread-safe. */
  public static final class Builder {
    private String name = "webhook";
    private String url;
    private final Map<String, String> headers = new LinkedHashMap<>();
    private Duration connectTimeout = Duration.ofSeconds(5);
    private Duration requestTimeout = Duration.ofSeconds(10);

    Builder() {}

    /** Where to post; https, or http to a loopback address. Required. */
    public Builder url(String url) {
      this.url = Objects.requireNonNull(url, "url");
      return this;
    }

    /** A header sent with every request, for example {@code Authorization}; its value is a secret. */
    public Builder header(String name, String value) {
      Objects.requireNonNull(name, "header name");
      Objects.requireNonNull(value, "header value");
      if (!name.matches("[A-Za-z0-9-]{1,64}")) {
        throw new IllegalArgumentException("webhook header name must be 1 to 64 letters, digits or -, was " + name);
      }
      headers.put(name, value);
      return this;
    }

    /** The sink's name in logs and meters; default {@code webhook}. */
    public Builder name(String name) {
      this.name = Sinks.requireName(name);
      return this;
    }

    /** TCP connect timeout; default 5 s. */
    public Builder connectTimeout(Duration timeout) {
      this.connectTimeout = Http.requireTimeout("webhook connect_timeout", timeout);
      return this;
    }

    /** Timeout of a whole request, answer included; default 10 s. */
    public Builder requestTimeout(Duration timeout) {
      this.requestTimeout = Http.requireTimeout("webhook request_timeout", timeout);
      return this;
    }

    /** Validates and builds. */
    public WebhookSink build() {
      if (url == null) {
        throw new IllegalArgumentException("webhook url is required");
      }
      return new WebhookSink(this);
    }
  }
}
