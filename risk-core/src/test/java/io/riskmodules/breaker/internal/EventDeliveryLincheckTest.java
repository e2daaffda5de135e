package io.riskmodules.breaker.internal;

import static io.riskmodules.breaker.internal.LincheckBreakers.scenario;

import io.riskmodules.breaker.CallEvent;
import io.riskmodules.breaker.CallOutcome;
import io.riskmodules.breaker.CircuitBreakerEvent;
import io.riskmodules.breaker.CircuitState;
import io.riskmodules.breaker.StateTransition;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Validate;
import org.junit.jupiter.api.Test;

/**
 * Model-checks the event dispatcher: threads publish transitions (numbered when made, so they may
 * enqueue out of order) and call events, each delivering on itself ({@code Runnable::run}) or
 * leaving its event to the thread already delivering. Once they are done, every event has been
 * delivered exactly once, one at a time, and the transitions in the order of their numbers.
 */
public class EventDeliveryLincheckTest {
  private final AtomicLong sequence = new AtomicLong();
  private final ConcurrentLinkedQueue<CircuitBreakerEvent> delivered = new ConcurrentLinkedQueue<>();
  private final AtomicLong calls = new AtomicLong();
  /** Listeners running now: more than one at a time breaks the one-at-a-time promise. */
  private final AtomicLong delivering = new AtomicLong();
  private volatile boolean overlapped;
  private final EventDispatcher dispatcher = new EventDispatcher("lincheck", Runnable::run);

  public EventDeliveryLincheckTest() {
    dispatcher.add((CircuitBreakerEvent e) -> {
      if (delivering.incrementAndGet() != 1) {
        overlapped = true; // a listener's exception would only be logged
      }
      delivered.add(e);
      delivering.decrementAndGet();
    }, true, true, () -> { });
  }

  @Operation
  public void transition() {
    long n = sequence.incrementAndGet();
    dispatcher.publish(new StateTransition("lincheck", CircuitState.CLOSED, CircuitState.OPEN, 0L, n, "test"));
  }

  @Operation
  public void call() {
    calls.incrementAndGet();
    dispatcher.publish(new CallEvent("lincheck", CallOutcome.SUCCESS, 0L, false, null, 0L));
  }

  @Validate
  public void everyEventDeliveredOnceAndTransitionsInOrder() {
    List<Long> transitions = new ArrayList<>();
    long callEvents = 0;
    for (CircuitBreakerEvent e : delivered) {
      if (e instanceof StateTransition t) {
        transitions.add(t.sequence());
      } else {
        callEvents++;
      }
    }
    List<Long> expected = new ArrayList<>();
    for (long i = 1; i <= sequence.get(); i++) {
      expected.add(i);
    }
    if (overlapped) {
      throw new AssertionError("two listeners ran at once");
    }
    if (!transitions.equals(expected) || callEvents != calls.get()) {
      throw new AssertionError("delivered transitions " + transitions + " of " + sequence.get()
          + ", call events " + callEvents + " of " + calls.get());
    }
  }

  @Test
  void eventsAreDeliveredOnceAndTransitionsInOrder() {
    LincheckBreakers.options(3, 80).threads(3).actorsPerThread(2)
        .addCustomScenario(scenario(getClass(), new String[] {},
            new String[][] {{"transition", "call"}, {"transition", "transition"}, {"call", "transition"}},
            new String[] {}))
        .check(getClass());
  }
}
