package io.riskmodules.alerts;

import io.micrometer.core.instrument.MeterRegistry;
import io.riskmodules.alerts.internal.Engine;
import io.riskmodules.alerts.internal.Settings;
import io.riskmodules.breaker.CircuitBreaker;
import io.riskmodules.breaker.CircuitBreakerConfig;
import io.riskmodules.breaker.CircuitBreakerRegistry;
import io.riskmodules.breaker.Subscription;
import io.riskmodules.breaker.Ticker;
import io.riskmodules.risk.RiskAssessor;
import io.riskmodules.risk.RiskLevel;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Turns breaker and risk events into notifications on sinks, like a small Prometheus
 * Alertmanager: it deduplicates by alert key, groups alerts that become due within a group wait
 * into one notification per sink, repeats an unresolved alert only after the repeat interval,
 * sends resolved notifications, and lets one alert inhibit another.
 *
 * <pre>{@code
 * AlertManager alerts = AlertManager.builder()
 *     .sink(SlackSink.builder().webhookUrl(System.getenv("SLACK_WEBHOOK_URL")).build(), Severity.CRITICAL, Severity.HIGH)
 *     .sink(PagerDutySink.builder().routingKey(System.getenv("PAGERDUTY_KEY")).build(), Severity.CRITICAL)
 *     .breakerOpenSeverity("payment_service", Severity.CRITICAL)
 *     .breakerOpenSeverity("notification_service", Severity.LOW)
 *     .build();
 * alerts.attach(registry);
 * alerts.attach(assessor);
 * ...
 * alerts.close(Duration.ofSeconds(5));
 * }</pre>
 *
 * <p><b>Default rules.</b> A breaker that opens fires a {@link AlertKind#BREAKER_OPEN} alert (key
 * {@code breaker_open:<name>}, severity per service, default {@code high}); closing (or being
 * disabled) resolves it. A breaker forced open by an operator fires {@link
 * AlertKind#BREAKER_FORCED_OPEN} ({@code breaker_forced_open:<name>}, default {@code medium}),
 * resolved when it leaves FORCED_OPEN. A risk level at or above the threshold (default HIGH) fires
 * {@link AlertKind#RISK_HIGH} ({@code risk_high:<name>}; HIGH is {@code high}, CRITICAL is
 * {@code critical}), resolved when the level falls below it. A breaker removed from the registry
 * resolves its alerts. By default an open or forced-open breaker inhibits the risk alert of the
 * same service.
 *
 * <p><b>Threads.</b> Thread-safe. Raising an alert (a listener call on a breaker's event thread,
 * or {@link #fire}) only puts the event in a bounded inbox; one manager thread turns events into
 * notifications and each sink has its own bounded queue and worker thread, so a slow sink holds
 * up neither the caller nor the other sinks. {@link #close(Duration)} stops every thread.
 */
public final class AlertManager implements AutoCloseable {

  /** Default group wait: 10 seconds. */
  public static final Duration DEFAULT_GROUP_WAIT = Duration.ofSeconds(10);
  /** Default repeat interval: 4 hours, as Prometheus Alertmanager. */
  public static final Duration DEFAULT_REPEAT_INTERVAL = Duration.ofHours(4);
  /** Default resolve timeout for alerts raised with {@link #fire}: 5 minutes, as Prometheus Alertmanager. */
  public static final Duration DEFAULT_RESOLVE_TIMEOUT = Duration.ofMinutes(5);

  private final Engine engine;

  private AlertManager(Settings settings) {
    this.engine = new Engine(settings);
  }

  /** A builder with the documented defaults and no sink. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Watches every breaker of {@code registry}, present and future; a removed breaker's alerts
   * resolve. Closing the subscription stops watching (firing alerts stay as they are).
   */
  public Subscription attach(CircuitBreakerRegistry registry) {
    return engine.attach(registry);
  }

  /** Watches one breaker. */
  public Subscription attach(CircuitBreaker breaker) {
    return engine.attach(breaker);
  }

  /** Watches the risk levels of {@code assessor} ({@link RiskAssessor#onLevelChange}). */
  public Subscription attach(RiskAssessor assessor) {
    return engine.attach(assessor);
  }

  /**
   * Raises (or refreshes) an application alert; non-blocking. An alert with the key of one that
   * already fires is the same alert. A firing alert raised here that is not raised again within
   * the resolve timeout resolves itself. Passing a resolved alert resolves it.
   */
  public void fire(Alert alert) {
    engine.fire(Objects.requireNonNull(alert, "alert"));
  }

  /** Resolves the firing alert with {@code key}, if any; non-blocking. */
  public void resolve(String key) {
    engine.resolve(Objects.requireNonNull(key, "key"));
  }

  /** The alerts firing now (including inhibited ones), most severe first. */
  public List<Alert> active() {
    return engine.active();
  }

  /**
   * Processes every event raised so far and sends what is due now (group waits passed, repeats,
   * resolve timeouts). The manager's own thread does this by itself every evaluation interval;
   * tests with a manual clock call it after moving the clock.
   */
  public void evaluate() {
    engine.evaluate();
  }

  /** Per-sink accounting, in the order the sinks were added. */
  public List<SinkStats> stats() {
    return engine.stats();
  }

  /** Events lost because the inbox was full (also counted and logged). */
  public long inboxDropped() {
    return engine.inboxDropped();
  }

  /**
   * Stops taking events, sends what is pending now (group waits cut short), lets each sink drain
   * its queue until {@code timeout} has passed, then counts what is left as dropped
   * ({@link DropReason#SHUTDOWN}) and stops every thread. Idempotent.
   *
   * @return whether every queue drained in time
   */
  public boolean close(Duration timeout) {
    return engine.close(Objects.requireNonNull(timeout, "timeout"));
  }

  /** {@link #close(Duration)} with 5 seconds. */
  @Override
  public void close() {
    close(Duration.ofSeconds(5));
  }

  /** The manager's settings, for tools that show them; no secrets (sinks show only their names). */
  @Override
  public String toString() {
    return "AlertManager" + engine.describe();
  }

  /**
   * Configures an {@link AlertManager}. Not thread-safe; {@link #build()} validates and copies, so
   * a builder can be reused.
   */
  public static final class Builder {
    private final Map<String, Settings.Route> sinks = new LinkedHashMap<>();
    private Severity breakerOpenSeverity = Severity.HIGH;
    private final Map<String, Severity> breakerOpenSeverities = new HashMap<>();
    private Severity forcedOpenSeverity = Severity.MEDIUM;
    private final Map<String, Severity> forcedOpenSeverities = new HashMap<>();
    private RiskLevel riskThreshold = RiskLevel.HIGH;
    private final Map<RiskLevel, Severity> riskSeverities = new EnumMap<>(RiskLevel.class);
    private final Map<String, Map<RiskLevel, Severity>> serviceRiskSeverities = new HashMap<>();
    private Duration groupWait = DEFAULT_GROUP_WAIT;
    private Duration repeatInterval = DEFAULT_REPEAT_INTERVAL;
    private Duration resolveTimeout = DEFAULT_RESOLVE_TIMEOUT;
    private boolean sendResolved = true;
    private final Set<Settings.Inhibition> inhibitions = new LinkedHashSet<>();
    private int maxAlertsPerNotification = 500;
    private int inboxCapacity = 65_536;
    private int queueCapacity = 1_000;
    private int maxAttempts = 6;
    private Duration initialBackoff = Duration.ofSeconds(1);
    private Duration maxBackoff = Duration.ofMinutes(1);
    private Duration maxRetryAfter = Duration.ofMinutes(5);
    private CircuitBreakerConfig sinkBreakerConfig = CircuitBreakerConfig.builder()
        .failureThreshold(5).openTimeout(Duration.ofSeconds(30)).build();
    private Duration evaluationInterval = Duration.ofSeconds(1);
    private Clock clock = Clock.systemUTC();
    private Ticker ticker = Ticker.system();
    private MeterRegistry meterRegistry;

    Builder() {
      riskSeverities.put(RiskLevel.LOW, Severity.LOW);
      riskSeverities.put(RiskLevel.MEDIUM, Severity.MEDIUM);
      riskSeverities.put(RiskLevel.HIGH, Severity.HIGH);
      riskSeverities.put(RiskLevel.CRITICAL, Severity.CRITICAL);
      inhibitions.add(new Settings.Inhibition(AlertKind.BREAKER_OPEN, AlertKind.RISK_HIGH));
      inhibitions.add(new Settings.Inhibition(AlertKind.BREAKER_FORCED_OPEN, AlertKind.RISK_HIGH));
    }

    /**
     * Routes alerts of the given severities to {@code sink} (the RFC's {@code severity_filter});
     * no severity means every severity. Sink names must be unique.
     */
    public Builder sink(AlertSink sink, Severity... severityFilter) {
      return sink(sink, severityFilter.length == 0 ? EnumSet.allOf(Severity.class) : EnumSet.copyOf(List.of(severityFilter)));
    }

    /** As {@link #sink(AlertSink, Severity...)} with a set; an empty set is refused. */
    public Builder sink(AlertSink sink, Set<Severity> severityFilter) {
      Objects.requireNonNull(sink, "sink");
      Objects.requireNonNull(severityFilter, "severityFilter");
      String name = Objects.requireNonNull(sink.name(), "sink.name()");
      require(!name.isBlank(), "sink name must not be blank");
      require(!severityFilter.isEmpty(), "severity_filter of sink %s must name at least one severity", name);
      require(!sinks.containsKey(name), "sink name %s is used twice; give one of them another name()", name);
      require(!name.equals("manager"), "sink name manager is reserved for the manager's own counts");
      sinks.put(name, new Settings.Route(sink, EnumSet.copyOf(severityFilter)));
      return this;
    }

    /** Severity of an open breaker whose service has no severity of its own; default {@code high}. */
    public Builder breakerOpenSeverity(Severity severity) {
      this.breakerOpenSeverity = Objects.requireNonNull(severity, "severity");
      return this;
    }

    /** Severity of an open breaker named {@code service} (an open {@code payment_service} is critical). */
    public Builder breakerOpenSeverity(String service, Severity severity) {
      breakerOpenSeverities.put(requireService(service), Objects.requireNonNull(severity, "severity"));
      return this;
    }

    /** Severity of a breaker forced open by an operator; default {@code medium}. */
    public Builder forcedOpenSeverity(Severity severity) {
      this.forcedOpenSeverity = Objects.requireNonNull(severity, "severity");
      return this;
    }

    /** Severity of the breaker named {@code service} forced open by an operator. */
    public Builder forcedOpenSeverity(String service, Severity severity) {
      forcedOpenSeverities.put(requireService(service), Objects.requireNonNull(severity, "severity"));
      return this;
    }

    /** The lowest risk level that fires a {@link AlertKind#RISK_HIGH} alert; default HIGH. */
    public Builder riskThreshold(RiskLevel level) {
      this.riskThreshold = Objects.requireNonNull(level, "level");
      return this;
    }

    /** Severity of a risk alert at {@code level}, for every service; by default the level's own word. */
    public Builder riskSeverity(RiskLevel level, Severity severity) {
      riskSeverities.put(Objects.requireNonNull(level, "level"), Objects.requireNonNull(severity, "severity"));
      return this;
    }

    /** Severity of a risk alert at {@code level} for {@code service}. */
    public Builder riskSeverity(String service, RiskLevel level, Severity severity) {
      serviceRiskSeverities.computeIfAbsent(requireService(service), s -> new EnumMap<>(RiskLevel.class))
          .put(Objects.requireNonNull(level, "level"), Objects.requireNonNull(severity, "severity"));
      return this;
    }

    /**
     * How long the first alert of a group waits for others before the group is sent; default 10
     * s; zero sends at the next evaluation.
     */
    public Builder groupWait(Duration wait) {
      this.groupWait = requireNonNegative("group_wait", wait);
      return this;
    }

    /** How long before a still-firing alert is sent again; default 4 h; at least 1 s. */
    public Builder repeatInterval(Duration interval) {
      requireNonNegative("repeat_interval", interval);
      require(interval.compareTo(Duration.ofSeconds(1)) >= 0, "repeat_interval must be at least 1s, was %s", interval);
      this.repeatInterval = interval;
      return this;
    }

    /**
     * How long an alert raised with {@link AlertManager#fire} keeps firing without being raised
     * again; default 5 min. Breaker and risk alerts are resolved by their events and never time out.
     */
    public Builder resolveTimeout(Duration timeout) {
      requireNonNegative("resolve_timeout", timeout);
      require(!timeout.isZero(), "resolve_timeout must be positive, was %s", timeout);
      this.resolveTimeout = timeout;
      return this;
    }

    /** Whether resolved alerts are sent; default true. */
    public Builder sendResolved(boolean send) {
      this.sendResolved = send;
      return this;
    }

    /**
     * While an alert of kind {@code source} fires for a service, alerts of kind {@code target}
     * for the same service are not sent. Defaults: BREAKER_OPEN and BREAKER_FORCED_OPEN inhibit
     * RISK_HIGH.
     */
    public Builder inhibit(AlertKind source, AlertKind target) {
      Objects.requireNonNull(source, "source");
      Objects.requireNonNull(target, "target");
      require(source != target, "an alert kind cannot inhibit itself, was %s", source);
      inhibitions.add(new Settings.Inhibition(source, target));
      return this;
    }

    /** Removes every inhibition rule, the defaults included. */
    public Builder clearInhibitions() {
      inhibitions.clear();
      return this;
    }

    /** The most alerts in one notification; a larger group is split; default 500. */
    public Builder maxAlertsPerNotification(int max) {
      require(max >= 1 && max <= 10_000, "max_alerts_per_notification must be in [1, 10000], was %s", max);
      this.maxAlertsPerNotification = max;
      return this;
    }

    /** Events the inbox holds before new ones are dropped (counted); default 65536. */
    public Builder inboxCapacity(int capacity) {
      require(capacity >= 16 && capacity <= 1 << 24, "inbox_capacity must be in [16, 16777216], was %s", capacity);
      this.inboxCapacity = capacity;
      return this;
    }

    /** Notifications each sink's queue holds; when full the lowest severity is dropped; default 1000. */
    public Builder queueCapacity(int capacity) {
      require(capacity >= 1 && capacity <= 1_000_000, "queue_capacity must be in [1, 1000000], was %s", capacity);
      this.queueCapacity = capacity;
      return this;
    }

    /** Attempts per notification, the first included, before it is dropped as given up; default 6. */
    public Builder maxAttempts(int attempts) {
      require(attempts >= 1 && attempts <= 100, "max_attempts must be in [1, 100], was %s", attempts);
      this.maxAttempts = attempts;
      return this;
    }

    /**
     * Backoff before the first retry, doubled per retry with full jitter up to {@code max};
     * defaults 1 s and 1 min.
     */
    public Builder backoff(Duration initial, Duration max) {
      requireNonNegative("initial_backoff", initial);
      requireNonNegative("max_backoff", max);
      require(!initial.isZero(), "initial_backoff must be positive, was %s", initial);
      require(max.compareTo(initial) >= 0, "max_backoff must be at least initial_backoff %s, was %s", initial, max);
      this.initialBackoff = initial;
      this.maxBackoff = max;
      return this;
    }

    /** The longest {@code Retry-After} honoured; longer requests wait this long; default 5 min. */
    public Builder maxRetryAfter(Duration cap) {
      this.maxRetryAfter = requireNonNegative("max_retry_after", cap);
      return this;
    }

    /**
     * Config of the circuit breaker guarding each sink; default: opens after 5 failures in a row
     * for 30 s. While it is open the sink's worker waits instead of calling the receiver.
     */
    public Builder sinkBreakerConfig(CircuitBreakerConfig config) {
      this.sinkBreakerConfig = Objects.requireNonNull(config, "config");
      return this;
    }

    /** How often the manager's thread sends what is due; default 1 s. */
    public Builder evaluationInterval(Duration interval) {
      requireNonNegative("evaluation_interval", interval);
      require(interval.toMillis() >= 1, "evaluation_interval must be at least 1ms, was %s", interval);
      this.evaluationInterval = interval;
      return this;
    }

    /** Wall clock of alert timestamps; default UTC system clock. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** Monotonic time of group waits, repeats and resolve timeouts; default the system ticker. */
    public Builder ticker(Ticker ticker) {
      this.ticker = Objects.requireNonNull(ticker, "ticker");
      return this;
    }

    /** Registers the manager's meters (README lists them) in {@code registry}; default none. */
    public Builder meterRegistry(MeterRegistry registry) {
      this.meterRegistry = Objects.requireNonNull(registry, "registry");
      return this;
    }

    /** Validates and builds; starts the manager's and sinks' threads. */
    public AlertManager build() {
      Map<String, Map<RiskLevel, Severity>> risk = new HashMap<>();
      serviceRiskSeverities.forEach((k, v) -> risk.put(k, Map.copyOf(v)));
      return new AlertManager(new Settings(
          List.copyOf(new ArrayList<>(sinks.values())),
          breakerOpenSeverity, Map.copyOf(breakerOpenSeverities),
          forcedOpenSeverity, Map.copyOf(forcedOpenSeverities),
          riskThreshold, Map.copyOf(riskSeverities), Map.copyOf(risk),
          groupWait, repeatInterval, resolveTimeout, sendResolved, List.copyOf(inhibitions),
          maxAlertsPerNotification, inboxCapacity, queueCapacity, maxAttempts,
          initialBackoff, maxBackoff, maxRetryAfter, sinkBreakerConfig,
          evaluationInterval, clock, ticker, meterRegistry));
    }

    private static String requireService(String service) {
      Objects.requireNonNull(service, "service");
      require(!service.isBlank(), "service name must not be blank");
      return service;
    }

    private static Duration requireNonNegative(String field, Duration d) {
      Objects.requireNonNull(d, field);
      require(!d.isNegative(), "%s must not be negative, was %s", field, d);
      return d;
    }

    private static void require(boolean ok, String format, Object... args) {
      if (!ok) {
        throw new IllegalArgumentException(String.format(format, args));
      }
    }
  }
}
