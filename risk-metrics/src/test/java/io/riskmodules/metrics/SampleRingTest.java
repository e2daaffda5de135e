package io.riskmodules.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.riskmodules.breaker.CircuitState;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The compact store against a plain deque of sample objects, on random histories. */
class SampleRingTest {

  /** What the store kept before it was compact: the samples themselves. */
  private static final class PlainStore {
    final ArrayDeque<BreakerSample> samples = new ArrayDeque<>();
    final long retentionMillis;
    final int cap;

    PlainStore(long retentionMillis, int cap) {
      this.retentionMillis = retentionMillis;
      this.cap = cap;
    }

    void append(BreakerSample s) {
      samples.addLast(s);
      long oldest = s.epochMillis() - retentionMillis;
      while (!samples.isEmpty() && (samples.size() > cap || samples.peekFirst().epochMillis() < oldest)) {
        samples.pollFirst();
      }
    }

    List<BreakerSample> range(long from, long to) {
      List<BreakerSample> out = new ArrayList<>();
      for (BreakerSample s : samples) {
        if (s.epochMillis() >= from && s.epochMillis() <= to) {
          out.add(s);
        }
      }
      return out;
    }
  }

  /** Makes samples as a collector does, with now and then one it could not have made. */
  private static final class Source {
    final SplittableRandom random;
    long millis = 1_700_000_000_000L;
    long total;
    long failed;
    long slow;
    long rejected;
    long previousMillis = millis;

    Source(long seed) {
      random = new SplittableRandom(seed);
    }

    BreakerSample next() {
      long interval = random.nextInt(10) == 0 ? random.nextInt(1, 100_000) : 1_000;
      millis += interval;
      long calls = random.nextInt(5) == 0 ? 0 : random.nextLong(0, 1L << (random.nextInt(1, 34)));
      long rej = calls == 0 ? 0 : random.nextLong(0, calls + 1);
      long ran = calls - rej;
      long f = ran == 0 ? 0 : random.nextLong(0, ran + 1);
      long sl = ran == 0 ? 0 : random.nextLong(0, ran + 1);
      total += calls;
      failed += f;
      slow += sl;
      rejected += rej;
      int window = random.nextInt(0, 200);
      int minimum = random.nextInt(1, 20);
      boolean enough = window >= minimum && window > 0;
      int wf = window == 0 ? 0 : random.nextInt(0, window + 1);
      int ws = window == 0 ? 0 : random.nextInt(0, window + 1);
      double p50 = SampleRing.quantizeMillis(random.nextDouble() * 100);
      double p95 = SampleRing.quantizeMillis(p50 * 2);
      double p99 = SampleRing.quantizeMillis(random.nextInt(3) == 0 ? random.nextDouble() * 1e9 : p95 * 2);
      double max = SampleRing.quantizeMillis(p99 * 1.5);
      if (calls == 0) {
        p50 = p95 = p99 = max = 0;
      }
      long intervalMillis = millis - previousMillis;
      previousMillis = millis;
      double seconds = intervalMillis / 1000.0;
      BreakerSample s = new BreakerSample("a", millis, CircuitState.values()[random.nextInt(5)], total, failed, slow,
          rejected, calls, rej, enough ? (double) wf / window : Double.NaN, enough ? (double) ws / window : Double.NaN,
          calls == 0 ? 0 : (double) rej / calls, p50, p95, p99, max, seconds > 0 ? calls / seconds : 0, window,
          minimum, intervalMillis);
      switch (random.nextInt(40)) {
        case 0: // made by hand: a latency no histogram gives
          return new BreakerSample("a", s.epochMillis(), s.state(), s.totalCalls(), s.failedCalls(), s.slowCalls(),
              s.rejectedCalls(), s.intervalCalls(), s.intervalRejected(), s.failureRate(), s.slowCallRate(),
              s.rejectionRate(), 0.1234567, s.p95Millis(), s.p99Millis(), s.maxMillis(), s.callsPerSecond(),
              s.callsInWindow(), s.minimumCalls(), s.intervalMillis());
        case 1: // the old constructor
          return new BreakerSample("a", s.epochMillis(), s.state(), s.totalCalls(), s.failedCalls(), s.slowCalls(),
              s.rejectedCalls(), s.intervalCalls(), s.intervalRejected(), 0.3, 0.1, s.rejectionRate(), s.p50Millis(),
              s.p95Millis(), s.p99Millis(), s.maxMillis(), s.callsPerSecond());
        case 2: // a wall clock that went back
          millis -= 5_000;
          previousMillis = millis;
          return new BreakerSample("a", millis, s.state(), s.totalCalls(), s.failedCalls(), s.slowCalls(),
              s.rejectedCalls(), s.intervalCalls(), s.intervalRejected(), s.failureRate(), s.slowCallRate(),
              s.rejectionRate(), s.p50Millis(), s.p95Millis(), s.p99Millis(), s.maxMillis(), s.callsPerSecond(),
              s.callsInWindow(), s.minimumCalls(), s.intervalMillis());
        default:
          return s;
      }
    }
  }

  @Test
  void readsBackExactlyWhatAPlainHistoryHolds() {
    for (long seed = 0; seed < 200; seed++) {
      SplittableRandom random = new SplittableRandom(seed);
      int cap = random.nextInt(1, 40);
      Duration retention = Duration.ofSeconds(random.nextInt(1, 120));
      MetricsStore store = new MetricsStore(retention, cap);
      PlainStore plain = new PlainStore(retention.toMillis(), cap);
      Source source = new Source(seed);
      for (int i = 0; i < 300; i++) {
        BreakerSample s = source.next();
        store.append(s);
        plain.append(s);
        assertThat(store.latest("a")).as("seed %d step %d", seed, i).contains(plain.samples.peekLast());
        if (i % 17 == 0 || i == 299) {
          assertThat(store.history("a")).as("seed %d step %d", seed, i).containsExactlyElementsOf(plain.samples);
          long from = s.epochMillis() - random.nextInt(0, 60_000);
          long to = from + random.nextInt(0, 30_000);
          assertThat(store.range("a", from, to)).containsExactlyElementsOf(plain.range(from, to));
        }
      }
      assertThat(store.size()).isEqualTo(plain.samples.size());
    }
  }

  @Test
  void latenciesKeepElevenSignificantBits() {
    SplittableRandom random = new SplittableRandom(11);
    for (int i = 0; i < 100_000; i++) {
      long nanos = random.nextLong(0, 1L << random.nextInt(1, 62));
      long kept = SampleRing.decodeNanos(SampleRing.encodeNanos(nanos));
      assertThat((double) Math.abs(kept - nanos)).isLessThanOrEqualTo(Math.max(0.5, nanos / 2048.0));
      assertThat(SampleRing.quantizeMillis(SampleRing.quantizeMillis(nanos / 1e6))).isEqualTo(SampleRing.quantizeMillis(nanos / 1e6));
    }
    assertThat(SampleRing.decodeNanos(SampleRing.encodeNanos(2047))).isEqualTo(2047);
    assertThat(SampleRing.decodeNanos(SampleRing.encodeNanos(1_007_615))).isCloseTo(1_007_615, org.assertj.core.data.Offset.offset(500L));
  }
}
