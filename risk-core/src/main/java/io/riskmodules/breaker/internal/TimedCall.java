package io.riskmodules.breaker.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A call running under a call timeout: whichever of the call's end and its deadline comes first
 * wins, by one compare-and-set, and the other is ignored. Linked into one {@link CallDeadlines}
 * stripe while it runs; unlinked by the winner.
 */
abstract class TimedCall {

  private static final VarHandle STATUS;

  static {
    try {
      STATUS = MethodHandles.lookup().findVarHandle(TimedCall.class, "status", int.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  static final int RUNNING = 0;
  static final int DONE = 1;
  static final int TIMED_OUT = 2;
  /** Timed out; the caller's thread is being interrupted (the caller waits for TIMED_OUT). */
  static final int INTERRUPTING = 3;

  final BreakerState permitted;
  final long token;
  final long start;
  final long deadline;
  private volatile int status;

  // guarded by the stripe's lock
  CallDeadlines.Stripe stripe;
  TimedCall prev;
  TimedCall next;

  TimedCall(BreakerState permitted, long token, long start, long deadline) {
    this.permitted = permitted;
    this.token = token;
    this.start = start;
    this.deadline = deadline;
  }

  /**
   * The call ended: true if before its deadline (its outcome counts, as without a timeout); false
   * if the deadline won (its outcome must be ignored).
   */
  final boolean finish() {
    if (STATUS.compareAndSet(this, RUNNING, DONE)) {
      stripe.unlink(this);
      return true;
    }
    return false;
  }

  /** Whether the deadline won. */
  final boolean timedOut() {
    int s = status;
    return s == TIMED_OUT || s == INTERRUPTING;
  }

  /** The deadline's side of the race; called by the timer with the stripe's lock held. */
  final boolean tryTimeOut() {
    return STATUS.compareAndSet(this, RUNNING, interruptee() != null ? INTERRUPTING : TIMED_OUT);
  }

  /** Delivers the interrupt of a call that lost to its deadline, if asked for. */
  final void interruptIfAsked() {
    Thread t = interruptee();
    if (t != null) {
      t.interrupt();
      status = TIMED_OUT;
    }
  }

  /**
   * For the caller's thread after {@link #finish()} lost: waits until the interrupt (if any) has
   * been delivered, and clears it, so that it cannot hit whatever the caller does next.
   */
  final void clearInterrupt() {
    if (interruptee() == null) {
      return;
    }
    while (status == INTERRUPTING) {
      Thread.onSpinWait();
    }
    Thread.interrupted();
  }

  /** The thread to interrupt at the deadline, or null. */
  Thread interruptee() {
    return null;
  }

  /** Records the timeout and completes what waits on it; on the timer's thread. */
  abstract void onDeadline(long nowNanos);
}
