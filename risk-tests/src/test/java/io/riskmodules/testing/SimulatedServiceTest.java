package io.riskmodules.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.riskmodules.breaker.CircuitBreaker;
import io.riskmodules.breaker.CircuitBreakerConfig;
import io.riskmodules.breaker.CircuitState;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class SimulatedServiceTest {

  private final ManualClock clock = new ManualClock();
  private final SimulatedService<String> service = SimulatedService.create(clock);

  @Test
  void failsTheNextCallsThenSucceedsAgain() {
    service.failNext(2);

    assertThatThrownBy(service::get).isInstanceOf(SimulatedFailure.class).hasMessageContaining("call 1");
    assertThatThrownBy(service::get).isInstanceOf(SimulatedFailure.class);
    assertThat(service.get()).isEqualTo("ok");

    assertThat(service.calls()).isEqualTo(3);
    assertThat(service.failures()).isEqualTo(2);
    assertThat(service.successes()).isEqualTo(1);
  }

  @Test
  void stepsRunInTheOrderQueuedThenTheSteadyBehaviour() {
    service.succeedNext(1).returnNext(1, "HTTP 500").failNext(1).failAlways();

    assertThat(service.get()).isEqualTo("ok");
    assertThat(service.get()).isEqualTo("HTTP 500");
    assertThatThrownBy(service::get).isInstanceOf(SimulatedFailure.class);
    assertThatThrownBy(service::get).isInstanceOf(SimulatedFailure.class);
    assertThat(service.failures()).isEqualTo(3);
  }

  @Test
  void failsWithTheGivenExceptionCheckedOnesWrappedOnlyBySupplierForm() {
    service.failNext(2, () -> new IOException("connection reset"));

    assertThatThrownBy(service::call).isInstanceOf(IOException.class).hasMessage("connection reset");
    assertThatThrownBy(service::get).isInstanceOf(CompletionException.class)
        .hasCauseInstanceOf(IOException.class);
  }

  @Test
  void latencyAdvancesTheClockSoABreakerSeesASlowCall() {
    CircuitBreaker breaker = CircuitBreaker.builder("inventory_service")
        .config(CircuitBreakerConfig.builder().slowCallDurationThreshold(Duration.ofSeconds(2)).build())
        .ticker(clock).clock(clock).eventExecutor(Runnable::run).build();
    service.latency(Duration.ofSeconds(3));

    breaker.execute(service);
    service.slowNext(1, Duration.ofMillis(100)).latency(Duration.ZERO);
    breaker.execute(service);

    assertThat(clock.elapsed()).isEqualTo(Duration.ofMillis(3100));
    assertThat(breaker.status().slowCalls()).isEqualTo(1);
  }

  @Test
  void anOpenBreakerKeepsCallsAway() {
    CircuitBreaker breaker = CircuitBreaker.builder("payment_service")
        .config(CircuitBreakerConfig.builder().failureThreshold(3).build())
        .ticker(clock).clock(clock).eventExecutor(Runnable::run).build();
    service.failNext(10);

    for (int i = 0; i < 12; i++) {
      breaker.execute(service, cause -> "fallback");
    }

    assertThat(breaker.state()).isEqualTo(CircuitState.OPEN);
    assertThat(service.calls()).isEqualTo(3);
  }

  @Test
  void randomFailuresAreReproducibleFromTheSeedAndNearTheFraction() {
    SimulatedService<String> twin = SimulatedService.create(clock);
    service.failRandomly(0.3, 42L);
    twin.failRandomly(0.3, 42L);
    List<Boolean> first = new ArrayList<>();
    List<Boolean> second = new ArrayList<>();
    for (int i = 0; i < 10_000; i++) {
      first.add(succeeds(service));
      second.add(succeeds(twin));
    }
    assertThat(first).isEqualTo(second);
    assertThat(service.failures()).isBetween(2_800L, 3_200L);
  }

  private static boolean succeeds(SimulatedService<String> s) {
    try {
      s.get();
      return true;
    } catch (SimulatedFailure e) {
      return false;
    }
  }

  @Test
  void aHangingCallAnswersOnceReleased() throws Exception {
    service.hangNext(1);
    CompletableFuture<String> call = CompletableFuture.supplyAsync(service);

    assertThat(service.awaitHanging(1, Duration.ofSeconds(10))).isTrue();
    assertThat(call).isNotDone();
    assertThat(service.hanging()).isEqualTo(1);

    service.release();

    assertThat(call.get(10, TimeUnit.SECONDS)).isEqualTo("ok");
    assertThat(service.hanging()).isZero();
    assertThat(service.get()).isEqualTo("ok"); // the script is used up: no more hanging
  }

  @Test
  void anInterruptedHangingCallFailsAndKeepsTheInterrupt() throws Exception {
    service.hangAlways();
    boolean[] interruptedAfter = new boolean[1];
    Throwable[] thrown = new Throwable[1];
    Thread caller = new Thread(() -> {
      try {
        service.get();
      } catch (Throwable t) {
        thrown[0] = t;
        interruptedAfter[0] = Thread.currentThread().isInterrupted();
      }
    });
    caller.start();
    assertThat(service.awaitHanging(1, Duration.ofSeconds(10))).isTrue();
    caller.interrupt();
    caller.join();

    assertThat(thrown[0]).isInstanceOf(SimulatedFailure.class).hasMessageContaining("interrupted");
    assertThat(interruptedAfter[0]).isTrue();
    assertThat(service.hanging()).isZero();
  }

  @Test
  void recoverDropsTheScriptAndReleasesHangingCalls() throws Exception {
    service.hangNext(1).failNext(5);
    CompletableFuture<String> hung = CompletableFuture.supplyAsync(service);
    assertThat(service.awaitHanging(1, Duration.ofSeconds(10))).isTrue();

    service.recover();

    assertThat(hung.get(10, TimeUnit.SECONDS)).isEqualTo("ok");
    assertThat(service.get()).isEqualTo("ok");
  }

  @Test
  void countsAreExactUnderConcurrentCalls() throws Exception {
    service.failRandomly(0.5, 7L);
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        done.add(pool.submit(() -> {
          for (int i = 0; i < 5_000; i++) {
            succeeds(service);
          }
        }));
      }
      for (Future<?> f : done) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(service.calls()).isEqualTo(40_000);
    assertThat(service.successes() + service.failures()).isEqualTo(40_000);
  }

  @Test
  void refusesNonsense() {
    assertThatThrownBy(() -> service.failRandomly(1.5, 1)).hasMessage("fraction must be from 0 to 1, was 1.5");
    assertThatThrownBy(() -> service.failNext(-1)).hasMessage("n must not be negative, was -1");
    assertThatThrownBy(() -> service.latency(Duration.ofMillis(-1))).hasMessageContaining("latency must not be negative");
  }
}
