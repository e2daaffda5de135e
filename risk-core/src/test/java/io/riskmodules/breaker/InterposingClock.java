package io.riskmodules.breaker;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * The wall clock of a {@link ManualTime} that runs an action the next time it is read. A
 * transition reads the clock for its timestamp just before it commits, so the action lands
 * exactly where another thread's request could: this puts such races on one thread, in a fixed
 * order, with no real threads and no sleeps.
 */
final class InterposingClock extends Clock {
  private final ManualTime time;
  private Runnable next;

  InterposingClock(ManualTime time) {
    this.time = time;
  }

  /** Runs {@code action} at the next read of this clock (once; a read inside it reads plainly). */
  void atNextRead(Runnable action) {
    next = action;
  }

  /** Whether the action set by {@link #atNextRead} has run. */
  boolean ran() {
    return next == null;
  }

  @Override
  public Instant instant() {
    Runnable action = next;
    next = null;
    if (action != null) {
      action.run();
    }
    return time.instant();
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    return this;
  }
}
