package io.riskmodules.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.riskmodules.breaker.CircuitBreakerStatus;
import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Compiles the README's quick start exactly as written and runs it. */
class QuickStartTest {

  @TempDir
  Path work;

  @Test
  void theReadmeQuickStartCompilesAndRuns() throws Exception {
    String block = quickStartBlock();
    List<String> lines = block.lines().collect(Collectors.toList());
    String imports = lines.stream().filter(l -> l.startsWith("import ")).collect(Collectors.joining("\n"));
    String body = lines.stream().filter(l -> !l.startsWith("import ")).collect(Collectors.joining("\n"));
    String source = imports + "\n"
        + "import java.time.Duration;\n"
        + "public class QuickStart {\n"
        + "  interface Client { String charge(String order); }\n"
        + "  static final Client client = order -> \"receipt for \" + order;\n"
        + "  static final String order = \"order-42\";\n"
        + "  static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(\"quickstart\");\n"
        + "  public static Object run() {\n" + body + "\n    return payments.status();\n  }\n}\n";
    Path file = work.resolve("QuickStart.java");
    Files.writeString(file, source);

    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    int exit = javac.run(null, null, null, "-d", work.toString(),
        "-classpath", System.getProperty("java.class.path"), file.toString());
    assertThat(exit).as("javac on:\n" + source).isZero();

    try (URLClassLoader loader = new URLClassLoader(new URL[] {work.toUri().toURL()}, getClass().getClassLoader())) {
      Object status = loader.loadClass("QuickStart").getMethod("run").invoke(null);
      CircuitBreakerStatus s = (CircuitBreakerStatus) status;
      assertThat(s.name()).isEqualTo("payment_service");
      assertThat(s.successfulCalls()).isEqualTo(2);
      assertThat(s.config().failureThreshold()).isEqualTo(3);
    }
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
