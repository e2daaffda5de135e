package io.riskmodules.breaker.fallback;

import io.riskmodules.breaker.CallNotPermittedException;
import io.riskmodules.breaker.CircuitState;
import java.util.Objects;

/**
 * RFC-136's {@code fallback.default_response}: what an HTTP-facing service answers instead of
 * the downstream's answer. {@code retry_after} is the breaker's real remaining open time, rounded
 * up to whole seconds, not a constant.
 *
 * <pre>{@code
 * FallbackResponse.Template template = FallbackResponse.Template.rfcDefault(); // 503, 30 s
 * Order order = orders.execute(() -> client.place(req), cause -> {
 *   FallbackResponse r = template.render(cause);
 *   exchange.getResponseHeaders().add("Retry-After", String.valueOf(r.body().retryAfter()));
 *   send(exchange, r.statusCode(), r.body().toJson());   // {"error":"...","retry_after":18}
 *   return null;
 * });
 * }</pre>
 *
 * @param statusCode the HTTP status ({@code status_code}, default 503)
 * @param body the JSON body
 */
public record FallbackResponse(int statusCode, Body body) {

  public FallbackResponse {
    Objects.requireNonNull(body, "body");
  }

  /**
   * The body: {@code {"error": ..., "retry_after": seconds}}.
   *
   * @param error what went wrong, for people
   * @param retryAfter seconds until a retry has a chance
   */
  public record Body(String error, long retryAfter) {

    /** The body as the RFC writes it, with snake_case keys. */
    public String toJson() {
      return "{\"error\":\"" + escape(error) + "\",\"retry_after\":" + retryAfter + "}";
    }

    private static String escape(String s) {
      StringBuilder out = new StringBuilder(s.length() + 8);
      for (char c : s.toCharArray()) {
        switch (c) {
          case '"':
            out.append("\\\"");
            break;
          case '\\':
            out.append("\\\\");
            break;
          default:
            if (c < 0x20) {
              out.append(String.format("\\u%04x", (int) c));
            } else {
              out.append(c);
            }
        }
      }
      return out.toString();
    }
  }

  /**
   * The configured response, rendered per cause. Immutable and thread-safe.
   *
   * @param statusCode {@code status_code}, from 100 to 599
   * @param error {@code body.error}
   * @param retryAfterSeconds {@code body.retry_after}: used when the cause carries no open time
   *     (a failure rather than a rejection, or a FORCED_OPEN breaker)
   */
  public record Template(int statusCode, String error, long retryAfterSeconds) {

    public Template {
      if (statusCode < 100 || statusCode > 599) {
        throw new IllegalArgumentException("status_code must be from 100 to 599, was " + statusCode);
      }
      Objects.requireNonNull(error, "error");
      if (retryAfterSeconds < 0) {
        throw new IllegalArgumentException("retry_after must be at least 0, was " + retryAfterSeconds);
      }
    }

    /** RFC-136's: 503, "Service temporarily unavailable", 30 s. */
    public static Template rfcDefault() {
      return new Template(503, "Service temporarily unavailable", 30);
    }

    /**
     * The response for {@code cause}: an OPEN breaker's rejection gives its remaining open time
     * rounded up to whole seconds (at least 1); a HALF_OPEN one with every probe permit taken, 1 s; anything
     * else, the configured {@code retry_after}.
     */
    public FallbackResponse render(Throwable cause) {
      long retryAfter = retryAfterSeconds;
      if (cause instanceof CallNotPermittedException rejection) {
        if (rejection.state() == CircuitState.OPEN) {
          // At least 1: an open time that just ran out must not tell clients to retry in a tight loop.
          retryAfter = Math.max(1, ceilSeconds(rejection.remainingOpenTime().toNanos()));
        } else if (rejection.state() == CircuitState.HALF_OPEN) {
          retryAfter = 1;
        }
      }
      return new FallbackResponse(statusCode, new Body(error, retryAfter));
    }

    private static long ceilSeconds(long nanos) {
      return (nanos + 999_999_999L) / 1_000_000_000L;
    }
  }
}
