package io.riskmodules.breaker.annotation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.riskmodules.breaker.CallNotPermittedException;
import io.riskmodules.breaker.CircuitBreakerRegistry;
import io.riskmodules.breaker.CircuitBreakerStatus;
import io.riskmodules.breaker.CircuitState;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class CircuitBreakerProxiesTest {

  private final AtomicLong nanos = new AtomicLong();
  private final CircuitBreakerRegistry registry =
      CircuitBreakerRegistry.builder().ticker(nanos::get).eventExecutor(Runnable::run).build();

  @CircuitBreaker(name = "inventory_service")
  interface Inventory {
    int stock(String sku) throws IOException;

    @CircuitBreaker(name = "payment_service", fallbackMethod = "deferred")
    String charge(String order, int cents) throws IOException;

    @CircuitBreaker(name = "payment_service", fallbackMethod = "deferredAsync")
    CompletableFuture<String> chargeAsync(String order);

    @CircuitBreaker(name = "notification_service", fallbackMethod = "dropped")
    CompletionStage<String> notifyAsync(String message);

    default String describe() {
      return "inventory with " + stockOrZero("x") + " of x";
    }

    default int stockOrZero(String sku) {
      try {
        return stock(sku);
      } catch (IOException e) {
        return 0;
      }
    }
  }

  /** A scripted implementation: it fails while {@code failing} is set. */
  static class Backend implements Inventory {
    volatile boolean failing;
    final AtomicInteger calls = new AtomicInteger();
    /** Fallbacks run on the callers' threads: eight at once in the concurrency test. */
    final List<Throwable> causes = new CopyOnWriteArrayList<>();
    CompletableFuture<String> nextAsync = new CompletableFuture<>();

    @Override
    public int stock(String sku) throws IOException {
      calls.incrementAndGet();
      if (failing) {
        throw new IOException("inventory down");
      }
      return 7;
    }

    @Override
    public String charge(String order, int cents) throws IOException {
      calls.incrementAndGet();
      if (failing) {
        throw new IOException("payments down");
      }
      return "charged " + order + " " + cents;
    }

    String deferred(String order, int cents, Throwable cause) {
      causes.add(cause);
      return "deferred " + order;
    }

    @Override
    public CompletableFuture<String> chargeAsync(String order) {
      return nextAsync;
    }

    CompletableFuture<String> deferredAsync(String order) {
      return CompletableFuture.completedFuture("deferred async " + order);
    }

    @Override
    public CompletionStage<String> notifyAsync(String message) {
      return CompletableFuture.failedFuture(new IllegalStateException("smtp down"));
    }

    private CompletionStage<String> dropped(String message, Throwable cause) {
      return CompletableFuture.completedFuture("dropped: " + cause.getMessage());
    }

    @Override
    public String toString() {
      return "Backend";
    }
  }

  private final Backend backend = new Backend();
  private final Inventory proxy = CircuitBreakerProxies.proxy(Inventory.class, backend, registry);

  @Test
  void theInterfaceAnnotationGuardsMethodsWithoutTheirOwn() throws Exception {
    assertThat(proxy.stock("a")).isEqualTo(7);
    assertThat(registry.find("inventory_service")).get().extracting(b -> b.status().successfulCalls()).isEqualTo(1L);
  }

  @Test
  void checkedExceptionsReachTheCallerUnwrapped() {
    backend.failing = true;
    assertThatThrownBy(() -> proxy.stock("a")).isExactlyInstanceOf(IOException.class).hasMessage("inventory down");
  }

  @Test
  void aRejectionIsACallNotPermittedException() {
    backend.failing = true;
    for (int i = 0; i < 5; i++) {
      assertThatThrownBy(() -> proxy.stock("a")).isInstanceOf(IOException.class);
    }
    assertThatThrownBy(() -> proxy.stock("a")).isInstanceOf(CallNotPermittedException.class);
    assertThat(backend.calls).hasValue(5);
  }

  @Test
  void theFallbackWithATrailingThrowableGetsTheCause() throws Exception {
    backend.failing = true;
    assertThat(proxy.charge("o-1", 500)).isEqualTo("deferred o-1");
    assertThat(backend.causes).singleElement().isInstanceOf(IOException.class);
    registry.breaker("payment_service").trip();
    assertThat(proxy.charge("o-2", 500)).isEqualTo("deferred o-2");
    assertThat(backend.causes.get(1)).isInstanceOf(CallNotPermittedException.class);
  }

  @Test
  void anAsyncMethodWhoseFutureFailsIsRecordedAndServedByItsFallback() {
    CompletableFuture<String> answer = proxy.chargeAsync("o-3");
    assertThat(answer).isNotDone();
    backend.nextAsync.completeExceptionally(new IllegalStateException("timeout"));
    assertThat(answer.join()).isEqualTo("deferred async o-3");
    CircuitBreakerStatus s = registry.breaker("payment_service").status();
    assertThat(s.failedCalls()).isEqualTo(1);
  }

  @Test
  void aCompletionStageMethodUsesAPrivateFallbackWithTheCause() {
    assertThat(proxy.notifyAsync("hi").toCompletableFuture().join()).isEqualTo("dropped: smtp down");
    assertThat(registry.breaker("notification_service").status().failedCalls()).isEqualTo(1);
  }

  @Test
  void anAsyncMethodWithoutFallbackFailsItsFuture() {
    interface Plain {
      @CircuitBreaker(name = "plain")
      CompletableFuture<String> get();
    }
    Plain p = CircuitBreakerProxies.proxy(Plain.class, () -> CompletableFuture.failedFuture(new IllegalStateException("x")), registry);
    assertThatThrownBy(() -> p.get().join()).isInstanceOf(CompletionException.class).hasCauseInstanceOf(IllegalStateException.class);
    assertThat(registry.breaker("plain").status().failedCalls()).isEqualTo(1);
  }

  @Test
  void objectMethodsAndUnannotatedDefaultMethodsPassStraightThrough() {
    assertThat(proxy.toString()).isEqualTo("Backend");
    assertThat(proxy.hashCode()).isEqualTo(backend.hashCode());
    assertThat(proxy.equals(CircuitBreakerProxies.proxy(Inventory.class, backend, registry))).isTrue();
    assertThat(proxy.equals(new Backend())).isFalse();
    assertThat(proxy.describe()).isEqualTo("inventory with 7 of x");
    assertThat(registry.breaker("inventory_service").status().successfulCalls())
        .as("the default method's own call to stock() goes through the proxy").isEqualTo(1);
  }

  /** Overrides {@code describe()}; leaves {@code stockOrZero} to the interface. */
  static class DescribingBackend extends Backend {
    @Override
    public String describe() {
      return "described by the target";
    }
  }

  @Test
  void anUnannotatedDefaultMethodTheTargetOverridesRunsTheTargetsOverride() {
    Inventory p = CircuitBreakerProxies.proxy(Inventory.class, new DescribingBackend(), registry);
    assertThat(p.describe()).isEqualTo("described by the target");
    assertThat(p.stockOrZero("x")).as("not overridden: the interface's body, on the proxy").isEqualTo(7);
    assertThat(registry.breaker("inventory_service").status().successfulCalls()).isEqualTo(1);
  }

  interface OneOfManyWrong {
    @CircuitBreaker(name = "good_a")
    String a();

    @CircuitBreaker(name = "good_b")
    String b();

    @CircuitBreaker(name = "good_c")
    String c();

    @CircuitBreaker(name = "bad", fallbackMethod = "missing")
    String d();

    @CircuitBreaker(name = "good_e")
    String e();
  }

  @Test
  void aProxyThatCannotBeMadeLeavesNoBreakerOfItsOtherMethodsBehind() {
    OneOfManyWrong impl = new OneOfManyWrong() {
      public String a() {
        return "a";
      }

      public String b() {
        return "b";
      }

      public String c() {
        return "c";
      }

      public String d() {
        return "d";
      }

      public String e() {
        return "e";
      }
    };
    assertThatThrownBy(() -> CircuitBreakerProxies.proxy(OneOfManyWrong.class, impl, registry))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("fallback method 'missing' not found");
    for (String name : List.of("good_a", "good_b", "good_c", "bad", "good_e")) {
      assertThat(registry.find(name)).as(name).isEmpty();
    }
  }

  interface NullStages {
    @CircuitBreaker(name = "null_stage")
    CompletableFuture<String> plain();

    @CircuitBreaker(name = "null_stage_with_fallback", fallbackMethod = "fallback")
    CompletionStage<String> withFallback();
  }

  static class NullStagesImpl implements NullStages {
    int fallbacks;

    @Override
    public CompletableFuture<String> plain() {
      return null;
    }

    @Override
    public CompletionStage<String> withFallback() {
      return null;
    }

    CompletionStage<String> fallback() {
      fallbacks++;
      return CompletableFuture.completedFuture("fallback");
    }
  }

  @Test
  void aNullStageIsIgnoredAsTheCallersBugAsTheBreakerItselfDoes() {
    CircuitBreakerRegistry strict = CircuitBreakerRegistry.builder().ticker(nanos::get).eventExecutor(Runnable::run)
        .defaultConfig(io.riskmodules.breaker.CircuitBreakerConfig.builder().failureThreshold(1).build()).build();
    NullStagesImpl impl = new NullStagesImpl();
    NullStages p = CircuitBreakerProxies.proxy(NullStages.class, impl, strict);
    assertThatThrownBy(() -> p.plain().join()).hasCauseInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> p.withFallback().toCompletableFuture().join()).hasCauseInstanceOf(NullPointerException.class);
    assertThat(impl.fallbacks).as("a bug, not a failure to fall back from").isZero();
    for (String name : List.of("null_stage", "null_stage_with_fallback")) {
      CircuitBreakerStatus s = strict.breaker(name).status();
      assertThat(s.state()).as(name).isEqualTo(CircuitState.CLOSED);
      assertThat(s.failedCalls()).as(name).isZero();
      assertThat(s.ignoredCalls()).as(name).isEqualTo(1);
    }
  }

  interface Wrong {
    @CircuitBreaker(name = "w", fallbackMethod = "missing")
    String get(String a, int b);
  }

  @Test
  void aMissingFallbackFailsAtCreationNamingTheMethod() {
    assertThatThrownBy(() -> CircuitBreakerProxies.proxy(Wrong.class, (a, b) -> "x", registry))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("Wrong.get(String, int): fallback method 'missing' not found on ")
        .hasMessageEndingWith("expected String missing(String, int) or String missing(String, int, Throwable)");
    assertThat(registry.find("w")).as("a proxy that could not be made leaves no breaker").isEmpty();
  }

  /** A stage type of the user's own: the proxy could not answer with one. */
  static final class Quote extends java.util.concurrent.CompletableFuture<String> {}

  interface OwnStageType {
    @CircuitBreaker(name = "own_stage")
    Quote quote();
  }

  @Test
  void anAsyncMethodReturningAStageSubtypeIsRefusedAtCreationNotWithAClassCastLater() {
    assertThatThrownBy(() -> CircuitBreakerProxies.proxy(OwnStageType.class, Quote::new, registry))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("cannot guard OwnStageType.quote: it returns Quote; an asynchronous guarded method must "
            + "return CompletionStage or CompletableFuture");
    assertThat(registry.find("own_stage")).isEmpty();
  }

  interface WrongSignature {
    @CircuitBreaker(name = "w", fallbackMethod = "later")
    String get(String a);
  }

  static class WrongSignatureImpl implements WrongSignature {
    @Override
    public String get(String a) {
      return a;
    }

    Integer later(String a) {
      return 0;
    }

    String later(int a) {
      return "";
    }
  }

  @Test
  void aFallbackWithTheWrongSignatureFailsAtCreation() {
    assertThatThrownBy(() -> CircuitBreakerProxies.proxy(WrongSignature.class, new WrongSignatureImpl(), registry))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("WrongSignature.get(String): fallback method 'later' not found");
  }

  @Test
  void onlyInterfacesCanBeProxied() {
    assertThatThrownBy(() -> CircuitBreakerProxies.proxy(Backend.class, backend, registry))
        .hasMessageContaining("is not an interface");
  }

  @Test
  void oneProxyFromEightThreadsCountsEveryCallOnce() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(8);
    AtomicInteger succeeded = new AtomicInteger();
    AtomicInteger fellBack = new AtomicInteger();
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        int thread = t;
        done.add(pool.submit(() -> {
          for (int i = 0; i < 5_000; i++) {
            backend.failing = (i + thread) % 7 == 0;
            String r = proxy.charge("o", i);
            if (r.startsWith("charged")) {
              succeeded.incrementAndGet();
            } else {
              fellBack.incrementAndGet();
            }
          }
          return null;
        }));
      }
      for (Future<?> f : done) {
        f.get(1, TimeUnit.MINUTES);
      }
    } finally {
      pool.shutdownNow();
    }
    CircuitBreakerStatus s = registry.breaker("payment_service").status();
    assertThat(succeeded.get() + fellBack.get()).isEqualTo(40_000);
    assertThat(s.totalCalls()).isEqualTo(40_000);
    assertThat(s.successfulCalls()).isEqualTo(succeeded.get());
    assertThat(s.failedCalls() + s.rejectedCalls()).isEqualTo(fellBack.get());
    assertThat(s.state()).isIn(CircuitState.CLOSED, CircuitState.OPEN, CircuitState.HALF_OPEN);
  }
}
