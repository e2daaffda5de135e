package io.riskmodules.breaker;

import static io.riskmodules.breaker.Faults.breaker;
import static io.riskmodules.breaker.Faults.fail;
import static io.riskmodules.breaker.Faults.succeed;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class StatusTest {
  private final ManualTime time = new ManualTime();

  @Test
  void statusSerializesToJsonWithNoCustomCode() throws Exception {
    CircuitBreaker b = breaker(time, CircuitBreakerConfig.ofDefaults());
    succeed(b, 5);
    fail(b, 5);
    time.advance(Duration.ofMillis(10_500));
    JsonNode json = new ObjectMapper().readTree(new ObjectMapper().writeValueAsString(b.status()));
    assertThat(json.get("name").asText()).isEqualTo("svc");
    assertThat(json.get("state").asText()).isEqualTo("OPEN");
    assertThat(json.get("totalCalls").asLong()).isEqualTo(10);
    assertThat(json.get("failureRate").asDouble()).isEqualTo(0.5);
    assertThat(json.get("remainingOpenMillis").asLong()).isEqualTo(19_500);
    assertThat(json.get("lastTransitions").get(0).get("to").asText()).isEqualTo("OPEN");
    assertThat(json.get("lastTransitions").get(0).get("epochMillis").asLong())
        .isEqualTo(time.instant().minusMillis(10_500).toEpochMilli());
    assertThat(json.get("config").get("failureThreshold").asInt()).isEqualTo(5);
    assertThat(json.get("config").get("openTimeoutMillis").asLong()).isEqualTo(30_000);
  }

  @Test
  void statusKeepsTheLastTenTransitions() {
    CircuitBreaker b = breaker(time, CircuitBreakerConfig.ofDefaults());
    for (int i = 0; i < 7; i++) {
      b.trip();
      b.reset();
    }
    assertThat(b.status().lastTransitions()).hasSize(10)
        .extracting(StateTransition::sequence).containsExactly(5L, 6L, 7L, 8L, 9L, 10L, 11L, 12L, 13L, 14L);
  }

  @Test
  void remainingOpenTimeIsRoundedUpToTheMillisecond() {
    CircuitBreaker b = breaker(time, CircuitBreakerConfig.ofDefaults());
    fail(b, 5);
    time.advance(Duration.ofNanos(1));
    assertThat(b.status().remainingOpenMillis()).isEqualTo(30_000);
  }

  @Test
  void toStringShowsTheNameAndTheState() {
    CircuitBreaker b = CircuitBreaker.builder("payments").ticker(time).clock(time).eventExecutor(Runnable::run).build();
    assertThat(b).hasToString("CircuitBreaker{name=payments, state=CLOSED}");
    b.trip();
    assertThat(b).hasToString("CircuitBreaker{name=payments, state=FORCED_OPEN}");
  }

  @Test
  void countsAlwaysAddUp() {
    CircuitBreaker b = breaker(time, CircuitBreakerConfig.builder().ignoreExceptions(Faults.Business.class).build());
    succeed(b, 3);
    try {
      b.execute(() -> {
        throw new Faults.Business();
      });
    } catch (Faults.Business expected) {
      // ignored
    }
    fail(b, 5);
    b.execute(() -> 1, cause -> 2);
    CircuitBreakerStatus s = b.status();
    assertThat(s.totalCalls()).isEqualTo(10);
    assertThat(s.successfulCalls() + s.failedCalls() + s.rejectedCalls() + s.ignoredCalls()).isEqualTo(10);
    assertThat(s.rejectedCalls()).isEqualTo(1);
  }
}
