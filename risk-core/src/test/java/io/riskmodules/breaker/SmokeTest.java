package io.riskmodules.breaker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class SmokeTest {
  @Test
  void goesRoundTheStates() {
    ManualTime time = new ManualTime();
    CircuitBreaker b = CircuitBreaker.builder("s").ticker(time).clock(time).eventExecutor(Runnable::run).build();
    for (int i = 0; i < 5; i++) {
      assertThatThrownBy(() -> b.execute(() -> { throw new IllegalStateException("boom"); }))
          .isInstanceOf(IllegalStateException.class);
    }
    assertThat(b.state()).isEqualTo(CircuitState.OPEN);
    assertThatThrownBy(() -> b.execute(() -> 1)).isInstanceOf(CallNotPermittedException.class)
        .hasMessageContaining("Retry after 30.0 seconds");
    time.advance(Duration.ofSeconds(30));
    assertThat(b.state()).isEqualTo(CircuitState.HALF_OPEN);
    for (int i = 0; i < 3; i++) {
      assertThat(b.execute(() -> 7)).isEqualTo(7);
    }
    assertThat(b.state()).isEqualTo(CircuitState.CLOSED);
    CircuitBreakerStatus s = b.status();
    assertThat(s.totalCalls()).isEqualTo(9);
    assertThat(s.lastTransitions()).extracting(StateTransition::to)
        .containsExactly(CircuitState.OPEN, CircuitState.HALF_OPEN, CircuitState.CLOSED);
  }
}
