package io.riskmodules.risk;

import io.riskmodules.breaker.CircuitState;
import io.riskmodules.breaker.Subscription;
import io.riskmodules.metrics.BreakerSample;
import io.riskmodules.metrics.MetricsCollector;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Scores each downstream from 0 to 100 and says why. Each factor contributes {@code weight ×
 * min(value / threshold, 1)} points, scaled so that the weights share 100; an OPEN or FORCED_OPEN
 * breaker scores at least 50 (HIGH). Every factor's contribution grows with its value, so the
 * score never falls when something gets worse.
 *
 * <pre>{@code
 * RiskAssessor assessor = RiskAssessor.builder()
 *     .policy("payment_service", RiskPolicy.builder().p99Objective(Duration.ofMillis(300), 15).build())
 *     .build();
 * assessor.onLevelChange(change -> alerts.raise(change));
 * assessor.attach(collector);
 * }</pre>
 *
 * <p>Hysteresis: a level is entered as soon as the score reaches its lower bound, and left
 * downwards only once the score is {@code hysteresis} points (default 5) below it, so a score
 * sitting on a boundary does not flap. Thread-safe.
 */
public final class RiskAssessor {

  private static final Logger log = LoggerFactory.getLogger(RiskAssessor.class);

  /** The floor of an OPEN or FORCED_OPEN breaker's score: HIGH's lower bound. */
  public static final double OPEN_FLOOR = 50;

  private final RiskPolicy defaultPolicy;
  private final Map<String, RiskPolicy> policies;
  private final double hysteresis;
  private final ConcurrentHashMap<String, RiskLevel> levels = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, RiskAssessment> lastAssessments = new ConcurrentHashMap<>();
  private final List<Consumer<? super RiskLevelChanged>> listeners = new CopyOnWriteArrayList<>();

  private RiskAssessor(Builder b) {
    this.defaultPolicy = b.defaultPolicy;
    this.policies = Map.copyOf(b.policies);
    this.hysteresis = b.hysteresis;
  }

  /** An assessor with the default policy for every service. */
  public static RiskAssessor ofDefaults() {
    return builder().build();
  }

  /** A builder. */
  public static Builder builder() {
    return new Builder();
  }

  /** The policy of {@code name}. */
  public RiskPolicy policyFor(String name) {
    return policies.getOrDefault(name, defaultPolicy);
  }

  /** Assesses one sample with no history: the trend factor is 0. */
  public RiskAssessment assess(BreakerSample sample) {
    return assess(sample, List.of());
  }

  /**
   * Assesses {@code latest} given {@code recent} samples of the same breaker (oldest first; may
   * include {@code latest}) for the trend, updates the breaker's level with hysteresis, and
   * publishes a {@link RiskLevelChanged} if it changed.
   */
  public RiskAssessment assess(BreakerSample latest, List<BreakerSample> recent) {
    Objects.requireNonNull(latest, "latest");
    RiskPolicy p = policyFor(latest.name());
    double scale = 100.0 / p.totalWeight();
    List<RiskFactor> factors = new ArrayList<>(6);
    factors.add(factor("failure_rate", latest.failureRate(), p.failureRateThreshold, p.failureRateWeight, scale,
        "failure rate %s of the %s threshold", pct(latest.failureRate()), pct(p.failureRateThreshold)));
    factors.add(factor("slow_call_rate", latest.slowCallRate(), p.slowCallRateThreshold, p.slowCallRateWeight, scale,
        "slow-call rate %s of the %s threshold", pct(latest.slowCallRate()), pct(p.slowCallRateThreshold)));
    factors.add(factor("rejection_rate", latest.rejectionRate(), p.rejectionRateThreshold, p.rejectionRateWeight, scale,
        "%s of calls rejected since the last sample (threshold %s)", pct(latest.rejectionRate()), pct(p.rejectionRateThreshold)));
    factors.add(factor("p99_latency", latest.p99Millis(), p.p99ObjectiveMillis, p.latencyWeight, scale,
        "p99 latency %s ms against a %s ms objective", num(latest.p99Millis()), num(p.p99ObjectiveMillis)));
    double stateValue = stateValue(latest.state());
    factors.add(factor("breaker_state", stateValue, 1.0, p.stateWeight, scale,
        "breaker is %s", latest.state().name(), ""));
    double rise = trend(latest, recent, p.trendSamples);
    factors.add(factor("trend", rise, p.trendThreshold, p.trendWeight, scale,
        "failure rate rose by %s over the last %s samples", pct(rise), String.valueOf(p.trendSamples)));

    double score = 0;
    for (RiskFactor f : factors) {
      score += f.contribution();
    }
    if (latest.state() == CircuitState.OPEN || latest.state() == CircuitState.FORCED_OPEN) {
      score = Math.max(score, OPEN_FLOOR);
    }
    score = Math.min(100, Math.max(0, score));
    RiskLevel[] change = nextLevel(latest.name(), score);
    RiskAssessment assessment =
        new RiskAssessment(latest.name(), latest.epochMillis(), score, change[1], List.copyOf(factors));
    lastAssessments.put(latest.name(), assessment);
    if (change[0] != change[1]) {
      publish(new RiskLevelChanged(latest.name(), change[0], change[1], assessment));
    }
    return assessment;
  }

