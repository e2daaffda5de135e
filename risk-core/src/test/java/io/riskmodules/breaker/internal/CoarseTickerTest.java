package io.riskmodules.breaker.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.riskmodules.breaker.Ticker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The coarse ticker's thread runs only while the ticker is read, and no read ever returns a time
 * from before its thread last stopped. Its thread really runs here, with a lease of a few ticks
 * and a short keep-alive, so the tests wait (bounded) for it to stop.
 *
 * <p>A lease is counted in ticks, and on a loaded machine a tick (a park of 100 us) can take
 * milliseconds; so leases here are short, the bounds on waits generous, and no assertion relies
 * on the test thread running again within a lease: between a read and the next statement the
 * thread may already have published its lease out and be WAITING.
 */
class CoarseTickerTest {

  private static final long HOUR = Duration.ofHours(1).toNanos();

  private final AtomicLong source = new AtomicLong(-7 * HOUR); // System.nanoTime may be negative
  private final List<CoarseTicker> made = new ArrayList<>();

  private CoarseTicker ticker(Ticker from, int leaseTicks, long keepAliveNanos) {
    return ticker(from, 100_000, leaseTicks, keepAliveNanos);
  }

  private CoarseTicker ticker(Ticker from, long periodNanos, int leaseTicks, long keepAliveNanos) {
    CoarseTicker t = new CoarseTicker(from, periodNanos, leaseTicks, keepAliveNanos, "coarse-ticker-test");
    made.add(t);
    return t;
  }

  /**
   * The source, telling the test thread's reads from those of the ticker's thread. The test
   * thread's first read can be held inside the source until a condition holds: what the ticker's
   * thread reads meanwhile is an hour newer.
   */
  private final class Source implements Ticker {
    final Thread reader = Thread.currentThread();
    final AtomicLong readerReads = new AtomicLong();
    /** When the ticker's thread read the source, by System.nanoTime. */
    final List<Long> threadReads = new CopyOnWriteArrayList<>();
    final Set<Thread> threads = ConcurrentHashMap.newKeySet();
    volatile BooleanSupplier holdFirstReadUntil;

    @Override
    public long read() {
      long value = source.get();
      if (Thread.currentThread() != reader) {
        threads.add(Thread.currentThread());
        threadReads.add(System.nanoTime());
      } else if (readerReads.incrementAndGet() == 1 && holdFirstReadUntil != null) {
        source.addAndGet(HOUR);
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(1)).until(holdFirstReadUntil::getAsBoolean);
      }
      return value;
    }

    Thread thread() {
      assertThat(threads).as("threads that published").hasSize(1);
      return threads.iterator().next();
    }

