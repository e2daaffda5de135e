/**
 * Risk Modules core: the circuit breaker ({@link io.riskmodules.breaker.CircuitBreaker}, its
 * registry, events and execution forms), annotation proxies, decorators, fallbacks and failover
 * node groups. Only these public packages are exported; the {@code internal} ones are not API.
 *
 * <p>In a modular application, a package whose interfaces or implementations are wrapped by
 * {@link io.riskmodules.breaker.annotation.CircuitBreakerProxies} must be opened to this module
 * ({@code opens com.example.client to io.riskmodules.core;}): the proxy calls the target and its
 * fallback methods reflectively, and those may be package-private.
 */
module io.riskmodules.core {
  requires org.slf4j;
  requires transitive java.net.http;  // NodeGroup.Builder.httpClient(HttpClient)

  exports io.riskmodules.breaker;
  exports io.riskmodules.breaker.annotation;
  exports io.riskmodules.breaker.decorator;
  exports io.riskmodules.breaker.fallback;
  exports io.riskmodules.failover;
}
