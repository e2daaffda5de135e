package io.riskmodules.breaker.annotation;

import io.riskmodules.breaker.CircuitBreakerRegistry;
import io.riskmodules.breaker.annotation.internal.GuardedInvocationHandler;
import java.lang.reflect.Proxy;
import java.util.Objects;

/**
 * Wraps an implementation of an interface so that its {@link CircuitBreaker @CircuitBreaker}
 * methods run through breakers of a registry.
 *
 * <pre>{@code
 * PaymentClient client = CircuitBreakerProxies.proxy(PaymentClient.class, new HttpPaymentClient(), registry);
 * Receipt r = client.charge(order);      // through registry.breaker("payment_service")
 * }</pre>
 *
 * <p>Everything is resolved when the proxy is made: breakers, fallback methods (a wrong name or
 * signature fails here, naming the method, not at the first failure). Methods returning {@code
 * CompletionStage} or {@code CompletableFuture} are guarded asynchronously. {@code equals},
 * {@code hashCode}, {@code toString}, methods without the annotation and default methods without
 * it pass straight through. Exceptions reach the caller unwrapped, checked ones included. The
 * proxy is thread-safe if the implementation is.
 */
public final class CircuitBreakerProxies {

  private CircuitBreakerProxies() {}

  /**
   * A proxy of {@code type} over {@code target}.
   *
   * @throws IllegalArgumentException if {@code type} is not an interface, or a fallback method is
   *     missing or has the wrong signature
   */
  public static <T> T proxy(Class<T> type, T target, CircuitBreakerRegistry registry) {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(registry, "registry");
    if (!type.isInterface()) {
      throw new IllegalArgumentException(type.getName() + " is not an interface: only interfaces can be proxied");
    }
    GuardedInvocationHandler handler = GuardedInvocationHandler.create(type, target, registry);
    return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, handler));
  }
}
