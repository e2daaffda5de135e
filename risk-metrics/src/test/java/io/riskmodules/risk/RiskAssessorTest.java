package io.riskmodules.risk;

import static io.riskmodules.risk.Samples.sample;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.riskmodules.breaker.CircuitState;
import io.riskmodules.metrics.BreakerSample;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RiskAssessorTest {

  private final RiskAssessor assessor = RiskAssessor.ofDefaults();

  // The README's worked examples: same inputs, same scores and levels.

  @Test
  void readmeExampleHealthy() {
    RiskAssessment a = assessor.assess(sample("healthy", CircuitState.CLOSED, 0.01, 0.0, 0.0, 120));
    assertThat(a.score()).isCloseTo(2.5, within(1e-9));
    assertThat(a.level()).isEqualTo(RiskLevel.LOW);
  }

  @Test
  void readmeExampleDegrading() {
    List<BreakerSample> recent = List.of(
        sample("degrading", 0, CircuitState.CLOSED, 0.10, 0.1, 0.0, 800),
        sample("degrading", 10_000, CircuitState.CLOSED, 0.15, 0.1, 0.0, 800));
    RiskAssessment a = assessor.assess(sample("degrading", 20_000, CircuitState.CLOSED, 0.20, 0.1, 0.0, 800), recent);
    assertThat(a.score()).isCloseTo(32.875, within(1e-9));
    assertThat(a.level()).isEqualTo(RiskLevel.MEDIUM);
    assertThat(a.factors()).extracting(RiskFactor::name)
        .containsExactly("failure_rate", "slow_call_rate", "rejection_rate", "p99_latency", "breaker_state", "trend");
    assertThat(a.factors().get(0).reason()).isEqualTo("failure rate 20.0% of the 50.0% threshold");
    assertThat(a.factors().get(5).contribution()).isCloseTo(5.0, within(1e-9));
  }

  @Test
  void readmeExampleTripped() {
    List<BreakerSample> recent = List.of(sample("tripped", 0, CircuitState.CLOSED, 0.30, 0.0, 0.0, 900));
    RiskAssessment a = assessor.assess(sample("tripped", 10_000, CircuitState.OPEN, 0.60, 0.0, 0.4, 2500), recent);
    assertThat(a.score()).isCloseTo(82.0, within(1e-9));
    assertThat(a.level()).isEqualTo(RiskLevel.CRITICAL);
  }

  @Test
  void readmeExampleOpenButQuietIsAtLeastHigh() {
    RiskAssessment a = assessor.assess(sample("quiet", CircuitState.OPEN, 0.0, 0.0, 0.1, 50));
    assertThat(a.factors().stream().mapToDouble(RiskFactor::contribution).sum()).isCloseTo(13.75, within(1e-9));
    assertThat(a.score()).isEqualTo(50.0);
    assertThat(a.level()).isEqualTo(RiskLevel.HIGH);
  }

  @Test
  void scoreStaysWithinZeroAndHundredAndNeverFallsWhenABadFactorGrows() {
    Random random = new Random(136);
    CircuitState[] states = CircuitState.values();
    for (int i = 0; i < 20_000; i++) {
      double failure = random.nextDouble();
      double slow = random.nextDouble();
      double rejection = random.nextDouble();
      double p99 = random.nextDouble() * 5000;
      CircuitState state = states[random.nextInt(states.length)];
      // earlier samples, for the trend: the oldest of the last six is what the rise is measured from
      List<BreakerSample> history = new ArrayList<>();
      int earlier = random.nextInt(6);
      for (int k = 0; k < earlier; k++) {
        history.add(sample("p", k * 10_000L, CircuitState.CLOSED, random.nextDouble(), 0, 0, 0));
      }
      List<BreakerSample> calmerStart = new ArrayList<>(history);
      if (!calmerStart.isEmpty()) {
        BreakerSample oldest = calmerStart.get(0);
        calmerStart.set(0, sample("p", 0, CircuitState.CLOSED, oldest.failureRate() * random.nextDouble(), 0, 0, 0));
      }
      RiskAssessor fresh = RiskAssessor.ofDefaults();
      double base = fresh.assess(sample("p", state, failure, slow, rejection, p99), history).score();
      assertThat(base).isBetween(0.0, 100.0);
      double grow = random.nextDouble();
      double[] worse = {
          fresh.assess(sample("p", state, failure + grow, slow, rejection, p99), history).score(),
          fresh.assess(sample("p", state, failure, slow + grow, rejection, p99), history).score(),
          fresh.assess(sample("p", state, failure, slow, rejection + grow, p99), history).score(),
          fresh.assess(sample("p", state, failure, slow, rejection, p99 + grow * 1000), history).score(),
          fresh.assess(sample("p", CircuitState.OPEN, failure, slow, rejection, p99), history).score(),
          fresh.assess(sample("p", state, failure, slow, rejection, p99), calmerStart).score()}; // a steeper rise
      for (double w : worse) {
        assertThat(w).isBetween(0.0, 100.0).isGreaterThanOrEqualTo(base - 1e-9);
      }
    }
  }

  @Test
  void aRisingFailureRateRaisesTheScore() {
    List<BreakerSample> flat = new ArrayList<>();
    List<BreakerSample> rising = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      flat.add(sample("t", i * 10_000L, CircuitState.CLOSED, 0.2, 0, 0, 100));
      rising.add(sample("t", i * 10_000L, CircuitState.CLOSED, 0.02 * i + 0.1, 0, 0, 100));
    }
    double flatScore = RiskAssessor.ofDefaults().assess(flat.get(5), flat).score();
    double risingScore = RiskAssessor.ofDefaults().assess(rising.get(5), rising).score();
    assertThat(risingScore).isGreaterThan(flatScore);
  }

  @Test
  void theLevelDoesNotFlapOnABoundary() {
    List<RiskLevelChanged> changes = new ArrayList<>();
    assessor.onLevelChange(changes::add);
    // failure rate alone: score = 35 * rate / 0.5 = 70 * rate; 25 points is the MEDIUM boundary.
    double[] rates = {0.36, 0.35, 0.36, 0.34, 0.357, 0.30, 0.28, 0.36};
    List<RiskLevel> levels = new ArrayList<>();
    for (double r : rates) {
      levels.add(assessor.assess(sample("edge", CircuitState.CLOSED, r, 0, 0, 0)).level());
    }
    assertThat(levels).containsExactly(RiskLevel.MEDIUM, RiskLevel.MEDIUM, RiskLevel.MEDIUM, RiskLevel.MEDIUM,
        RiskLevel.MEDIUM, RiskLevel.MEDIUM, RiskLevel.LOW, RiskLevel.MEDIUM);
    assertThat(changes).extracting(RiskLevelChanged::to).containsExactly(RiskLevel.MEDIUM, RiskLevel.LOW, RiskLevel.MEDIUM);
    assertThat(changes.get(0).assessment().score()).isCloseTo(25.2, within(1e-9));
  }

  @Test
  void perServicePoliciesChangeThresholdsAndWeights() {
    RiskAssessor strict = RiskAssessor.builder()
        .policy("payment_service", RiskPolicy.builder().p99Objective(Duration.ofMillis(300), 15).build()).build();
    double payments = strict.assess(sample("payment_service", CircuitState.CLOSED, 0, 0, 0, 300)).score();
    double others = strict.assess(sample("inventory_service", CircuitState.CLOSED, 0, 0, 0, 300)).score();
    assertThat(payments).isCloseTo(15.0, within(1e-9));
    assertThat(others).isCloseTo(4.5, within(1e-9));
  }

  @Test
  void policiesAreValidated() {
    assertThatThrownBy(() -> RiskPolicy.builder().failureRate(0, 35).build())
        .hasMessage("failure_rate.threshold must be greater than 0, was 0.0");
    assertThatThrownBy(() -> RiskPolicy.builder().stateWeight(-1).build()).hasMessage("state.weight must be at least 0, was -1.0");
    assertThatThrownBy(() -> RiskAssessor.builder().hysteresis(25)).hasMessage("hysteresis must be at least 0 and below 25 points, was 25.0");
  }

  @Test
  void theLargestHysteresisStillLetsTheLevelFallToLow() {
    RiskAssessor assessor = RiskAssessor.builder().hysteresis(24.9).build();
    assertThat(assessor.assess(sample("x", CircuitState.CLOSED, 0.4, 0, 0, 0)).level()).isEqualTo(RiskLevel.MEDIUM);
    assertThat(assessor.assess(sample("x", CircuitState.CLOSED, 0.0, 0, 0, 0)).level()).isEqualTo(RiskLevel.LOW);
  }

  @Test
  void anInfiniteLatencyCountsInFullAndANaNNotAtAll() {
    RiskAssessor assessor = RiskAssessor.ofDefaults();
    double finite = assessor.assess(sample("x", CircuitState.CLOSED, 0, 0, 0, 5_000)).score();
    double infinite = assessor.assess(sample("x", CircuitState.CLOSED, 0, 0, 0, Double.POSITIVE_INFINITY)).score();
    double notANumber = assessor.assess(sample("x", CircuitState.CLOSED, 0, 0, 0, Double.NaN)).score();
    assertThat(infinite).isEqualTo(finite).isEqualTo(15.0);
    assertThat(notANumber).isZero();
  }

  private static BreakerSample notEnough(String name, long millis) {
    return new BreakerSample(name, millis, CircuitState.CLOSED, 2, 1, 0, 0, 2, 0, Double.NaN, Double.NaN, 0, 0, 0, 0,
        0, 0.2, 2, 10, 10_000);
  }

  @Test
  void ratesBelowTheMinimumAddNoRiskAndSayWhy() {
    List<RiskLevelChanged> changes = new ArrayList<>();
    assessor.onLevelChange(changes::add);
    RiskAssessment a = assessor.assess(notEnough("sparse", 0));
    assertThat(a.score()).isZero();
    assertThat(a.level()).isEqualTo(RiskLevel.LOW);
    assertThat(a.factors().get(0).reason()).isEqualTo("not enough data: 2 of the 10 calls the window needs");
    assertThat(a.factors().get(1).contribution()).isZero();
    assertThat(changes).isEmpty();
  }

  @Test
  void theTrendRisesFromTheOldestSampleWithEnoughData() {
    List<BreakerSample> recent = List.of(
        notEnough("t", 0),
        sample("t", 10_000, CircuitState.CLOSED, 0.1, 0, 0, 0),
        sample("t", 20_000, CircuitState.CLOSED, 0.2, 0, 0, 0));
    RiskAssessment a = assessor.assess(recent.get(2), recent);
    assertThat(a.factors().get(5).value()).isCloseTo(0.1, within(1e-9));
    RiskAssessment none = RiskAssessor.ofDefaults().assess(notEnough("t", 30_000), recent);
    assertThat(none.factors().get(5).contribution()).isZero();
    assertThat(none.factors().get(5).reason()).isEqualTo("no trend: not enough data in the window");
  }

  @Test
  void anAttachedAssessorScoresEachSampleAsTheWholeHistoryWould() {
    // the attached assessor keeps only the last few failure rates; assessing with the store's
    // whole history must give the same assessment, the trend included
    Random random = new Random(16);
    RiskAssessor incremental = RiskAssessor.ofDefaults();
    RiskAssessor fromHistory = RiskAssessor.ofDefaults();
    java.lang.reflect.Method tracked;
    try {
      tracked = RiskAssessor.class.getDeclaredMethod("assessTracked", BreakerSample.class);
      tracked.setAccessible(true);
    } catch (NoSuchMethodException e) {
      throw new AssertionError(e);
    }
    List<BreakerSample> history = new ArrayList<>();
    CircuitState[] states = CircuitState.values();
    for (int i = 0; i < 5_000; i++) {
      BreakerSample s = random.nextInt(5) == 0
          ? notEnough("d", i * 1000L)
          : sample("d", i * 1000L, states[random.nextInt(states.length)], random.nextDouble() * 0.6,
              random.nextDouble(), random.nextDouble() * 0.6, random.nextDouble() * 1500);
      history.add(s);
      try {
        tracked.invoke(incremental, s);
      } catch (ReflectiveOperationException e) {
        throw new AssertionError(e);
      }
      RiskAssessment expected = fromHistory.assess(s, history);
      assertThat(incremental.latest("d")).as("sample %d", i).contains(expected);
      assertThat(incremental.level("d")).isEqualTo(expected.level());
    }
  }
}
