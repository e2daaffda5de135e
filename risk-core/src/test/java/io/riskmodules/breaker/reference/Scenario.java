package io.riskmodules.breaker.reference;

import io.riskmodules.breaker.CallNotPermittedException;
import io.riskmodules.breaker.CircuitBreaker;
import io.riskmodules.breaker.CircuitBreakerConfig;
import io.riskmodules.breaker.CircuitBreakerStatus;
import io.riskmodules.breaker.CircuitState;
import io.riskmodules.breaker.Permit;
import io.riskmodules.breaker.StateTransition;
import io.riskmodules.breaker.Ticker;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One random history run against the real breaker and the {@link ReferenceBreaker} side by side.
 * Operations are data drawn from a seed before the run, so that a failing history can be shrunk by
 * dropping operations and replayed exactly. Operations that need state (report the k-th permit
 * still out) pick among what exists at that step.
 */
final class Scenario {

  /** Parts of the breaker a run may exercise; a part left out is never touched. */
  enum Feature {
    /** Outcomes of permits granted in another state or by an earlier window. */
    LATE_OUTCOMES,
    /** trip(), disable(), transitionTo(X) and reset() while already in that state. */
    NO_OP_REQUESTS,
    /** Reconfigure to thresholds of the same window type and size. */
    RECONFIGURE_THRESHOLDS,
    /** Reconfigure to another window type or size. */
    RECONFIGURE_WINDOW,
    /** Reconfigure to another half_open_max_calls while probes are in flight. */
    RECONFIGURE_PROBES,
    /** CompletionException and ExecutionException wrapping the thrown exception. */
    WRAPPED_ERRORS,
    /** Outcomes of permits granted before a reconfigure. */
    IN_FLIGHT_ACROSS_RECONFIGURE,
    /** Status of an OPEN or HALF_OPEN breaker whose window was time-based. */
    TRIPPED_TIME_WINDOW_STATUS,
  }

  static final Set<Feature> ALL = EnumSet.allOf(Feature.class);

  enum Kind {
    ACQUIRE, SUCCESS, FAILURE, ERROR, RESULT, RELEASE, EXECUTE_OK, EXECUTE_FAIL, ADVANCE, RESET,
    TRIP, DISABLE, TRANSITION, RECONFIGURE, STATE, CHECK, TRIP_FOR
  }

  /** One operation; {@code a} and {@code b} are its arguments (which permit, how long, ...). */
  record Op(Kind kind, int a, int b) {
    @Override
    public String toString() {
      return switch (kind) {
        case ACQUIRE, RESET, TRIP, DISABLE, STATE, CHECK -> kind.name();
        case SUCCESS, FAILURE -> kind + "(permit " + a + ", " + b + " ms)";
        case ERROR -> kind + "(permit " + a + ", " + b + " ms, " + ERRORS[a % ERRORS.length] + ")";
        case RESULT -> kind + "(permit " + a + ", " + b + " ms, result " + (b % 3 - 1) + ")";
        case RELEASE -> kind + "(permit " + a + ")";
        case EXECUTE_OK, EXECUTE_FAIL -> kind + "(" + b + " ms)";
        case ADVANCE, TRIP_FOR -> kind + "(" + b + " ms)";
        case TRANSITION -> kind + "(" + CircuitState.values()[a % CircuitState.values().length] + ")";
        case RECONFIGURE -> kind + "(config " + a + ")";
      };
    }
  }

  static final String[] ERRORS = {
    "Boom", "Business", "IllegalStateException", "CompletionException(Boom)",
    "ExecutionException(Business)", "CompletionException(Business)"
  };

  /** A failure the configs record. */
  static final class Boom extends RuntimeException {
    Boom() {
      super("boom", null, false, false);
    }
  }

  /** An exception the configs ignore. */
  static final class Business extends RuntimeException {
    Business() {
      super("business", null, false, false);
    }
  }

  /** A ticker and clock that move only when the scenario advances them. */
  static final class Time extends Clock implements Ticker {
    final AtomicLong nanos = new AtomicLong();

    @Override
    public long read() {
      return nanos.get();
    }

