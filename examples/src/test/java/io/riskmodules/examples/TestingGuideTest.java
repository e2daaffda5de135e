package io.riskmodules.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.io.File;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

/**
 * Compiles the example test of the README's "Testing your service with Risk Modules" as a user
 * pastes it, with the RFC's files as its test resources, and runs it with JUnit: it must pass.
 */
class TestingGuideTest {

  @TempDir
  Path work;

  @Test
  void theReadmeExampleTestCompilesAsPastedAndPasses() throws Exception {
    String source = ReadmeJava.block("## Testing your service with Risk Modules");
    List<Path> classpath = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
        .map(Path::of).filter(Files::exists).toList();
    ReadmeJava.compile(work, source, classpath);
    Path resources = Files.createDirectories(work.resolve("risk"));
    for (String file : List.of("circuit_breaker_config.yaml", "alert_config.yaml")) {
      Files.copy(Path.of("config", file), resources.resolve(file));
    }

    TestExecutionSummary summary;
    try (URLClassLoader loader = new URLClassLoader(new URL[] {work.toUri().toURL()}, getClass().getClassLoader())) {
      Class<?> test = loader.loadClass(ReadmeJava.className(source));
      LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request().selectors(selectClass(test)).build();
      SummaryGeneratingListener listener = new SummaryGeneratingListener();
      LauncherFactory.create().execute(request, listener);
      summary = listener.getSummary();
    }

    assertThat(summary.getFailures()).as(() -> summary.getFailures().stream()
        .map(f -> f.getException().toString()).toList().toString()).isEmpty();
    assertThat(summary.getTestsSucceededCount()).isEqualTo(1);
  }
}
