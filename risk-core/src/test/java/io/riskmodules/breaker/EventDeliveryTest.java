package io.riskmodules.breaker;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import org.junit.jupiter.api.Test;

/** Issue 10, defect 9: an executor that drops a delivery task does not stop delivery for good. */
class EventDeliveryTest {
  private final ManualTime time = new ManualTime();

  /** Runs tasks inline, but silently drops the ones it is told to (a pool with a discard policy). */
  private static final class Dropping implements Executor {
    int toDrop;
    int dropped;

    @Override
    public void execute(Runnable task) {
      if (toDrop > 0) {
        toDrop--;
        dropped++;
        return;
      }
      task.run();
    }
  }

  @Test
  void aDroppedDrainDoesNotLeaveLaterTransitionsUndelivered() {
    Dropping executor = new Dropping();
    CircuitBreaker b = CircuitBreaker.builder("svc").config(CircuitBreakerConfig.ofDefaults())
        .ticker(time).clock(time).eventExecutor(executor).build();
    List<CircuitState> seen = new ArrayList<>();
    b.onStateChange(t -> seen.add(t.to()));
    executor.toDrop = 1;
    b.trip();
    assertThat(executor.dropped).isEqualTo(1);
    assertThat(seen).as("the dropped one waits").isEmpty();
    b.reset();
    b.disable();
    b.reset();
    assertThat(seen).as("every transition, in order").containsExactly(
        CircuitState.FORCED_OPEN, CircuitState.CLOSED, CircuitState.DISABLED, CircuitState.CLOSED);
  }

  @Test
  void everyDropIsRecoveredFromByTheEventsThatFollow() {
    Dropping executor = new Dropping();
    CircuitBreaker b = CircuitBreaker.builder("svc").config(CircuitBreakerConfig.ofDefaults())
        .ticker(time).clock(time).eventExecutor(executor).build();
    List<CircuitState> seen = new ArrayList<>();
    b.onStateChange(t -> seen.add(t.to()));
    executor.toDrop = 3;
    for (int i = 0; i < 4; i++) {
      b.trip();
      b.reset();
    }
    assertThat(executor.dropped).isEqualTo(3);
    assertThat(seen).hasSize(8);
  }

  @Test
  void anExecutorThatRefusesEveryDeliveryHasEventsDeliveredOnTheCallingThread() {
    Executor refusing = task -> {
      throw new java.util.concurrent.RejectedExecutionException("saturated");
    };
    CircuitBreaker b = CircuitBreaker.builder("svc").config(CircuitBreakerConfig.ofDefaults())
        .ticker(time).clock(time).eventExecutor(refusing).build();
    List<String> seen = new ArrayList<>();
    b.onStateChange(t -> seen.add(t.to() + " on " + Thread.currentThread().getName()));
    b.trip();
    assertThat(seen).containsExactly("FORCED_OPEN on " + Thread.currentThread().getName());
  }
}
