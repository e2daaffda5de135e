package io.riskmodules.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.riskmodules.RiskModules;
import io.riskmodules.alerts.AlertManager;
import io.riskmodules.breaker.CircuitBreaker;
import io.riskmodules.metrics.MetricsCollector;
import java.lang.module.Configuration;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReference;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The module descriptor exports {@code io.riskmodules} and {@code io.riskmodules.config}, not the
 * internal package, and the module resolves on a module path beside its real dependencies alone,
 * where it loads a YAML file into a running breaker (exception types named by the file included)
 * and reports a bad file with its line. The other tests run on the class path.
 */
class ModuleDescriptorTest {

  private static final String MODULE = "io.riskmodules.config";

  @TempDir
  Path dir;

  @Test
  void exportsEveryPackageExceptTheInternalOne() {
    ModuleDescriptor module = descriptor();
    Set<String> exported = module.exports().stream()
        .peek(e -> assertThat(e.isQualified()).as(e + " is exported to everyone").isFalse())
        .map(ModuleDescriptor.Exports::source).collect(Collectors.toSet());
    Set<String> publicPackages = module.packages().stream()
        .filter(p -> !p.endsWith(".internal") && !p.contains(".internal.")).collect(Collectors.toSet());

    assertThat(exported).isEqualTo(publicPackages).containsExactlyInAnyOrder("io.riskmodules", "io.riskmodules.config");
    assertThat(module.packages()).contains("io.riskmodules.config.internal");
    assertThat(module.opens()).isEmpty();
    assertThat(module.isOpen()).isFalse();
  }

  @Test
  void passesOnEveryModuleWhoseTypesItsApiUses() {
    Set<String> transitive = descriptor().requires().stream()
        .filter(r -> r.modifiers().contains(ModuleDescriptor.Requires.Modifier.TRANSITIVE))
        .map(ModuleDescriptor.Requires::name).collect(Collectors.toSet());

    // SnakeYAML and slf4j stay inside
    assertThat(transitive).containsExactlyInAnyOrder("io.riskmodules.core", "io.riskmodules.metrics",
        "io.riskmodules.alerts", "micrometer.core", "java.net.http");
  }

  @Test
  void loadsAFileIntoARunningBreakerOnAModulePathWithItsDependenciesAlone() throws Exception {
    Path good = Files.writeString(dir.resolve("breakers.yaml"), """
        circuit_breaker:
          default:
            record_exceptions: [java.io.UncheckedIOException]
          services:
            payment_service:
              failure_threshold: 3
        """);
    Path bad = Files.writeString(dir.resolve("bad.yaml"), """
        circuit_breaker:
          default:
            failure_treshold: 3
        """);
    ModuleLayer layer = layer();
    ClassLoader loader = layer.findLoader(MODULE);
    Class<?> facade = loader.loadClass(RiskModules.class.getName());
    assertThat(facade.getModule().getName()).isEqualTo(MODULE);
    Class<?> breakerType = loader.loadClass(CircuitBreaker.class.getName());
    Class<?> configType = loader.loadClass("io.riskmodules.breaker.CircuitBreakerConfig");

    Object risk = build(facade, good);
    try {
      Object breaker = call(risk, facade, "breaker", "payment_service");
      Supplier<String> ok = () -> "ok";
      assertThat(call(breaker, breakerType, "execute", ok)).isEqualTo("ok");
      assertThat(call(breaker, breakerType, "state")).hasToString("CLOSED");
      Object config = call(breaker, breakerType, "config");
      assertThat(call(config, configType, "failureThreshold")).isEqualTo(3);
      assertThat(call(config, configType, "recordExceptions")).isEqualTo(List.of(java.io.UncheckedIOException.class));
    } finally {
      call(risk, facade, "close");
    }

    assertThat(catchCause(() -> build(facade, bad)))
        .satisfies(e -> assertThat(e.getClass().getName()).isEqualTo(ConfigException.class.getName()))
        .satisfies(e -> assertThat(e.getClass().getModule()).isEqualTo(layer.findModule(MODULE).orElseThrow()))
        .hasMessageContaining("bad.yaml:3:5", "failure_treshold");
  }

  private static Object build(Class<?> facade, Path file) throws Exception {
    Class<?> builderType = facade.getClassLoader().loadClass(RiskModules.Builder.class.getName());
    Object builder = call(null, facade, "builder");
    call(builder, builderType, "files", (Object) new Path[] {file});
    call(builder, builderType, "startBackgroundTasks", false);
    call(builder, builderType, "startHealthChecks", false);
    return call(builder, builderType, "build");
  }

  private interface Action {
    void run() throws Exception;
  }

  private static Throwable catchCause(Action action) throws Exception {
    try {
      action.run();
    } catch (InvocationTargetException e) {
      return e.getCause();
    }
    throw new AssertionError("no exception");
  }

  /** The public method {@code name} of {@code type} taking {@code args.length} arguments, called on {@code target}. */
  private static Object call(Object target, Class<?> type, String name, Object... args) throws Exception {
    Method method = Arrays.stream(type.getMethods())
        .filter(m -> m.getName().equals(name) && m.getParameterCount() == args.length)
        .reduce((a, b) -> { throw new IllegalArgumentException("more than one " + name); }).orElseThrow();
    return method.invoke(target, args);
  }

  /** risk-config and the jars it needs at run time, in a layer of their own. */
  private static ModuleLayer layer() throws Exception {
    List<Path> paths = new ArrayList<>(List.of(location(RiskModules.class), location(AlertManager.class),
        location(MetricsCollector.class), location(CircuitBreaker.class)));
    for (String jar : List.of("slf4j-api-", "snakeyaml-", "micrometer-core-", "micrometer-commons-",
        "micrometer-observation-", "HdrHistogram-", "jackson-databind-", "jackson-core-", "jackson-annotations-",
        "jakarta.mail-api-", "jakarta.activation-api-", "angus-mail-", "angus-activation-")) {
      paths.add(jar(jar));
    }
    ModuleFinder finder = ModuleFinder.of(paths.toArray(Path[]::new));
    ModuleLayer boot = ModuleLayer.boot();
    Configuration cf = boot.configuration().resolveAndBind(finder, ModuleFinder.of(), Set.of(MODULE));
    return boot.defineModulesWithOneLoader(cf, ClassLoader.getPlatformClassLoader());
  }

  private static Path jar(String namePrefix) throws Exception {
    for (URL url : Collections.list(ModuleDescriptorTest.class.getClassLoader().getResources("META-INF/MANIFEST.MF"))) {
      String s = url.toString();
      if (s.startsWith("jar:file:") && s.contains("/" + namePrefix)) {
        Path file = Path.of(new java.net.URI(s.substring("jar:".length(), s.indexOf("!/"))));
        if (file.getFileName().toString().startsWith(namePrefix)) {
          return file;
        }
      }
    }
    throw new AssertionError("no " + namePrefix + "*.jar on the test class path");
  }

  private static ModuleDescriptor descriptor() {
    List<ModuleReference> found = List.copyOf(ModuleFinder.of(location(RiskModules.class)).findAll());
    assertThat(found).hasSize(1);
    ModuleDescriptor module = found.get(0).descriptor();
    assertThat(module.name()).isEqualTo(MODULE);
    assertThat(module.isAutomatic()).as("compiled from module-info.java").isFalse();
    return module;
  }

  private static Path location(Class<?> type) {
    try {
      return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (java.net.URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }
}
