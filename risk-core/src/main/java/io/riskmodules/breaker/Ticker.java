package io.riskmodules.breaker;

/**
 * A monotonic source of nanoseconds, used to measure durations (never wall time).
 *
 * <p>Inject a manual ticker in tests so that no test sleeps to wait for a breaker:
 *
 * <pre>{@code
 * AtomicLong nanos = new AtomicLong();
 * CircuitBreaker breaker = CircuitBreaker.builder("payments").ticker(nanos::get).build();
 * nanos.addAndGet(Duration.ofSeconds(30).toNanos());
 * }</pre>
 *
 * <p>Implementations must be thread-safe and must never go backwards.
 */
@FunctionalInterface
public interface Ticker {

  /** Nanoseconds from an arbitrary origin; only differences are meaningful. */
  long read();

  /** The ticker backed by {@link System#nanoTime()}, the only place the library reads it. */
  static Ticker system() {
    return SystemTicker.INSTANCE;
  }
}

enum SystemTicker implements Ticker {
  INSTANCE;

  @Override
  public long read() {
    return System.nanoTime();
  }
}
