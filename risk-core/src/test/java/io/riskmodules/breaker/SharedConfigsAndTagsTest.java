package io.riskmodules.breaker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Resilience4j's named shared configs, and registry tags on every breaker's events. */
class SharedConfigsAndTagsTest {
  private final ManualTime time = new ManualTime();
  private final CircuitBreakerConfig strict = CircuitBreakerConfig.builder().failureThreshold(2).build();

  private CircuitBreakerRegistry.Builder registry() {
    return CircuitBreakerRegistry.builder().ticker(time).clock(time).eventExecutor(Runnable::run);
  }

  @Test
  void aBreakerMadeWithASharedConfigUsesItAndNamesItsBase() {
    CircuitBreakerRegistry r = registry().build();
    r.addConfiguration("strict", strict);
    CircuitBreaker payments = r.breaker("payment_service", "strict");
    assertThat(payments.config()).isSameAs(strict);
    assertThat(r.baseConfigOf("payment_service")).contains("strict");
    assertThat(r.configFor("payment_service")).isSameAs(strict);
    assertThat(r.breaker("other").config()).isSameAs(CircuitBreakerConfig.ofDefaults());
    assertThat(r.baseConfigOf("other")).isEmpty();
  }

  @Test
  void replacingASharedConfigReconfiguresTheBreakersBasedOnItButNotThoseWithTheirOwn() {
    CircuitBreakerRegistry r = registry().addConfiguration("strict", strict).build();
    CircuitBreaker a = r.breaker("a", "strict");
    CircuitBreaker b = r.breaker("b", "strict");
    r.configure("b", CircuitBreakerConfig.ofDefaults());
    CircuitBreakerConfig stricter = strict.toBuilder().failureThreshold(1).build();
    List<String> reconfigured = new ArrayList<>();
    r.onEvent(e -> {
      if (e instanceof RegistryEvent.Reconfigured rc) {
        reconfigured.add(rc.breaker().name());
      }
    });
    r.addConfiguration("strict", stricter);
    assertThat(a.config()).isSameAs(stricter);
    assertThat(b.config()).isSameAs(CircuitBreakerConfig.ofDefaults());
    assertThat(reconfigured).containsExactly("a");
  }

  @Test
  void anExistingBreakerIsReturnedAsItIsAndAnUnknownConfigNameIsAnError() {
    CircuitBreakerRegistry r = registry().addConfiguration("strict", strict).build();
    CircuitBreaker plain = r.breaker("a");
    assertThat(r.breaker("a", "strict")).isSameAs(plain);
    assertThat(plain.config()).isSameAs(CircuitBreakerConfig.ofDefaults());
    assertThatThrownBy(() -> r.breaker("b", "strcit"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("no shared circuit breaker config 'strcit'; known: [strict]");
    assertThat(r.find("b")).isEmpty();
  }

  @Test
  void defaultNamesTheDefaultConfig() {
    CircuitBreakerRegistry r = registry().build();
    r.addConfiguration("default", strict);
    assertThat(r.defaultConfig()).isSameAs(strict);
    assertThat(r.configuration("default")).contains(strict);
    assertThat(r.breaker("a", "default").config()).isSameAs(strict);
    assertThat(r.configurations()).containsOnlyKeys("default");
  }

  @Test
  void registryTagsReachEveryBreakerAndEveryKindOfEvent() {
    CircuitBreakerRegistry r = registry().tags(Map.of("region", "eu", "tier", "gold")).build();
    CircuitBreaker b = r.breaker("svc", CircuitBreakerConfig.builder().failureThreshold(1).build());
    assertThat(b.tags()).containsExactly(Map.entry("region", "eu"), Map.entry("tier", "gold"));
    List<CircuitBreakerEvent> events = new ArrayList<>();
    b.onEvent(events::add);
    Faults.fail(b, 1);
    assertThat(events).extracting(e -> e.getClass().getSimpleName())
        .containsExactly("ConsecutiveFailures", "StateTransition", "CallEvent");
    assertThat(events).allSatisfy(e -> assertThat(e.tags()).isEqualTo(Map.of("region", "eu", "tier", "gold")));
  }

  @Test
  void aBreakerWithoutTagsHasNone() {
    CircuitBreaker b = CircuitBreaker.ofDefaults("plain");
    assertThat(b.tags()).isEmpty();
    assertThat(new StateTransition("x", CircuitState.CLOSED, CircuitState.OPEN, 0, 1, "r").tags()).isEmpty();
  }

  @Test
  void tagsAreChecked() {
    assertThatThrownBy(() -> CircuitBreakerRegistry.builder().tags(Map.of("name", "x")))
        .hasMessage("tags: 'name' is a tag of the meters themselves (name, state, outcome, level); choose another key");
    assertThatThrownBy(() -> CircuitBreaker.builder("a").tags(Map.of("region", " ")))
        .hasMessage("tags: keys and values must not be blank, was region= ");
  }
}
