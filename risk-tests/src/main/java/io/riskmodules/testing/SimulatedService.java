package io.riskmodules.testing;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Objects;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletionException;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * A scripted downstream for tests: it succeeds, fails the next N calls, fails with a given
 * exception or answers with a given (bad) result, takes a given latency by advancing a {@link
 * ManualClock}, fails a fraction of calls drawn from a seeded random source, or hangs until
 * released. It counts the calls that reached it, so a test can prove a breaker kept calls away.
 *
 * <pre>{@code
 * ManualClock clock = new ManualClock();
 * SimulatedService<String> inventory = SimulatedService.returning("42 in stock", clock);
 * inventory.failNext(10);                                  // then succeeds again
 * for (int i = 0; i < 12; i++) breaker.execute(inventory, cause -> "unknown");
 * assertThat(inventory.calls()).isEqualTo(10);             // the open breaker kept 2 away
 *
 * inventory.latency(Duration.ofSeconds(3));                // every call now takes 3 s of clock time
 * inventory.failRandomly(0.3, 42L);                        // 30% of calls fail, reproducibly
 * }</pre>
 *
 * <p>A call takes the next scripted step if any ({@code ...Next(n)} methods queue steps in the
 * order given), otherwise the steady behaviour ({@code ...Always()} methods, {@link
 * #failRandomly}; succeeding at first). Latency is added to every call, before it answers.
 * {@link #get()} suits {@code Supplier} forms and throws a checked exception wrapped in a {@link
 * CompletionException} (breakers judge it by its cause); {@link #call()} throws it as is.
 *
 * <p>Thread-safe: calls may come from many threads; a hanging call holds no lock.
 *
 * @param <T> the result type
 */
public final class SimulatedService<T> implements Supplier<T>, Callable<T> {

  private final String name;
  private final ManualClock clock;
  private final T result;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private final Deque<Step> script = new ArrayDeque<>();
  private Step steady;
  private Random random;
  private double failureFraction;
  private Duration latency = Duration.ZERO;
  private long releases;
  private long calls;
  private long successes;
  private long failures;
  private int hanging;

  private SimulatedService(String name, T result, ManualClock clock) {
    this.name = Objects.requireNonNull(name, "name");
    this.result = result;
    this.clock = clock;
    this.steady = Step.succeed();
  }

  /** A service answering {@code result}, whose latency advances {@code clock}. */
  public static <T> SimulatedService<T> returning(T result, ManualClock clock) {
    return new SimulatedService<>("simulated", result, Objects.requireNonNull(clock, "clock"));
  }

  /** A service called {@code name} (in failure messages) answering {@code result}, on {@code clock}. */
  public static <T> SimulatedService<T> named(String name, T result, ManualClock clock) {
    return new SimulatedService<>(name, result, Objects.requireNonNull(clock, "clock"));
  }

  /** A service answering {@code "ok"} on {@code clock}. */
  public static SimulatedService<String> create(ManualClock clock) {
    return returning("ok", clock);
  }

  /** The name given (default {@code simulated}). */
  public String name() {
    return name;
  }

  // ---- scripting ----

  /** The next {@code n} calls succeed (after any steps already queued). */
  public SimulatedService<T> succeedNext(int n) {
    return queue(n, Step.succeed());
  }

  /** The next {@code n} calls throw a {@link SimulatedFailure}. */
  public SimulatedService<T> failNext(int n) {
    return queue(n, Step.fail(null));
  }

  /** The next {@code n} calls throw what {@code exception} makes (one per call). */
  public SimulatedService<T> failNext(int n, Supplier<? extends Exception> exception) {
    return queue(n, Step.fail(Objects.requireNonNull(exception, "exception")));
  }

  /** The next {@code n} calls answer {@code badResult}, e.g. an HTTP 500 response a result predicate judges. */
  public SimulatedService<T> returnNext(int n, T badResult) {
    return queue(n, Step.answer(badResult));
  }

  /** The next {@code n} calls hang until {@link #release()}. */
  public SimulatedService<T> hangNext(int n) {
    return queue(n, Step.hang());
  }

  /** The next {@code n} calls take {@code latency} each (instead of the steady latency), then succeed. */
  public SimulatedService<T> slowNext(int n, Duration latency) {
    requireLatency(latency);
    return queue(n, Step.succeed().taking(latency));
  }

  /** From now on every call succeeds (once the queued steps are used up). */
  public SimulatedService<T> succeedAlways() {
    return steady(Step.succeed());
  }

  /** From now on every call throws a {@link SimulatedFailure}. */
  public SimulatedService<T> failAlways() {
    return steady(Step.fail(null));
  }

  /** From now on every call throws what {@code exception} makes. */
  public SimulatedService<T> failAlways(Supplier<? extends Exception> exception) {
    return steady(Step.fail(Objects.requireNonNull(exception, "exception")));
  }

  /** From now on every call answers {@code badResult}. */
  public SimulatedService<T> returnAlways(T badResult) {
    return steady(Step.answer(badResult));
  }

  /** From now on every call hangs until {@link #release()}. */
  public SimulatedService<T> hangAlways() {
    return steady(Step.hang());
  }

  /**
   * From now on each call fails with a {@link SimulatedFailure} with probability {@code fraction},
   * drawn from a {@link Random} seeded with {@code seed}: the same calls fail on every run.
   */
  public SimulatedService<T> failRandomly(double fraction, long seed) {
    if (!(fraction >= 0 && fraction <= 1)) {
      throw new IllegalArgumentException("fraction must be from 0 to 1, was " + fraction);
    }
    lock.lock();
    try {
      this.steady = Step.random();
      this.failureFraction = fraction;
      this.random = new Random(seed);
    } finally {
      lock.unlock();
    }
    return this;
  }

  /** Every call takes {@code latency} of clock time before it answers (default zero). */
  public SimulatedService<T> latency(Duration latency) {
    requireLatency(latency);
    lock.lock();
    try {
      this.latency = latency;
    } finally {
      lock.unlock();
    }
    return this;
  }

  /**
   * The downstream is healthy again: queued steps are dropped, every call succeeds at once, and
   * calls hanging now are released. Counts are kept.
   */
  public SimulatedService<T> recover() {
    lock.lock();
    try {
      script.clear();
      steady = Step.succeed();
      latency = Duration.ZERO;
      random = null;
    } finally {
      lock.unlock();
    }
    release();
    return this;
  }

  /** Lets every call hanging now go on: each then succeeds with the result. Later calls may hang again. */
  public void release() {
    lock.lock();
    try {
      releases++;
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /**
   * Waits, in real time, until at least {@code n} calls hang (they run on other threads).
   *
   * @return whether they did within {@code timeout}
   */
  public boolean awaitHanging(int n, Duration timeout) throws InterruptedException {
    long left = timeout.toNanos();
    lock.lock();
    try {
      while (hanging < n) {
        if (left <= 0) {
          return false;
        }
        left = changed.awaitNanos(left);
      }
      return true;
    } finally {
      lock.unlock();
    }
  }

  // ---- counts ----

  /** Calls that reached this service, whatever they did. */
  public long calls() {
    return read(() -> calls);
  }

  /** Calls that answered the good result. */
  public long successes() {
    return read(() -> successes);
  }

  /** Calls that threw or answered a bad result. */
  public long failures() {
    return read(() -> failures);
  }

  /** Calls hanging now. */
  public int hanging() {
    return (int) read(() -> hanging);
  }

  // ---- calling ----

  /**
   * One call: answers, throws or hangs as scripted; checked exceptions are wrapped in a {@link
   * CompletionException}.
   */
  @Override
  public T get() {
    try {
      return call();
    } catch (RuntimeException e) {
      throw e;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SimulatedFailure(name + ": interrupted while hanging", e);
    } catch (Exception e) {
      throw new CompletionException(e);
    }
  }

  /**
   * One call: answers, throws or hangs as scripted.
   *
   * @throws InterruptedException if interrupted while hanging (it no longer counts as hanging)
   */
  @Override
  public T call() throws Exception {
    Step step;
    Duration took;
    boolean randomFailure = false;
    long call;
    lock.lock();
    try {
      call = ++calls;
      step = script.isEmpty() ? steady : script.poll();
      took = step.latency != null ? step.latency : latency;
      if (step.kind == Kind.RANDOM) {
        randomFailure = random.nextDouble() < failureFraction;
      }
    } finally {
      lock.unlock();
    }
    if (!took.isZero()) {
      clock.advance(took);
    }
    switch (step.kind) {
      case HANG:
        hang();
        return succeeded();
      case FAIL:
        throw failed(step.exception == null
            ? new SimulatedFailure(name + ": scripted failure of call " + call) : step.exception.get());
      case ANSWER:
        failed(null);
        @SuppressWarnings("unchecked") T bad = (T) step.answer;
        return bad;
      case RANDOM:
        if (randomFailure) {
          throw failed(new SimulatedFailure(name + ": random failure of call " + call));
        }
        return succeeded();
      default:
        return succeeded();
    }
  }

  private void hang() throws InterruptedException {
    lock.lock();
    try {
      long ticket = releases;
      hanging++;
      changed.signalAll();
      try {
        while (releases == ticket) {
          changed.await();
        }
      } finally {
        hanging--;
      }
    } finally {
      lock.unlock();
    }
  }

  private T succeeded() {
    lock.lock();
    try {
      successes++;
    } finally {
      lock.unlock();
    }
    return result;
  }

  private Exception failed(Exception e) {
    lock.lock();
    try {
      failures++;
    } finally {
      lock.unlock();
    }
    return e;
  }

  private SimulatedService<T> queue(int n, Step step) {
    if (n < 0) {
      throw new IllegalArgumentException("n must not be negative, was " + n);
    }
    lock.lock();
    try {
      for (int i = 0; i < n; i++) {
        script.add(step);
      }
    } finally {
      lock.unlock();
    }
    return this;
  }

  private SimulatedService<T> steady(Step step) {
    lock.lock();
    try {
      this.steady = step;
      this.random = null;
    } finally {
      lock.unlock();
    }
    return this;
  }

  private long read(java.util.function.LongSupplier value) {
    lock.lock();
    try {
      return value.getAsLong();
    } finally {
      lock.unlock();
    }
  }

  private static void requireLatency(Duration latency) {
    Objects.requireNonNull(latency, "latency");
    if (latency.isNegative()) {
      throw new IllegalArgumentException("latency must not be negative, was " + latency);
    }
  }

  @Override
  public String toString() {
    lock.lock();
    try {
      return "SimulatedService[" + name + ": " + calls + " calls, " + successes + " succeeded, " + failures
          + " failed, " + hanging + " hanging, " + script.size() + " scripted steps left, then " + steady.kind + "]";
    } finally {
      lock.unlock();
    }
  }

  private enum Kind { SUCCEED, FAIL, ANSWER, HANG, RANDOM }

  /** One scripted behaviour; immutable. */
  private static final class Step {
    final Kind kind;
    final Supplier<? extends Exception> exception;
    final Object answer;
    /** Null: the service's steady latency. */
    final Duration latency;

    private Step(Kind kind, Supplier<? extends Exception> exception, Object answer, Duration latency) {
      this.kind = kind;
      this.exception = exception;
      this.answer = answer;
      this.latency = latency;
    }

    static Step succeed() {
      return new Step(Kind.SUCCEED, null, null, null);
    }

    static Step fail(Supplier<? extends Exception> exception) {
      return new Step(Kind.FAIL, exception, null, null);
    }

    static Step answer(Object answer) {
      return new Step(Kind.ANSWER, null, answer, null);
    }

    static Step hang() {
      return new Step(Kind.HANG, null, null, null);
    }

    static Step random() {
      return new Step(Kind.RANDOM, null, null, null);
    }

    Step taking(Duration latency) {
      return new Step(kind, exception, answer, latency);
    }
  }
}
