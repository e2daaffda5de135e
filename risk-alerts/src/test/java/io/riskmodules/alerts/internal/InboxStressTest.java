package io.riskmodules.alerts.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The inbox under contention, with exact accounting: every event a producer got {@code true} for
 * is drained exactly once, each producer's events in the order it offered them, and every
 * {@code false} is an event that never comes out.
 */
class InboxStressTest {

  private record Event(int producer, int seq) {}

  @Test
  void everyAcceptedEventIsDrainedOnceInEachProducersOrder() throws Exception {
    int producers = 4;
    int perProducer = 200_000;
    Inbox inbox = new Inbox(64); // small: producers often find it full
    AtomicLong accepted = new AtomicLong();
    AtomicLong refused = new AtomicLong();
    CountDownLatch start = new CountDownLatch(1);
    List<Thread> threads = new ArrayList<>();
    boolean[][] acceptedBy = new boolean[producers][perProducer];
    for (int p = 0; p < producers; p++) {
      int id = p;
      Thread t = new Thread(() -> {
        try {
          start.await();
        } catch (InterruptedException e) {
          return;
        }
        for (int i = 0; i < perProducer; i++) {
          if (inbox.offer(new Event(id, i))) {
            acceptedBy[id][i] = true;
            accepted.incrementAndGet();
          } else {
            refused.incrementAndGet();
          }
        }
      });
      threads.add(t);
      t.start();
    }
    int[] next = new int[producers];
    long[] drained = new long[1];
    boolean[] orderKept = {true};
    boolean[][] seen = new boolean[producers][perProducer];
    AtomicBoolean duplicate = new AtomicBoolean();
    Runnable drainOnce = () -> inbox.drain(o -> {
      Event e = (Event) o;
      if (seen[e.producer()][e.seq()]) {
        duplicate.set(true);
      }
      seen[e.producer()][e.seq()] = true;
      if (e.seq() < next[e.producer()]) {
        orderKept[0] = false;
      }
      next[e.producer()] = e.seq() + 1;
      drained[0]++;
    });
    start.countDown();
    while (threads.stream().anyMatch(Thread::isAlive)) {
      drainOnce.run();
    }
    for (Thread t : threads) {
      t.join();
    }
    while (!inbox.isEmpty()) {
      drainOnce.run();
    }

    assertThat(accepted.get() + refused.get()).isEqualTo((long) producers * perProducer);
    assertThat(refused.get()).as("the inbox was full at times").isPositive();
    assertThat(drained[0]).isEqualTo(accepted.get());
    assertThat(duplicate).isFalse();
    assertThat(orderKept[0]).isTrue();
    for (int p = 0; p < producers; p++) {
      for (int i = 0; i < perProducer; i++) {
        assertThat(seen[p][i]).isEqualTo(acceptedBy[p][i]);
      }
    }
  }

  @Test
  void capacityIsRoundedUpToAPowerOfTwoAndHonoured() {
    Inbox inbox = new Inbox(17);
    assertThat(inbox.capacity()).isEqualTo(32);
    for (int i = 0; i < 32; i++) {
      assertThat(inbox.offer(i)).isTrue();
    }
    assertThat(inbox.offer(32)).isFalse();
    List<Object> out = new ArrayList<>();
    assertThat(inbox.drain(out::add)).isEqualTo(32);
    assertThat(out.get(0)).isEqualTo(0);
    assertThat(out.get(31)).isEqualTo(31);
    assertThat(inbox.isEmpty()).isTrue();
    assertThat(new Inbox(65_536).capacity()).isEqualTo(65_536);
  }
}
