package io.riskmodules.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MeterRegistry;
import io.riskmodules.breaker.CircuitBreaker;
import io.riskmodules.metrics.micrometer.RiskModulesMeterBinder;
import java.lang.module.Configuration;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReference;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The module descriptor exports every package (the module has no internal one), and the module
 * resolves and runs on a module path beside its real dependencies alone: risk-core, slf4j-api and
 * micrometer-core with the jars micrometer-core needs at run time.
 */
class ModuleDescriptorTest {

  private static final String MODULE = "io.riskmodules.metrics";

  @Test
  void exportsEveryPackageToEveryone() {
    ModuleDescriptor module = descriptor();
    Set<String> exported = module.exports().stream()
        .peek(e -> assertThat(e.isQualified()).as(e + " is exported to everyone").isFalse())
        .map(ModuleDescriptor.Exports::source).collect(Collectors.toSet());

    assertThat(exported).isEqualTo(module.packages())
        .containsExactlyInAnyOrder("io.riskmodules.metrics", "io.riskmodules.metrics.micrometer", "io.riskmodules.risk");
    assertThat(module.opens()).isEmpty();
    assertThat(module.isOpen()).isFalse();
  }

  @Test
  void passesRiskCoreAndMicrometerOnToItsReaders() {
    Set<String> transitive = descriptor().requires().stream()
        .filter(r -> r.modifiers().contains(ModuleDescriptor.Requires.Modifier.TRANSITIVE))
        .map(ModuleDescriptor.Requires::name).collect(Collectors.toSet());

    // their types are in this module's API: a reader of io.riskmodules.metrics needs no requires of its own
    assertThat(transitive).containsExactlyInAnyOrder("io.riskmodules.core", "micrometer.core");
  }

  @Test
  void resolvesAndBindsMetersOnAModulePathWithItsDependenciesAlone() throws Exception {
    ModuleLayer layer = layer(MODULE, MetricsCollector.class, CircuitBreaker.class, org.slf4j.Logger.class,
        MeterRegistry.class, io.micrometer.common.KeyValue.class, io.micrometer.observation.Observation.class,
        org.HdrHistogram.Histogram.class);
    ClassLoader loader = layer.findLoader(MODULE);

    Class<?> binderType = loader.loadClass(RiskModulesMeterBinder.class.getName());
    assertThat(binderType.getModule().getName()).isEqualTo(MODULE);
    Class<?> registryType = loader.loadClass("io.riskmodules.breaker.CircuitBreakerRegistry");
    Object breakers = registryType.getMethod("ofDefaults").invoke(null);
    Class<?> meterRegistryType = loader.loadClass(MeterRegistry.class.getName());
    Object meters = loader.loadClass("io.micrometer.core.instrument.simple.SimpleMeterRegistry")
        .getConstructor().newInstance();

    Object binder = binderType.getConstructor(registryType).newInstance(breakers);
    binderType.getMethod("bindTo", meterRegistryType).invoke(binder, meters);
    registryType.getMethod("breaker", String.class).invoke(breakers, "modular");

    Collection<?> bound = (Collection<?>) meterRegistryType.getMethod("getMeters").invoke(meters);
    assertThat(bound).isNotEmpty();
    assertThat(bound.iterator().next().getClass().getModule().getName()).isEqualTo("micrometer.core");
  }

  /** The module graph of {@code root}, resolved from the jars (or class folders) holding these classes only. */
  static ModuleLayer layer(String root, Class<?>... fromEachJar) {
    ModuleFinder finder = ModuleFinder.of(
        java.util.Arrays.stream(fromEachJar).map(ModuleDescriptorTest::location).toArray(Path[]::new));
    ModuleLayer boot = ModuleLayer.boot();
    Configuration cf = boot.configuration().resolve(finder, ModuleFinder.of(), Set.of(root));
    return boot.defineModulesWithOneLoader(cf, ClassLoader.getPlatformClassLoader());
  }

  private static ModuleDescriptor descriptor() {
    List<ModuleReference> found = List.copyOf(ModuleFinder.of(location(MetricsCollector.class)).findAll());
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
