package io.riskmodules.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.riskmodules.breaker.CircuitBreakerConfig;
import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The README's "Coming from Resilience4j or Failsafe" tables name only settings that exist: each
 * builder method by reflection, each YAML key by the loader (which reports an unknown key as such).
 */
class MigrationGuideTest {

  private static final String HEADING = "### Coming from Resilience4j or Failsafe";
  private static final Pattern CODE = Pattern.compile("`([^`]+)`");

  private static List<String[]> rows() throws IOException {
    String readme = Files.readString(Path.of("..", "README.md"), StandardCharsets.UTF_8);
    int start = readme.indexOf("\n" + HEADING + "\n");
    assertThat(start).as("README has the section '%s'", HEADING).isNotNegative();
    int end = readme.indexOf("\n#", start + HEADING.length() + 2);
    List<String[]> rows = new ArrayList<>();
    for (String line : readme.substring(start, end).split("\n")) {
      if (line.startsWith("|") && !line.startsWith("|---")) {
        String[] cells = line.substring(1, line.length() - 1).split("\\|", -1);
        rows.add(cells);
      }
    }
    return rows;
  }

  private static Set<String> code(String cell) {
    Set<String> names = new LinkedHashSet<>();
    Matcher m = CODE.matcher(cell);
    while (m.find()) {
      String token = m.group(1);
      int paren = token.indexOf('(');
      names.add(paren < 0 ? token : token.substring(0, paren));
    }
    return names;
  }

  @Test
  void everyBuilderSettingInTheTableExists() throws IOException {
    Set<String> methods = new LinkedHashSet<>();
    for (Method m : CircuitBreakerConfig.Builder.class.getMethods()) {
      methods.add(m.getName());
    }
    Set<String> named = new LinkedHashSet<>();
    for (String[] row : rows()) {
      if (row.length == 4 && !row[2].contains("Risk Modules")) {
        named.addAll(code(row[2]));
      }
    }
    assertThat(named).hasSizeGreaterThan(20);
    assertThat(methods).containsAll(named);
  }

  @Test
  void everyYamlKeyInTheTableIsKnownToTheLoader() throws IOException {
    Set<String> keys = new LinkedHashSet<>();
    for (String[] row : rows()) {
      if (row.length == 4 && !row[3].contains("YAML")) {
        keys.addAll(code(row[3]));
      }
    }
    assertThat(keys).hasSizeGreaterThan(15);
    for (String key : keys) {
      // a value no key accepts: a known key complains about the value, an unknown one about the key
      Throwable t = catchThrowable(() -> Examples.loader().parse("b.yaml",
          "circuit_breaker:\n  default:\n    " + key + ": {not: valid}\n"));
      assertThat(t).as(key).isInstanceOf(ConfigException.class);
      assertThat(t.getMessage()).as(key).doesNotContain(key + ": unknown key");
    }
  }

  @Test
  void everyMethodInTheApiTableExists() throws Exception {
    int checked = 0;
    for (String[] row : rows()) {
      if (row.length != 2 || row[1].contains("Risk Modules")) {
        continue;
      }
      for (String name : code(row[1])) {
        if (!Character.isUpperCase(name.charAt(0)) || name.indexOf('.') < 0) {
          continue; // a YAML key, a constant or a type
        }
        int dot = name.lastIndexOf('.');
        Class<?> type = Class.forName("io.riskmodules.breaker." + name.substring(0, dot).replace('.', '$'));
        String method = name.substring(dot + 1);
        assertThat(Arrays.stream(type.getMethods())
            .filter(m -> Modifier.isPublic(m.getModifiers())).map(Method::getName))
            .as(name).contains(method);
        checked++;
      }
    }
    assertThat(checked).isGreaterThan(15);
  }
}
