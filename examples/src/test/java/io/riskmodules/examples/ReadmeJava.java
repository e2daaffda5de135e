package io.riskmodules.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.io.StringWriter;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/** The README's Java blocks, compiled as a user pastes them: shared by the tests that run them. */
final class ReadmeJava {

  private ReadmeJava() {}

  /** The first {@code ```java} block of the README section headed {@code heading}. */
  static String block(String heading) throws IOException {
    String readme = Files.readString(Path.of("..", "README.md"), StandardCharsets.UTF_8);
    int section = readme.indexOf("\n" + heading + "\n");
    assertThat(section).as("README has a section '%s'", heading).isNotNegative();
    Matcher m = Pattern.compile("```java\\n(.*?)```", Pattern.DOTALL).matcher(readme.substring(section));
    assertThat(m.find()).as("the section '%s' has a java block", heading).isTrue();
    return m.group(1);
  }

  /** The name of the top-level class {@code source} declares. */
  static String className(String source) {
    Matcher m = Pattern.compile("^(?:public\\s+)?(?:final\\s+)?class\\s+(\\w+)", Pattern.MULTILINE).matcher(source);
    assertThat(m.find()).as("a top-level class in:\n%s", source).isTrue();
    return m.group(1);
  }

  /**
   * Writes {@code source} to {@code <ClassName>.java} in {@code work} with nothing added and compiles
   * it there for Java 17 with every lint warning an error, against {@code classpath} only.
   */
  static void compile(Path work, String source, List<Path> classpath) throws IOException {
    Path file = work.resolve(className(source) + ".java");
    Files.writeString(file, source);
    String path = classpath.stream().map(Path::toString).collect(Collectors.joining(File.pathSeparator));
    StringWriter diagnostics = new StringWriter();
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    boolean compiled = javac.getTask(diagnostics, null, null,
        List.of("-d", work.toString(), "-classpath", path, "--release", "17", "-Xlint:all", "-Werror"),
        null, javac.getStandardFileManager(null, null, StandardCharsets.UTF_8).getJavaFileObjects(file)).call();
    assertThat(compiled).as("javac on the README block:\n" + source + "\n" + diagnostics).isTrue();
  }

  /** The jar or directory {@code type} was loaded from. */
  static Path location(Class<?> type) throws URISyntaxException {
    return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
  }
}
