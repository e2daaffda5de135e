package io.riskmodules.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.riskmodules.RiskModules;
import io.riskmodules.alerts.AlertManager;
import io.riskmodules.breaker.CircuitBreaker;
import io.riskmodules.metrics.MetricsCollector;
import java.lang.module.Configuration;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReference;
import java.lang.reflect.InvocationTargetException;
import java.net.URL;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The module descriptor exports its one package and passes on every module its API uses, and the
 * module resolves and runs on a module path beside its real dependencies alone: its assertions
 * pass and fail on a breaker there, and JUnit can make its extension. The other tests run on the
 * class path.
 */
class ModuleDescriptorTest {

  private static final String MODULE = "io.riskmodules.testing";

  @Test
  void exportsItsOnePackageToEveryone() {
    ModuleDescriptor module = descriptor();

    assertThat(module.exports()).singleElement().satisfies(e -> {
      assertThat(e.source()).isEqualTo("io.riskmodules.testing");
      assertThat(e.isQualified()).isFalse();
    });
    assertThat(module.packages()).containsExactly("io.riskmodules.testing");
    assertThat(module.opens()).isEmpty();
    assertThat(module.isOpen()).isFalse();
  }

  @Test
  void passesOnEveryModuleWhoseTypesItsApiUses() {
    Set<String> transitive = descriptor().requires().stream()
        .filter(r -> r.modifiers().contains(ModuleDescriptor.Requires.Modifier.TRANSITIVE))
        .map(ModuleDescriptor.Requires::name).collect(Collectors.toSet());

    // a modular test class needs this one requires line for everything it touches
    assertThat(transitive).containsExactlyInAnyOrder("io.riskmodules.core", "io.riskmodules.metrics",
        "io.riskmodules.alerts", "io.riskmodules.config", "org.junit.jupiter.api", "org.assertj.core");
  }

  @Test
  void assertsOnABreakerOnAModulePathWithItsDependenciesAlone() throws Exception {
    ModuleLayer layer = layer();
    ClassLoader loader = layer.findLoader(MODULE);
    Class<?> assertions = loader.loadClass(RiskAssertions.class.getName());
    assertThat(assertions.getModule().getName()).isEqualTo(MODULE);
    Class<?> breakerType = loader.loadClass(CircuitBreaker.class.getName());
    Class<?> breakerAssert = loader.loadClass(AbstractBreakerAssert.class.getName());

    Object breaker = breakerType.getMethod("ofDefaults", String.class).invoke(null, "modular");
    breakerAssert.getMethod("isClosed").invoke(assertions.getMethod("assertThat", breakerType).invoke(null, breaker));
    breakerType.getMethod("trip").invoke(breaker);
    Throwable failed = catchThrowable(() ->
        breakerAssert.getMethod("isClosed").invoke(assertions.getMethod("assertThat", breakerType).invoke(null, breaker)));

    assertThat(failed).isInstanceOf(InvocationTargetException.class);
    assertThat(failed.getCause()).isInstanceOf(AssertionError.class).hasMessageContaining("modular");
    Object extension = loader.loadClass(RiskModulesExtension.class.getName()).getConstructor().newInstance();
    assertThat(extension.getClass().getInterfaces()).extracting(Class::getName)
        .contains("org.junit.jupiter.api.extension.ParameterResolver");
  }

  /** risk-tests and the jars it needs at run time, resolved with service binding, in a layer of their own. */
  private static ModuleLayer layer() throws Exception {
    List<Path> paths = new ArrayList<>(List.of(location(RiskAssertions.class), location(RiskModules.class),
        location(AlertManager.class), location(MetricsCollector.class), location(CircuitBreaker.class)));
    for (String jar : List.of("junit-jupiter-api-", "junit-platform-commons-", "opentest4j-", "assertj-core-",
        "slf4j-api-", "snakeyaml-", "micrometer-core-", "micrometer-commons-", "micrometer-observation-",
        "HdrHistogram-", "jackson-databind-", "jackson-core-", "jackson-annotations-", "jakarta.mail-api-",
        "jakarta.activation-api-", "angus-mail-", "angus-activation-")) {
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
    List<ModuleReference> found = List.copyOf(ModuleFinder.of(location(RiskAssertions.class)).findAll());
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
