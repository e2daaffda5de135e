package io.riskmodules.alerts.internal;

import io.riskmodules.alerts.DeliveryException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * HTTP for the sinks: one client per sink, HTTP/1.1, no redirects, connect and request timeouts,
 * HTTPS except for loopback. Nothing here puts a URL in a message: {@link HttpRequest#toString()}
 * and {@link URISyntaxException} would print it, and for Slack or a webhook the URL is the secret.
 */
public final class Http {

  private final String sink;
  private final HttpClient client;
  private final Duration requestTimeout;
  private final List<String> secrets;

  /** The parts of an answer the sinks look at. */
  public record Answer(int status, String body, String retryAfter) {}

  /**
   * @param secrets strings never to repeat in a message (a receiver may echo them in an error body)
   */
  public Http(String sink, Duration connectTimeout, Duration requestTimeout, String... secrets) {
    this.sink = sink;
    this.secrets = java.util.Arrays.stream(secrets).filter(x -> x != null && x.length() >= 4).toList();
    this.client = HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .followRedirects(HttpClient.Redirect.NEVER)
        .connectTimeout(connectTimeout)
        .build();
    this.requestTimeout = requestTimeout;
  }

  /**
   * Checks a URL a user configured: it must parse, be absolute, and use https, or http to a
   * loopback address. Messages name the field, never the value when it is a secret.
   */
  public static URI parse(String field, String url, boolean secret) {
    Objects.requireNonNull(url, field);
    URI uri;
    try {
      uri = new URI(url.trim());
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException(field + " is not a valid URL"
          + (secret ? " (value not shown: it is a secret)" : ": " + e.getReason() + " at index " + e.getIndex()), null);
    }
    String shown = secret ? "" : ", was " + url;
    if (!uri.isAbsolute() || uri.getHost() == null) {
      throw new IllegalArgumentException(field + " must be an absolute http(s) URL with a host" + shown);
    }
    String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
    if (scheme.equals("http")) {
      if (!isLoopbackHost(uri.getHost())) {
        throw new IllegalArgumentException(field + " must use https; http is allowed only for loopback addresses" + shown);
      }
    } else if (!scheme.equals("https")) {
      throw new IllegalArgumentException(field + " must use https (or http for a loopback address)" + shown);
    }
    if (uri.getRawUserInfo() != null && !secret) {
      throw new IllegalArgumentException(field + " must not carry credentials in the URL" + shown);
    }
    return uri;
  }

  /** Whether {@code host} is a literal loopback address or {@code localhost}; never resolves a name. */
  public static boolean isLoopbackHost(String host) {
    String h = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    if (h.equalsIgnoreCase("localhost")) {
      return true;
    }
    boolean literal = h.contains(":") || h.chars().allMatch(c -> c == '.' || Character.isDigit(c));
    if (!literal) {
      return false;
    }
    try {
      return InetAddress.getByName(h).isLoopbackAddress(); // a literal: no lookup happens
    } catch (IOException e) {
      return false;
    }
  }

  /**
   * The parts of a secret URL that a receiver might echo: the whole URL, its path and query, and
   * each path segment and query value of six characters or more (Slack's token is the last segment).
   */
  public static String[] secretParts(String url, URI uri) {
    List<String> parts = new java.util.ArrayList<>();
    parts.add(url);
    parts.add(uri.getRawPath());
    parts.add(uri.getRawQuery());
    if (uri.getRawPath() != null) {
      for (String segment : uri.getRawPath().split("/")) {
        if (segment.length() >= 6) {
          parts.add(segment);
        }
      }
    }
    if (uri.getRawQuery() != null) {
      for (String pair : uri.getRawQuery().split("&")) {
        String value = pair.substring(pair.indexOf('=') + 1);
        if (value.length() >= 6) {
          parts.add(value);
        }
      }
    }
    return parts.stream().filter(java.util.Objects::nonNull).toArray(String[]::new);
  }

  /** Appends a path to a base URL whose path may end with a slash. */
  public static URI resolve(URI base, String path) {
    String b = base.toString();
    return URI.create((b.endsWith("/") ? b.substring(0, b.length() - 1) : b) + path);
  }

  /**
   * POSTs JSON. I/O errors and timeouts become retryable failures whose messages name the sink and
   * the kind of error only.
   */
  public Answer postJson(URI uri, String json, Map<String, String> headers) throws DeliveryException, InterruptedException {
    HttpRequest.Builder request = HttpRequest.newBuilder(uri)
        .timeout(requestTimeout)
        .header("Content-Type", "application/json; charset=utf-8")
        .header("User-Agent", "risk-modules-alerts")
        .POST(HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8));
    headers.forEach(request::header);
    try {
      HttpResponse<String> r = client.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
      return new Answer(r.statusCode(), r.body(), r.headers().firstValue("Retry-After").orElse(null));
    } catch (IOException e) {
      // The JDK's messages may hold the address; the class name says enough.
      throw DeliveryException.retryable(sink + ": " + e.getClass().getSimpleName(), null);
    }
  }

  /**
   * The usual reading of a status: 2xx is success; 408, 429 and 5xx are retried, honouring
   * {@code Retry-After}; any other status is permanent.
   */
  public void requireSuccess(Answer a) throws DeliveryException {
    int s = a.status();
    if (s >= 200 && s < 300) {
      return;
    }
    throw failure(a);
  }

  /** The failure a non-success answer stands for. */
  public DeliveryException failure(Answer a) {
    int s = a.status();
    String message = sink + ": HTTP " + s + scrub(bodyHint(a.body()));
    if (s == 408 || s == 429 || s >= 500) {
      return DeliveryException.retryable(message, retryAfter(a.retryAfter()));
    }
    return DeliveryException.permanent(message);
  }

  /** {@code text} with every secret replaced by {@code <secret>}. */
  public String scrub(String text) {
    String t = text;
    for (String secret : secrets) {
      t = t.replace(secret, "<secret>");
    }
    return t;
  }

  /** A short, single-line start of an error body (receivers answer with a word like {@code invalid_payload}). */
  private static String bodyHint(String body) {
    if (body == null || body.isBlank()) {
      return "";
    }
    String oneLine = body.strip().replaceAll("\\s+", " ");
    return " (" + (oneLine.length() > 120 ? oneLine.substring(0, 120) + "..." : oneLine) + ")";
  }

  /** {@code Retry-After} as delay-seconds or an HTTP date; null when absent or unreadable. */
  static Duration retryAfter(String header) {
    if (header == null || header.isBlank()) {
      return null;
    }
    String h = header.trim();
    try {
      long seconds = Long.parseLong(h);
      return seconds < 0 ? null : Duration.ofSeconds(seconds);
    } catch (NumberFormatException notSeconds) {
      try {
        ZonedDateTime at = ZonedDateTime.parse(h, DateTimeFormatter.RFC_1123_DATE_TIME);
        Duration d = Duration.between(ZonedDateTime.now(at.getZone()), at);
        return d.isNegative() ? Duration.ZERO : d;
      } catch (RuntimeException unreadable) {
        return null;
      }
    }
  }

  /** Checks a timeout a user configured. */
  public static Duration requireTimeout(String field, Duration d) {
    Objects.requireNonNull(d, field);
    if (d.isNegative() || d.isZero() || d.compareTo(Duration.ofMinutes(10)) > 0) {
      throw new IllegalArgumentException(field + " must be in (0s, 10m], was " + d);
    }
    return d;
  }
}
