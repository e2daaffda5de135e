/**
 * The circuit breaker: {@link io.riskmodules.breaker.CircuitBreaker}, its immutable {@link
 * io.riskmodules.breaker.CircuitBreakerConfig}, the {@link io.riskmodules.breaker.CircuitBreakerRegistry}
 * of named breakers, status snapshots and events.
 *
 * <pre>{@code
 * CircuitBreakerRegistry registry = CircuitBreakerRegistry.ofDefaults();
 * CircuitBreaker payments = registry.breaker("payment_service");
 * Receipt receipt = payments.execute(() -> client.charge(order), cause -> Receipt.deferred(order));
 * }</pre>
 */
package io.riskmodules.breaker;