    /** The ticker's thread parks for its keep-alive, its lease published and its marker written. */
    boolean waitingToBeWanted(CoarseTicker t) {
      return t.state() == CoarseTicker.WAITING
          && threads.stream().anyMatch(th -> th.getState() == Thread.State.TIMED_WAITING);
    }
  }

  private static void awaitStopped(CoarseTicker t) {
    await().atMost(Duration.ofSeconds(60)).until(() -> t.state() == CoarseTicker.STOPPED && !t.threadAlive());
  }

  @AfterEach
  void letThreadsEnd() {
    made.forEach(CoarseTickerTest::awaitStopped);
  }

  @Test
  void noThreadUntilTheFirstRead() {
    CoarseTicker t = ticker(source::get, 3, Duration.ofMillis(10).toNanos());
    assertThat(t.state()).isEqualTo(CoarseTicker.STOPPED);
    assertThat(t.threadAlive()).isFalse();
    assertThat(t.read()).isEqualTo(-7 * HOUR);
    assertThat(t.state()).isEqualTo(CoarseTicker.RUNNING);
  }

  @Test
  void theThreadPublishesTheTimeWhileRead() {
    CoarseTicker t = ticker(source::get, 1_000, Duration.ofSeconds(2).toNanos()); // 0.1 s, then a wait
    t.read();
    source.addAndGet(5_000_000);
    await().atMost(Duration.ofSeconds(20)).until(() -> t.read() == -7 * HOUR + 5_000_000);
    assertThat(t.threadAlive()).isTrue();
  }

  @Test
  void theThreadStopsWhenNobodyReadsAndAReadAfterwardsIsNeverOlderThanTheStop() {
    CoarseTicker t = ticker(source::get, 3, Duration.ofMillis(500).toNanos());
    t.read();
    awaitStopped(t);
    source.addAndGet(HOUR);
    assertThat(t.read()).as("not the time last published before the stop").isEqualTo(-6 * HOUR);
    // RUNNING, or WAITING if it already published its lease of three ticks: not STOPPED before the keep-alive
    assertThat(t.state()).as("the read starts a thread again").isNotEqualTo(CoarseTicker.STOPPED);
    assertThat(t.threadAlive()).isTrue();
    awaitStopped(t);
    source.addAndGet(HOUR);
    assertThat(t.read()).isEqualTo(-5 * HOUR);
  }

  @Test
  void aThreadWaitingToBeWantedIsWokenByARead() {
    Source from = new Source();
    long keepAlive = Duration.ofSeconds(5).toNanos();
    CoarseTicker t = ticker(from, 1, keepAlive);
    t.read();
    await().atMost(Duration.ofSeconds(20)).until(() -> t.state() == CoarseTicker.WAITING);
    int published = from.threadReads.size();
    source.addAndGet(HOUR);
    assertThat(t.read()).isEqualTo(-6 * HOUR);
    // woken: RUNNING, or WAITING again after its lease of one tick; not exited, as it would be unwoken
    assertThat(t.state()).isNotEqualTo(CoarseTicker.STOPPED);
    assertThat(t.threadAlive()).isTrue();
    // at once, not at the end of its keep-alive
    await().atMost(Duration.ofNanos(keepAlive / 2)).until(() -> from.threadReads.size() > published);
  }

  /**
   * Readers on four threads while the thread stops and restarts as often as it can (a lease of
   * one tick, a keep-alive of 20 us: it is woken or it exits): each thread's reads never go back,
   * and none is ahead of the source.
   */
  @Test
  void readsOnOneThreadNeverGoBackAcrossStopsAndRestarts() throws Exception {
    AtomicLong reads = new AtomicLong();
    Ticker real = Ticker.system();
    CoarseTicker t = ticker(() -> {
      reads.incrementAndGet();
      return real.read();
    }, 1, 20_000);
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      CountDownLatch go = new CountDownLatch(1);
      List<Future<Long>> backwards = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        int reader = i;
        backwards.add(pool.submit(() -> {
          go.await();
          long wrong = 0;
          long last = Long.MIN_VALUE;
          for (int k = 0; k < 2_000_000; k++) {
            long r = t.read();
            if (r < last || r > real.read()) {
              wrong++;
            }
            last = r;
            if ((k & 0xFFFF) == reader) {
              Thread.yield(); // let the ticker's thread run between reads now and then
            }
          }
          return wrong;
        }));
      }
      go.countDown();
      for (Future<Long> f : backwards) {
        assertThat(f.get(5, TimeUnit.MINUTES)).as("reads that went back or ahead").isZero();
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(reads.get()).as("the source was read, by the thread and by readers").isPositive();
  }

  @Test
  void aLeaseIsLeaseTicksReadsOfTheSourceATickApart() {
    Source from = new Source();
    int lease = 10;
    CoarseTicker t = ticker(from, 100_000, lease, Duration.ofSeconds(2).toNanos());
    List<Long> leaseReads = new ArrayList<>();
    from.holdFirstReadUntil = () -> {
      boolean over = from.waitingToBeWanted(t);
      if (over) {
        leaseReads.addAll(from.threadReads);
      }
      return over;
    };
    t.read();
    assertThat(leaseReads).as("the thread's reads of the source in its lease").hasSize(lease);
    // a park of a tick between reads (allowing for one that returns early): not a spin
    assertThat(leaseReads.get(lease - 1) - leaseReads.get(0)).isGreaterThanOrEqualTo((lease - 1) * 100_000L / 2);
  }

  @Test
  void aReadThatStartedBeforeTheThreadStoppedReturnsNoTimeOlderThanThoseItPublished() {
    Source from = new Source();
    CoarseTicker t = ticker(from, 3, Duration.ofSeconds(2).toNanos());
    // the first read reads the source, and is held there while the thread publishes a lease of
    // newer times and stops (its marker must not be the value the held read saw)
    from.holdFirstReadUntil = () -> from.waitingToBeWanted(t);
    assertThat(t.read()).isEqualTo(-6 * HOUR);
    assertThat(from.readerReads).as("the source read again, once").hasValue(2);
  }

  @Test
  void aReadThatFindsATimePublishedWhileItReadTheSourceReturnsItWithoutReadingAgain() {
    Source from = new Source();
    // a lease of at least half a second: the thread still publishes when the held read goes on
    CoarseTicker t = ticker(from, 10_000_000, 50, Duration.ofMillis(10).toNanos());
    from.holdFirstReadUntil = () -> from.threadReads.size() >= 2; // its first time published
    assertThat(t.read()).isEqualTo(-6 * HOUR);
    assertThat(from.readerReads).hasValue(1);
  }

  @Test
  void whileTheThreadPublishesAReadDoesNotReadTheSource() {
    Source from = new Source();
    CoarseTicker t = ticker(from, 10_000_000, 50, Duration.ofMillis(10).toNanos()); // half a second at least
    t.read();
    await().atMost(Duration.ofSeconds(20)).until(() -> from.threadReads.size() >= 2);
    long before = from.readerReads.get();
    for (int i = 0; i < 10_000; i++) {
      t.read();
    }
    // none, or one if the lease ran out meanwhile
    assertThat(from.readerReads.get() - before).isLessThanOrEqualTo(2);
  }

  @Test
  void aThreadWaitingToBeWantedParksRatherThanSpins() {
    Source from = new Source();
    CoarseTicker t = ticker(from, 1, Duration.ofSeconds(5).toNanos());
    t.read();
    // not a CPU busy for the keep-alive: breakers that are not called cost no CPU
    await().atMost(Duration.ofSeconds(4)).pollInterval(Duration.ofMillis(1)).until(() -> from.waitingToBeWanted(t));
  }

  @Test
  void theThreadIsADaemonAndHoldsNoContextClassLoader() {
    Source from = new Source();
    CoarseTicker t = ticker(from, 3, Duration.ofMillis(10).toNanos());
    assertThat(Thread.currentThread().getContextClassLoader()).isNotNull();
    t.read();
    await().atMost(Duration.ofSeconds(20)).until(() -> !from.threads.isEmpty());
    Thread thread = from.thread();
    assertThat(thread.isDaemon()).as("does not keep the JVM from exiting").isTrue();
    assertThat(thread.getContextClassLoader()).as("holds not the first reader's class loader").isNull();
  }

  @Test
  void withoutAThreadEveryReadReadsTheSource() {
    AtomicLong reads = new AtomicLong();
    // a thread cannot be made with no name: as when the process is out of threads
    CoarseTicker t = new CoarseTicker(() -> {
      reads.incrementAndGet();
      return source.get();
    }, 100_000, 3, Duration.ofMillis(10).toNanos(), null);
    for (int i = 1; i <= 5; i++) {
      assertThat(t.read()).isEqualTo(-7 * HOUR + (i - 1) * 1_000);
      source.addAndGet(1_000);
    }
    assertThat(reads).hasValue(5);
    assertThat(t.threadAlive()).isFalse();
  }
}
