package io.riskmodules.breaker.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Guards an interface method (or, on the interface, every abstract method without an annotation of
 * its own) with the named breaker of a registry, once the implementation is wrapped by {@link
 * CircuitBreakerProxies#proxy}. No framework is needed.
 *
 * <pre>{@code
 * @CircuitBreaker(name = "payment_service")
 * interface PaymentClient {
 *   @CircuitBreaker(name = "payment_service", fallbackMethod = "deferred")
 *   Receipt charge(Order order) throws IOException;
 *   CompletableFuture<Receipt> chargeAsync(Order order);      // guarded asynchronously
 * }
 * class HttpPaymentClient implements PaymentClient {
 *   ...
 *   Receipt deferred(Order order, Throwable cause) { return Receipt.deferred(order); }
 * }
 * PaymentClient client = CircuitBreakerProxies.proxy(PaymentClient.class, new HttpPaymentClient(), registry);
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.TYPE})
public @interface CircuitBreaker {

  /** The breaker's name in the registry. */
  String name();

  /**
   * A method of the implementation to call on a rejection or a recorded failure: same parameters,
   * optionally followed by a {@code Throwable} (the cause), and a return type assignable to the
   * guarded method's. Empty (the default) means no fallback.
   */
  String fallbackMethod() default "";
}
