package io.riskmodules.testing;

import io.riskmodules.RiskModules;
import io.riskmodules.breaker.CircuitBreakerRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.AnnotatedElement;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives each test its own {@link ManualClock}, {@link CircuitBreakerRegistry} on that clock, {@link
 * RecordingAlertSink}, fresh {@link SimulatedService}s (named after their parameter when compiled with
 * {@code -parameters}, answering {@code "ok"}) and, when a {@link RiskModulesConfig} names
 * YAML files, a {@link RiskModules} loaded from them on that clock with the sink attached; and
 * closes them after the test.
 *
 * <pre>{@code
 * @ExtendWith(RiskModulesExtension.class)
 * @RiskModulesConfig("risk/circuit_breaker_config.yaml")
 * class CheckoutTest {
 *   @Test
 *   void paymentsOpenAndAlert(RiskModules risk, ManualClock clock, RecordingAlertSink alerts,
 *       SimulatedService<String> payments) {
 *     payments.failAlways();
 *     for (int i = 0; i < 3; i++) risk.breaker("payment_service").execute(payments, cause -> "later");
 *     clock.advance(Duration.ofSeconds(10));                 // group wait: the alert goes out
 *     assertThat(alerts).hasFiring("breaker_open:payment_service");
 *   }
 * }
 * }</pre>
 *
 * <p>What the runtime does in the background runs on the manual clock: metrics sampling, health
 * checks, and the alert manager's evaluation (every second of clock time); breaker listeners run
 * on the calling thread. So {@code clock.advance(...)} is what makes time-driven things happen;
 * only the alert sinks' delivery is asynchronous (the sink's assertions wait for it).
 *
 * <p>Everything belongs to one test: nothing is static or shared, so tests may run in parallel
 * ({@code junit.jupiter.execution.parallel.enabled}). Objects resolved for a {@code @BeforeAll}
 * method belong to the class and are closed after all its tests.
 */
public final class RiskModulesExtension implements ParameterResolver, AfterEachCallback, AfterAllCallback {

  private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(RiskModulesExtension.class);

  /** Clock time between two evaluations of the alert manager. */
  static final long EVALUATION_PERIOD_MILLIS = 1_000;

