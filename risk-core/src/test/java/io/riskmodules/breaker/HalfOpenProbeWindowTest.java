package io.riskmodules.breaker;

import static io.riskmodules.breaker.Faults.breaker;
import static io.riskmodules.breaker.Faults.fail;
import static io.riskmodules.breaker.Faults.succeed;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Failsafe's "m of n" half-open: success_threshold of half_open_probe_window probes. */
class HalfOpenProbeWindowTest {
  private final ManualTime time = new ManualTime();

  private CircuitBreaker halfOpen(CircuitBreakerConfig config) {
    CircuitBreaker b = breaker(time, config);
    fail(b, config.failureThreshold());
    time.advance(config.openTimeout());
    assertThat(b.state()).isEqualTo(CircuitState.HALF_OPEN);
    return b;
  }

  private final CircuitBreakerConfig threeOfFive =
      CircuitBreakerConfig.builder().successThreshold(3).halfOpenProbeWindow(5).build();

  @Test
  void byDefaultTheWindowIsTheThresholdAndOneFailedProbeReopens() {
    CircuitBreakerConfig defaults = CircuitBreakerConfig.ofDefaults();
    assertThat(defaults.halfOpenProbeWindow()).isEqualTo(3);
    CircuitBreaker b = halfOpen(defaults);
    succeed(b, 2);
    fail(b, 1);
    assertThat(b.state()).isEqualTo(CircuitState.OPEN);
  }

  @Test
  void threeGoodProbesOfFiveCloseDespiteTwoFailures() {
    CircuitBreaker b = halfOpen(threeOfFive);
    fail(b, 1);
    succeed(b, 1);
    fail(b, 1);
    succeed(b, 1);
    assertThat(b.state()).isEqualTo(CircuitState.HALF_OPEN);
    succeed(b, 1);
    assertThat(b.state()).isEqualTo(CircuitState.CLOSED);
  }

  @Test
  void threeGoodProbesInARowCloseAtOnce() {
    CircuitBreaker b = halfOpen(threeOfFive);
    succeed(b, 3);
    assertThat(b.state()).isEqualTo(CircuitState.CLOSED);
  }

  @Test
  void theThirdBadProbeOfFiveReopensAsSoonAsThreeGoodOnesCanNoLongerComeOfFive() {
    CircuitBreaker b = halfOpen(threeOfFive);
    List<String> reasons = new ArrayList<>();
    b.onStateChange(t -> reasons.add(t.reason()));
    fail(b, 2);
    succeed(b, 1);
    assertThat(b.state()).isEqualTo(CircuitState.HALF_OPEN);
    fail(b, 1);
    assertThat(b.state()).isEqualTo(CircuitState.OPEN);
    assertThat(reasons).containsExactly(
        "3 of the last 4 probes failed or were slow (at most 2 of 5 tolerated; last: probe failed)");
  }

  @Test
  void aSlowProbeCountsAsABadOne() {
    CircuitBreaker b = halfOpen(CircuitBreakerConfig.builder().successThreshold(1).halfOpenProbeWindow(2)
        .slowCallDurationThreshold(Duration.ofMillis(100)).build());
    b.execute(Faults.taking(time, Duration.ofMillis(150)));
    assertThat(b.state()).isEqualTo(CircuitState.HALF_OPEN);
    b.execute(Faults.taking(time, Duration.ofMillis(150)));
    assertThat(b.state()).isEqualTo(CircuitState.OPEN);
  }

  @Test
  void aNewEpisodeStartsCountingAfresh() {
    CircuitBreaker b = halfOpen(threeOfFive);
    fail(b, 3); // re-opened
    time.advance(Duration.ofSeconds(30));
    fail(b, 2);
    succeed(b, 3);
    assertThat(b.state()).isEqualTo(CircuitState.CLOSED);
  }

  @Test
  void aReconfigureKeepsTheEpisodesCounts() {
    CircuitBreaker b = halfOpen(threeOfFive);
    fail(b, 2);
    b.reconfigure(threeOfFive.toBuilder().halfOpenProbeWindow(6).build());
    fail(b, 1); // 3 bad of 6: tolerated
    assertThat(b.state()).isEqualTo(CircuitState.HALF_OPEN);
    succeed(b, 3);
    assertThat(b.state()).isEqualTo(CircuitState.CLOSED);
  }

  @Test
  void theWindowMustHoldTheThreshold() {
    assertThatThrownBy(() -> CircuitBreakerConfig.builder().successThreshold(3).halfOpenProbeWindow(2).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("half_open_probe_window must be from success_threshold (3) to 10000, was 2");
    assertThatThrownBy(() -> CircuitBreakerConfig.builder().halfOpenProbeWindow(10_001).build())
        .hasMessage("half_open_probe_window must be from success_threshold (3) to 10000, was 10001");
  }
}
