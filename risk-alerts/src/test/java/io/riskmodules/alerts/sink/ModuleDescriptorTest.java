package io.riskmodules.alerts.sink;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetup;
import io.riskmodules.alerts.AlertManager;
import io.riskmodules.breaker.CircuitBreaker;
import io.riskmodules.metrics.MetricsCollector;
import io.riskmodules.alerts.sink.ScriptedHttpServer.Answer;
import java.lang.module.Configuration;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReference;
import java.lang.reflect.Method;
import java.net.URL;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The module descriptor exports the two public packages and not the internal one, and the module
 * resolves and delivers on a module path beside its real dependencies alone: a webhook (Jackson's
 * tree model, java.net.http) and an e-mail (jakarta.mail finding Angus Mail's SMTP transport
 * through its service loader) reach servers on 127.0.0.1. The other tests run on the class path.
 */
class ModuleDescriptorTest {

  private static final String MODULE = "io.riskmodules.alerts";

  @RegisterExtension
  static final GreenMailExtension smtp = new GreenMailExtension(
      new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP).dynamicPort());

  @Test
  void exportsEveryPackageExceptTheInternalOne() {
    ModuleDescriptor module = descriptor();
    Set<String> exported = module.exports().stream()
        .peek(e -> assertThat(e.isQualified()).as(e + " is exported to everyone").isFalse())
        .map(ModuleDescriptor.Exports::source).collect(Collectors.toSet());
    Set<String> publicPackages = module.packages().stream()
        .filter(p -> !p.endsWith(".internal") && !p.contains(".internal.")).collect(Collectors.toSet());

    assertThat(exported).isEqualTo(publicPackages)
        .containsExactlyInAnyOrder("io.riskmodules.alerts", "io.riskmodules.alerts.sink");
    assertThat(module.packages()).contains("io.riskmodules.alerts.internal");
    assertThat(module.opens()).isEmpty();
    assertThat(module.isOpen()).isFalse();
  }

  @Test
  void passesCoreMetricsAndMicrometerOnToItsReaders() {
    Set<String> transitive = descriptor().requires().stream()
        .filter(r -> r.modifiers().contains(ModuleDescriptor.Requires.Modifier.TRANSITIVE))
        .map(ModuleDescriptor.Requires::name).collect(Collectors.toSet());

    // their types are in this module's API; Jackson, jakarta.mail and java.net.http are not
    assertThat(transitive).containsExactlyInAnyOrder("io.riskmodules.core", "io.riskmodules.metrics", "micrometer.core");
  }

  @Test
  void deliversAWebhookAndAnEmailOnAModulePathWithItsDependenciesAlone() throws Exception {
    ModuleLayer layer = layer();
    ClassLoader loader = layer.findLoader(MODULE);
    Class<?> managerType = loader.loadClass(AlertManager.class.getName());
    assertThat(managerType.getModule().getName()).isEqualTo(MODULE);
    assertThat(layer.findModule("org.eclipse.angus.mail")).as("bound as jakarta.mail's provider").isPresent();

    // jakarta.mail and jakarta.activation look up providers with the context class loader too; in a
    // modular application that loader sees the boot layer's modules, here it must see the test's layer
    // (the class path's loader would find Angus Mail's classes a second time, not as the layer's subtypes).
    Thread thread = Thread.currentThread();
    ClassLoader context = thread.getContextClassLoader();
    thread.setContextClassLoader(loader);
    try (ScriptedHttpServer hook = new ScriptedHttpServer(Answer.of(200, "ok"))) {
      Object webhook = call(call(call(null, loader.loadClass(WebhookSink.class.getName()), "builder"),
          "url", hook.url("/hook")), "build");
      Object email = call(call(call(call(call(call(call(null, loader.loadClass(EmailSink.class.getName()), "builder"),
          "host", "127.0.0.1"), "port", smtp.getSmtp().getPort()), "startTls", false),
          "from", "risk@example.com"), "recipient", "oncall@company.com"), "build");

      Object notification = notification(loader);
      call(webhook, "deliver", notification);
      call(email, "deliver", notification);

      assertThat(hook.received()).singleElement().satisfies(r -> assertThat(r.body())
          .contains("\"alertname\":\"CircuitBreakerOpen\"", "\"source\":\"payment_service\""));
      assertThat(smtp.getReceivedMessages()).singleElement()
          .satisfies(m -> assertThat(m.getSubject()).contains("payment_service"));
    } finally {
      thread.setContextClassLoader(context);
    }
  }

  /** A notification of one firing alert, made of the layer's classes. */
  private static Object notification(ClassLoader loader) throws Exception {
    Class<?> alertType = loader.loadClass("io.riskmodules.alerts.Alert");
    Class<?> kindType = loader.loadClass("io.riskmodules.alerts.AlertKind");
    Class<?> severityType = loader.loadClass("io.riskmodules.alerts.Severity");
    Object kind = Arrays.stream(kindType.getEnumConstants())
        .filter(k -> k.toString().equals("BREAKER_OPEN")).findFirst().orElseThrow();
    Object severity = call(null, severityType, "parse", "critical");
    Instant now = Instant.parse("2026-12-01T09:00:00Z");
    Object alert = call(null, alertType, "firing", "breaker_open:payment_service", kind, severity,
        "payment_service", "Circuit breaker payment_service is open", "", now);
    return loader.loadClass("io.riskmodules.alerts.Notification").getConstructor(List.class, Instant.class)
        .newInstance(List.of(alert), now);
  }

  /** The public method {@code name} of {@code type} (or of the target's class) taking {@code args.length} arguments. */
  private static Object call(Object target, Class<?> type, String name, Object... args) throws Exception {
    Method method = Arrays.stream(type.getMethods())
        .filter(m -> m.getName().equals(name) && m.getParameterCount() == args.length)
        .reduce((a, b) -> { throw new IllegalArgumentException("more than one " + name); }).orElseThrow();
    return method.invoke(target, args);
  }

  private static Object call(Object target, String name, Object... args) throws Exception {
    return call(target, target.getClass(), name, args);
  }

  /**
   * risk-alerts and the jars it needs at run time, resolved with service binding (jakarta.mail
   * finds its transport, jakarta.activation its registries), in a layer of their own.
   */
  private static ModuleLayer layer() throws Exception {
    List<Path> paths = new ArrayList<>(List.of(location(AlertManager.class), location(MetricsCollector.class),
        location(CircuitBreaker.class)));
    // From the test class path by jar name: GreenMail's Angus jakarta.mail jar holds the same classes.
    for (String jar : List.of("slf4j-api-", "micrometer-core-", "micrometer-commons-", "micrometer-observation-",
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
        String file = s.substring("jar:".length(), s.indexOf("!/"));
        if (Path.of(new java.net.URI(file)).getFileName().toString().startsWith(namePrefix)) {
          return Path.of(new java.net.URI(file));
        }
      }
    }
    throw new AssertionError("no " + namePrefix + "*.jar on the test class path");
  }

  private static ModuleDescriptor descriptor() {
    List<ModuleReference> found = List.copyOf(ModuleFinder.of(location(AlertManager.class)).findAll());
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
