package io.riskmodules.breaker;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * No {@code synchronized} method or block in the breaker's classes: on JDK 21 to 23 a virtual
 * thread that blocks while holding a monitor pins its carrier. JDK 24+ no longer pins there, so the
 * JFR test alone cannot show it; this reads the bytecode with {@code javap}.
 */
class NoMonitorOnCallPathTest {

  @Test
  void breakerClassesHoldNoMonitor() throws Exception {
    Path classes = Path.of(CircuitBreaker.class.getProtectionDomain().getCodeSource().getLocation().toURI())
        .resolve("io/riskmodules/breaker");
    List<String> files;
    try (Stream<Path> walk = Files.walk(classes, 2)) {
      files = walk.filter(p -> p.toString().endsWith(".class")).map(Path::toString).collect(Collectors.toList());
    }
    assertThat(files).hasSizeGreaterThan(20);
    String bytecode = javap(files);
    assertThat(bytecode).contains("invokevirtual").doesNotContain("monitorenter");
    assertThat(bytecode.lines().filter(l -> l.contains(" synchronized ")).collect(Collectors.toList())).isEmpty();
  }

  private static String javap(List<String> files) throws IOException, InterruptedException, URISyntaxException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "javap").toString());
    command.add("-c");
    command.add("-p");
    command.addAll(files);
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor()).as(out).isZero();
    return out;
  }
}
