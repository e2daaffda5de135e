package io.riskmodules.breaker.decorator;

import io.riskmodules.breaker.CircuitBreaker;
import io.riskmodules.breaker.CircuitBreakerConfig;
import io.riskmodules.breaker.fallback.Answer;
import io.riskmodules.breaker.fallback.CacheFallback;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletionStage;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Wraps code that has no interface to proxy: a breaker, then a cache fallback, then a last-resort
 * fallback, in that order. On a rejection or a recorded failure the cache serves the last good
 * result for the key if it is young enough; otherwise the fallback answers; without either the
 * cause propagates. Ignored exceptions always propagate.
 *
 * <pre>{@code
 * Supplier<Quote> quote = Decorators.ofSupplier(() -> pricing.quote(sku))
 *     .withCircuitBreaker(registry.breaker("pricing"))
 *     .withCacheFallback(lastQuotes, sku)
 *     .withFallback(cause -> Quote.unavailable(sku))
 *     .decorate();
 * }</pre>
 *
 * <p>The parts are composed once, by {@code decorate()}: a decorated Supplier or Callable
 * allocates nothing per call beyond what the cache stores. Builders are not thread-safe; what they
 * build is.
 */
public final class Decorators {

  private Decorators() {}

  /** Starts decorating a Supplier. */
  public static <T> ForSupplier<T> ofSupplier(Supplier<T> call) {
    return new ForSupplier<>(Objects.requireNonNull(call, "call"));
  }

  /** Starts decorating a Callable; its checked exceptions propagate unwrapped. */
  public static <T> ForCallable<T> ofCallable(Callable<T> call) {
    return new ForCallable<>(Objects.requireNonNull(call, "call"));
  }

  /** Starts decorating a Function; the cache is keyed by its argument unless told otherwise. */
  public static <A, T> ForFunction<A, T> ofFunction(Function<A, T> call) {
    return new ForFunction<>(Objects.requireNonNull(call, "call"));
  }

  /** Starts decorating an asynchronous call. */
  public static <T> ForCompletionStage<T> ofCompletionStage(Supplier<? extends CompletionStage<T>> call) {
    return new ForCompletionStage<>(Objects.requireNonNull(call, "call"));
  }

  /** What the Supplier, Callable and CompletionStage builders share. */
  abstract static class Parts<T, B extends Parts<T, B>> {
    CircuitBreaker breaker;
    CacheFallback<Object, T> cache;
    Object key;
    Function<? super Throwable, ? extends T> fallback;

    abstract B self();

    /** The breaker every call goes through (required). */
    public B withCircuitBreaker(CircuitBreaker breaker) {
      this.breaker = Objects.requireNonNull(breaker, "breaker");
      return self();
    }

    /** Keep each good result under {@code key} and serve it when the call is refused or fails. */
    @SuppressWarnings("unchecked")
    public <K> B withCacheFallback(CacheFallback<K, T> cache, K key) {
      this.cache = (CacheFallback<Object, T>) Objects.requireNonNull(cache, "cache");
      this.key = key;
      return self();
    }

    /** The last resort: answers from the cause when the cache has nothing fresh. */
    public B withFallback(Function<? super Throwable, ? extends T> fallback) {
      this.fallback = Objects.requireNonNull(fallback, "fallback");
      return self();
    }

    /**
     * The parts as they are now, copied into final fields: what {@code decorate()} builds keeps
     * them however the builder is reused, and is safely published with them.
     */
    Composed<T> compose() {
      if (breaker == null) {
        throw new IllegalStateException("withCircuitBreaker(...) is required before decorate()");
      }
      return new Composed<>(breaker, cache, key, fallback);
    }
  }

  /** What one {@code decorate()} call composed: fixed for the life of the decorated call. */
  record Composed<T>(
      CircuitBreaker breaker,
      CacheFallback<Object, T> cache,
      Object key,
      Function<? super Throwable, ? extends T> fallback) {

    T remember(T value) {
      if (cache != null && countedAsSuccess(breaker, value)) {
        cache.put(key, value);
      }
      return value;
    }

    /** Only runs on a rejection or failure, so the answer it unwraps costs nothing on success. */
    T recover(Throwable cause) {
      return recoverAnswer(cause).value();
    }

    Answer<T> recoverAnswer(Throwable cause) {
      if (cache != null) {
        var hit = cache.get(key);
        if (hit.isPresent()) {
          return hit.get();
        }
      }
      if (fallback != null) {
        return new Answer<>(fallback.apply(cause), Answer.Source.FALLBACK, java.time.Duration.ZERO);
      }
      throw Decorators.<RuntimeException>sneaky(cause);
    }
  }

  /**
   * Whether {@code breaker} counts {@code value} as a success: only those may become the cache's
   * last good answer. A result predicate that throws caches nothing; the breaker then runs it
   * itself and reports it as it always does.
   */
  static boolean countedAsSuccess(CircuitBreaker breaker, Object value) {
    CircuitBreakerConfig config = breaker.config();
    if (!config.hasResultPredicate()) {
      return true;
    }
    try {
      return !config.isFailureResult(value);
    } catch (RuntimeException predicateFailure) {
      return false;
    }
  }

  /** Decorates a {@link Supplier}. */
  public static final class ForSupplier<T> extends Parts<T, ForSupplier<T>> {
    private final Supplier<T> call;

    ForSupplier(Supplier<T> call) {
      this.call = call;
    }

    @Override
    ForSupplier<T> self() {
      return this;
    }

