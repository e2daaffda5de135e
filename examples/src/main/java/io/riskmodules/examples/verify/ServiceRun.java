package io.riskmodules.examples.verify;

import io.riskmodules.RiskModules;
import io.riskmodules.alerts.Alert;
import io.riskmodules.breaker.CallNotPermittedException;
import io.riskmodules.breaker.CircuitBreaker;
import io.riskmodules.breaker.CircuitBreakerStatus;
import io.riskmodules.breaker.CircuitState;
import io.riskmodules.breaker.SlidingWindowType;
import io.riskmodules.breaker.fallback.FallbackResponse;
import io.riskmodules.config.AlertingConfig;
import io.riskmodules.config.ServiceState;
import io.riskmodules.risk.RiskAssessor;
import io.riskmodules.risk.RiskLevel;
import io.riskmodules.testing.RecordingAlertSink;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.IntPredicate;

/**
 * Verifies one service's breaker against its config: a simulated downstream fails, slows down and
 * recovers while the run watches the breaker, the fallback, the risk level and the alerts. Every
 * expectation comes from the config, so the same run verifies a user's files.
 */
final class ServiceRun {

  /** The rows of a service's table, in the order they are shown. */
  static final Map<String, String> CHECKS = new LinkedHashMap<>();

  static {
    CHECKS.put("consecutive_failures", "trips at failure_threshold failures in a row");
    CHECKS.put("fallback_while_open", "rejects with the configured fallback while open");
    CHECKS.put("half_open", "half-opens after timeout_seconds");
    CHECKS.put("close", "closes after success_threshold good probes");
    CHECKS.put("risk_rises", "risk level rises while open");
    CHECKS.put("risk_falls", "risk level falls after it closes");
    CHECKS.put("alert_fires", "breaker_open alert fires");
    CHECKS.put("alert_resolves", "breaker_open alert resolves");
    CHECKS.put("failure_rate", "trips at failure_rate_threshold");
    CHECKS.put("slow_calls", "trips at slow_call_rate_threshold");
    CHECKS.put("counts", "counts add up");
  }

  private static final Duration ALERT_DELIVERY = Duration.ofSeconds(5);
  private static final int REJECTED_WHILE_OPEN = 5;
  private static final int SAMPLES_TO_FALL = 12;
  /** Time between good probes: a half-open breaker's traffic comes over time, and the timeline shows the state. */
  private static final Duration PROBE_GAP = Duration.ofMillis(500);

  private final String name;
  private final RiskModules risk;
  private final RunTime time;
  private final Progress progress;
  private final RecordingAlertSink alerts;
  private final ServiceState configuredState;
  private final CircuitBreaker breaker;
  private final CircuitBreakerStatus.Settings settings;
  private final Timeline timeline;
  private final Map<String, Check> results = new LinkedHashMap<>();
  private long reached;
  private long made;

  private enum Kind { OK, FAIL, SLOW }

  /** The simulated downstream's failure. */
  static final class SimulatedOutage extends RuntimeException {
    private static final long serialVersionUID = 1L;

    SimulatedOutage(String service) {
      super(service + ": simulated outage", null, false, false);
    }
  }

  ServiceRun(String name, ServiceState configuredState, RiskModules risk, RunTime time, Progress progress,
      RecordingAlertSink alerts) {
    this.name = name;
    this.configuredState = configuredState;
    this.risk = risk;
    this.time = time;
    this.progress = progress;
    this.alerts = alerts;
    this.breaker = risk.breaker(name);
    this.settings = breaker.status().config();
    this.timeline = new Timeline(time.ticker(), time.clock().instant(), breaker.state().name());
    breaker.onStateChange(timeline::transition);
    breaker.onCall(timeline::call);
  }

