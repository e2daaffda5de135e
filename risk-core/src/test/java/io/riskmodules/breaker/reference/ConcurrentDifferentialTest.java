package io.riskmodules.breaker.reference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.riskmodules.breaker.CallNotPermittedException;
import io.riskmodules.breaker.CircuitBreaker;
import io.riskmodules.breaker.CircuitBreakerConfig;
import io.riskmodules.breaker.CircuitBreakerStatus;
import io.riskmodules.breaker.CircuitState;
import io.riskmodules.breaker.StateTransition;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Threads run seeded calls on one real breaker at once; each call records what it saw (let
 * through or rejected) and when, on a shared counter: before it asked, while it ran, after it
 * ended. The history is right when some order of the calls' two steps (the permit, then the
 * outcome) that respects those times and each thread's own order, replayed on {@link
 * ReferenceBreaker}, lets through exactly the calls that ran and ends in the real breaker's
 * status and published transitions. The search is exhaustive, memoized on each thread's progress
 * and the reference's whole state ({@link ReferenceBreaker#stateKey}: the window's outcomes in
 * order, not only its counts) with the permits held.
 *
 * <p>Each test runs a bounded number of seeds (a few seconds); {@code -Dconcurrent.histories=N}
 * runs seeds 1 to N, {@code -Dconcurrent.seed=N} one seed. The threads' timing differs from run to
 * run, so a seed names a plan of calls, not a history: a failure prints the history itself.
 */
class ConcurrentDifferentialTest {

  private static final int THREADS = 3;
  private static final int CALLS = 5;

  private enum Kind { SUCCESS, FAILURE, RESET }

  /** One step of one thread, with the times it was seen at; {@code ran} for calls. */
  private record Step(int thread, int call, Kind kind, boolean acquire, boolean ran, long start, long end) {}

  private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-01-15T00:00:00Z"), ZoneOffset.UTC);

