package io.riskmodules.examples.verify;

import io.riskmodules.breaker.Ticker;
import io.riskmodules.testing.ManualClock;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;

/**
 * The time a service's verification runs on: simulated (a {@link ManualClock}, so a 60 s open
 * timeout passes in microseconds) or the wall clock ({@code --real-time}, which shortens nothing).
 */
abstract class RunTime implements AutoCloseable {

  /** Simulated time, starting now (so alert timestamps read sensibly). */
  static RunTime simulated() {
    return new Simulated(new ManualClock(Instant.now().truncatedTo(ChronoUnit.SECONDS)));
  }

  /** The wall clock and the system ticker; the run waits for real. */
  static RunTime real() {
    return new Real();
  }

  abstract Ticker ticker();

  abstract Clock clock();

  /** Where the runtime's sampling and this run's risk readings are scheduled. */
  abstract ScheduledExecutorService scheduler();

  /** Lets {@code d} pass: at once on the manual clock, by waiting on the wall clock. */
  abstract void advance(Duration d);

  /** How close to a deadline a check can look: 1 ms simulated, 250 ms on the wall clock. */
  abstract Duration margin();

  abstract boolean isSimulated();

  /** Runs {@code action} before each advance of simulated time (nothing on the wall clock). */
  abstract void beforeEachAdvance(Runnable action);

  @Override
  public abstract void close();

  private static final class Simulated extends RunTime {
    private final ManualClock clock;

    Simulated(ManualClock clock) {
      this.clock = clock;
    }

    @Override
    Ticker ticker() {
      return clock;
    }

    @Override
    Clock clock() {
      return clock;
    }

    @Override
    ScheduledExecutorService scheduler() {
      return clock.scheduler();
    }

    @Override
    void advance(Duration d) {
      clock.advance(d);
    }

    @Override
    Duration margin() {
      return Duration.ofMillis(1);
    }

    @Override
    boolean isSimulated() {
      return true;
    }

    @Override
    void beforeEachAdvance(Runnable action) {
      clock.beforeEachAdvance(action);
    }

    @Override
    public void close() {
      clock.scheduler().shutdownNow();
    }
  }

  private static final class Real extends RunTime {
    private final ScheduledThreadPoolExecutor scheduler;

    Real() {
      scheduler = new ScheduledThreadPoolExecutor(1, r -> {
        Thread t = new Thread(r, "verification-run-scheduler");
        t.setDaemon(true);
        return t;
      });
      scheduler.setRemoveOnCancelPolicy(true);
    }

    @Override
    Ticker ticker() {
      return Ticker.system();
    }

    @Override
    Clock clock() {
      return Clock.systemUTC();
    }

    @Override
    ScheduledExecutorService scheduler() {
      return scheduler;
    }

    @Override
    void advance(Duration d) {
      if (d.isNegative() || d.isZero()) {
        return;
      }
      try {
        Thread.sleep(d.toMillis(), (int) (d.toNanos() % 1_000_000));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("the real-time run was interrupted", e);
      }
    }

    @Override
    Duration margin() {
      return Duration.ofMillis(250);
    }

    @Override
    boolean isSimulated() {
      return false;
    }

    @Override
    void beforeEachAdvance(Runnable action) {
      // the alert manager evaluates on its own thread in real time
    }

    @Override
    public void close() {
      scheduler.shutdownNow();
    }
  }
}
