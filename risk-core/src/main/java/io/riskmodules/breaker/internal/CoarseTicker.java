package io.riskmodules.breaker.internal;

import io.riskmodules.breaker.Ticker;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.locks.LockSupport;

/**
 * The system ticker read once a millisecond by one daemon thread, so that reading it costs a
 * volatile load instead of a {@code System.nanoTime()} call (about 25 ns on virtualised x86, twice
 * per call). Used only to find slow calls whose threshold is at least {@link #MIN_THRESHOLD_MILLIS}
 * and to bucket time-based windows by the second, where a millisecond of error does not matter;
 * open timeouts, probe stamps and observers' durations use the precise ticker.
 *
 * <p>The thread runs only while someone reads: breakers that are not called cost no CPU, and an
 * application that is undeployed leaves no thread holding its classes. It is started by the first
 * read, publishes the time for a lease of {@link #LEASE_TICKS} ticks, then stops publishing and
 * parks: the next read finds no time published, reads the source itself and wakes the thread (or
 * starts a new one if it has exited), so a ticker in use costs one such read a second. A thread
 * that nobody wakes within {@link #KEEP_ALIVE_NANOS} exits.
 *
 * <p>Why the published value can be trusted after a stop and a restart:
 * <ul>
 *   <li>A stopping thread replaces the time by an odd marker, new at each stop (times are
 *       published even, with a nanosecond dropped), so no read after the stop returns a time from
 *       before it, and a marker is never mistaken for an older one.
 *   <li>Every write of the field is a compare-and-set from the value its writer saw before it read
 *       the source. So each time published is at least the one it replaces (the source is
 *       monotonic), and a reader that wrote nothing returns only what the field held: successive
 *       reads on one thread never go back, across a restart too.
 *   <li>A reader that finds a marker publishes its own read in its place (only in place of that
 *       same marker), so the readers that follow do not all read the source until the thread is
 *       running again.
 *   <li>Only one thread publishes at a time: a new one is started only from {@link #STOPPED},
 *       which the old one sets as its last act, after its last write.
 * </ul>
 */
final class CoarseTicker implements Ticker {

  /** Slow-call thresholds below this are measured with the precise ticker. */
  static final long MIN_THRESHOLD_MILLIS = 100;

  /** No updater thread. */
  static final int STOPPED = 0;
  /** An updater thread publishes the time, or is about to. */
  static final int RUNNING = 1;
  /** The updater thread has stopped publishing and waits for a reader to want the time again. */
  static final int WAITING = 2;

  private static final long PERIOD_NANOS = 1_000_000;
  /** Ticks published before the thread checks that someone still reads: about a second. */
  static final int LEASE_TICKS = 1_000;
  /** How long a thread that stopped publishing waits to be wanted again before it exits. */
  static final long KEEP_ALIVE_NANOS = 1_000_000_000L;

  private static final VarHandle NOW;
  private static final VarHandle STATE;
  private static final VarHandle MARKERS;

  static {
    try {
      MethodHandles.Lookup lookup = MethodHandles.lookup();
      NOW = lookup.findVarHandle(CoarseTicker.class, "now", long.class);
      STATE = lookup.findVarHandle(CoarseTicker.class, "state", int.class);
      MARKERS = lookup.findVarHandle(CoarseTicker.class, "markers", long.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private final Ticker source;
  private final long periodNanos;
  private final int leaseTicks;
  private final long keepAliveNanos;
  private final String threadName;
  /** The time (even), or a marker (odd) while no thread publishes it. */
  private volatile long now = 1;
  private volatile int state = STOPPED;
  /** The thread that publishes; written before it starts, read to wake it. */
  private volatile Thread updater;
  /** Markers used so far: each is used once, so a reader's compare-and-set from one cannot succeed late. */
  private volatile long markers = 1;
  /** The thread could not be started: every read reads the source. */
  private volatile boolean direct;

  CoarseTicker(Ticker source, long periodNanos, int leaseTicks, long keepAliveNanos, String threadName) {
    this.source = source;
    this.periodNanos = periodNanos;
    this.leaseTicks = leaseTicks;
    this.keepAliveNanos = keepAliveNanos;
    this.threadName = threadName;
  }

  /** The one coarse ticker over the system ticker; its thread runs only while it is read. */
  static Ticker system() {
    return Holder.INSTANCE;
  }

  @Override
  public long read() {
    long t = now;
    return (t & 1) == 0 ? t : readSource(t);
  }

  /** No time published: wants the thread back and reads the source; out of line, about once a second. */
  private long readSource(long marker) {
    long seen = marker;
    for (;;) {
      wake(); // before publishing: a time a reader publishes is always overwritten by a thread
      long t = source.read() & ~1L;
      if (direct) {
        return t;
      }
      if (NOW.compareAndSet(this, seen, t)) {
        return t;
      }
      seen = now;
      if ((seen & 1) == 0) {
        return seen; // someone published since: read after the marker, so not older than it
      }
    }
  }

  private void wake() {
    for (;;) {
      int s = state;
      if (s == RUNNING) {
        return;
      }
      if (STATE.compareAndSet(this, s, RUNNING)) {
        if (s == WAITING) {
          LockSupport.unpark(updater);
        } else {
          start();
        }
        return;
      }
    }
  }

  @SuppressWarnings("removal") // AccessController: the only way on Java 17 not to inherit the caller's
  private void start() {
    try {
      // No inherited thread locals, no context class loader, and (by starting it privileged) no
      // access control context holding the protection domains, and so the class loaders, of the
      // application whose thread happened to read first.
      Thread t = java.security.AccessController.doPrivileged(
          (java.security.PrivilegedAction<Thread>) () -> new Thread(null, this::update, threadName, 0, false));
      t.setDaemon(true);
      t.setContextClassLoader(null);
      updater = t;
      t.start();
    } catch (Throwable e) {
      // No thread (the process is out of them, say): from now on every read reads the source,
      // correct and slower. The marker written after the flag undoes any time a reader published
      // meanwhile, which no thread would have replaced.
      direct = true;
      publish(null);
    }
  }

  private void update() {
    for (;;) {
      for (int i = 0; i < leaseTicks; i++) {
        publish(source);
        LockSupport.parkNanos(this, periodNanos);
      }
      state = WAITING;
      publish(null);
      Ticker wall = Ticker.system(); // the wait is real, whatever the source
      long deadline = wall.read() + keepAliveNanos;
      for (long left = keepAliveNanos; state == WAITING && left > 0; left = deadline - wall.read()) {
        LockSupport.parkNanos(this, left);
      }
      if (STATE.compareAndSet(this, WAITING, STOPPED)) {
        return; // nobody wanted the time; a reader starts a new thread when it does
      }
    }
  }

  /** Publishes the time, or a marker never used before when {@code from} is null. */
  private void publish(Ticker from) {
    long marker = from == null ? ((long) MARKERS.getAndAdd(this, 1L) << 1) | 1 : 0;
    for (;;) {
      long seen = now;
      long value = from == null ? marker : from.read() & ~1L;
      if (NOW.compareAndSet(this, seen, value)) {
        return;
      }
    }
  }

  /** Whether a thread publishes, or waits to, now: for tests. */
  boolean threadAlive() {
    Thread t = updater;
    return t != null && t.isAlive();
  }

  int state() {
    return state;
  }

  private static final class Holder {
    static final CoarseTicker INSTANCE = new CoarseTicker(
        Ticker.system(), PERIOD_NANOS, LEASE_TICKS, KEEP_ALIVE_NANOS, "riskmodules-coarse-ticker");
  }
}
