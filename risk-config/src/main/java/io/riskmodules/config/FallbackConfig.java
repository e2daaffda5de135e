package io.riskmodules.config;

import io.riskmodules.breaker.fallback.CacheFallbackConfig;
import io.riskmodules.breaker.fallback.FallbackResponse;

/**
 * The {@code fallback} section.
 *
 * @param defaultResponse {@code default_response}: status code and body (default 503,
 *     "Service temporarily unavailable", retry after 30 s)
 * @param cache {@code cache_fallback}: answering from the last good results
 */
public record FallbackConfig(FallbackResponse.Template defaultResponse, CacheFallbackConfig cache) {

  /** The RFC's response and the library's cache defaults. */
  public static FallbackConfig ofDefaults() {
    return new FallbackConfig(FallbackResponse.Template.rfcDefault(), CacheFallbackConfig.ofDefaults());
  }
}