  private static void check(CircuitBreakerConfig config, boolean resets, boolean windowWhileTripped, int histories,
      int maxFailures) {
    ExecutorService pool = Executors.newFixedThreadPool(THREADS);
    try {
      Long only = Long.getLong("concurrent.seed");
      long from = only != null ? only : 1;
      long to = only != null ? only : Long.getLong("concurrent.histories", histories);
      for (long seed = from; seed <= to; seed++) {
        runOne(seed, config, resets, windowWhileTripped, pool, maxFailures);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  private static void runOne(long seed, CircuitBreakerConfig config, boolean resets, boolean windowWhileTripped,
      ExecutorService pool, int maxFailures) {
    SplittableRandom random = new SplittableRandom(seed);
    Kind[][] plan = new Kind[THREADS][CALLS];
    int failures = 0;
    for (int t = 0; t < THREADS; t++) {
      for (int c = 0; c < CALLS; c++) {
        int p = random.nextInt(20);
        plan[t][c] = resets && p == 0 ? Kind.RESET : p < 10 || failures >= maxFailures ? Kind.SUCCESS : Kind.FAILURE;
        failures += plan[t][c] == Kind.FAILURE ? 1 : 0;
      }
    }
    CircuitBreaker real = CircuitBreaker.builder("concurrent").config(config).ticker(() -> 0L).clock(CLOCK)
        .eventExecutor(Runnable::run).build();
    List<StateTransition> published = new CopyOnWriteArrayList<>();
    real.onStateChange(published::add);
    AtomicLong clock = new AtomicLong();
    CyclicBarrier start = new CyclicBarrier(THREADS);
    List<Future<List<Step>>> futures = new ArrayList<>();
    for (int t = 0; t < THREADS; t++) {
      int thread = t;
      futures.add(pool.submit(() -> {
        start.await();
        List<Step> steps = new ArrayList<>();
        for (int c = 0; c < CALLS; c++) {
          Kind kind = plan[thread][c];
          long before = clock.incrementAndGet();
          if (kind == Kind.RESET) {
            real.reset();
            steps.add(new Step(thread, c, kind, true, true, before, clock.incrementAndGet()));
            continue;
          }
          long[] running = new long[1];
          boolean ran = true;
          try {
            real.execute(() -> {
              running[0] = clock.incrementAndGet();
              if (kind == Kind.FAILURE) {
                throw new IllegalStateException("down");
              }
              return "ok";
            });
          } catch (IllegalStateException expected) {
            // a failure, recorded
          } catch (CallNotPermittedException rejected) {
            ran = false;
          }
          long after = clock.incrementAndGet();
          if (ran) {
            steps.add(new Step(thread, c, kind, true, true, before, running[0]));
            steps.add(new Step(thread, c, kind, false, true, running[0], after));
          } else {
            steps.add(new Step(thread, c, kind, true, false, before, after));
          }
        }
        return steps;
      }));
    }
    List<List<Step>> history = new ArrayList<>();
    for (Future<List<Step>> f : futures) {
      try {
        history.add(f.get());
      } catch (Exception e) {
        throw new AssertionError("seed " + seed + ": a thread failed", e);
      }
    }
    CircuitBreakerStatus status = real.status();
    String expected = signature(status, transitions(published), windowWhileTripped);
    Search search = new Search(config, history, expected, windowWhileTripped);
    if (!search.explains()) {
      fail("seed " + seed + ": no order of the calls explains what the threads saw and the final status\n"
          + "real: " + expected + "\nhistory:\n" + describe(history));
    }
  }

  /** Depth-first search for an order of the steps that the reference agrees with. */
  private static final class Search {
    final CircuitBreakerConfig config;
    final List<List<Step>> history;
    final String expected;
    final boolean windowWhileTripped;
    final Set<String> failed = new HashSet<>();

    Search(CircuitBreakerConfig config, List<List<Step>> history, String expected, boolean windowWhileTripped) {
      this.config = config;
      this.history = history;
      this.expected = expected;
      this.windowWhileTripped = windowWhileTripped;
    }

    /** Whether some order of all the steps explains the history. */
    boolean explains() {
      return explains(new int[history.size()], new ArrayList<>());
    }

    private boolean explains(int[] progress, List<Step> order) {
      Replay replay = replay(order);
      if (replay == null) {
        return false;
      }
      ReferenceBreaker ref = replay.ref();
      boolean done = true;
      for (int t = 0; t < history.size(); t++) {
        done &= progress[t] == history.get(t).size();
      }
      if (done) {
        return signature(ref.status(), ref.transitions(), windowWhileTripped).equals(expected);
      }
      // The whole state of the reference, not only its status: two prefixes whose windows hold
      // the same counts in a different order have different futures (seed 26 of the tripping test
      // failed only because the memo merged them).
      String key = java.util.Arrays.toString(progress) + ref.stateKey() + replay.openPermits();
      if (!failed.add(key)) {
        return false;
      }
      for (int t = 0; t < history.size(); t++) {
        if (progress[t] == history.get(t).size()) {
          continue;
        }
        Step next = history.get(t).get(progress[t]);
        if (!mayComeNext(next, progress)) {
          continue;
        }
        order.add(next);
        progress[t]++;
        if (explains(progress, order)) {
          return true;
        }
        progress[t]--;
        order.remove(order.size() - 1);
      }
      return false;
    }

    /** A step may come next unless a step still to come ended before it started. */
    private boolean mayComeNext(Step next, int[] progress) {
      for (int t = 0; t < history.size(); t++) {
        if (t != next.thread() && progress[t] < history.get(t).size()
            && history.get(t).get(progress[t]).end() < next.start()) {
          return false;
        }
      }
      return true;
    }

    /** The reference after some steps, and the permits of the calls whose outcome is still to come. */
    private record Replay(ReferenceBreaker ref, java.util.SortedMap<String, ReferenceBreaker.Permit> open) {
      /** What the permits held will change when their outcomes come: part of the state. */
      String openPermits() {
        StringBuilder sb = new StringBuilder();
        open.forEach((call, p) -> sb.append(' ').append(call).append('=').append(ref.permitKey(p)));
        return sb.toString();
      }
    }

    /** The reference after {@code order}, or null if a call's permit is not what the thread saw. */
    private Replay replay(List<Step> order) {
      ReferenceBreaker ref = new ReferenceBreaker(config, 0L);
      java.util.SortedMap<String, ReferenceBreaker.Permit> open = new java.util.TreeMap<>();
      for (Step s : order) {
        String call = s.thread() + ":" + s.call();
        if (s.kind() == Kind.RESET) {
          ref.reset();
        } else if (s.acquire()) {
          ReferenceBreaker.Permit p = ref.acquire();
          if ((p != null) != s.ran()) {
            return null;
          }
          if (p != null) {
            open.put(call, p);
          }
        } else if (s.kind() == Kind.SUCCESS) {
          ref.onSuccess(open.remove(call), 0);
        } else {
          ref.onFailure(open.remove(call), 0);
        }
      }
      return new Replay(ref, open);
    }
  }

  private static String signature(ReferenceBreaker.Status s, List<ReferenceBreaker.Transition> ts, boolean window) {
    boolean showWindow = window || s.state() == CircuitState.CLOSED;
    return s.state() + " total=" + s.total() + " ok=" + s.successful() + " failed=" + s.failed()
        + " rejected=" + s.rejected() + " streak=" + s.consecutiveFailures()
        + (showWindow ? " window=" + s.callsInWindow() + "/" + s.failureRate() : "") + " " + ts;
  }

  private static String signature(CircuitBreakerStatus s, List<ReferenceBreaker.Transition> ts, boolean window) {
    boolean showWindow = window || s.state() == CircuitState.CLOSED;
    return s.state() + " total=" + s.totalCalls() + " ok=" + s.successfulCalls() + " failed=" + s.failedCalls()
        + " rejected=" + s.rejectedCalls() + " streak=" + s.consecutiveFailures()
        + (showWindow ? " window=" + s.callsInWindow() + "/" + s.failureRate() : "") + " " + ts;
  }

  private static List<ReferenceBreaker.Transition> transitions(List<StateTransition> ts) {
    List<ReferenceBreaker.Transition> out = new ArrayList<>();
    for (StateTransition t : ts) {
      out.add(new ReferenceBreaker.Transition(t.from(), t.to(), t.sequence()));
    }
    return out;
  }

  private static String describe(List<List<Step>> history) {
    StringBuilder sb = new StringBuilder();
    for (List<Step> thread : history) {
      for (Step s : thread) {
        sb.append("  thread ").append(s.thread()).append(" call ").append(s.call()).append(' ').append(s.kind())
            .append(s.kind() == Kind.RESET ? "" : s.acquire() ? (s.ran() ? " permit" : " rejected") : " outcome")
            .append(" [").append(s.start()).append(", ").append(s.end()).append("]\n");
      }
    }
    return sb.toString();
  }

  /**
   * The search on a history fixed by hand. Thread 0 fails, then much later fails again; thread 1
   * succeeds three times, the first time at once with thread 0's first failure, the others after
   * it. In a window of 4 that trips at a failure rate of 50 %, F S S S F leaves S S S F (CLOSED)
   * and S F S S F leaves F S S F (OPEN). Before the second failure both windows hold four calls,
   * one failure, no streak: a memo keyed on that status merged them and so rejected the OPEN
   * ending, which one order explains. That is why the tripping test failed for seed 26: the
   * real breaker was right, the search was not.
   */
  @Test
  void searchKeepsApartWindowsThatHoldTheSameCountsInAnotherOrder() {
    CircuitBreakerConfig config = CircuitBreakerConfig.builder().countBasedWindow(4).minimumNumberOfCalls(4)
        .failureRateThreshold(0.5).failureThreshold(1_000).disableSlowCallDetection().build();
    List<List<Step>> history = List.of(
        List.of(call(0, 0, Kind.FAILURE, true, 1, 100), call(0, 0, Kind.FAILURE, false, 1, 100),
            call(0, 1, Kind.FAILURE, true, 400, 500), call(0, 1, Kind.FAILURE, false, 400, 500)),
        List.of(call(1, 0, Kind.SUCCESS, true, 1, 100), call(1, 0, Kind.SUCCESS, false, 1, 100),
            call(1, 1, Kind.SUCCESS, true, 150, 200), call(1, 1, Kind.SUCCESS, false, 150, 200),
            call(1, 2, Kind.SUCCESS, true, 250, 300), call(1, 2, Kind.SUCCESS, false, 250, 300)));
    String closed = sequentially(config, Kind.FAILURE, Kind.SUCCESS, Kind.SUCCESS, Kind.SUCCESS, Kind.FAILURE);
    String open = sequentially(config, Kind.SUCCESS, Kind.FAILURE, Kind.SUCCESS, Kind.SUCCESS, Kind.FAILURE);
    assertThat(closed).startsWith("CLOSED").contains("window=4/0.25");
    assertThat(open).startsWith("OPEN").contains("window=4/0.5");

    assertThat(new Search(config, history, closed, true).explains()).isTrue();
    assertThat(new Search(config, history, open, true).explains()).isTrue();
    assertThat(new Search(config, history, open.replace("window=4/0.5", "window=4/0.75"), true).explains())
        .as("two failures in five calls never leave three in the window").isFalse();
  }

  private static Step call(int thread, int call, Kind kind, boolean acquire, long start, long end) {
    return new Step(thread, call, kind, acquire, true, start, end);
  }

  /** The signature the reference ends in after these calls, one after the other. */
  private static String sequentially(CircuitBreakerConfig config, Kind... kinds) {
    ReferenceBreaker ref = new ReferenceBreaker(config, 0L);
    for (Kind kind : kinds) {
      ReferenceBreaker.Permit p = ref.acquire();
      if (kind == Kind.SUCCESS) {
        ref.onSuccess(p, 0);
      } else {
        ref.onFailure(p, 0);
      }
    }
    return signature(ref.status(), ref.transitions(), true);
  }

  /**
   * Concurrent calls that cannot trip the breaker (2 failures at most, a window of 4 that trips
   * only when all of 3 or more failed): the counts and which calls the window holds.
   */
  @Test
  void concurrentCallsInACountWindowMatchSomeOrderOfThem() {
    check(CircuitBreakerConfig.builder().countBasedWindow(4).minimumNumberOfCalls(3).failureRateThreshold(1.0)
        .failureThreshold(1_000).disableSlowCallDetection().build(), false, true, 300, 2);
  }

  @Test
  void concurrentCallsTripsResetsAndStreaksMatchSomeOrderOfThem() {
    check(CircuitBreakerConfig.builder().countBasedWindow(4).minimumNumberOfCalls(3).failureRateThreshold(0.6)
        .failureThreshold(3).disableSlowCallDetection().build(), true, true, 1_000, Integer.MAX_VALUE);
  }
}
