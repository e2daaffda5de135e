package io.riskmodules.breaker;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.module.Configuration;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReference;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The module descriptor exports every public package and no internal one, and the module resolves
 * and runs on a module path beside slf4j-api alone. The other tests run on the class path.
 */
class ModuleDescriptorTest {

  private static final String MODULE = "io.riskmodules.core";

  @Test
  void exportsEveryPackageExceptTheInternalOnes() throws Exception {
    ModuleDescriptor module = descriptor();
    Set<String> exported = module.exports().stream()
        .peek(e -> assertThat(e.isQualified()).as(e + " is exported to everyone").isFalse())
        .map(ModuleDescriptor.Exports::source).collect(Collectors.toSet());
    Set<String> publicPackages = module.packages().stream()
        .filter(p -> !p.endsWith(".internal") && !p.contains(".internal.")).collect(Collectors.toSet());

    assertThat(exported).isEqualTo(publicPackages)
        .contains("io.riskmodules.breaker", "io.riskmodules.failover");
    assertThat(module.packages()).contains("io.riskmodules.breaker.internal");
    assertThat(module.opens()).isEmpty();
    assertThat(module.isOpen()).isFalse();
  }

  @Test
  void resolvesAndRunsOnAModulePathWithSlf4jAlone() throws Exception {
    ModuleFinder finder = ModuleFinder.of(location(CircuitBreaker.class), location(org.slf4j.Logger.class));
    ModuleLayer boot = ModuleLayer.boot();
    Configuration cf = boot.configuration().resolve(finder, ModuleFinder.of(), Set.of(MODULE));
    ModuleLayer layer = boot.defineModulesWithOneLoader(cf, ClassLoader.getPlatformClassLoader());

    Class<?> type = layer.findLoader(MODULE).loadClass(CircuitBreaker.class.getName());
    assertThat(type.getModule().getName()).isEqualTo(MODULE);
    Object breaker = type.getMethod("ofDefaults", String.class).invoke(null, "modular");
    Supplier<String> call = () -> "ok";
    assertThat(type.getMethod("execute", Supplier.class).invoke(breaker, call)).isEqualTo("ok");
    assertThat(type.getMethod("state").invoke(breaker).toString()).isEqualTo("CLOSED");
  }

  private static ModuleDescriptor descriptor() {
    List<ModuleReference> found = List.copyOf(ModuleFinder.of(location(CircuitBreaker.class)).findAll());
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
