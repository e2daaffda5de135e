package io.riskmodules.breaker.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.riskmodules.breaker.Ticker;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * A success counter nobody observes gets no ticker: it shows nothing and reads no clock, and an
 * observer that comes later gets a first weight of a few hundred calls at most, not all of them.
 */
class UnobservedSampleTest {

  private final AtomicLong nanos = new AtomicLong();
  private final AtomicLong reads = new AtomicLong();
  private final Ticker ticker = () -> {
    reads.incrementAndGet();
    return nanos.get();
  };

  @Test
  void anUnobservedCounterShowsNothingAndTheFirstWeightOnceObservedIsSmall() {
    SampledCounter counter = new SampledCounter();
    long shown = 0;
    for (int i = 0; i < 1_000_000; i++) {
      nanos.addAndGet(1_000);
      if (counter.incrementAndSample(null) != SampledCounter.SKIP) {
        shown++;
      }
    }
    assertThat(shown).isZero();
    assertThat(counter.sum()).isEqualTo(1_000_000);

    long firstWeight = 0;
    long weights = 0;
    for (int i = 0; i < 10_000; i++) {
      nanos.addAndGet(1_000);
      int weight = counter.incrementAndSample(ticker);
      if (weight != SampledCounter.SKIP) {
        firstWeight = firstWeight == 0 ? weight : firstWeight;
        weights += weight;
      }
    }
    assertThat(reads.get()).as("looks at the clock again once observed").isPositive();
    assertThat(firstWeight).isBetween(1L, 2 * SampledCounter.CHECK_EVERY);
    // (less the calls after the last one shown: at a million a second, spacings of 2,048)
    assertThat(weights).as("the weights stand for the calls since the observer came, not before")
        .isBetween(10_000L - 4_096, 10_000L + 2 * SampledCounter.CHECK_EVERY);
  }

  @Test
  void theFirstCallShownOnceObservedIsAtARandomPlaceNotAtAPeriodOfTheCount() {
    // were it always at the same count modulo the looks' distance, traffic with that period
    // (every 256th call to a slow replica, say) would have its slow call shown every time
    int counters = 20;
    int atOnePlace = 0;
    for (int c = 0; c < counters; c++) {
      SampledCounter counter = new SampledCounter();
      for (int i = 0; i < 10_000; i++) {
        counter.incrementAndSample(null);
      }
      while (counter.incrementAndSample(ticker) == SampledCounter.SKIP) {
        nanos.addAndGet(1_000);
      }
      if (counter.sum() % SampledCounter.CHECK_EVERY == 1) {
        atOnePlace++;
      }
    }
    assertThat(atOnePlace).isLessThan(counters / 2); // about one in 256 each
  }
}
