package io.riskmodules.alerts.sink;

import io.riskmodules.alerts.Alert;
import io.riskmodules.alerts.AlertSink;
import io.riskmodules.alerts.Notification;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes each alert of a notification as one SLF4J line: firing critical and high alerts at
 * ERROR, medium at WARN, low and info at INFO, resolved ones at INFO.
 *
 * <pre>{@code
 * AlertManager.builder().sink(LogSink.create()).build();
 * // WARN io.riskmodules.alerts - FIRING medium breaker_forced_open:payment_service: Circuit breaker ... (since 2026-...Z)
 * }</pre>
 *
 * <p>Never fails, never blocks beyond the logging backend.
 */
public final class LogSink implements AlertSink {

  private final String name;
  private final Logger log;

  private LogSink(String name, String logger) {
    this.name = name;
    this.log = LoggerFactory.getLogger(logger);
  }

  /** A log sink named {@code log} writing to logger {@code io.riskmodules.alerts}. */
  public static LogSink create() {
    return builder().build();
  }

  /** A builder with the defaults of {@link #create()}. */
  public static Builder builder() {
    return new Builder();
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public void deliver(Notification n) {
    for (Alert a : n.alerts()) {
      String line = a.isFiring()
          ? "FIRING {} {}: {} (since {}) {}"
          : "RESOLVED {} {}: {} (at {}) {}";
      Object[] args = {a.severity().value(), a.key(), a.title(), a.isFiring() ? a.startsAt() : a.endsAt(), a.details()};
      if (!a.isFiring()) {
        log.info(line, args);
      } else {
        switch (a.severity()) {
          case CRITICAL, HIGH -> log.error(line, args);
          case MEDIUM -> log.warn(line, args);
          case LOW, INFO -> log.info(line, args);
        }
      }
    }
  }

  @Override
  public String toString() {
    return "LogSink[name=" + name + ", logger=" + log.getName() + "]";
  }

  /** Configures a {@link LogSink}. */
  public static final class Builder {
    private String name = "log";
    private String logger = "io.riskmodules.alerts";

    Builder() {}

    /** The sink's name in meters; default {@code log}. */
    public Builder name(String name) {
      this.name = Sinks.requireName(name);
      return this;
    }

    /** The SLF4J logger name; default {@code io.riskmodules.alerts}. */
    public Builder logger(String logger) {
      this.logger = Objects.requireNonNull(logger, "logger");
      return this;
    }

    public LogSink build() {
      return new LogSink(name, logger);
    }
  }
}