  private static RiskFactor factor(String name, double value, double threshold, double weight, double scale,
      String format, String a, String b) {
    // an unbounded value (infinite latency) is as bad as it gets; only a value that is not a number counts 0
    double v = Double.isNaN(value) ? 0 : Math.max(0, value);
    double contribution = weight * scale * Math.min(v / threshold, 1.0);
    return new RiskFactor(name, v, threshold, weight, contribution, String.format(Locale.ROOT, format, a, b));
  }

  private static double stateValue(CircuitState state) {
    switch (state) {
      case OPEN:
      case FORCED_OPEN:
        return 1.0;
      case HALF_OPEN:
        return 0.5;
      default:
        return 0.0;
    }
  }

  /** How much the failure rate rose from the oldest to the newest of the last {@code n} samples. */
  private static double trend(BreakerSample latest, List<BreakerSample> recent, int n) {
    List<BreakerSample> window = new ArrayList<>(recent);
    if (window.isEmpty() || window.get(window.size() - 1) != latest) {
      window.add(latest);
    }
    if (window.size() < 2) {
      return 0;
    }
    BreakerSample first = window.get(Math.max(0, window.size() - n));
    return Math.max(0, latest.failureRate() - first.failureRate());
  }

  /** The level before and after this score: {previous, next}. */
  private RiskLevel[] nextLevel(String name, double score) {
    RiskLevel[] result = new RiskLevel[2];
    levels.compute(name, (n, previous) -> {
      RiskLevel raw = RiskLevel.of(score);
      RiskLevel next = raw;
      if (previous != null && raw.ordinal() < previous.ordinal()) {
        // Going down: step down only as far as the score is clear of each boundary by the margin.
        next = previous;
        while (next.ordinal() > raw.ordinal() && score < next.lowerBound() - hysteresis) {
          next = RiskLevel.values()[next.ordinal() - 1];
        }
      }
      result[0] = previous;
      result[1] = next;
      return next;
    });
    if (result[0] == null) {
      result[0] = RiskLevel.LOW;
    }
    return result;
  }

  private void publish(RiskLevelChanged change) {
    for (Consumer<? super RiskLevelChanged> listener : listeners) {
      try {
        listener.accept(change);
      } catch (RuntimeException e) {
        log.warn("a risk listener failed on {}", change.name(), e);
      }
    }
  }

  /** The last assessment of {@code name}, if any. */
  public java.util.Optional<RiskAssessment> latest(String name) {
    return java.util.Optional.ofNullable(lastAssessments.get(name));
  }

  /** The current level of {@code name} (LOW if never assessed). */
  public RiskLevel level(String name) {
    return levels.getOrDefault(name, RiskLevel.LOW);
  }

  /**
   * Assesses every sample the collector takes, with that breaker's history for the trend, and
   * forgets each breaker the collector stops tracking.
   *
   * @return closes both subscriptions
   */
  public Subscription attach(MetricsCollector collector) {
    Subscription samples = collector.onSample(s -> assess(s, collector.store().history(s.name())));
    Subscription removals = collector.onRemoved(this::forget);
    return () -> {
      samples.close();
      removals.close();
    };
  }

  /** Forgets a breaker's level (for example when it leaves the registry); {@link #attach} does it for you. */
  public void forget(String name) {
    levels.remove(name);
    lastAssessments.remove(name);
  }

  /** Registers a listener for level changes, called on the assessing thread. */
  public Subscription onLevelChange(Consumer<? super RiskLevelChanged> listener) {
    listeners.add(Objects.requireNonNull(listener, "listener"));
    return () -> listeners.remove(listener);
  }

  private static String pct(double rate) {
    return String.format(Locale.ROOT, "%.1f%%", rate * 100);
  }

  private static String num(double v) {
    return String.format(Locale.ROOT, "%.0f", v);
  }

  /** Builds a {@link RiskAssessor}. Not thread-safe. */
  public static final class Builder {
    private RiskPolicy defaultPolicy = RiskPolicy.ofDefaults();
    private final Map<String, RiskPolicy> policies = new ConcurrentHashMap<>();
    private double hysteresis = 5;

    Builder() {}

    /** The policy of services without one of their own. */
    public Builder defaultPolicy(RiskPolicy policy) {
      this.defaultPolicy = Objects.requireNonNull(policy, "policy");
      return this;
    }

    /** The policy of the breaker called {@code name}. */
    public Builder policy(String name, RiskPolicy policy) {
      policies.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(policy, "policy"));
      return this;
    }

    /**
     * Points below a level's lower bound the score must fall to leave it (default 5; at least 0
     * and below 25, the width of MEDIUM: with 25 a score of 0 could never leave MEDIUM).
     */
    public Builder hysteresis(double points) {
      if (!(points >= 0 && points < 25)) {
        throw new IllegalArgumentException("hysteresis must be at least 0 and below 25 points, was " + points);
      }
      this.hysteresis = points;
      return this;
    }

    public RiskAssessor build() {
      return new RiskAssessor(this);
    }
  }
}
