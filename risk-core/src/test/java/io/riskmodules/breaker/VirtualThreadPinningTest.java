package io.riskmodules.breaker;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;

/**
 * Runs 10,000 virtual threads at a time through a CLOSED, an OPEN and a HALF_OPEN breaker on two
 * carrier threads with no spare ones, and checks that all the work completes, that the carriers
 * stay free for other virtual threads while thousands of calls are blocked inside the breaker, and
 * that JFR records no {@code jdk.VirtualThreadPinned} event.
 *
 * <p>What guards what. A {@code synchronized} block on the call path is caught by {@link
 * NoMonitorOnCallPathTest} (the bytecode) and by nothing here: since JDK 24 (JEP 491) a virtual
 * thread that blocks while holding a monitor releases its carrier, so on this JDK 25 neither the
 * recording nor the carriers can show one. What this test does see: a call that blocks its carrier
 * anyway (inside a native frame or a class initializer, which JFR records as pinning), and a breaker
 * that keeps carriers busy (spinning while other virtual threads hold what it waits for), which
 * starves the two carriers and so the heartbeat thread below.
 *
 * <p>Runs only in the {@code virtual-threads} surefire execution, on the JDK 25 beside the default
 * one, which sets {@code jdk.virtualThreadScheduler.parallelism} and {@code maxPoolSize} to 2. The
 * test sources target Java 17, so virtual threads are made through reflection.
 */
class VirtualThreadPinningTest {

  private static final int THREADS = 10_000;
  private static final int PROBES = 50;
  private static final long WAIT_MINUTES = 2;

  @Test
  void tenThousandVirtualThreadsGoThroughClosedOpenAndHalfOpenBreakersWithoutStarvingTheCarriers() throws Exception {
    assertThat(Runtime.version().feature()).as("this test needs a JDK with virtual threads").isGreaterThanOrEqualTo(21);
    assertTwoCarriersAndNoSpare();
    AtomicLong nanos = new AtomicLong();
    CircuitBreaker breaker = CircuitBreaker.builder("vt").ticker(nanos::get)
        .config(CircuitBreakerConfig.builder().halfOpenMaxCalls(PROBES).successThreshold(PROBES).build()).build();
    breaker.onStateChange(t -> { });
    // Loading a class on first use takes the class loader's lock, on which the JVM pins virtual
    // threads once per class and JVM. That is not the breaker's doing, so every path the phases
    // below take is run once on this platform thread first.
    warmUp();

    List<RecordedEvent> pinned = record(() -> {
      // CLOSED: every call is let in and blocks inside the breaker until all of them are there.
      Gate closed = new Gate(THREADS);
      Running successes = runOnVirtualThreads(THREADS, i -> breaker.execute(() -> closed.enter(i)));
      closed.awaitAllInside();
      assertCarriersFree("10,000 calls are blocked inside a CLOSED breaker");
      closed.open();
      successes.awaitAll();

      // Still CLOSED: 10,000 calls in flight at once, all of which fail, trip it.
      Gate failing = new Gate(THREADS);
      Running failures = runOnVirtualThreads(THREADS, i -> {
        try {
          breaker.execute(() -> {
            failing.enter(i);
            throw new IllegalStateException("down");
          });
        } catch (IllegalStateException expected) {
          // the call's own failure
        }
      });
      failing.awaitAllInside();
      assertCarriersFree("10,000 failing calls are blocked inside the breaker");
      failing.open();
      failures.awaitAll();
      assertThat(breaker.state()).isEqualTo(CircuitState.OPEN);

      // OPEN: every call is rejected.
      runOnVirtualThreads(THREADS, i -> {
        try {
          breaker.execute(() -> i);
          throw new AssertionError("an OPEN breaker let call " + i + " in");
        } catch (CallNotPermittedException expected) {
          // rejected
        }
      }).awaitAll();
      assertThat(breaker.status().rejectedCalls()).isEqualTo(THREADS);

      // HALF_OPEN: 50 probes, half through the two-step form, block inside; the others are rejected.
      nanos.addAndGet(Duration.ofSeconds(30).toNanos());
      Gate probes = new Gate(PROBES);
      CountDownLatch turnedAway = new CountDownLatch(THREADS - PROBES);
      Running halfOpen = runOnVirtualThreads(THREADS, i -> {
        try {
          if (i % 2 == 0) {
            breaker.execute(() -> probes.enter(i));
          } else {
            Permit p = breaker.acquirePermit();
            probes.enter(i);
            p.onSuccess(0);
          }
        } catch (CallNotPermittedException expected) {
          turnedAway.countDown();  // more callers than probe permits
        }
      });
      probes.awaitAllInside();
      await(turnedAway);  // else a late caller would find the breaker CLOSED by the probes
      assertCarriersFree("50 probes are blocked inside a HALF_OPEN breaker");
      probes.open();
      halfOpen.awaitAll();
    });

    CircuitBreakerStatus status = breaker.status();
    assertThat(status.state()).as("50 good probes close it").isEqualTo(CircuitState.CLOSED);
    assertThat(status.totalCalls()).isEqualTo(4L * THREADS);
    assertThat(status.successfulCalls()).isEqualTo(THREADS + PROBES);
    assertThat(status.failedCalls()).isEqualTo(THREADS);
    assertThat(status.rejectedCalls()).isEqualTo(THREADS + (THREADS - PROBES));
    assertThat(pinned).filteredOn(e -> !jdkInitializingItsOwnClass(e))
        .as("jdk.VirtualThreadPinned events inside the breaker").isEmpty();
  }

