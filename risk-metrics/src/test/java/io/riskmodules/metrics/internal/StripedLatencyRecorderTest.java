package io.riskmodules.metrics.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

class StripedLatencyRecorderTest {

  @Test
  void aQuietIntervalIsRecordedExactly() {
    StripedLatencyRecorder recorder = new StripedLatencyRecorder();
    for (int i = 1; i <= 200; i++) {
      recorder.record(i * 1_000_000L);
    }
    Histogram h = recorder.interval();
    assertThat(h.getTotalCount()).isEqualTo(200);
    assertThat(h.getValueAtPercentile(50) / 1e6).isCloseTo(100, within(1.0));
  }

  @Test
  void aBusyIntervalIsSampledWithWeightsSoPercentilesStayUnbiased() {
    StripedLatencyRecorder recorder = new StripedLatencyRecorder();
    for (int i = 1; i <= 100_000; i++) {
      recorder.record((1 + i % 1000) * 1_000L);
    }
    Histogram h = recorder.interval();
    assertThat((double) h.getTotalCount()).isCloseTo(100_000, within(200.0));
    assertThat(h.getValueAtPercentile(50) / 1_000.0).isCloseTo(500, within(25.0));
    assertThat(h.getValueAtPercentile(99) / 1_000.0).isCloseTo(990, within(25.0));
  }

  @Test
  void eachIntervalStartsExactAgain() {
    StripedLatencyRecorder recorder = new StripedLatencyRecorder();
    for (int i = 0; i < 10_000; i++) {
      recorder.record(1_000);
    }
    recorder.interval();
    for (int i = 0; i < 100; i++) {
      recorder.record(2_000);
    }
    assertThat(recorder.interval().getTotalCount()).isEqualTo(100);
  }
}