    @Override
    public Instant instant() {
      return Instant.ofEpochSecond(1_800_000_000L).plusNanos(nanos.get());
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

  final long seed;
  final List<CircuitBreakerConfig> configs;
  final List<Op> ops;

  Scenario(long seed, List<CircuitBreakerConfig> configs, List<Op> ops) {
    this.seed = seed;
    this.configs = configs;
    this.ops = ops;
  }

  /** A random scenario of {@code length} operations. */
  static Scenario random(long seed, int length) {
    SplittableRandom r = new SplittableRandom(seed);
    List<CircuitBreakerConfig> configs = new ArrayList<>();
    CircuitBreakerConfig first = randomConfig(r, null);
    configs.add(first);
    configs.add(randomConfig(r, first)); // same window, other thresholds
    configs.add(randomConfig(r, null));
    List<Op> ops = new ArrayList<>();
    for (int i = 0; i < length; i++) {
      ops.add(randomOp(r, configs.size()));
    }
    return new Scenario(seed, configs, ops);
  }

  /** A config with small numbers, so that short histories reach every state; same window as {@code like} if given. */
  static CircuitBreakerConfig randomConfig(SplittableRandom r, CircuitBreakerConfig like) {
    CircuitBreakerConfig.Builder b = CircuitBreakerConfig.builder()
        .failureThreshold(r.nextInt(4) == 0 ? 1_000 : 1 + r.nextInt(6))
        .successThreshold(1 + r.nextInt(4))
        .openTimeout(Duration.ofMillis(500L * (1 + r.nextInt(6))))
        .openTimeoutMultiplier(r.nextBoolean() ? 1.0 : 2.0)
        .maxOpenTimeout(Duration.ofSeconds(6))
        .halfOpenMaxCalls(1 + r.nextInt(3))
        .halfOpenProbeTimeout(Duration.ofMillis(1_000L * (2 + r.nextInt(5))))
        .failureRateThreshold(new double[] {0.3, 0.5, 0.7, 1.0}[r.nextInt(4)])
        .minimumNumberOfCalls(1 + r.nextInt(8))
        .ignoreExceptions(Business.class)
        .recordResult(result -> result instanceof Integer i && i < 0);
    if (r.nextInt(4) == 0) {
      b.disableSlowCallDetection();
    } else {
      b.slowCallDurationThreshold(Duration.ofMillis(100L * (1 + r.nextInt(10))))
          .slowCallRateThreshold(new double[] {0.3, 0.5, 0.8, 1.0}[r.nextInt(4)]);
    }
    if (like != null) {
      if (like.slidingWindowType() == io.riskmodules.breaker.SlidingWindowType.COUNT_BASED) {
        b.countBasedWindow(like.slidingWindowSize());
      } else {
        b.timeBasedWindow(like.slidingWindowSize());
      }
      b.halfOpenMaxCalls(like.halfOpenMaxCalls());
    } else if (r.nextInt(3) == 0) {
      b.timeBasedWindow(1 + r.nextInt(4));
    } else {
      b.countBasedWindow(r.nextInt(6) == 0 ? 60 + r.nextInt(80) : 1 + r.nextInt(10));
    }
    return b.build();
  }

  static Op randomOp(SplittableRandom r, int configs) {
    int p = r.nextInt(100);
    int permit = r.nextInt(8);
    int ms = r.nextInt(4) == 0 ? r.nextInt(1_200) : r.nextInt(100);
    if (p < 22) {
      return new Op(Kind.ACQUIRE, 0, 0);
    } else if (p < 34) {
      return new Op(Kind.SUCCESS, permit, ms);
    } else if (p < 44) {
      return new Op(Kind.FAILURE, permit, ms);
    } else if (p < 48) {
      return new Op(Kind.ERROR, r.nextInt(64), ms);
    } else if (p < 52) {
      return new Op(Kind.RESULT, permit, ms);
    } else if (p < 55) {
      return new Op(Kind.RELEASE, permit, 0);
    } else if (p < 62) {
      return new Op(Kind.EXECUTE_OK, 0, ms);
    } else if (p < 68) {
      return new Op(Kind.EXECUTE_FAIL, 0, ms);
    } else if (p < 80) {
      return new Op(Kind.ADVANCE, 0, r.nextInt(5) == 0 ? r.nextInt(8_000) : r.nextInt(700));
    } else if (p < 82) {
      return new Op(Kind.RESET, 0, 0);
    } else if (p < 83) {
      return new Op(Kind.TRIP, 0, 0);
    } else if (p < 84) {
      return new Op(Kind.DISABLE, 0, 0);
    } else if (p < 86) {
      return new Op(Kind.TRANSITION, r.nextInt(CircuitState.values().length), 0);
    } else if (p < 88) {
      return new Op(Kind.RECONFIGURE, r.nextInt(configs), 0);
    } else if (p < 92) {
      return new Op(Kind.STATE, 0, 0);
    } else if (p < 93) {
      return new Op(Kind.TRIP_FOR, 0, 1 + r.nextInt(4_000));
    } else {
      return new Op(Kind.CHECK, 0, 0);
    }
  }

  /** A run that disagreed with the reference. */
  static final class Mismatch extends AssertionError {
    final int step;

    Mismatch(int step, String message) {
      super(message);
      this.step = step;
    }
  }

  /** A permit of both breakers for the same call. */
  private record Pair(Permit real, ReferenceBreaker.Permit ref, int reconfigures) {}

  /** How many reconfigures this run has made so far. */
  private int reconfigures;

  /** Runs the scenario with {@code features}; throws a {@link Mismatch} at the first disagreement. */
  void run(Set<Feature> features) {
    reconfigures = 0;
    Time time = new Time();
    time.nanos.set(1_000_000_000L * (seed % 7));
    List<StateTransition> published = new CopyOnWriteArrayList<>();
    CircuitBreaker real = CircuitBreaker.builder("ref").config(configs.get(0)).ticker(time).clock(time)
        .eventExecutor(Runnable::run).build();
    real.onStateChange(published::add);
    AtomicLong wouldHaveOpened = new AtomicLong();
    real.onEvent(e -> {
      if (e instanceof io.riskmodules.breaker.WouldHaveOpened) {
        wouldHaveOpened.incrementAndGet();
      }
    });
    ReferenceBreaker ref = new ReferenceBreaker(configs.get(0), time.read());
    List<Pair> out = new ArrayList<>();
    for (int step = 0; step < ops.size(); step++) {
      Op op = ops.get(step);
      try {
        apply(op, real, ref, time, out, features);
      } catch (Mismatch m) {
        throw m;
      } catch (RuntimeException | AssertionError e) {
        throw new Mismatch(step, op + " threw " + e);
      }
      compare(step, real, ref, published, op.kind() == Kind.CHECK, features);
      if (wouldHaveOpened.get() != ref.wouldHaveOpened()) {
        throw new Mismatch(step, "would-have-opened events: reference " + ref.wouldHaveOpened()
            + ", real " + wouldHaveOpened.get());
      }
    }
    compare(ops.size(), real, ref, published, true, features);
  }

  private void apply(Op op, CircuitBreaker real, ReferenceBreaker ref, Time time, List<Pair> out,
      Set<Feature> features) {
    switch (op.kind()) {
      case ACQUIRE -> {
        ReferenceBreaker.Permit p = ref.acquire();
        Permit rp = null;
        try {
          rp = real.acquirePermit();
        } catch (CallNotPermittedException rejected) {
          // compared below
        }
        if ((p == null) != (rp == null)) {
          throw new Mismatch(-1, op + ": reference " + (p == null ? "rejected" : "permitted")
              + ", real " + (rp == null ? "rejected" : "permitted"));
        }
        if (p != null) {
          out.add(new Pair(rp, p, reconfigures));
        }
      }
      case SUCCESS, FAILURE, ERROR, RESULT, RELEASE -> {
        Pair pair = pick(op, ref, out, features);
        if (pair == null) {
          return;
        }
        long nanos = op.b() * 1_000_000L;
        switch (op.kind()) {
          case SUCCESS -> {
            pair.real().onSuccess(nanos);
            ref.onSuccess(pair.ref(), nanos);
          }
          case FAILURE -> {
            pair.real().onFailure(nanos);
            ref.onFailure(pair.ref(), nanos);
          }
          case ERROR -> {
            int kind = op.a() % ERRORS.length;
            Throwable error = error(features.contains(Feature.WRAPPED_ERRORS) ? kind : kind % 3);
            pair.real().onError(nanos, error);
            ref.onError(pair.ref(), nanos, error);
          }
          case RESULT -> {
            Integer result = op.b() % 3 - 1;
            pair.real().onResult(nanos, result);
            ref.onResult(pair.ref(), nanos, result);
          }
          default -> {
            pair.real().release();
            ref.onIgnored(pair.ref());
          }
        }
      }
      case EXECUTE_OK, EXECUTE_FAIL -> {
        ReferenceBreaker.Permit p = ref.acquire();
        boolean ran = false;
        long nanos = op.b() * 1_000_000L;
        try {
          real.execute(() -> {
            time.nanos.addAndGet(nanos);
            if (op.kind() == Kind.EXECUTE_FAIL) {
              throw new Boom();
            }
            return "ok";
          });
          ran = true;
        } catch (Boom e) {
          ran = true;
        } catch (CallNotPermittedException rejected) {
          // compared below
        }
        if ((p != null) != ran) {
          throw new Mismatch(-1, op + ": reference " + (p == null ? "rejected" : "permitted")
              + ", real " + (ran ? "permitted" : "rejected"));
        }
        if (p != null) {
          ref.setTime(time.read());
          if (op.kind() == Kind.EXECUTE_FAIL) {
            ref.onFailure(p, nanos);
          } else {
            ref.onSuccess(p, nanos);
          }
        } else if (nanos > 0) {
          time.nanos.addAndGet(nanos); // the call that would have run: time passes all the same
          ref.setTime(time.read());
        }
      }
      case ADVANCE -> {
        time.nanos.addAndGet(op.b() * 1_000_000L);
        ref.setTime(time.read());
      }
      case RESET -> {
        if (features.contains(Feature.NO_OP_REQUESTS) || ref.peekState() != CircuitState.CLOSED) {
          real.reset();
          ref.reset();
        }
      }
      case TRIP -> {
        if (features.contains(Feature.NO_OP_REQUESTS) || ref.peekState() != CircuitState.FORCED_OPEN) {
          real.trip();
          ref.trip();
        }
      }
      case DISABLE -> {
        if (features.contains(Feature.NO_OP_REQUESTS) || ref.peekState() != CircuitState.DISABLED) {
          real.disable();
          ref.disable();
        }
      }
      case TRANSITION -> {
        CircuitState target = CircuitState.values()[op.a() % CircuitState.values().length];
        if (features.contains(Feature.NO_OP_REQUESTS) || ref.peekState() != target) {
          real.transitionTo(target);
          ref.transitionTo(target);
        }
      }
      case RECONFIGURE -> {
        CircuitBreakerConfig next = configs.get(op.a());
        CircuitBreakerConfig now = ref.config();
        boolean sameWindow = next.slidingWindowType() == now.slidingWindowType()
            && next.slidingWindowSize() == now.slidingWindowSize();
        boolean allowed = sameWindow
            ? features.contains(Feature.RECONFIGURE_THRESHOLDS)
            : features.contains(Feature.RECONFIGURE_WINDOW);
        if (next.halfOpenMaxCalls() != now.halfOpenMaxCalls() && ref.probesInFlight() > 0
            && !features.contains(Feature.RECONFIGURE_PROBES)) {
          allowed = false;
        }
        if (allowed) {
          real.reconfigure(next);
          ref.reconfigure(next);
          reconfigures++;
        }
      }
      case STATE -> {
        CircuitState expected = ref.state();
        CircuitState actual = real.state();
        if (expected != actual) {
          throw new Mismatch(-1, "state(): reference " + expected + ", real " + actual);
        }
      }
      case CHECK -> {
        // compared after every step
      }
      case TRIP_FOR -> {
        real.tripFor(Duration.ofMillis(op.b()));
        ref.tripFor(op.b() * 1_000_000L);
      }
    }
  }

  /** The permit an operation reports, or null when there is none it may report. */
  private Pair pick(Op op, ReferenceBreaker ref, List<Pair> out, Set<Feature> features) {
    List<Pair> candidates = new ArrayList<>();
    for (Pair p : out) {
      if ((features.contains(Feature.LATE_OUTCOMES) || ref.isCurrent(p.ref()))
          && (features.contains(Feature.IN_FLIGHT_ACROSS_RECONFIGURE) || p.reconfigures() == reconfigures)) {
        candidates.add(p);
      }
    }
    if (candidates.isEmpty()) {
      return null;
    }
    Pair pair = candidates.get(op.a() % candidates.size());
    out.remove(pair);
    return pair;
  }

  static Throwable error(int kind) {
    return switch (kind) {
      case 0 -> new Boom();
      case 1 -> new Business();
      case 2 -> new IllegalStateException("not recorded? recorded: every exception is a failure");
      case 3 -> new CompletionException(new Boom());
      case 4 -> new ExecutionException(new Business());
      default -> new CompletionException(new Business());
    };
  }

  private void compare(int step, CircuitBreaker real, ReferenceBreaker ref, List<StateTransition> published,
      boolean full, Set<Feature> features) {
    long refRemaining = ref.remainingOpenNanos();
    long realRemaining = real.remainingOpenTime().toNanos();
    if (refRemaining != realRemaining) {
      throw new Mismatch(step, "remainingOpenTime: reference " + refRemaining + " ns, real " + realRemaining + " ns");
    }
    if (full) {
      ReferenceBreaker.Status e = ref.status();
      CircuitBreakerStatus a = real.status();
      boolean windowShown = features.contains(Feature.TRIPPED_TIME_WINDOW_STATUS)
          || e.state() == CircuitState.CLOSED
          || ref.shownWindowType() != io.riskmodules.breaker.SlidingWindowType.TIME_BASED;
      List<String> diffs = new ArrayList<>();
      diff(diffs, "state", e.state(), a.state());
      diff(diffs, "totalCalls", e.total(), a.totalCalls());
      diff(diffs, "successfulCalls", e.successful(), a.successfulCalls());
      diff(diffs, "failedCalls", e.failed(), a.failedCalls());
      diff(diffs, "slowCalls", e.slow(), a.slowCalls());
      diff(diffs, "rejectedCalls", e.rejected(), a.rejectedCalls());
      diff(diffs, "ignoredCalls", e.ignored(), a.ignoredCalls());
      if (windowShown) {
        diff(diffs, "callsInWindow", e.callsInWindow(), a.callsInWindow());
        diff(diffs, "failureRate", e.failureRate(), a.failureRate());
        diff(diffs, "slowCallRate", e.slowCallRate(), a.slowCallRate());
      }
      diff(diffs, "consecutiveFailures", e.consecutiveFailures(), a.consecutiveFailures());
      diff(diffs, "remainingOpenMillis", (e.remainingOpenNanos() + 999_999) / 1_000_000, a.remainingOpenMillis());
      List<ReferenceBreaker.Transition> all = ref.transitions();
      List<ReferenceBreaker.Transition> last = all.subList(Math.max(0, all.size() - 10), all.size());
      diff(diffs, "lastTransitions", last, transitions(a.lastTransitions()));
      if (!diffs.isEmpty()) {
        throw new Mismatch(step, "status: " + String.join("; ", diffs));
      }
    }
    List<ReferenceBreaker.Transition> expected = ref.transitions();
    List<ReferenceBreaker.Transition> actual = transitions(published);
    if (!expected.equals(actual)) {
      throw new Mismatch(step, "published transitions: reference " + expected + ", real " + actual);
    }
  }

  private static List<ReferenceBreaker.Transition> transitions(List<StateTransition> ts) {
    List<ReferenceBreaker.Transition> out = new ArrayList<>();
    for (StateTransition t : ts) {
      out.add(new ReferenceBreaker.Transition(t.from(), t.to(), t.sequence()));
    }
    return out;
  }

  private static void diff(List<String> diffs, String what, Object expected, Object actual) {
    if (!Objects.equals(expected, actual)) {
      diffs.add(what + " reference " + expected + ", real " + actual);
    }
  }

  /** This scenario without the operations at {@code from} (inclusive) to {@code to} (exclusive). */
  Scenario without(int from, int to) {
    List<Op> fewer = new ArrayList<>(ops.subList(0, from));
    fewer.addAll(ops.subList(to, ops.size()));
    return new Scenario(seed, configs, fewer);
  }

  /** Whether the scenario disagrees with the reference when run with {@code features}. */
  Mismatch failure(Set<Feature> features) {
    try {
      run(features);
      return null;
    } catch (Mismatch m) {
      return m;
    }
  }

  /** The shortest failing history found by dropping chunks, then single operations. */
  Scenario shrink(Set<Feature> features) {
    Scenario current = this;
    Mismatch m = current.failure(features);
    if (m != null && m.step >= 0 && m.step < current.ops.size()) {
      current = new Scenario(seed, configs, new ArrayList<>(current.ops.subList(0, m.step + 1)));
    }
    for (int chunk = Math.max(1, current.ops.size() / 2); chunk >= 1; chunk /= 2) {
      boolean progress = true;
      while (progress) {
        progress = false;
        for (int i = 0; i + chunk <= current.ops.size(); ) {
          Scenario smaller = current.without(i, i + chunk);
          if (smaller.failure(features) != null) {
            current = smaller;
            progress = true;
          } else {
            i += chunk;
          }
        }
      }
    }
    return current;
  }

  String describe() {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < configs.size(); i++) {
      sb.append("  config ").append(i).append(": ").append(configs.get(i)).append('\n');
    }
    for (int i = 0; i < ops.size(); i++) {
      sb.append("  ").append(i).append(": ").append(ops.get(i)).append('\n');
    }
    return sb.toString();
  }
}
