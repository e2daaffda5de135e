package io.riskmodules.breaker.internal;

import static org.assertj.core.api.Assertions.assertThatCode;

import io.riskmodules.breaker.Ticker;
import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;
import org.jetbrains.lincheck.datastructures.Operation;
import org.junit.jupiter.api.Test;

/**
 * Model-checks the success counter: whatever the interleaving of increments (through the base
 * value, the cell table being made or grown, and the cells), {@code sum()} behaves like a plain
 * counter read at one instant. The weights the sampler returns are not checked here (they are
 * random by design); {@link SampledCounterTest} checks them.
 */
public class SampledCounterLincheckTest {
  private static final Ticker TICKER = () -> 0L;
  private final SampledCounter counter = new SampledCounter();

  @Operation
  public void increment() {
    counter.incrementAndSample(TICKER);
  }

  @Operation
  public long sum() {
    return counter.sum();
  }

  @Test
  void incrementsAndSumsAreLinearizable() {
    // Lincheck throws with the interleaving that breaks linearizability
    assertThatCode(() -> new ModelCheckingOptions()
        .iterations(5)
        .invocationsPerIteration(100)
        .threads(3)
        .actorsPerThread(3)
        .check(getClass()))
        .as("model check").doesNotThrowAnyException();
  }
}
