package io.riskmodules.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.riskmodules.breaker.CircuitBreaker;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.StringWriter;
import java.lang.reflect.Method;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
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
    String source = quickStartBlock();
    Path file = work.resolve("QuickStart.java");
    Files.writeString(file, source);
    String classpath = location(CircuitBreaker.class) + java.io.File.pathSeparator + location(org.slf4j.Logger.class);

    StringWriter diagnostics = new StringWriter();
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    boolean compiled = javac.getTask(diagnostics, null, null,
        java.util.List.of("-d", work.toString(), "-classpath", classpath, "--release", "17", "-Xlint:all", "-Werror"),
        null, javac.getStandardFileManager(null, null, StandardCharsets.UTF_8).getJavaFileObjects(file)).call();
    assertThat(compiled).as("javac on the README block:\n" + source + "\n" + diagnostics).isTrue();

    URL[] urls = {work.toUri().toURL(), location(CircuitBreaker.class).toUri().toURL(), location(org.slf4j.Logger.class).toUri().toURL()};
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

  private static Path location(Class<?> type) throws URISyntaxException {
    return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
  }

  private static String quickStartBlock() throws IOException {
    String readme = Files.readString(Path.of("..", "README.md"), StandardCharsets.UTF_8);
    int section = readme.indexOf("## Quick start");
    assertThat(section).as("README has a Quick start section").isNotNegative();
    Matcher m = Pattern.compile("```java\\n(.*?)```", Pattern.DOTALL).matcher(readme.substring(section));
    assertThat(m.find()).as("the Quick start section has a java block").isTrue();
    return m.group(1);
  }
}
