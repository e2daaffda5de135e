package io.riskmodules.alerts.internal;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Consumer;

/**
 * A bounded queue for many producers and one consumer at a time, on an array: a producer claims a
 * slot with one compare-and-set of the producer index and publishes its event with a release
 * write; nothing allocates and nobody blocks. The consumer (whoever holds the engine's lock) reads
 * slots in order and stops at the first one claimed but not yet written, which the next drain
 * picks up. Why not {@code ArrayBlockingQueue}: its one lock made raisers park (and allocate a
 * wait node) while the manager thread drained.
 */
final class Inbox {

  private final AtomicReferenceArray<Object> slots;
  private final int mask;
  private final int capacity;
  private final AtomicLong producerIndex = new AtomicLong();
  private final AtomicLong consumerIndex = new AtomicLong(); // written by the consumer only

  /** @param capacity rounded up to a power of two */
  Inbox(int capacity) {
    int size = Integer.highestOneBit(Math.max(2, capacity - 1)) << 1;
    this.slots = new AtomicReferenceArray<>(size);
    this.mask = size - 1;
    this.capacity = size;
  }

  int capacity() {
    return capacity;
  }

  /** Adds {@code e} unless the inbox is full; never blocks. */
  boolean offer(Object e) {
    while (true) {
      long p = producerIndex.get();
      if (p - consumerIndex.get() >= capacity) {
        return false;
      }
      if (producerIndex.compareAndSet(p, p + 1)) {
        slots.setRelease((int) (p & mask), e);
        return true;
      }
    }
  }

  /** Hands the published events, in order, to {@code sink}; one consumer at a time. Returns how many. */
  int drain(Consumer<Object> sink) {
    long c = consumerIndex.get();
    int n = 0;
    while (true) {
      int i = (int) (c & mask);
      Object e = slots.getAcquire(i);
      if (e == null) {
        break; // empty, or claimed and not yet written: the next drain takes it
      }
      slots.setPlain(i, null);
      c++;
      consumerIndex.setRelease(c);
      sink.accept(e);
      n++;
    }
    return n;
  }

  boolean isEmpty() {
    return producerIndex.get() == consumerIndex.get();
  }
}
