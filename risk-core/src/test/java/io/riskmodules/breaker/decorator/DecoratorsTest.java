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
import java.util.concurrent.atomic.AtomicReference;
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

  private CircuitBreaker failingOn503(String name) {
    return CircuitBreaker.builder(name).ticker(nanos::get).eventExecutor(Runnable::run)
        .config(CircuitBreakerConfig.builder().recordResult("HTTP 503"::equals).build()).build();
  }

  @Test
  void aResultTheBreakerRecordsAsAFailureIsNotCachedAsTheLastGoodOne() {
    CircuitBreaker b = failingOn503("pricing-503");
    AtomicReference<String> next = new AtomicReference<>("42.00");
    Supplier<String> quote = Decorators.ofSupplier(next::get).withCircuitBreaker(b).withCacheFallback(cache, "sku").decorate();
    assertThat(quote.get()).isEqualTo("42.00");
    next.set("HTTP 503");
    quote.get();
    assertThat(b.status().failedCalls()).isEqualTo(1);
    b.trip();
    assertThat(quote.get()).as("the last good answer, not the failed one").isEqualTo("42.00");
  }

  @Test
  void callablesFunctionsAndStagesDoNotCacheAResultRecordedAsAFailure() throws Exception {
    CircuitBreaker b = failingOn503("all-503");
    AtomicReference<String> next = new AtomicReference<>("42.00");
    Callable<String> callable = Decorators.ofCallable(next::get).withCircuitBreaker(b).withCacheFallback(cache, "c").decorate();
    Function<String, String> function = Decorators.ofFunction((String sku) -> next.get())
        .withCircuitBreaker(b).withCacheFallback(cache).decorate();
    Supplier<CompletionStage<String>> stage = Decorators.ofCompletionStage(() -> CompletableFuture.completedFuture(next.get()))
        .withCircuitBreaker(b).withCacheFallback(cache, "s").decorate();
    callable.call();
    function.apply("f");
    stage.get().toCompletableFuture().join();
    next.set("HTTP 503");
    callable.call();
    function.apply("f");
    stage.get().toCompletableFuture().join();
    assertThat(b.status().failedCalls()).isEqualTo(3);
    b.trip();
    assertThat(callable.call()).isEqualTo("42.00");
    assertThat(function.apply("f")).isEqualTo("42.00");
    assertThat(stage.get().toCompletableFuture().join()).isEqualTo("42.00");
  }

  @Test
  void whatDecorateBuiltKeepsItsCacheKeyWhenTheBuilderIsReused() {
    var builder = Decorators.ofSupplier(() -> "v").withCircuitBreaker(breaker)
        .withCacheFallback(cache, "sku-1").withFallback(cause -> "first");
    Supplier<String> first = builder.decorate();
    builder.withCacheFallback(cache, "sku-2").withFallback(cause -> "second").decorate();
    first.get();
    assertThat(cache.get("sku-1")).isPresent();
    assertThat(cache.get("sku-2")).isEmpty();
  }

  @Test
  void whatDecorateBuiltKeepsItsFallbackWhenTheBuilderIsReused() throws Exception {
    var supplierBuilder = Decorators.ofSupplier(() -> "v").withCircuitBreaker(breaker).withFallback(cause -> "first");
    Supplier<String> supplier = supplierBuilder.decorate();
    supplierBuilder.withFallback(cause -> "second");
    var callableBuilder = Decorators.ofCallable(() -> "v").withCircuitBreaker(breaker).withFallback(cause -> "first");
    Callable<String> callable = callableBuilder.decorate();
    callableBuilder.withFallback(cause -> "second");
    var stageBuilder = Decorators.ofCompletionStage(() -> CompletableFuture.completedFuture("v"))
        .withCircuitBreaker(breaker).withFallback(cause -> "first");
    Supplier<CompletionStage<String>> stage = stageBuilder.decorate();
    stageBuilder.withFallback(cause -> "second");
    breaker.trip();
    assertThat(supplier.get()).isEqualTo("first");
    assertThat(callable.call()).isEqualTo("first");
    assertThat(stage.get().toCompletableFuture().join()).isEqualTo("first");
  }

  @Test
  void decorateNeedsABreaker() {
    assertThatThrownBy(() -> Decorators.ofSupplier(() -> 1).decorate())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("withCircuitBreaker");
  }

  @Test
  void aNullStageWithACacheIsTheCallersBugNotAFailureOfTheDownstream() {
    Supplier<CompletionStage<String>> stage = Decorators.<String>ofCompletionStage(() -> null)
        .withCircuitBreaker(breaker).withCacheFallback(cache, "s").decorate();
    assertThatThrownBy(() -> stage.get().toCompletableFuture().join()).hasCauseInstanceOf(NullPointerException.class);
    assertThat(breaker.status().failedCalls()).isZero();
    assertThat(breaker.status().ignoredCalls()).isEqualTo(1);
  }
}
