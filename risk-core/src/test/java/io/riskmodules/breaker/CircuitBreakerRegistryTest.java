package io.riskmodules.breaker;

import static io.riskmodules.breaker.Faults.fail;
import static io.riskmodules.breaker.Faults.succeed;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class CircuitBreakerRegistryTest {
  private final ManualTime time = new ManualTime();
  private final CircuitBreakerConfig payment = CircuitBreakerConfig.builder()
      .failureThreshold(3).successThreshold(5).openTimeout(Duration.ofSeconds(60)).build();

  private CircuitBreakerRegistry registry() {
    return CircuitBreakerRegistry.builder().config("payment_service", payment)
        .ticker(time).clock(time).eventExecutor(Runnable::run).build();
  }

  @Test
  void breakersGetTheirOwnConfigOrTheDefault() {
    CircuitBreakerRegistry r = registry();
    assertThat(r.breaker("payment_service").config()).isSameAs(payment);
    assertThat(r.breaker("inventory_service").config()).isSameAs(CircuitBreakerConfig.ofDefaults());
  }

  @Test
  void registriesAreIndependent() {
    CircuitBreakerRegistry a = registry();
    CircuitBreakerRegistry b = registry();
    assertThat(a.breaker("x")).isNotSameAs(b.breaker("x"));
  }

  @Test
  void getOrCreateMakesOneBreakerPerNameUnderContention() throws Exception {
    CircuitBreakerRegistry r = registry();
    List<RegistryEvent> events = new java.util.concurrent.CopyOnWriteArrayList<>();
    r.onEvent(events::add);
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<CircuitBreaker>> got = new ArrayList<>();
      for (int i = 0; i < 64; i++) {
        got.add(pool.submit(() -> {
          start.await();
          return r.breaker("shared");
        }));
      }
      start.countDown();
      Set<CircuitBreaker> distinct = ConcurrentHashMap.newKeySet();
      for (Future<CircuitBreaker> f : got) {
        distinct.add(f.get(10, TimeUnit.SECONDS));
      }
      assertThat(distinct).hasSize(1);
      assertThat(events).hasSize(1).first().isInstanceOf(RegistryEvent.Added.class);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void listAndRemove() {
    CircuitBreakerRegistry r = registry();
    List<RegistryEvent> events = new ArrayList<>();
    r.onEvent(events::add);
    CircuitBreaker a = r.breaker("a");
    r.breaker("b");
    assertThat(r.all()).extracting(CircuitBreaker::name).containsExactlyInAnyOrder("a", "b");
    assertThat(r.remove("a")).contains(a);
    assertThat(r.remove("a")).isEmpty();
    assertThat(r.find("a")).isEmpty();
    assertThat(r.breaker("a")).isNotSameAs(a);
    assertThat(events).extracting(e -> e.getClass().getSimpleName()).containsExactly("Added", "Added", "Removed", "Added");
  }

  @Test
  void reconfiguringALiveBreakerKeepsItsStateAndCompatibleWindow() {
    CircuitBreakerRegistry r = registry();
    CircuitBreaker b = r.breaker("inventory_service");
    succeed(b, 3);
    fail(b, 4);
    List<RegistryEvent> events = new ArrayList<>();
    r.onEvent(events::add);
    r.configure("inventory_service", CircuitBreakerConfig.builder().failureThreshold(10).build());
    assertThat(b.config().failureThreshold()).isEqualTo(10);
    assertThat(b.status().callsInWindow()).isEqualTo(7);
    assertThat(b.status().consecutiveFailures()).isEqualTo(4);
    assertThat(events).singleElement().isInstanceOfSatisfying(RegistryEvent.Reconfigured.class,
        e -> assertThat(e.previous().failureThreshold()).isEqualTo(5));
    fail(b, 2);
    assertThat(b.state()).as("6 consecutive < 10 and 6 failures of 9 calls").isEqualTo(CircuitState.CLOSED);
    fail(b, 1);
    assertThat(b.state()).as("7 consecutive < 10 but 7 failures of 10 calls").isEqualTo(CircuitState.OPEN);
  }

  @Test
  void reconfiguringAnOpenBreakerKeepsItOpenWithItsTimer() {
    CircuitBreakerRegistry r = registry();
    CircuitBreaker b = r.breaker("payment_service");
    fail(b, 3);
    time.advance(Duration.ofSeconds(20));
    r.configure("payment_service", payment.toBuilder().successThreshold(1).build());
    assertThat(b.state()).isEqualTo(CircuitState.OPEN);
    assertThat(b.remainingOpenTime()).isEqualTo(Duration.ofSeconds(40));
    assertThat(b.status().lastTransitions()).hasSize(1);
    time.advance(Duration.ofSeconds(40));
    succeed(b, 1);
    assertThat(b.state()).isEqualTo(CircuitState.CLOSED);
  }

  @Test
  void anIncompatibleWindowStartsAfresh() {
    CircuitBreakerRegistry r = registry();
    CircuitBreaker b = r.breaker("x");
    fail(b, 4);
    r.configure("x", CircuitBreakerConfig.builder().timeBasedWindow(60).build());
    assertThat(b.status().callsInWindow()).isZero();
    assertThat(b.status().state()).isEqualTo(CircuitState.CLOSED);
  }

  @Test
  void changingTheDefaultReachesOnlyBreakersWithoutTheirOwnConfig() {
    CircuitBreakerRegistry r = registry();
    CircuitBreaker payments = r.breaker("payment_service");
    CircuitBreaker other = r.breaker("other");
    CircuitBreakerConfig strict = CircuitBreakerConfig.builder().failureThreshold(1).build();
    r.configureDefault(strict);
    assertThat(other.config()).isSameAs(strict);
    assertThat(payments.config()).isSameAs(payment);
    assertThat(r.breaker("new").config()).isSameAs(strict);
  }

  @Test
  void aBreakerGivenItsOwnConfigAtCreationKeepsItWhenTheDefaultChanges() {
    CircuitBreakerRegistry r = registry();
    CircuitBreakerConfig own = CircuitBreakerConfig.builder().failureThreshold(2).build();
    CircuitBreaker search = r.breaker("search", own);
    r.configureDefault(CircuitBreakerConfig.builder().failureThreshold(50).build());
    assertThat(search.config()).isSameAs(own);
  }

  @Test
  void aBreakerRecreatedWithoutItsOwnConfigFollowsTheDefaultAgain() {
    CircuitBreakerRegistry r = registry();
    r.breaker("search", CircuitBreakerConfig.builder().failureThreshold(2).build());
    r.remove("search");
    CircuitBreaker recreated = r.breaker("search");
    CircuitBreakerConfig strict = CircuitBreakerConfig.builder().failureThreshold(1).build();
    r.configureDefault(strict);
    assertThat(recreated.config()).isSameAs(strict);
  }

  /**
   * A registry whose first breaker, made on another thread, stops after reading its config and
   * before it is in the registry, until {@code whileCreating} has run.
   */
  private CircuitBreaker createWhile(String name, java.util.function.Consumer<CircuitBreakerRegistry> whileCreating)
      throws Exception {
    CountDownLatch creating = new CountDownLatch(1);
    CountDownLatch changed = new CountDownLatch(1);
    Thread[] creator = new Thread[1];
    CircuitBreakerRegistry r = CircuitBreakerRegistry.builder().eventExecutor(Runnable::run).ticker(() -> {
      // the breaker reads the ticker while it is built: configFor(name) has been read by then
      if (Thread.currentThread() == creator[0] && creating.getCount() > 0) {
        creating.countDown();
        try {
          changed.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          throw new IllegalStateException(e);
        }
      }
      return 0L;
    }).build();
    java.util.concurrent.CompletableFuture<CircuitBreaker> made = new java.util.concurrent.CompletableFuture<>();
    creator[0] = new Thread(() -> made.complete(r.breaker(name)));
    creator[0].start();
    assertThat(creating.await(10, TimeUnit.SECONDS)).isTrue();
    whileCreating.accept(r);
    changed.countDown();
    return made.get(10, TimeUnit.SECONDS);
  }

  @Test
  void aConfigureRacingTheFirstCallForTheBreakerStillReachesIt() throws Exception {
    CircuitBreakerConfig strict = CircuitBreakerConfig.builder().failureThreshold(1).build();
    CircuitBreaker b = createWhile("payment_service", r -> r.configure("payment_service", strict));
    assertThat(b.config()).isSameAs(strict);
  }

  @Test
  void aConfigureDefaultRacingTheFirstCallForTheBreakerStillReachesIt() throws Exception {
    CircuitBreakerConfig strict = CircuitBreakerConfig.builder().failureThreshold(1).build();
    CircuitBreaker b = createWhile("inventory_service", r -> r.configureDefault(strict));
    assertThat(b.config()).isSameAs(strict);
  }
}
