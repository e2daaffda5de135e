package io.riskmodules.breaker.fallback;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class CacheFallbackTest {
  private final AtomicLong nanos = new AtomicLong();

  private CacheFallback<String, String> cache(CacheFallbackConfig config) {
    return CacheFallback.of(config, nanos::get);
  }

  @Test
  void servesTheLastGoodResultWhileYoungerThanTheMaxAge() {
    CacheFallback<String, String> cache = cache(CacheFallbackConfig.ofDefaults());
    cache.put("sku-1", "v1");
    cache.put("sku-1", "v2");
    nanos.addAndGet(Duration.ofSeconds(300).toNanos());
    assertThat(cache.get("sku-1")).get().satisfies(a -> {
      assertThat(a.value()).isEqualTo("v2");
      assertThat(a.fromCache()).isTrue();
      assertThat(a.age()).isEqualTo(Duration.ofSeconds(300));
    });
    nanos.addAndGet(1);
    assertThat(cache.get("sku-1")).isEmpty();
    assertThat(cache.get("sku-2")).isEmpty();
    assertThat(cache.stats()).isEqualTo(new CacheFallback.Stats(1, 2, 1, 0));
  }

  @Test
  void isBoundedDroppingTheLeastRecentlyUsed() {
    CacheFallback<String, String> cache = cache(CacheFallbackConfig.builder().maxEntries(2).build());
    cache.put("a", "1");
    cache.put("b", "2");
    cache.get("a");
    cache.put("c", "3");
    assertThat(cache.get("b")).isEmpty();
    assertThat(cache.get("a")).isPresent();
    assertThat(cache.get("c")).isPresent();
    assertThat(cache.stats().size()).isEqualTo(2);
  }

  @Test
  void aDisabledCacheKeepsNothing() {
    CacheFallback<String, String> cache = cache(CacheFallbackConfig.builder().enabled(false).build());
    cache.put("a", "1");
    assertThat(cache.get("a")).isEmpty();
    assertThat(cache.stats().size()).isZero();
  }

  @Test
  void configIsValidatedWithTheKeyAndValue() {
    assertThatThrownBy(() -> CacheFallbackConfig.builder().maxAge(Duration.ZERO).build())
        .hasMessage("max_age_seconds must be at least 1 ms, was 0 ms");
    assertThatThrownBy(() -> CacheFallbackConfig.builder().maxEntries(0).build())
        .hasMessage("max_entries must be from 1 to 10000000, was 0");
    assertThat(CacheFallbackConfig.ofDefaults().maxAge()).isEqualTo(Duration.ofSeconds(300));
  }
}
