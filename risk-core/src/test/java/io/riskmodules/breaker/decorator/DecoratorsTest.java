package io.riskmodules.breaker.decorator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.riskmodules.breaker.CallNotPermittedException;
import io.riskmodules.breaker.CircuitBreaker;
import io.riskmodules.breaker.CircuitBreakerConfig;
import io.riskmodules.breaker.fallback.Answer;
import io.riskmodules.breaker.fallback.CacheFallback;
import io.riskmodules.breaker.fallback.CacheFallbackConfig;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class DecoratorsTest {
  private final AtomicLong nanos = new AtomicLong();
  private final CircuitBreaker breaker = CircuitBreaker.builder("pricing").ticker(nanos::get)
      .config(CircuitBreakerConfig.builder().ignoreExceptions(IllegalArgumentException.class).build())
      .eventExecutor(Runnable::run).build();
  private final CacheFallback<String, String> cache = CacheFallback.of(CacheFallbackConfig.ofDefaults(), nanos::get);
  private final AtomicBoolean failing = new AtomicBoolean();

  private String quote() {
    if (failing.get()) {
      throw new IllegalStateException("pricing down");
    }
    return "42.00";
  }

  @Test
  void breakerThenCacheThenFallbackInThatOrder() {
    Supplier<String> quote = Decorators.ofSupplier(this::quote)
        .withCircuitBreaker(breaker).withCacheFallback(cache, "sku-1").withFallback(cause -> "unavailable").decorate();
    assertThat(quote.get()).isEqualTo("42.00");
    failing.set(true);
    assertThat(quote.get()).as("failure: served from cache").isEqualTo("42.00");
    breaker.trip();
    assertThat(quote.get()).as("rejection: served from cache").isEqualTo("42.00");
    nanos.addAndGet(Duration.ofSeconds(301).toNanos());
    assertThat(quote.get()).as("cache too old: fallback").isEqualTo("unavailable");
    assertThat(cache.stats().hits()).isEqualTo(2);
  }

  @Test
  void theCallerCanTellACachedAnswerFromAFreshOne() {
    Supplier<Answer<String>> quote = Decorators.ofSupplier(this::quote)
        .withCircuitBreaker(breaker).withCacheFallback(cache, "sku-1").withFallback(cause -> "unavailable").decorateAnswer();
    assertThat(quote.get()).isEqualTo(Answer.fresh("42.00"));
    failing.set(true);
    nanos.addAndGet(Duration.ofSeconds(5).toNanos());
    Answer<String> cached = quote.get();
    assertThat(cached.fromCache()).isTrue();
    assertThat(cached.age()).isEqualTo(Duration.ofSeconds(5));
    nanos.addAndGet(Duration.ofSeconds(300).toNanos());
    assertThat(quote.get().source()).isEqualTo(Answer.Source.FALLBACK);
  }

  @Test
  void withoutCacheOrFallbackTheCausePropagates() {
    Supplier<String> quote = Decorators.ofSupplier(this::quote).withCircuitBreaker(breaker).decorate();
    failing.set(true);
    assertThatThrownBy(quote::get).hasMessage("pricing down");
    breaker.trip();
    assertThatThrownBy(quote::get).isInstanceOf(CallNotPermittedException.class);
  }

  @Test
  void anEmptyCacheWithoutFallbackRethrowsTheCause() {
    Supplier<String> quote = Decorators.ofSupplier(this::quote).withCircuitBreaker(breaker).withCacheFallback(cache, "k").decorate();
    failing.set(true);
    assertThatThrownBy(quote::get).hasMessage("pricing down");
    assertThat(cache.stats().misses()).isEqualTo(1);
  }

  @Test
  void ignoredExceptionsBypassCacheAndFallback() {
    Supplier<String> bad = Decorators.ofSupplier((Supplier<String>) () -> {
      throw new IllegalArgumentException("bad sku");
    }).withCircuitBreaker(breaker).withFallback(cause -> "fallback").decorate();
    assertThatThrownBy(bad::get).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void callablesKeepTheirCheckedExceptions() throws Exception {
    Callable<String> read = Decorators.ofCallable((Callable<String>) () -> {
      throw new IOException("disk");
    }).withCircuitBreaker(breaker).decorate();
    assertThatThrownBy(read::call).isExactlyInstanceOf(IOException.class);
    Callable<String> withFallback = Decorators.ofCallable((Callable<String>) () -> {
      throw new IOException("disk");
    }).withCircuitBreaker(breaker).withFallback(cause -> "from fallback").decorate();
    assertThat(withFallback.call()).isEqualTo("from fallback");
  }

  @Test
  void functionsCacheByArgument() {
    Function<String, String> price = Decorators.ofFunction((String sku) -> {
      if (failing.get()) {
        throw new IllegalStateException("down");
      }
      return "price of " + sku;
    }).withCircuitBreaker(breaker).withCacheFallback(cache).withFallback((sku, cause) -> "no price for " + sku).decorate();
    assertThat(price.apply("a")).isEqualTo("price of a");
    failing.set(true);
    assertThat(price.apply("a")).isEqualTo("price of a");
    assertThat(price.apply("b")).isEqualTo("no price for b");
  }

  @Test
  void completionStagesAreCachedAndRecovered() {
    Supplier<CompletionStage<String>> quote = Decorators.ofCompletionStage(
            () -> failing.get() ? CompletableFuture.<String>failedFuture(new IllegalStateException("down"))
                : CompletableFuture.completedFuture("async 1"))
        .withCircuitBreaker(breaker).withCacheFallback(cache, "async").decorate();
    assertThat(quote.get().toCompletableFuture().join()).isEqualTo("async 1");
    failing.set(true);
    assertThat(quote.get().toCompletableFuture().join()).isEqualTo("async 1");
    assertThat(breaker.status().failedCalls()).isEqualTo(1);
  }

  @Test
  void decorateNeedsABreaker() {
    assertThatThrownBy(() -> Decorators.ofSupplier(() -> 1).decorate())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("withCircuitBreaker");
  }
}