  /**
   * The JDK initializing one of its own classes while another thread waits for it, such as
   * {@code jdk.internal.event.ThrowableTracer} the first time exceptions are made under a
   * recording (seen on a fresh build): a one-time wait of the JVM's, not a monitor of the breaker's.
   */
  private static boolean jdkInitializingItsOwnClass(RecordedEvent e) {
    String reason = e.hasField("pinnedReason") ? e.getString("pinnedReason") : null;
    return reason != null && reason.startsWith("Waited for initialization of jdk.internal.");
  }

  private static void warmUp() {
    AtomicLong nanos = new AtomicLong();
    CircuitBreaker b = CircuitBreaker.builder("warm-up").ticker(nanos::get).build();
    b.execute(() -> 1);
    for (int i = 0; i < 6; i++) {
      try {
        b.execute(() -> {
          throw new IllegalStateException("down");
        });
      } catch (RuntimeException expected) {
        // failure, then rejection
      }
    }
    nanos.addAndGet(Duration.ofSeconds(30).toNanos());
    b.execute(() -> 1);
    b.acquirePermit().onSuccess(1);
    b.execute(() -> 1);
    assertThat(b.state()).isEqualTo(CircuitState.CLOSED);
  }

  /** A control: the same recording does see a virtual thread that blocks while pinned. */
  @Test
  void theRecordingSeesPinningWhenItHappens() throws Exception {
    List<RecordedEvent> pinned = record(() -> runOnVirtualThreads(1, i -> PinsWhileInitializing.touch()).awaitAll());
    assertThat(pinned).isNotEmpty();
  }

  /**
   * A control: two virtual threads blocked while pinned take both carriers, and the heartbeat
   * thread does not run until they let go.
   */
  @Test
  void theHeartbeatStarvesWhenBothCarriersAreHeld() throws Exception {
    assertTwoCarriersAndNoSpare();
    Running holders;
    CountDownLatch ran = new CountDownLatch(1);
    try {
      holders = runOnVirtualThreads(2, i -> {
        if (i == 0) {
          HoldsCarrierA.touch();
        } else {
          HoldsCarrierB.touch();
        }
      });
      assertThat(HOLDING.await(WAIT_MINUTES, TimeUnit.MINUTES)).as("both carriers held").isTrue();
      startVirtualThread(ran::countDown);
      assertThat(ran.await(300, TimeUnit.MILLISECONDS)).as("the heartbeat ran although both carriers were held").isFalse();
    } finally {
      RELEASE.countDown();
    }
    holders.awaitAll();
    assertThat(ran.await(WAIT_MINUTES, TimeUnit.MINUTES)).as("the heartbeat ran once the carriers were free").isTrue();
  }

  private static final CountDownLatch HOLDING = new CountDownLatch(2);
  private static final CountDownLatch RELEASE = new CountDownLatch(1);

