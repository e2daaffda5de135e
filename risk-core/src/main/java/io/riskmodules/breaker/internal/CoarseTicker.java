package io.riskmodules.breaker.internal;

import io.riskmodules.breaker.Ticker;
import java.util.concurrent.locks.LockSupport;

/**
 * The system ticker read once a millisecond by one daemon thread, so that reading it costs a
 * volatile load instead of a {@code System.nanoTime()} call (about 25 ns on virtualised x86, twice
 * per call). Used only to find slow calls whose threshold is at least {@link #MIN_THRESHOLD_MILLIS}
 * and to bucket time-based windows by the second, where a millisecond of error does not matter;
 * open timeouts, probe stamps and observers' durations use the precise ticker.
 */
final class CoarseTicker implements Ticker {

  /** Slow-call thresholds below this are measured with the precise ticker. */
  static final long MIN_THRESHOLD_MILLIS = 100;

  private static final long PERIOD_NANOS = 1_000_000;

  private final Ticker source;
  private volatile long now;

  private CoarseTicker(Ticker source) {
    this.source = source;
    this.now = source.read();
    Thread updater = new Thread(this::update, "riskmodules-coarse-ticker");
    updater.setDaemon(true);
    // it lives as long as the JVM: holding the class loader of whichever application first built
    // a breaker would keep that application's classes after it is undeployed
    updater.setContextClassLoader(null);
    updater.start();
  }

  /** The one coarse ticker over the system ticker, started on first use. */
  static Ticker system() {
    return Holder.INSTANCE;
  }

  private void update() {
    for (;;) {
      now = source.read();
      LockSupport.parkNanos(PERIOD_NANOS);
    }
  }

  @Override
  public long read() {
    return now;
  }

  private static final class Holder {
    static final CoarseTicker INSTANCE = new CoarseTicker(Ticker.system());
  }
}