  /** Made by JUnit for {@code @ExtendWith(RiskModulesExtension.class)}; holds nothing itself. */
  public RiskModulesExtension() {}

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    Class<?> type = parameter.getParameter().getType();
    return type == ManualClock.class || type == CircuitBreakerRegistry.class || type == RecordingAlertSink.class
        || type == RiskModules.class || type == SimulatedService.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    Fixture fixture = fixture(context);
    Class<?> type = parameter.getParameter().getType();
    if (type == ManualClock.class) {
      return fixture.clock;
    }
    if (type == RecordingAlertSink.class) {
      return fixture.sink;
    }
    if (type == SimulatedService.class) {
      java.lang.reflect.Parameter p = parameter.getParameter();
      return SimulatedService.named(p.isNamePresent() ? p.getName() : "simulated", "ok", fixture.clock);
    }
    if (type == RiskModules.class) {
      return fixture.risk().orElseThrow(() -> new ParameterResolutionException(
          "a RiskModules parameter needs @RiskModulesConfig on the test method or class, naming its YAML files"));
    }
    return fixture.registry();
  }

  @Override
  public void afterEach(ExtensionContext context) {
    close(context);
  }

  @Override
  public void afterAll(ExtensionContext context) {
    close(context);
  }

  private static void close(ExtensionContext context) {
    Fixture fixture = context.getStore(NAMESPACE).remove(Fixture.class, Fixture.class);
    if (fixture != null) {
      fixture.close();
    }
  }

  private static Fixture fixture(ExtensionContext context) {
    return context.getStore(NAMESPACE).getOrComputeIfAbsent(Fixture.class, k -> new Fixture(context), Fixture.class);
  }

  /** The annotation that applies: the method's, else the class's (or an enclosing class's). */
  private static Optional<RiskModulesConfig> config(ExtensionContext context) {
    Optional<RiskModulesConfig> onMethod = context.getTestMethod().map(m -> m.getAnnotation(RiskModulesConfig.class));
    if (onMethod.isPresent()) {
      return onMethod;
    }
    for (Class<?> c = context.getTestClass().orElse(null); c != null; c = c.getEnclosingClass()) {
      RiskModulesConfig onClass = ((AnnotatedElement) c).getAnnotation(RiskModulesConfig.class);
      if (onClass != null) {
        return Optional.of(onClass);
      }
    }
    return Optional.empty();
  }

  /** One test's objects; made on first use, closed after the test. */
  private static final class Fixture {
    final ManualClock clock = new ManualClock();
    final RecordingAlertSink sink = new RecordingAlertSink();
    private final ExtensionContext context;
    private CircuitBreakerRegistry registry;
    private RiskModules risk;
    private Path copies;
    private boolean riskResolved;

    Fixture(ExtensionContext context) {
      this.context = context;
    }

    synchronized CircuitBreakerRegistry registry() {
      Optional<RiskModules> r = risk();
      if (r.isPresent()) {
        return r.get().registry();
      }
      if (registry == null) {
        registry = CircuitBreakerRegistry.builder().ticker(clock).clock(clock).eventExecutor(Runnable::run).build();
      }
      return registry;
    }

    synchronized Optional<RiskModules> risk() {
      if (!riskResolved) {
        riskResolved = true;
        Optional<RiskModulesConfig> annotation = config(context);
        if (annotation.isPresent()) {
          risk = load(annotation.get());
        }
      }
      return Optional.ofNullable(risk);
    }

    private RiskModules load(RiskModulesConfig annotation) {
      List<Path> files = new ArrayList<>();
      Class<?> testClass = context.getRequiredTestClass();
      try {
        for (String resource : annotation.value()) {
          String name = resource.startsWith("/") ? resource.substring(1) : resource;
          URL url = testClass.getClassLoader().getResource(name);
          if (url == null) {
            throw new ExtensionConfigurationException("@RiskModulesConfig names resource '" + resource
                + "', which is not on the test class path (put it under src/test/resources)");
          }
          files.add(copy(name, url));
        }
        for (String file : annotation.files()) {
          Path p = Path.of(file);
          if (!Files.isRegularFile(p)) {
            throw new ExtensionConfigurationException("@RiskModulesConfig names file '" + file
                + "', which does not exist relative to " + Path.of("").toAbsolutePath());
          }
          files.add(annotation.alertChannels() ? p : copy(p.getFileName().toString(), p.toUri().toURL()));
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      if (files.isEmpty()) {
        throw new ExtensionConfigurationException("@RiskModulesConfig names no file: give value() or files()");
      }
      Map<String, String> env = new HashMap<>();
      for (String pair : annotation.env()) {
        int eq = pair.indexOf('=');
        if (eq <= 0) {
          throw new ExtensionConfigurationException("@RiskModulesConfig env entries are NAME=value, was '"
              + pair.substring(0, Math.max(0, Math.min(eq, pair.length()))) + "...'"); // never echo a value
        }
        env.put(pair.substring(0, eq), pair.substring(eq + 1));
      }
      RiskModules loaded = RiskModules.builder()
          .files(files.toArray(Path[]::new))
          .clock(clock).ticker(clock).scheduler(clock.scheduler()).eventExecutor(Runnable::run)
          .environment(env)
          .startHealthChecks(annotation.healthChecks())
          .alertSink(sink)
          .build();
      // Events raised since the last advance are taken in at the time they were raised, then the
      // manager evaluates every second of clock time: group waits and repeats fall due exactly.
      clock.beforeEachAdvance(() -> loaded.alertManager().evaluate());
      clock.scheduler().scheduleAtFixedRate(() -> loaded.alertManager().evaluate(),
          EVALUATION_PERIOD_MILLIS, EVALUATION_PERIOD_MILLIS, TimeUnit.MILLISECONDS);
      return loaded;
    }

    /**
     * The resource as a file the runtime can read: a copy in a directory of this test, without
     * alert channels unless the annotation keeps them.
     */
    private Path copy(String name, URL url) throws IOException {
      RiskModulesConfig annotation = config(context).orElseThrow();
      if (annotation.alertChannels() && "file".equals(url.getProtocol())) {
        try {
          return Path.of(url.toURI());
        } catch (java.net.URISyntaxException e) {
          throw new IOException(e);
        }
      }
      if (copies == null) {
        copies = Files.createTempDirectory("risk-modules-test-");
      }
      String text;
      try (InputStream in = url.openStream()) {
        text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      }
      Path target = copies.resolve(name.replace('/', '_'));
      Files.writeString(target, annotation.alertChannels() ? text : YamlChannels.disable(text));
      return target;
    }

    synchronized void close() {
      try {
        if (risk != null) {
          risk.close();
        }
      } finally {
        clock.scheduler().shutdownNow();
        deleteCopies();
      }
    }

    private void deleteCopies() {
      if (copies == null) {
        return;
      }
      try (var files = Files.list(copies)) {
        for (Path p : (Iterable<Path>) files::iterator) {
          Files.deleteIfExists(p);
        }
        Files.deleteIfExists(copies);
      } catch (IOException e) {
        // a temp directory left behind is harmless
      }
    }
  }
}
