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
  private final ConcurrentHashMap<String, BreakerRisk> risks = new ConcurrentHashMap<>();
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
    int n = p.trendSamples;
    double[] rates = new double[n];
    int size = 0;
    // the last n samples, latest included: the oldest of them is where the rise is measured from
    boolean latestIncluded = !recent.isEmpty() && recent.get(recent.size() - 1) == latest;
    int from = Math.max(0, recent.size() - (latestIncluded ? n : n - 1));
    for (int i = from; i < recent.size(); i++) {
      rates[size++] = recent.get(i).failureRate();
    }
    if (!latestIncluded) {
      rates[size++] = latest.failureRate();
    }
    double rise = rise(rates, 0, size);
    BreakerRisk risk = risks.computeIfAbsent(latest.name(), this::newRisk);
    return record(risk, latest, p, rise, true);
  }

  /**
   * Assesses a sample the collector took, with the trend from the breaker's own last samples kept
   * here (a few numbers per breaker), so the cost of a sample does not grow with the history; the
   * assessment with its factors and reasons is made only when asked for or published.
   */
  private void assessTracked(BreakerSample latest) {
    BreakerRisk risk = risks.computeIfAbsent(latest.name(), this::newRisk);
    record(risk, latest, risk.policy, Double.NaN, false);
  }

  private BreakerRisk newRisk(String name) {
    return new BreakerRisk(policyFor(name));
  }

  /**
   * Scores {@code latest}, updates the level and publishes a change. {@code rise} is the trend
   * given by the caller, or NaN to take it from the breaker's own last samples.
   */
  private RiskAssessment record(BreakerRisk risk, BreakerSample latest, RiskPolicy p, double rise, boolean eager) {
    RiskLevel previous;
    RiskLevel next;
    RiskAssessment assessment = null;
    synchronized (risk) {
      if (Double.isNaN(rise)) {
        rise = risk.pushAndRise(latest.failureRate());
      }
      double score = score(latest, p, rise);
      previous = risk.level;
      next = nextLevel(previous, score);
      risk.level = next;
      risk.sample = latest;
      risk.rise = rise;
      risk.score = score;
      risk.assessment = null;
      if (eager || previous != next) {
        assessment = risk.assessment(p);
      }
    }
    if (previous != next) {
      publish(new RiskLevelChanged(latest.name(), previous, next, assessment));
    }
    return assessment;
  }

  /** The score: the factors' contributions summed in the factors' order, so it equals their sum. */
  private static double score(BreakerSample s, RiskPolicy p, double rise) {
    double scale = 100.0 / p.totalWeight();
    double score = contribution(s.failureRate(), p.failureRateThreshold, p.failureRateWeight, scale)
        + contribution(s.slowCallRate(), p.slowCallRateThreshold, p.slowCallRateWeight, scale)
        + contribution(s.rejectionRate(), p.rejectionRateThreshold, p.rejectionRateWeight, scale)
        + contribution(s.p99Millis(), p.p99ObjectiveMillis, p.latencyWeight, scale)
        + contribution(stateValue(s.state()), 1.0, p.stateWeight, scale)
        + contribution(rise, p.trendThreshold, p.trendWeight, scale);
    if (s.state() == CircuitState.OPEN || s.state() == CircuitState.FORCED_OPEN) {
      score = Math.max(score, OPEN_FLOOR);
    }
    return Math.min(100, Math.max(0, score));
  }

  private static RiskAssessment assessment(BreakerSample latest, RiskPolicy p, double rise, double score,
      RiskLevel level) {
    double scale = 100.0 / p.totalWeight();
    List<RiskFactor> factors = new ArrayList<>(6);
    factors.add(rateFactor("failure_rate", latest, latest.failureRate(), p.failureRateThreshold, p.failureRateWeight,
        scale, "failure rate %s of the %s threshold"));
    factors.add(rateFactor("slow_call_rate", latest, latest.slowCallRate(), p.slowCallRateThreshold,
        p.slowCallRateWeight, scale, "slow-call rate %s of the %s threshold"));
    factors.add(factor("rejection_rate", latest.rejectionRate(), p.rejectionRateThreshold, p.rejectionRateWeight, scale,
        "%s of calls rejected since the last sample (threshold %s)", pct(latest.rejectionRate()), pct(p.rejectionRateThreshold)));
    factors.add(factor("p99_latency", latest.p99Millis(), p.p99ObjectiveMillis, p.latencyWeight, scale,
        "p99 latency %s ms against a %s ms objective", num(latest.p99Millis()), num(p.p99ObjectiveMillis)));
    factors.add(factor("breaker_state", stateValue(latest.state()), 1.0, p.stateWeight, scale,
        "breaker is %s", latest.state().name(), ""));
    if (Double.isNaN(latest.failureRate())) {
      factors.add(new RiskFactor("trend", 0, p.trendThreshold, p.trendWeight, 0,
          "no trend: not enough data in the window"));
    } else {
      factors.add(factor("trend", rise, p.trendThreshold, p.trendWeight, scale,
          "failure rate rose by %s over the last %s samples", pct(rise), String.valueOf(p.trendSamples)));
    }
    return new RiskAssessment(latest.name(), latest.epochMillis(), score, level, List.copyOf(factors));
  }

  /** A window rate: no risk, and says so, while the window holds too few calls for rates to count. */
  private static RiskFactor rateFactor(String name, BreakerSample s, double rate, double threshold, double weight,
      double scale, String format) {
    if (Double.isNaN(rate)) {
      return new RiskFactor(name, 0, threshold, weight, 0, String.format(Locale.ROOT,
          "not enough data: %d of the %d calls the window needs", s.callsInWindow(), s.minimumCalls()));
    }
    return factor(name, rate, threshold, weight, scale, format, pct(rate), pct(threshold));
  }

  private static double contribution(double value, double threshold, double weight, double scale) {
    // an unbounded value (infinite latency) is as bad as it gets; only a value that is not a number counts 0
    double v = Double.isNaN(value) ? 0 : Math.max(0, value);
    return weight * scale * Math.min(v / threshold, 1.0);
  }

  private static RiskFactor factor(String name, double value, double threshold, double weight, double scale,
      String format, String a, String b) {
    double v = Double.isNaN(value) ? 0 : Math.max(0, value);
    return new RiskFactor(name, v, threshold, weight, contribution(value, threshold, weight, scale),
        String.format(Locale.ROOT, format, a, b));
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

  /**
   * How much the failure rate rose over {@code rates[from..to)} (oldest first, the latest last):
   * from the oldest rate that counts (not NaN) to the latest; 0 when the latest does not count.
   */
  static double rise(double[] rates, int from, int to) {
    if (to - from < 2 || Double.isNaN(rates[to - 1])) {
      return 0;
    }
    for (int i = from; i < to - 1; i++) {
      if (!Double.isNaN(rates[i])) {
        return Math.max(0, rates[to - 1] - rates[i]);
      }
    }
    return 0;
  }

  /** The level after {@code score}, coming from {@code previous}, with hysteresis on the way down. */
  private RiskLevel nextLevel(RiskLevel previous, double score) {
    RiskLevel raw = RiskLevel.of(score);
    RiskLevel next = raw;
    if (raw.ordinal() < previous.ordinal()) {
      // Going down: step down only as far as the score is clear of each boundary by the margin.
      next = previous;
      while (next.ordinal() > raw.ordinal() && score < next.lowerBound() - hysteresis) {
        next = RiskLevel.values()[next.ordinal() - 1];
      }
    }
    return next;
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
    BreakerRisk risk = risks.get(name);
    if (risk == null) {
      return java.util.Optional.empty();
    }
    synchronized (risk) {
      return java.util.Optional.ofNullable(risk.sample == null ? null : risk.assessment(risk.policy));
    }
  }

  /** The last score of {@code name}, 0 if never assessed; cheaper than {@link #latest}. */
  public double score(String name) {
    BreakerRisk risk = risks.get(name);
    if (risk == null) {
      return 0;
    }
    synchronized (risk) {
      return risk.score;
    }
  }

  /** The current level of {@code name} (LOW if never assessed). */
  public RiskLevel level(String name) {
    BreakerRisk risk = risks.get(name);
    return risk == null ? RiskLevel.LOW : risk.level;
  }

  /**
   * Assesses every sample the collector takes, with that breaker's last samples for the trend
   * (kept here, a few numbers per breaker: the cost of a sample does not grow with the history),
   * and forgets each breaker the collector stops tracking.
   *
   * @return closes both subscriptions
   */
  public Subscription attach(MetricsCollector collector) {
    Subscription samples = collector.onSample(this::assessTracked);
    Subscription removals = collector.onRemoved(this::forget);
    return () -> {
      samples.close();
      removals.close();
    };
  }

  /** Forgets a breaker's level (for example when it leaves the registry); {@link #attach} does it for you. */
  public void forget(String name) {
    risks.remove(name);
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

  /**
   * What the assessor keeps of one breaker: its level, the inputs of its last score (the
   * assessment is made from them when first asked for) and the failure rates of its last samples,
   * for the trend. Guarded by its own monitor (the sampling thread's, not a caller's).
   */
  private static final class BreakerRisk {
    final RiskPolicy policy;
    volatile RiskLevel level = RiskLevel.LOW;
    BreakerSample sample;
    double rise;
    double score;
    RiskAssessment assessment;
    /** The last failure rates, a ring: {@code count} of them, the next written at {@code next}. */
    private final double[] rates;
    private int next;
    private int count;

    BreakerRisk(RiskPolicy policy) {
      this.policy = policy;
      rates = new double[policy.trendSamples];
    }

    /** Adds the latest failure rate and returns the rise over the last {@code rates.length}. */
    double pushAndRise(double rate) {
      rates[next] = rate;
      next = (next + 1) % rates.length;
      count = Math.min(count + 1, rates.length);
      double latest = rate;
      if (count < 2 || Double.isNaN(latest)) {
        return 0;
      }
      int oldest = next - count + rates.length; // at most trend-samples steps: constant work
      for (int i = 0; i < count - 1; i++) {
        double r = rates[(oldest + i) % rates.length];
        if (!Double.isNaN(r)) {
          return Math.max(0, latest - r);
        }
      }
      return 0;
    }

    RiskAssessment assessment(RiskPolicy p) {
      if (assessment == null) {
        assessment = RiskAssessor.assessment(sample, p, rise, score, level);
      }
      return assessment;
    }
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
