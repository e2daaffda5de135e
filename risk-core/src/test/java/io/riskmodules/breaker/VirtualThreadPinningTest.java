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
 * Runs the breaker from 10,000 virtual threads whose calls block, with JFR recording {@code
 * jdk.VirtualThreadPinned}, and finds no pinning. Runs only in the {@code virtual-threads} surefire
 * execution, on the JDK 25 beside the default one (the test sources target Java 17, so virtual
 * threads are made through reflection).
 */
class VirtualThreadPinningTest {

  private static final int THREADS = 10_000;

  @Test
  void tenThousandBlockingVirtualThreadsAreNeverPinnedInsideTheBreaker() throws Exception {
    assertThat(Runtime.version().feature()).as("this test needs a JDK with virtual threads").isGreaterThanOrEqualTo(21);
    AtomicLong nanos = new AtomicLong();
    CircuitBreaker breaker = CircuitBreaker.builder("vt").ticker(nanos::get)
        .config(CircuitBreakerConfig.builder().halfOpenMaxCalls(50).successThreshold(50).build()).build();
    breaker.onStateChange(t -> { });
    // Loading a class on first use takes the class loader's lock, on which the JVM pins virtual
    // threads once per class and JVM. That is not the breaker's doing, so every path the phases
    // below take is run once on this platform thread first.
    warmUp();

    List<RecordedEvent> pinned = record(() -> {
      // Phase 1: every call blocks in CLOSED until all 10,000 are inside the breaker.
      CountDownLatch allInside = new CountDownLatch(THREADS);
      runOnVirtualThreads(THREADS, i -> breaker.execute(() -> {
        allInside.countDown();
        await(allInside);
        return i;
      }));
      // Phase 2: blocking failures trip it; the rest are rejected.
      runOnVirtualThreads(THREADS, i -> {
        try {
          breaker.execute(() -> {
            LockSupport.parkNanos(100_000);
            throw new IllegalStateException("down");
          });
        } catch (RuntimeException expected) {
          // failure or rejection
        }
      });
      // Phase 3: HALF_OPEN probes that block, through the async and two-step forms as well.
      nanos.addAndGet(Duration.ofSeconds(30).toNanos());
      runOnVirtualThreads(THREADS, i -> {
        try {
          if (i % 2 == 0) {
            breaker.execute(() -> {
              LockSupport.parkNanos(100_000);
              return i;
            });
          } else {
            Permit p = breaker.acquirePermit();
            LockSupport.parkNanos(100_000);
            p.onSuccess(100_000);
          }
        } catch (CallNotPermittedException expected) {
          // more callers than probe permits
        }
      });
    });
    assertThat(breaker.status().totalCalls()).isEqualTo(3L * THREADS);
    assertThat(breaker.status().state()).isEqualTo(CircuitState.CLOSED);
    assertThat(pinned).as("jdk.VirtualThreadPinned events inside the breaker").isEmpty();
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
    List<RecordedEvent> pinned = record(() -> runOnVirtualThreads(1, i -> PinsWhileInitializing.touch()));
    assertThat(pinned).isNotEmpty();
  }

  /** Blocking in a class initializer pins a virtual thread on every JDK. */
  static final class PinsWhileInitializing {
    static {
      LockSupport.parkNanos(Duration.ofMillis(50).toNanos());
    }

    static void touch() {}
  }

  private interface Body {
    void run() throws Exception;
  }

  private interface Task {
    void run(int i) throws Exception;
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

  private static void runOnVirtualThreads(int count, Task task) throws Exception {
    ExecutorService executor = (ExecutorService) Executors.class.getMethod("newVirtualThreadPerTaskExecutor").invoke(null);
    try {
      List<Future<?>> futures = new ArrayList<>(count);
      for (int i = 0; i < count; i++) {
        int n = i;
        futures.add(executor.submit(() -> {
          task.run(n);
          return null;
        }));
      }
      for (Future<?> f : futures) {
        f.get(2, TimeUnit.MINUTES);
      }
    } finally {
      executor.shutdown();
      assertThat(executor.awaitTermination(1, TimeUnit.MINUTES)).isTrue();
    }
  }

  /** Plain Java only: code that runs on the virtual threads must not load classes on first use. */
  private static void await(CountDownLatch latch) {
    try {
      if (!latch.await(2, TimeUnit.MINUTES)) {
        throw new IllegalStateException("not every virtual thread got inside the breaker");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