  /** The settings the run verifies, as the config gives them. */
  static Map<String, Object> describe(CircuitBreakerStatus.Settings s) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("failure_threshold", s.failureThreshold());
    m.put("success_threshold", s.successThreshold());
    m.put("timeout_seconds", s.openTimeoutMillis() / 1000.0);
    m.put("half_open_max_calls", s.halfOpenMaxCalls());
    m.put("failure_rate_threshold", s.failureRateThreshold());
    m.put("slow_call_detection", s.slowCallDetection());
    m.put("slow_call_duration_threshold", s.slowCallDurationThresholdMillis());
    m.put("slow_call_rate_threshold", s.slowCallRateThreshold());
    m.put("minimum_number_of_calls", s.minimumNumberOfCalls());
    m.put("sliding_window_type", s.slidingWindowType().name().toLowerCase(Locale.ROOT));
    m.put("sliding_window_size", s.slidingWindowSize());
    return m;
  }

  ServiceReport run() {
    Duration interval = risk.config().monitoring().metricsInterval();
    // a reading just after each of the collector's samples (same period, scheduled after it)
    ScheduledFuture<?> readings = time.scheduler().scheduleAtFixedRate(this::readRisk,
        interval.toMillis() + 1, interval.toMillis(), TimeUnit.MILLISECONDS);
    progress.line(name + ": failure_threshold " + settings.failureThreshold() + ", success_threshold "
        + settings.successThreshold() + ", timeout_seconds " + seconds(settings.openTimeoutMillis()));
    try {
      // traffic starts between two samples: a sample sees the service healthy first, and the next
      // one falls inside the open time even when timeout_seconds equals metrics_interval_seconds
      time.advance(interval.plus(interval.dividedBy(2)));
      consecutiveFailures();
      if (breaker.state() == CircuitState.OPEN) {
        whileOpenAndRecovering();
      } else {
        for (String id : List.of("fallback_while_open", "half_open", "close", "risk_rises", "risk_falls",
            "alert_fires", "alert_resolves")) {
          record(id, "(follows the trip)", "not verified: the breaker did not open", false);
        }
      }
      rateTrip("failure_rate");
      rateTrip("slow_calls");
      counts();
      settle();
    } catch (RuntimeException e) {
      for (String id : CHECKS.keySet()) {
        if (!results.containsKey(id)) {
          record(id, "(the run to reach this check)", "not verified: the run stopped with " + e, false);
        }
      }
    } finally {
      readings.cancel(false);
    }
    for (Alert a : alerts.alerts(a -> name.equals(a.source()))) {
      timeline.alert(a);
    }
    List<Check> ordered = new ArrayList<>();
    CHECKS.keySet().forEach(id -> ordered.add(results.get(id)));
    return new ServiceReport(name, describe(settings), ordered.stream().allMatch(Check::passed), ordered,
        timeline.finish());
  }

  private void readRisk() {
    RiskAssessor assessor = risk.riskAssessor();
    assessor.latest(name).ifPresent(a -> timeline.risk(a.score(), a.level()));
  }

  // ---------------------------------------------------------------- the phases

  private void consecutiveFailures() {
    int ft = settings.failureThreshold();
    double r = settings.failureRateThreshold();
    // enough good calls first that the failure rate stays under its threshold until the streak decides
    int warm = Math.max(minimumCalls(), (int) Math.floor((ft - 1) * (1 / r - 1)) + 1);
    String expected = (ft > 1 ? "CLOSED after " + (ft - 1) + " in a row, " : "") + "OPEN at failure " + ft
        + " (after " + warm + " good calls)";
    CircuitState initial = breaker.state();
    if (initial != CircuitState.CLOSED) {
      record("consecutive_failures", expected, initial + " before any call (state: " + configuredState.value()
          + " in the config)", false);
      return;
    }
    for (int i = 0; i < warm; i++) {
      call(Kind.OK);
    }
    int limit = ft + Math.max(ft, 10);
    int trippedAt = -1;
    for (int i = 1; i <= limit; i++) {
      call(Kind.FAIL);
      if (breaker.state() != CircuitState.CLOSED) {
        trippedAt = i;
        break;
      }
    }
    String observed = trippedAt < 0 ? "still CLOSED after " + limit + " failures in a row"
        : (trippedAt > 1 ? "CLOSED after " + (trippedAt - 1) + ", " : "") + breaker.state() + " at failure "
            + trippedAt + ": " + timeline.lastReason();
    record("consecutive_failures", expected, observed, trippedAt == ft && breaker.state() == CircuitState.OPEN);
  }

  private void whileOpenAndRecovering() {
    long trip = timeline.now();
    long open = settings.openTimeoutMillis();

    // rejected with the configured fallback, which tells the time really left
    time.advance(Duration.ofMillis(open / 4));
    long remaining = breaker.status().remainingOpenMillis();
    FallbackResponse.Template template = risk.fallbackResponse();
    long retryAfter = Math.max(1, (remaining + 999) / 1000);
    long before = reached;
    List<Object> answers = new ArrayList<>();
    for (int i = 0; i < REJECTED_WHILE_OPEN; i++) {
      answers.add(call(Kind.OK));
    }
    String expected = "no call reaches the service; " + template.statusCode() + " "
        + new FallbackResponse.Body(template.error(), retryAfter).toJson() + " (" + seconds(remaining) + " left)";
    // every answer the same: the configured response with the time really left
    boolean ok = reached == before;
    Object first = answers.get(0);
    for (Object a : answers) {
      ok &= a instanceof FallbackResponse r && r.statusCode() == template.statusCode()
          && r.body().error().equals(template.error()) && r.body().retryAfter() == retryAfter;
    }
    long differing = answers.stream().filter(a -> !a.equals(first)).count();
    String observed = (reached - before) + " of " + REJECTED_WHILE_OPEN + " calls reached it; "
        + (first instanceof FallbackResponse r ? r.statusCode() + " " + r.body().toJson() : "answer " + first)
        + (differing > 0 ? " (" + differing + " other answers differ)" : "");
    record("fallback_while_open", expected, observed, ok);

    // half-open exactly when the open time is over
    Duration margin = time.margin();
    time.advance(Duration.ofMillis(open - (timeline.now() - trip)).minus(margin));
    CircuitState justBefore = breaker.state();
    long tBefore = timeline.now() - trip;
    time.advance(margin);
    CircuitState after = breaker.state();
    long tAfter = timeline.now() - trip;
    record("half_open", "OPEN until " + seconds(open) + " after the trip, then HALF_OPEN",
        justBefore + " at " + seconds(tBefore) + ", " + after + " at " + seconds(tAfter),
        justBefore == CircuitState.OPEN && after == CircuitState.HALF_OPEN);

    // the alert is sent after its group wait; a half-open breaker still fires it
    AlertingConfig alerting = risk.config().alerting();
    long groupWait = alerting.groupWait().toMillis();
    long since = timeline.now() - trip;
    if (since < groupWait + 1000) {
      time.advance(Duration.ofMillis(groupWait + 1000 - since));
    }
    String key = "breaker_open:" + name;
    String severity = alerting.breakerOpen().services().getOrDefault(name, alerting.breakerOpen().severity());
    Optional<Alert> fired = alerts.awaitOptional(a -> a.key().equals(key) && a.status() == Alert.Status.FIRING,
        ALERT_DELIVERY);
    record("alert_fires", key + " firing, severity " + severity,
        fired.map(a -> key + " firing, severity " + a.severity().name().toLowerCase(Locale.ROOT))
            .orElse("not received within " + seconds(groupWait + 1000) + " of the trip"),
        fired.isPresent() && fired.get().severity().name().equalsIgnoreCase(severity));

    // good probes close it
    int st = settings.successThreshold();
    CircuitState beforeLast = null;
    int closedAt = -1;
    int probes = 0;
    for (int i = 1; i <= st + 5 && breaker.state() == CircuitState.HALF_OPEN; i++) {
      time.advance(PROBE_GAP);
      call(Kind.OK);
      probes = i;
      if (i == st - 1) {
        beforeLast = breaker.state();
      }
      if (breaker.state() == CircuitState.CLOSED) {
        closedAt = i;
      }
    }
    String closeExpected = (st > 1 ? "HALF_OPEN after " + plural(st - 1, "good probe") + ", " : "") + "CLOSED at probe " + st;
    String closeObserved = closedAt < 0 ? breaker.state() + " after " + probes + " good probes"
        : (st > 1 && closedAt == st ? beforeLast + " after " + (st - 1) + ", " : "") + "CLOSED at probe " + closedAt;
    record("close", closeExpected, closeObserved, closedAt == st);
    long closed = timeline.now();

    // the resolution follows the close after a group wait
    time.advance(Duration.ofMillis(groupWait + 1000));
    if (alerting.sendResolved()) {
      Optional<Alert> resolved = alerts.awaitOptional(a -> a.key().equals(key) && a.status() == Alert.Status.RESOLVED,
          ALERT_DELIVERY);
      record("alert_resolves", key + " resolved after the close",
          resolved.map(a -> key + " resolved").orElse(breaker.state() == CircuitState.CLOSED
              ? "no resolution received within " + seconds(groupWait + 1000) + " of the close"
              : "not resolved: the breaker is " + breaker.state()),
          resolved.isPresent());
    } else {
      boolean active = risk.alertManager().active().stream().anyMatch(a -> a.key().equals(key));
      record("alert_resolves", key + " no longer active (send_resolved: false: channels are not told)",
          active ? key + " still active" : key + " no longer active", !active);
    }

    // the risk level, from the samples taken meanwhile and after
    Duration interval = risk.config().monitoring().metricsInterval();
    RiskLevel beforeTrip = RiskLevel.LOW;
    RiskLevel whileOpen = null;
    double peak = 0;
    for (Timeline.RiskPoint p : timeline.riskPoints()) {
      RiskLevel level = RiskLevel.valueOf(p.level());
      if (p.atMillis() < trip) {
        beforeTrip = level;
      } else if (p.atMillis() <= closed && (whileOpen == null || level.compareTo(whileOpen) > 0)) {
        whileOpen = level;
        peak = p.score();
      }
    }
    record("risk_rises", "from " + beforeTrip + " to HIGH or above while not closed (an open breaker scores at least "
        + (int) RiskAssessor.OPEN_FLOOR + ")",
        whileOpen == null ? "no metrics sample while not closed (metrics_interval_seconds " + seconds(interval.toMillis())
            + ")" : beforeTrip + " before, " + whileOpen + " (score " + peak + ") while not closed",
        whileOpen != null && whileOpen.compareTo(RiskLevel.HIGH) >= 0);

    RiskLevel level = risk.riskAssessor().level(name);
    int samples = 0;
    while (level.compareTo(RiskLevel.HIGH) >= 0 && samples < SAMPLES_TO_FALL) {
      time.advance(interval);
      samples++;
      level = risk.riskAssessor().level(name);
    }
    long fellAfter = timeline.now() - closed;
    record("risk_falls", "below HIGH within " + SAMPLES_TO_FALL + " samples ("
        + seconds(interval.toMillis() * SAMPLES_TO_FALL) + ") of the close",
        level + " " + seconds(fellAfter) + " after the close", level.compareTo(RiskLevel.HIGH) < 0);
  }

  /** Trips on the failure rate ({@code failure_rate}) or the slow-call rate ({@code slow_calls}). */
  private void rateTrip(String id) {
    boolean slow = id.equals("slow_calls");
    CircuitState state = breaker.state();
    if (state != CircuitState.CLOSED) {
      record(id, "(a closed breaker first)", "not verified: the breaker is " + state, false);
      return;
    }
    double rate = slow ? settings.slowCallRateThreshold() : settings.failureRateThreshold();
    String key = slow ? "slow_call_rate_threshold" : "failure_rate_threshold";
    int min = minimumCalls();
    if (slow && !settings.slowCallDetection()) {
      int n = 2 * min;
      for (int i = 0; i < n; i++) {
        call(Kind.SLOW);
      }
      record(id, "stays CLOSED (slow_call_detection: false)", breaker.state() + " after " + n + " slow calls",
          breaker.state() == CircuitState.CLOSED);
      recover();
      return;
    }
    // calls spread evenly: after i calls, floor(i * rate) of them are bad
    IntPredicate bad = i -> Math.floor(i * rate + 1e-9) > Math.floor((i - 1) * rate + 1e-9);
    Model model = Model.firstTrip(bad, !slow, rate, min, settings);
    String what = slow ? "slow (" + slowLatency().toMillis() + " ms > " + settings.slowCallDurationThresholdMillis()
        + " ms)" : "failed";
    String expected = (model.at() > 1 ? "CLOSED through call " + (model.at() - 1) + ", " : "") + "OPEN at call "
        + model.at() + ": " + model.why(what, key);
    int limit = Math.max(model.at(), 10) * 2;
    int trippedAt = -1;
    for (int i = 1; i <= limit; i++) {
      call(bad.test(i) ? (slow ? Kind.SLOW : Kind.FAIL) : Kind.OK);
      if (breaker.state() != CircuitState.CLOSED) {
        trippedAt = i;
        break;
      }
    }
    String observed = trippedAt < 0 ? "still CLOSED after " + limit + " calls"
        : breaker.state() + " at call " + trippedAt + " (" + timeline.lastReason() + ")";
    record(id, expected, observed, trippedAt == model.at() && breaker.state() == CircuitState.OPEN);
    recover();
  }

  private void counts() {
    CircuitBreakerStatus s = breaker.status();
    long sum = s.successfulCalls() + s.failedCalls() + s.rejectedCalls() + s.ignoredCalls();
    record("counts", "total = successful + failed + rejected + ignored = " + made + " calls made",
        "total " + s.totalCalls() + " = " + s.successfulCalls() + " + " + s.failedCalls() + " + " + s.rejectedCalls()
            + " + " + s.ignoredCalls() + "; " + made + " calls made",
        s.totalCalls() == sum && s.totalCalls() == made);
  }

  /** After the last recovery: time for the alerts to resolve and the risk to fall, so the timeline ends at rest. */
  private void settle() {
    Duration interval = risk.config().monitoring().metricsInterval();
    time.advance(risk.config().alerting().groupWait().plusSeconds(1));
    for (int i = 0; i < SAMPLES_TO_FALL && risk.riskAssessor().level(name).compareTo(RiskLevel.HIGH) >= 0; i++) {
      time.advance(interval);
    }
    time.advance(risk.config().alerting().groupWait().plusSeconds(1));
    // resolutions reach the sinks on their own threads: wait (in real time, briefly) for those the manager sent
    java.util.Set<String> active = new java.util.HashSet<>();
    risk.alertManager().active().forEach(a -> active.add(a.key()));
    long deadline = System.nanoTime() + ALERT_DELIVERY.toNanos();
    while (System.nanoTime() < deadline && alerts.firingKeys().stream()
        .anyMatch(k -> !active.contains(k) && alerts.last(k).map(a -> name.equals(a.source())).orElse(false))) {
      java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
    }
  }

  /** Back to CLOSED after a trip: the open time passes, good probes follow. */
  private void recover() {
    if (breaker.state() == CircuitState.OPEN) {
      time.advance(Duration.ofMillis(breaker.status().remainingOpenMillis()).plus(time.margin()));
    }
    for (int i = 0; i < settings.successThreshold() + 5 && breaker.state() == CircuitState.HALF_OPEN; i++) {
      time.advance(PROBE_GAP);
      call(Kind.OK);
    }
  }

  // ---------------------------------------------------------------- helpers

  private Object call(Kind kind) {
    made++;
    return breaker.execute(() -> {
      reached++;
      if (kind == Kind.FAIL) {
        throw new SimulatedOutage(name);
      }
      if (kind == Kind.SLOW) {
        time.advance(slowLatency());
      }
      return "ok";
    }, cause -> cause instanceof CallNotPermittedException ? risk.fallbackResponse().render(cause) : cause);
  }

  private Duration slowLatency() {
    long t = settings.slowCallDurationThresholdMillis();
    return Duration.ofMillis(t + Math.max(1, t / 10));
  }

  /** Calls a window needs before rates count: the minimum, or a smaller count window when full. */
  private int minimumCalls() {
    int min = settings.minimumNumberOfCalls();
    return settings.slidingWindowType() == SlidingWindowType.COUNT_BASED ? Math.min(min, settings.slidingWindowSize()) : min;
  }

  private void record(String id, String expected, String observed, boolean passed) {
    Check c = Check.of(id, CHECKS.get(id), expected, observed, passed);
    results.put(id, c);
    progress.line("  [" + c.result() + "] " + c.check() + ": " + observed + "  (t=" + seconds(timeline.now()) + ")");
  }

  static String plural(long n, String word) {
    return n + " " + word + (n == 1 ? "" : "s");
  }

  static String seconds(long millis) {
    if (millis % 1000 == 0) {
      return (millis / 1000) + " s";
    }
    return String.format(Locale.ROOT, "%.3f s", millis / 1000.0);
  }

  /**
   * Where a breaker with these settings should trip on a sequence of calls (a count-based window
   * over the last {@code sliding_window_size} calls; a time-based one holds them all, as they come
   * within seconds): the rate rule, or the streak of failures if it comes first.
   */
  record Model(int at, int bad, int calls, boolean byStreak, double rate) {

    static Model firstTrip(IntPredicate bad, boolean failures, double threshold, int minimum,
        CircuitBreakerStatus.Settings s) {
      int window = s.slidingWindowType() == SlidingWindowType.COUNT_BASED ? s.slidingWindowSize() : Integer.MAX_VALUE;
      List<Boolean> history = new ArrayList<>();
      int streak = 0;
      for (int i = 1; i <= 100_000; i++) {
        boolean b = bad.test(i);
        history.add(b);
        streak = failures && b ? streak + 1 : 0;
        if (failures && streak >= s.failureThreshold()) {
          return new Model(i, streak, streak, true, threshold);
        }
        int from = Math.max(0, history.size() - window);
        int calls = history.size() - from;
        int count = 0;
        for (int j = from; j < history.size(); j++) {
          count += history.get(j) ? 1 : 0;
        }
        if (calls >= minimum && (double) count / calls >= threshold) {
          return new Model(i, count, calls, false, threshold);
        }
      }
      return new Model(-1, 0, 0, false, threshold);
    }

    String why(String what, String key) {
      if (byStreak) {
        return bad + " failures in a row (failure_threshold) before the rate";
      }
      return bad + " of " + calls + " " + what + ", " + percent((double) bad / calls) + " >= " + key + " "
          + percent(rate);
    }

    private static String percent(double r) {
      return String.format(Locale.ROOT, "%.0f%%", r * 100);
    }
  }
}
