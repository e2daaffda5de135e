package io.riskmodules.testing;

import io.riskmodules.risk.RiskAssessment;
import io.riskmodules.risk.RiskFactor;
import io.riskmodules.risk.RiskLevel;
import java.util.Optional;
import org.assertj.core.api.AbstractAssert;

/**
 * Assertions on a {@link RiskAssessment}; a failure prints the score, the level and every factor.
 *
 * <pre>{@code
 * assertThat(assessor.assess(sample)).hasLevel(RiskLevel.HIGH).hasFactorAbove("failure_rate", 0);
 * }</pre>
 */
public class RiskAssessmentAssert extends AbstractAssert<RiskAssessmentAssert, RiskAssessment> {

  /** Prefer {@link RiskAssertions#assertThat(RiskAssessment)}. */
  public RiskAssessmentAssert(RiskAssessment actual) {
    super(actual, RiskAssessmentAssert.class);
  }

  private RiskAssessmentAssert check(boolean holds, String expectation, Object... args) {
    if (!holds) {
      Object[] all = java.util.Arrays.copyOf(args, args.length + 1);
      all[args.length] = Describe.assessment(actual);
      failWithMessage("%nExpecting " + expectation + "%nbut it was:%n%s", all);
    }
    return this;
  }

  /** The level is {@code level}. */
  public RiskAssessmentAssert hasLevel(RiskLevel level) {
    isNotNull();
    return check(actual.level() == level, "level %s", level);
  }

  /** The level is {@code level} or worse. */
  public RiskAssessmentAssert hasLevelAtLeast(RiskLevel level) {
    isNotNull();
    return check(actual.level().compareTo(level) >= 0, "level %s or worse", level);
  }

  /** The level is better than {@code level}. */
  public RiskAssessmentAssert hasLevelBelow(RiskLevel level) {
    isNotNull();
    return check(actual.level().compareTo(level) < 0, "a level below %s", level);
  }

  /** The score is from {@code min} to {@code max}, both included. */
  public RiskAssessmentAssert hasScoreBetween(double min, double max) {
    isNotNull();
    return check(actual.score() >= min && actual.score() <= max, "a score from %s to %s", min, max);
  }

  /** The assessment is of the breaker called {@code name}. */
  public RiskAssessmentAssert isFor(String name) {
    isNotNull();
    return check(actual.name().equals(name), "an assessment of '%s'", name);
  }

  /** A factor called {@code name} is part of the score. */
  public RiskAssessmentAssert hasFactor(String name) {
    isNotNull();
    return check(factor(name).isPresent(), "a factor '%s'", name);
  }

  /** The factor called {@code name} contributes more than {@code points} to the score. */
  public RiskAssessmentAssert hasFactorAbove(String name, double points) {
    isNotNull();
    Optional<RiskFactor> f = factor(name);
    return check(f.isPresent() && f.get().contribution() > points, "factor '%s' to contribute more than %s", name, points);
  }

  /** The factor called {@code name} contributes nothing. */
  public RiskAssessmentAssert hasNoContributionFrom(String name) {
    isNotNull();
    Optional<RiskFactor> f = factor(name);
    return check(f.isEmpty() || f.get().contribution() == 0, "factor '%s' to contribute nothing", name);
  }

  private Optional<RiskFactor> factor(String name) {
    return actual.factors().stream().filter(f -> f.name().equals(name)).findFirst();
  }
}
