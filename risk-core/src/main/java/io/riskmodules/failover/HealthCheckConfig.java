package io.riskmodules.failover;

import io.riskmodules.breaker.internal.ConfigDurations;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Objects;

/**
 * RFC-136's {@code health_check} block: what to probe and when a node changes health.
 *
 * <pre>{@code
 * HealthCheckConfig checks = HealthCheckConfig.builder()
 *     .endpoint("/health").interval(Duration.ofSeconds(10)).timeout(Duration.ofSeconds(5))
 *     .healthyThreshold(2).unhealthyThreshold(3).build();
 * }</pre>
 *
 * <p>Immutable; {@link Builder#build()} validates every value.
 */
public final class HealthCheckConfig {

  private final String endpoint;
  private final Duration interval;
  private final Duration timeout;
  private final int healthyThreshold;
  private final int unhealthyThreshold;

  private HealthCheckConfig(Builder b) {
    this.endpoint = b.endpoint;
    this.interval = b.interval;
    this.timeout = b.timeout;
    this.healthyThreshold = b.healthyThreshold;
    this.unhealthyThreshold = b.unhealthyThreshold;
  }

  /** RFC-136's values: {@code /health}, every 10 s, 5 s timeout, 2 up, 3 down. */
  public static HealthCheckConfig ofDefaults() {
    return builder().build();
  }

  /** A builder starting from RFC-136's values. */
  public static Builder builder() {
    return new Builder();
  }

  /** The path probed on each node ({@code endpoint}, default {@code /health}). */
  public String endpoint() {
    return endpoint;
  }

  /** Time between probe rounds ({@code interval_seconds}, default 10 s). */
  public Duration interval() {
    return interval;
  }

  /** A probe without an answer by then failed ({@code timeout_seconds}, default 5 s). */
  public Duration timeout() {
    return timeout;
  }

  /** Good probes in a row that make a node UP ({@code healthy_threshold}, default 2). */
  public int healthyThreshold() {
    return healthyThreshold;
  }

  /** Failed probes in a row that make a node DOWN ({@code unhealthy_threshold}, default 3). */
  public int unhealthyThreshold() {
    return unhealthyThreshold;
  }

  /** Builds a {@link HealthCheckConfig}. Not thread-safe. */
  public static final class Builder {
    private String endpoint = "/health";
    private Duration interval = Duration.ofSeconds(10);
    private Duration timeout = Duration.ofSeconds(5);
    private int healthyThreshold = 2;
    private int unhealthyThreshold = 3;

    Builder() {}

    public Builder endpoint(String endpoint) {
      this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
      return this;
    }

    public Builder interval(Duration interval) {
      this.interval = Objects.requireNonNull(interval, "interval");
      return this;
    }

    public Builder timeout(Duration timeout) {
      this.timeout = Objects.requireNonNull(timeout, "timeout");
      return this;
    }

    public Builder healthyThreshold(int probes) {
      this.healthyThreshold = probes;
      return this;
    }

    public Builder unhealthyThreshold(int probes) {
      this.unhealthyThreshold = probes;
      return this;
    }

    /** @throws IllegalArgumentException naming the wrong key, its value and the rule */
    public HealthCheckConfig build() {
      if (!endpoint.startsWith("/")) {
        throw new IllegalArgumentException("health_check.endpoint must start with '/', was '" + endpoint + "'");
      }
      try {
        URI uri = new URI("http://localhost" + endpoint);
        if (uri.getRawUserInfo() != null || !"localhost".equals(uri.getHost()) || uri.getPort() != -1) {
          throw new URISyntaxException(endpoint, "not a path");
        }
      } catch (URISyntaxException e) {
        // The value is not echoed: it may hold credentials.
        throw new IllegalArgumentException("health_check.endpoint must be a path that makes a valid URI"
            + " (no spaces or other illegal characters)" + (e.getIndex() >= 0 ? ", illegal character at index "
            + (e.getIndex() - "http://localhost".length()) : ""));
      }
      ConfigDurations.requireInRange("health_check.interval_seconds", interval);
      ConfigDurations.requireInRange("health_check.timeout_seconds", timeout);
      if (healthyThreshold < 1) {
        throw new IllegalArgumentException("health_check.healthy_threshold must be at least 1, was " + healthyThreshold);
      }
      if (unhealthyThreshold < 1) {
        throw new IllegalArgumentException("health_check.unhealthy_threshold must be at least 1, was " + unhealthyThreshold);
      }
      return new HealthCheckConfig(this);
    }
  }
}
