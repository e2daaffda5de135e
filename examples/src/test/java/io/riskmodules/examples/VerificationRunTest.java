package io.riskmodules.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class VerificationRunTest {
  @Test
  void everyStepPasses() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    int failed = new VerificationRun(new PrintStream(bytes, true, StandardCharsets.UTF_8)).run();
    String output = bytes.toString(StandardCharsets.UTF_8);
    assertThat(failed).as(output).isZero();
    assertThat(output).contains("[PASS] 5 consecutive failures trip it OPEN").doesNotContain("[FAIL]");
  }
}
