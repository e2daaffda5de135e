package io.riskmodules.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile files are refused within a second and with bounded memory: each refusal runs on the
 * test's thread and must take under a second of that thread's CPU time (wall time on this shared
 * box depends on the load of others; a 10 s wall timeout still catches a hang) and allocate under
 * 32 MB; the 50 MB file on disk is refused before any of it is read.
 */
class HostileInputTest {

  private static final Duration SECOND = Duration.ofSeconds(1);

  private static ConfigException refusal(String name, byte[] bytes) {
    try {
      Examples.loader().parse(Map.of(name, bytes));
    } catch (ConfigException e) {
      return e;
    }
    throw new AssertionError("accepted");
  }

  @Test
  void billionLaughs() {
    StringBuilder y = new StringBuilder("a0: &a0 [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n");
    for (int i = 1; i <= 9; i++) {
      y.append("a").append(i).append(": &a").append(i).append(" [");
      for (int j = 0; j < 9; j++) {
        y.append(j == 0 ? "" : ",").append("*a").append(i - 1);
      }
      y.append("]\n");
    }
    y.append("metadata: *a9\n");
    byte[] bytes = y.toString().getBytes(StandardCharsets.UTF_8);
    ConfigException e = assertTimeout(() -> refusal("lol.yaml", bytes));
    assertThat(e.problems()).singleElement().asString()
        .startsWith("lol.yaml:0:0 (file): YAML refused: more than 50 aliases to lists or mappings (an alias bomb?)");
  }

  @Test
  void aliasesBelowTheLimitAreNeverExpanded() {
    // 40 aliases, each doubling: 2^40 nodes if expanded. The binder reads metadata's scalars only.
    StringBuilder y = new StringBuilder("x0: &x0 [a, b]\n");
    for (int i = 1; i <= 40; i++) {
      y.append("x").append(i).append(": &x").append(i).append(" [*x").append(i - 1).append("]\n");
    }
    y.append("metadata: {name: *x40}\nmonitoring: {}\n");
    byte[] bytes = y.toString().getBytes(StandardCharsets.UTF_8);
    ConfigException e = assertTimeout(() -> refusal("deep-alias.yaml", bytes));
    assertThat(e.getMessage()).contains("metadata.name: must be a string, was a list");
  }

  @Test
  void fiftyMegabytes(@TempDir Path dir) throws IOException {
    Path big = dir.resolve("big.yaml");
    try (OutputStream out = Files.newOutputStream(big)) {
      byte[] line = "# padding padding padding padding padding padding padding padding padding\n"
          .getBytes(StandardCharsets.US_ASCII);
      for (long written = 0; written < 50L << 20; written += line.length) {
        out.write(line);
      }
    }
    ConfigException e = assertTimeout(() -> {
      try {
        Examples.loader().load(big);
      } catch (ConfigException ce) {
        return ce;
      }
      throw new AssertionError("accepted");
    });
    assertThat(e.problems()).singleElement().asString()
        .matches(".*big\\.yaml:0:0 \\(file\\): file is 524\\d+ bytes, more than the limit of 1048576 bytes");
    // and from memory, too
    byte[] bytes = new byte[50 << 20];
    java.util.Arrays.fill(bytes, (byte) 'a');
    assertThat(assertTimeout(() -> refusal("big2.yaml", bytes)).getMessage())
        .contains("file is 52428800 bytes, more than the limit of 1048576 bytes");
  }

  @Test
  void tenThousandDeep() {
    String flow = "metadata: " + "[".repeat(10_000) + "]".repeat(10_000) + "\n";
    assertThat(assertTimeout(() -> refusal("deep.yaml", flow.getBytes(StandardCharsets.UTF_8))).getMessage())
        .contains("deep.yaml:0:0 (file): YAML refused: nested deeper than 64 levels");
    String block = "metadata:\n  " + "- ".repeat(10_000) + "x\n"; // block sequences, one inside the other
    byte[] blockBytes = block.getBytes(StandardCharsets.UTF_8);
    ConfigException e = assertTimeout(() -> refusal("deep-block.yaml", blockBytes));
    assertThat(e.getMessage()).contains("nested deeper than 64 levels");
  }

  @Test
  void bytesThatAreNotUtf8() {
    byte[] bytes = "monitoring:\n  metrics_interval_seconds: 1\u00e9\n".getBytes(StandardCharsets.ISO_8859_1);
    assertThat(assertTimeout(() -> refusal("latin1.yaml", bytes)).problems()).singleElement().asString()
        .isEqualTo("latin1.yaml:2:30 (file): not valid UTF-8: byte 0xe9 at offset 41 (config files must be UTF-8)");
    byte[] utf16 = "monitoring: {}\n".getBytes(StandardCharsets.UTF_16);
    assertThat(assertTimeout(() -> refusal("utf16.yaml", utf16)).getMessage()).contains("not valid UTF-8");
  }

  @Test
  void aUtf8ByteOrderMarkIsAccepted() {
    byte[] body = "monitoring: {metrics_interval_seconds: 5}\n".getBytes(StandardCharsets.UTF_8);
    byte[] bytes = new byte[body.length + 3];
    bytes[0] = (byte) 0xef;
    bytes[1] = (byte) 0xbb;
    bytes[2] = (byte) 0xbf;
    System.arraycopy(body, 0, bytes, 3, body.length);
    assertThat(Examples.loader().parse(Map.of("bom.yaml", bytes)).monitoring().metricsInterval()).hasSeconds(5);
  }

  @Test
  void tagsConstructNothing() {
    assertThatThrownBy(() -> Examples.loader().parse("tag.yaml",
        "metadata: {name: !!javax.script.ScriptEngineManager [!!java.net.URLClassLoader [[!!java.net.URL [\"http://127.0.0.1/\"]]]]}\n"))
        .isInstanceOf(ConfigException.class).hasMessageContaining("tag.yaml:1:18 (file): YAML syntax: Global tag is not allowed");
  }

  private static <T> T assertTimeout(org.junit.jupiter.api.function.ThrowingSupplier<T> run) {
    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
    return org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
      long cpu = threads.getCurrentThreadCpuTime();
      long allocated = threads.getCurrentThreadAllocatedBytes();
      T result = run.get();
      assertThat(Duration.ofNanos(threads.getCurrentThreadCpuTime() - cpu)).isLessThan(SECOND);
      assertThat(threads.getCurrentThreadAllocatedBytes() - allocated).isLessThan(32L << 20);
      return result;
    });
  }
}