  /** Blocking in a class initializer pins a virtual thread on every JDK. */
  static final class PinsWhileInitializing {
    static {
      LockSupport.parkNanos(Duration.ofMillis(50).toNanos());
    }

    static void touch() {}
  }

  static final class HoldsCarrierA {
    static {
      holdUntilReleased();
    }

    static void touch() {}
  }

  static final class HoldsCarrierB {
    static {
      holdUntilReleased();
    }

    static void touch() {}
  }

  private static void holdUntilReleased() {
    HOLDING.countDown();
    await(RELEASE);
  }

  /**
   * The starvation check means something only when no carrier can be added: {@code maxPoolSize}
   * caps the carriers the scheduler may add to make up for pinned ones.
   */
  private static void assertTwoCarriersAndNoSpare() {
    assertThat(System.getProperty("jdk.virtualThreadScheduler.parallelism")).isEqualTo("2");
    assertThat(System.getProperty("jdk.virtualThreadScheduler.maxPoolSize")).isEqualTo("2");
  }

  /** A new virtual thread gets a carrier while the others are blocked inside the breaker. */
  private static void assertCarriersFree(String when) throws Exception {
    CountDownLatch ran = new CountDownLatch(1);
    startVirtualThread(ran::countDown);
    assertThat(ran.await(WAIT_MINUTES, TimeUnit.MINUTES)).as("a new virtual thread ran while " + when).isTrue();
  }

  /** Calls that wait inside the breaker until the test lets them all go at once. */
  private static final class Gate {
    private final CountDownLatch inside;
    private final CountDownLatch open = new CountDownLatch(1);

    Gate(int calls) {
      inside = new CountDownLatch(calls);
    }

    int enter(int i) {
      inside.countDown();
      await(open);
      return i;
    }

    void awaitAllInside() {
      await(inside);
    }

    void open() {
      open.countDown();
    }
  }

  private interface Body {
    void run() throws Exception;
  }

  private interface Task {
    void run(int i) throws Exception;
  }

  private static final class Running {
    private final ExecutorService executor;
    private final List<Future<?>> futures;

    Running(ExecutorService executor, List<Future<?>> futures) {
      this.executor = executor;
      this.futures = futures;
    }

    void awaitAll() throws Exception {
      try {
        for (Future<?> f : futures) {
          f.get(WAIT_MINUTES, TimeUnit.MINUTES);
        }
      } finally {
        executor.shutdown();
        assertThat(executor.awaitTermination(WAIT_MINUTES, TimeUnit.MINUTES)).isTrue();
      }
    }
  }

  private static List<RecordedEvent> record(Body body) throws Exception {
    Path file = Files.createTempFile("pinning", ".jfr");
    try (Recording recording = new Recording()) {
      recording.enable("jdk.VirtualThreadPinned").withThreshold(Duration.ZERO).withStackTrace();
      recording.start();
      body.run();
      recording.stop();
      recording.dump(file);
      List<RecordedEvent> pinned = new ArrayList<>();
      for (RecordedEvent e : RecordingFile.readAllEvents(file)) {
        if (e.getEventType().getName().equals("jdk.VirtualThreadPinned")) {
          pinned.add(e);
        }
      }
      return pinned;
    } finally {
      Files.deleteIfExists(file);
    }
  }

  private static Running runOnVirtualThreads(int count, Task task) throws Exception {
    ExecutorService executor = (ExecutorService) Executors.class.getMethod("newVirtualThreadPerTaskExecutor").invoke(null);
    List<Future<?>> futures = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      int n = i;
      futures.add(executor.submit(() -> {
        task.run(n);
        return null;
      }));
    }
    return new Running(executor, futures);
  }

  private static void startVirtualThread(Runnable task) throws Exception {
    Thread.class.getMethod("startVirtualThread", Runnable.class).invoke(null, task);
  }

  /** Plain Java only: code that runs on the virtual threads must not load classes on first use. */
  private static void await(CountDownLatch latch) {
    try {
      if (!latch.await(WAIT_MINUTES, TimeUnit.MINUTES)) {
        throw new IllegalStateException("the virtual threads did not all get there");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
