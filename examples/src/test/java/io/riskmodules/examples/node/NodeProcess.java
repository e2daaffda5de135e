package io.riskmodules.examples.node;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An INF node in a process of its own, started with this test JVM's java and class path, on
 * 127.0.0.1 and a free port that it prints at start. {@link #close()} sends SIGTERM and waits.
 */
final class NodeProcess implements AutoCloseable {

  private static final Pattern LISTENING = Pattern.compile("listening on http://[^:]+:(\\d+)");

  final String name;
  final Process process;
  final int port;
  private final Path log;

  private NodeProcess(String name, Process process, int port, Path log) {
    this.name = name;
    this.log = log;
    this.process = process;
    this.port = port;
  }

  /**
   * Starts a node and waits (up to {@code startTimeout}) until it says it is listening. Its output
   * goes to {@code NAME.log} in {@code logDir}: a file, because {@link Process#destroy()} closes the
   * pipes, and what the shutdown hook prints comes after that.
   */
  static NodeProcess start(String name, Path configDir, Path logDir, Map<String, String> env,
      Duration startTimeout, String... extraArgs) throws IOException, InterruptedException {
    return launch(name, configDir, logDir, env, extraArgs).awaitListening(startTimeout);
  }

  /** Starts a node without waiting for it: several then start side by side. */
  static Launched launch(String name, Path configDir, Path logDir, Map<String, String> env, String... extraArgs)
      throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> command = new ArrayList<>(List.of(java, "-Xmx96m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
        "-cp", System.getProperty("java.class.path"), InfNode.class.getName(),
        "--name", name, "--bind", "127.0.0.1", "--port", "0", "--config", configDir.toString()));
    command.addAll(List.of(extraArgs));
    Path log = logDir.resolve(name + ".log");
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().keySet().removeIf(k -> k.startsWith("INF_NODE_"));
    pb.environment().putAll(env);
    return new Launched(name, pb.start(), log);
  }

  /** A node process that may not listen yet. */
  record Launched(String name, Process process, Path log) {
    NodeProcess awaitListening(Duration timeout) throws IOException, InterruptedException {
      long deadline = System.nanoTime() + timeout.toNanos();
      while (System.nanoTime() < deadline) {
        Matcher m = LISTENING.matcher(Files.readString(log));
        if (m.find()) {
          return new NodeProcess(name, process, Integer.parseInt(m.group(1)), log);
        }
        if (!process.isAlive()) {
          break;
        }
        // polling a file the child writes: no event to wait on
        process.waitFor(100, TimeUnit.MILLISECONDS);
      }
      process.destroyForcibly();
      throw new IllegalStateException(name + " did not start within " + timeout + ": " + Files.readString(log));
    }
  }

  String baseUrl() {
    return "http://127.0.0.1:" + port;
  }

  List<String> output() throws IOException {
    return Files.readAllLines(log);
  }

  /** SIGTERM, then up to 20 s for the shutdown hook; SIGKILL after that. Returns the exit status. */
  int stop() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(20, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
    return process.exitValue();
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      stop();
    }
  }
}
