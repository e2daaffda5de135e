package io.riskmodules.breaker.internal;

import io.riskmodules.breaker.CallEvent;
import io.riskmodules.breaker.CircuitBreakerEvent;
import io.riskmodules.breaker.StateTransition;
import io.riskmodules.breaker.Subscription;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers one breaker's events on its executor, one at a time, transitions in the order of their
 * sequence numbers even when the threads that made them enqueue out of order. The caller's thread
 * only enqueues. A listener that throws is logged and the others still run.
 */
final class EventDispatcher {

  private static final Logger log = LoggerFactory.getLogger(io.riskmodules.breaker.CircuitBreaker.class);
  private static final Listener[] NONE = new Listener[0];
  private static final VarHandle LISTENERS;
  private static final VarHandle PRELUDES;

  static {
    try {
      LISTENERS = MethodHandles.lookup().findVarHandle(EventDispatcher.class, "listeners", Listener[].class);
      PRELUDES = MethodHandles.lookup().findVarHandle(EventDispatcher.class, "preludes", Map.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private final String breakerName;
  private final Executor executor;
  private final ConcurrentLinkedQueue<CircuitBreakerEvent> queue = new ConcurrentLinkedQueue<>();
  /** Events queued since a drain last finished: a drain is asked for at 1, 2, 4, 8, ... */
  private final AtomicLong undrained = new AtomicLong();
  /** 1 while a drain delivers: one drainer at a time. */
  private final AtomicInteger draining = new AtomicInteger();
  private volatile Listener[] listeners = NONE;
  /** Events to deliver just before the transition of their sequence number; made at the first. */
  private volatile Map<Long, CircuitBreakerEvent> preludes;

  // Confined to the draining thread (the draining flag admits one drainer at a time).
  private PriorityQueue<StateTransition> early;
  private long nextSequence = 1;

  EventDispatcher(String breakerName, Executor executor) {
    this.breakerName = breakerName;
    this.executor = executor;
  }

  /** Whether any listener wants call events, so that the call path can skip making them. */
  boolean wantsCalls() {
    for (Listener l : listeners) {
      if ((l.kinds & CALLS) != 0) {
        return true;
      }
    }
    return false;
  }

  /** Kinds of event a listener takes ({@link #add(Consumer, int, Runnable)}). */
  static final int TRANSITIONS = 1;
  static final int CALLS = 2;
  static final int THRESHOLDS = 4;
  /** Events only onEvent listeners take (METRICS_ONLY's WouldHaveOpened). */
  static final int OTHERS = 8;
  static final int ALL = TRANSITIONS | CALLS | THRESHOLDS | OTHERS;

  /** A listener of transitions and/or calls; one of both takes every kind of event. */
  Subscription add(Consumer<?> consumer, boolean transitions, boolean calls, Runnable changed) {
    int kinds = transitions && calls ? ALL : (transitions ? TRANSITIONS : 0) | (calls ? CALLS : 0);
    return add(consumer, kinds, changed);
  }

  /** A listener of the events of {@code kinds} (a set of {@link #TRANSITIONS}, {@link #CALLS}, ...). */
  @SuppressWarnings("unchecked")
  Subscription add(Consumer<?> consumer, int kinds, Runnable changed) {
    Listener listener = new Listener((Consumer<CircuitBreakerEvent>) consumer, kinds);
    Listener[] seen;
    Listener[] grown;
    do {
      seen = listeners;
      grown = Arrays.copyOf(seen, seen.length + 1);
      grown[seen.length] = listener;
    } while (!LISTENERS.compareAndSet(this, seen, grown));
    changed.run();
    return () -> {
      Listener[] before;
      Listener[] after;
      do {
        before = listeners;
        after = Arrays.stream(before).filter(l -> l != listener).toArray(Listener[]::new);
      } while (!LISTENERS.compareAndSet(this, before, after));
      changed.run();
    };
  }

  /**
   * Queues {@code event} and asks the executor for a drain when the number of events queued since
   * a drain last started is a power of two. An executor may drop a task without a word (a pool
   * with a discard policy): asking again at 2, 4, 8, ... events means that a dropped drain delays
   * delivery until the next request is taken, never for good, while a working executor gets a
   * number of requests that grows only with the logarithm of a backlog.
   */
  void publish(CircuitBreakerEvent event) {
    queue.offer(event);
    long n = undrained.incrementAndGet();
    if ((n & (n - 1)) == 0) {
      try {
        executor.execute(this::drain);
      } catch (Throwable e) {
        // a rejection, or an executor that throws: no drain is scheduled, and events would pile
        // up unseen unless this thread delivers them
        log.warn("circuit breaker '{}': event executor did not take the delivery ({}); delivering on this thread",
            breakerName, e.getClass().getName());
        drain();
        if (e instanceof Error) {
          throw (Error) e; // out of threads, say: not ours to hide
        }
      }
    }
  }

  /**
   * Delivers what is queued, unless another drain is delivering: that one looks at the queue
   * again after it stops, so an event queued meanwhile is not left behind.
   */
  private void drain() {
    while (draining.compareAndSet(0, 1)) {
      try {
        CircuitBreakerEvent event;
        while ((event = queue.poll()) != null) {
          if (event instanceof StateTransition transition) {
            order(transition);
          } else {
            if (event instanceof io.riskmodules.breaker.WouldHaveOpened w) {
              log.warn("circuit breaker '{}' would have opened ({}); it is METRICS_ONLY, so it did not",
                  w.breakerName(), w.reason());
            }
            deliver(event);
          }
        }
      } finally {
        // counted afresh from here: the first event queued after the check below asks for a
        // drain (counting on from the events this drain delivered, it might never be a power of two)
        undrained.set(0);
        draining.set(0);
      }
      if (queue.isEmpty()) {
        return;
      }
    }
  }

  /**
   * Delivers {@code event} right before the transition numbered {@code sequence}, which its
   * committer publishes next: a transition may wait for an earlier one that another thread has
   * not queued yet, and what explains it must not be delivered before that earlier one.
   */
  void precede(long sequence, CircuitBreakerEvent event) {
    if (preludes == null) {
      PRELUDES.compareAndSet(this, null, new ConcurrentHashMap<Long, CircuitBreakerEvent>());
    }
    preludes.put(sequence, event);
  }

  private void order(StateTransition transition) {
    if (early == null) {
      early = new PriorityQueue<>((a, b) -> Long.compare(a.sequence(), b.sequence()));
    }
    early.add(transition);
    while (!early.isEmpty() && early.peek().sequence() <= nextSequence) {
      StateTransition next = early.poll();
      nextSequence = next.sequence() + 1;
      Map<Long, CircuitBreakerEvent> waiting = preludes;
      CircuitBreakerEvent prelude = waiting == null ? null : waiting.remove(next.sequence());
      if (prelude != null) {
        deliver(prelude);
      }
      logTransition(next);
      deliver(next);
    }
  }

  /** An opening (not an operator's) at WARN; closing, half-opening and operators' requests at INFO. */
  private static void logTransition(StateTransition t) {
    if (t.to() == io.riskmodules.breaker.CircuitState.OPEN && !DefaultCircuitBreaker.byOperator(t.reason())) {
      log.warn("circuit breaker '{}' opened ({}), was {}", t.breakerName(), t.reason(), t.from().value());
    } else {
      log.info("circuit breaker '{}': {} -> {} ({})", t.breakerName(), t.from().value(), t.to().value(), t.reason());
    }
  }

  private void deliver(CircuitBreakerEvent event) {
    int kind = event instanceof CallEvent ? CALLS : event instanceof StateTransition ? TRANSITIONS
        : event instanceof io.riskmodules.breaker.ThresholdExceeded ? THRESHOLDS : OTHERS;
    for (Listener l : listeners) {
      if ((l.kinds & kind) != 0) {
        try {
          l.consumer.accept(event);
        } catch (Throwable e) {
          log.warn("circuit breaker '{}': a listener failed on {}", breakerName, event.getClass().getSimpleName(), e);
        }
      }
    }
  }

  private record Listener(Consumer<CircuitBreakerEvent> consumer, int kinds) {}
}
