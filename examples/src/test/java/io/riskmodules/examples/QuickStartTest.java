package io.riskmodules.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.riskmodules.breaker.CircuitBreaker;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Compiles the README's quick start as a user pastes it, into {@code QuickStart.java} with nothing
 * added, against risk-core and slf4j-api alone (what a project that depends on risk-core has), and
 * runs it in a class loader that sees nothing else.
 */
class QuickStartTest {

  @TempDir
  Path work;

  @Test
  void theReadmeQuickStartCompilesAsPastedAndRuns() throws Exception {
    String source = ReadmeJava.block("## Quick start");
    Path core = ReadmeJava.location(CircuitBreaker.class);
    Path slf4j = ReadmeJava.location(org.slf4j.Logger.class);
    ReadmeJava.compile(work, source, List.of(core, slf4j));

    URL[] urls = {work.toUri().toURL(), core.toUri().toURL(), slf4j.toUri().toURL()};
    String out;
    try (URLClassLoader loader = new URLClassLoader(urls, ClassLoader.getPlatformClassLoader())) {
      Method main = loader.loadClass("QuickStart").getMethod("main", String[].class);
      out = runCapturingOut(main);
    }
    assertThat(out).contains("receipt for order-42, receipt for order-42")
        .contains("name=payment_service", "state=CLOSED", "successfulCalls=2", "failureThreshold=3", "successThreshold=5");
  }

  private static String runCapturingOut(Method main) throws Exception {
    PrintStream original = System.out;
    ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    System.setOut(new PrintStream(buffer, true, StandardCharsets.UTF_8));
    try {
      main.invoke(null, (Object) new String[0]);
    } finally {
      System.setOut(original);
    }
    return buffer.toString(StandardCharsets.UTF_8);
  }
}
