package io.riskmodules.examples.verify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigSourceTest {

  @Test
  void theBundledFilesComeFromTheClassPathAsExamplesConfigHoldsThem() throws IOException {
    Path copy;
    try (ConfigSource bundled = ConfigSource.bundled()) {
      assertThat(bundled.files()).extracting(f -> f.getFileName().toString()).containsExactlyElementsOf(ConfigSource.BUNDLED);
      for (Path f : bundled.files()) {
        assertThat(Files.readString(f)).isEqualTo(Files.readString(Path.of("config").resolve(f.getFileName())));
      }
      copy = bundled.files().get(0).getParent();
    }
    assertThat(copy).doesNotExist();
  }

  @Test
  void aUserDirectoryGivesItsYamlFilesInNameOrder(@TempDir Path dir) throws IOException {
    Files.writeString(dir.resolve("b.yml"), "version: \"1.0.0\"\n");
    Files.writeString(dir.resolve("a.yaml"), "version: \"1.0.0\"\n");
    Files.writeString(dir.resolve("notes.txt"), "not config");
    try (ConfigSource source = ConfigSource.directory(dir)) {
      assertThat(source.files()).containsExactly(dir.resolve("a.yaml"), dir.resolve("b.yml"));
      assertThat(source.isBundled()).isFalse();
    }
  }

  @Test
  void aDirectoryWithoutConfigIsRefusedByName(@TempDir Path dir) {
    assertThatThrownBy(() -> ConfigSource.directory(dir)).hasMessage("--config " + dir + ": no .yaml or .yml file in the directory");
    assertThatThrownBy(() -> ConfigSource.directory(dir.resolve("nope"))).hasMessageContaining("not a directory");
  }
}