    /** The decorated supplier. */
    public Supplier<T> decorate() {
      Composed<T> parts = compose();
      CircuitBreaker b = parts.breaker();
      Supplier<T> protectedCall = parts.cache() == null ? call : () -> parts.remember(call.get());
      if (parts.cache() == null && parts.fallback() == null) {
        return () -> b.execute(protectedCall);
      }
      Function<Throwable, T> recovery = parts::recover;
      return () -> b.execute(protectedCall, recovery);
    }

    /** The decorated supplier, answering with where each answer came from. */
    public Supplier<Answer<T>> decorateAnswer() {
      Composed<T> parts = compose();
      CircuitBreaker b = parts.breaker();
      Supplier<Answer<T>> protectedCall = () -> Answer.fresh(parts.remember(call.get()));
      Function<Throwable, Answer<T>> recovery = parts::recoverAnswer;
      return () -> b.execute(protectedCall, recovery);
    }
  }

  /** Decorates a {@link Callable}. */
  public static final class ForCallable<T> extends Parts<T, ForCallable<T>> {
    private final Callable<T> call;

    ForCallable(Callable<T> call) {
      this.call = call;
    }

    @Override
    ForCallable<T> self() {
      return this;
    }

    /** The decorated callable. */
    public Callable<T> decorate() {
      Composed<T> parts = compose();
      CircuitBreaker b = parts.breaker();
      Callable<T> protectedCall = parts.cache() == null ? call : () -> parts.remember(call.call());
      if (parts.cache() == null && parts.fallback() == null) {
        return () -> b.call(protectedCall);
      }
      Function<Throwable, T> recovery = parts::recover;
      return () -> b.call(protectedCall, recovery);
    }
  }

  /** Decorates a {@link Function}; each call captures its argument, the only allocation per call. */
  public static final class ForFunction<A, T> {
    private final Function<A, T> call;
    private CircuitBreaker breaker;
    private CacheFallback<Object, T> cache;
    private Function<? super A, ?> keyOf = Function.identity();
    private BiFunction<? super A, ? super Throwable, ? extends T> fallback;

    ForFunction(Function<A, T> call) {
      this.call = call;
    }

    /** The breaker every call goes through (required). */
    public ForFunction<A, T> withCircuitBreaker(CircuitBreaker breaker) {
      this.breaker = Objects.requireNonNull(breaker, "breaker");
      return this;
    }

    /** Keep each good result under its argument and serve it when the call is refused or fails. */
    public ForFunction<A, T> withCacheFallback(CacheFallback<? super A, T> cache) {
      return withCacheFallback(cache, Function.identity());
    }

    /** As {@link #withCacheFallback(CacheFallback)}, keyed by {@code keyOf(argument)}. */
    @SuppressWarnings("unchecked")
    public <K> ForFunction<A, T> withCacheFallback(CacheFallback<K, T> cache, Function<? super A, ? extends K> keyOf) {
      this.cache = (CacheFallback<Object, T>) Objects.requireNonNull(cache, "cache");
      this.keyOf = Objects.requireNonNull(keyOf, "keyOf");
      return this;
    }

    /** The last resort: answers from the argument and the cause. */
    public ForFunction<A, T> withFallback(BiFunction<? super A, ? super Throwable, ? extends T> fallback) {
      this.fallback = Objects.requireNonNull(fallback, "fallback");
      return this;
    }

    /** The decorated function. */
    public Function<A, T> decorate() {
      if (breaker == null) {
        throw new IllegalStateException("withCircuitBreaker(...) is required before decorate()");
      }
      CircuitBreaker b = breaker;
      CacheFallback<Object, T> c = cache;
      Function<? super A, ?> k = keyOf;
      BiFunction<? super A, ? super Throwable, ? extends T> f = fallback;
      return argument -> b.execute(() -> {
        T value = call.apply(argument);
        if (c != null && countedAsSuccess(b, value)) {
          c.put(k.apply(argument), value);
        }
        return value;
      }, cause -> {
        if (c != null) {
          var hit = c.get(k.apply(argument));
          if (hit.isPresent()) {
            return hit.get().value();
          }
        }
        if (f != null) {
          return f.apply(argument, cause);
        }
        throw Decorators.<RuntimeException>sneaky(cause);
      });
    }
  }

  /** Decorates an asynchronous call; the outcome is recorded when its stage completes. */
  public static final class ForCompletionStage<T> extends Parts<T, ForCompletionStage<T>> {
    private final Supplier<? extends CompletionStage<T>> call;

    ForCompletionStage(Supplier<? extends CompletionStage<T>> call) {
      this.call = call;
    }

    @Override
    ForCompletionStage<T> self() {
      return this;
    }

    /** The decorated asynchronous call. */
    public Supplier<CompletionStage<T>> decorate() {
      Composed<T> parts = compose();
      CircuitBreaker b = parts.breaker();
      Function<T, T> remember = parts::remember;
      Supplier<CompletionStage<T>> protectedCall = parts.cache() == null
          ? () -> call.get()
          : () -> {
            CompletionStage<T> stage = call.get();
            // a null stage is the caller's bug: left to executeAsync, which does not count it a failure
            return stage == null ? null : stage.thenApply(remember);
          };
      if (parts.cache() == null && parts.fallback() == null) {
        return () -> b.executeAsync(protectedCall);
      }
      Function<Throwable, T> recovery = parts::recover;
      return () -> b.executeAsync(protectedCall, recovery);
    }
  }

  @SuppressWarnings("unchecked")
  static <E extends Throwable> E sneaky(Throwable e) throws E {
    throw (E) e;
  }
}
