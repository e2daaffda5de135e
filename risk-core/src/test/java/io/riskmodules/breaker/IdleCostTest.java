package io.riskmodules.breaker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.lang.ref.WeakReference;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Breakers that are not called cost no CPU, and the library leaves no thread behind: an
 * application that made breakers and is undeployed can be collected with its class loader.
 * These wait in real time (bounded), since what they measure is the library's own thread.
 */
class IdleCostTest {

  /** The name prefix of every thread the library starts. */
  static final String LIBRARY_THREADS = "riskmodules-";

  /**
   * Two JVMs, one holding 1,000 breakers that were called and then left alone, one with none:
   * once the breakers are idle, their JVM spends no more CPU than the other, within 0.2 % of a
   * core, runs no library thread and starts no thread at all. Each JVM measures itself over the same real interval; the
   * comparison is retried, since another process can disturb one measurement.
   */
  @Test
  void thousandIdleBreakersCostNoMoreCpuThanAnIdleJvm() throws Exception {
    Probe.Result idle = null;
    Probe.Result breakers = null;
    for (int attempt = 0; attempt < 3; attempt++) {
      Process withNone = Probe.start(0);
      Process withThousand = Probe.start(1_000);
      idle = Probe.result(withNone);
      breakers = Probe.result(withThousand);
      if (breakers.extraShareOfACore(idle) <= 0.002) {
        break;
      }
    }
    assertThat(breakers.tickerRanWhileCalled).as("the calls started the coarse ticker").isTrue();
    assertThat(breakers.libraryThreads).as("library threads alive while idle").isZero();
    assertThat(breakers.libraryCpuNanos).as("CPU of library threads while idle").isZero();
    assertThat(breakers.extraShareOfACore(idle))
        .as("extra CPU of 1,000 idle breakers (%s) over an idle JVM (%s), as a share of a core", breakers, idle)
        .isLessThanOrEqualTo(0.002);
  }

  @Test
  void anUndeployedApplicationsClassLoaderIsCollected() throws Exception {
    WeakReference<ClassLoader> application = deployUseAndUndeploy();
    // its coarse ticker thread ends within about two seconds of the last read
    await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> {
      System.gc();
      return application.get() == null;
    });
  }

  /** Loads the library in a loader of its own, makes and calls breakers through it, and drops it. */
  private static WeakReference<ClassLoader> deployUseAndUndeploy() throws Exception {
    URL core = CircuitBreaker.class.getProtectionDomain().getCodeSource().getLocation();
    URL slf4j = LoggerFactory.class.getProtectionDomain().getCodeSource().getLocation();
    try (URLClassLoader app = new URLClassLoader("undeployed-app", new URL[] {core, slf4j},
        ClassLoader.getPlatformClassLoader())) {
      Class<?> breakerType = Class.forName(CircuitBreaker.class.getName(), true, app);
      assertThat(breakerType).isNotSameAs(CircuitBreaker.class);
      Method ofDefaults = breakerType.getMethod("ofDefaults", String.class);
      Method execute = breakerType.getMethod("execute", Supplier.class);
      Method state = breakerType.getMethod("state");
      Method status = breakerType.getMethod("status");
      for (int b = 0; b < 10; b++) {
        Object breaker = ofDefaults.invoke(null, "service-" + b);
        for (int i = 0; i < 20; i++) {
          boolean fails = b % 2 == 0; // half of them trip: transitions go to the event executor
          try {
            execute.invoke(breaker, (Supplier<String>) () -> {
              if (fails) {
                throw new IllegalStateException("down");
              }
              return "ok";
            });
          } catch (java.lang.reflect.InvocationTargetException expected) {
            // a failure or a rejection
          }
        }
        assertThat(((Enum<?>) state.invoke(breaker)).name()).isEqualTo(b % 2 == 0 ? "OPEN" : "CLOSED");
        // not the status record's toString, equals or hashCode: on JDK 17 those pin the loader of
        // its components' types (JDK-8078641, fixed in JDK 18), whoever made the record
        Object snapshot = status.invoke(breaker);
        assertThat(snapshot.getClass().getMethod("totalCalls").invoke(snapshot)).isEqualTo(20L);
      }
      // the transitions are delivered on the common pool: let them finish before the loader is
      // closed, as a container stops an application's work before it closes its loader (a delivery
      // still running would load an event class from a closed loader)
      assertThat(java.util.concurrent.ForkJoinPool.commonPool().awaitQuiescence(30, java.util.concurrent.TimeUnit.SECONDS))
          .as("event deliveries finished").isTrue();
      return new WeakReference<>(app);
    }
  }

  /** The JVM that holds the breakers, or none; it prints what it measured of itself. */
  static final class Probe {
    private static final Pattern RESULT = Pattern.compile(
        "ticker=(\\w+) cpu=(\\d+) wall=(\\d+) libraryThreads=(\\d+) libraryCpu=(\\d+)");

    static Process start(int breakers) throws IOException {
      Path java = Path.of(System.getProperty("java.home"), "bin", "java");
      return new ProcessBuilder(java.toString(), "-XX:+UseSerialGC", "-Xmx64m",
          "-cp", System.getProperty("java.class.path"), Probe.class.getName(), Integer.toString(breakers))
          .redirectErrorStream(true)
          .start();
    }

    static Result result(Process p) throws Exception {
      assertThat(p.waitFor(2, TimeUnit.MINUTES)).as("the probe JVM finished").isTrue();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      Matcher m = RESULT.matcher(out);
      assertThat(m.find()).as("the probe's output: %s", out).isTrue();
      return new Result(Boolean.parseBoolean(m.group(1)), Long.parseLong(m.group(2)), Long.parseLong(m.group(3)),
          Integer.parseInt(m.group(4)), Long.parseLong(m.group(5)));
    }

    record Result(boolean tickerRanWhileCalled, long cpuNanos, long wallNanos, int libraryThreads,
        long libraryCpuNanos) {
      double extraShareOfACore(Result idle) {
        return (double) cpuNanos / wallNanos - (double) idle.cpuNanos / idle.wallNanos;
      }
    }

    public static void main(String[] args) {
      int count = Integer.parseInt(args[0]);
      List<CircuitBreaker> held = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        CircuitBreaker b = CircuitBreaker.ofDefaults("service-" + i);
        for (int k = 0; k < 5; k++) {
          b.execute(() -> "ok");
        }
        held.add(b);
      }
      boolean tickerRan = !libraryThreads().isEmpty();
      // idle from here: wait until the library's threads have ended, then let the JVM settle
      // (a bounded wait that does not fail: the measurement then shows what stayed)
      for (int i = 0; i < 300 && !libraryThreads().isEmpty(); i++) {
        pause(Duration.ofMillis(100));
      }
      ThreadMXBean threads = ManagementFactory.getThreadMXBean();
      com.sun.management.OperatingSystemMXBean os =
          (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
      // the measuring code itself, compiled before it measures: else the JIT's work on it counts
      for (int i = 0; i < 300; i++) {
        taskCpuNanos();
        processCpuNanos(os);
        libraryThreads();
      }
      pause(Duration.ofSeconds(1));
      long started0 = threads.getTotalStartedThreadCount();
      java.util.Map<String, Long> tasks0 = taskCpuNanos();
      long cpu0 = processCpuNanos(os);
      long wall0 = System.nanoTime();
      pause(Duration.ofSeconds(3));
      long cpu = processCpuNanos(os) - cpu0;
      long wall = System.nanoTime() - wall0;
      long started = threads.getTotalStartedThreadCount() - started0;
      long libraryCpu = 0;
      List<Thread> library = libraryThreads();
      for (Thread t : library) {
        libraryCpu += Math.max(0, threads.getThreadCpuTime(t.getId()));
      }
      java.util.Map<String, Long> tasks = taskCpuNanos();
      StringBuilder busiest = new StringBuilder();
      tasks.entrySet().stream()
          .map(e -> java.util.Map.entry(e.getKey(), e.getValue() - tasks0.getOrDefault(e.getKey(), 0L)))
          .sorted((a, b) -> Long.compare(b.getValue(), a.getValue())).limit(3)
          .forEach(e -> busiest.append(' ').append(e.getKey()).append('=').append(e.getValue() / 1000).append("us"));
      System.out.println("ticker=" + tickerRan + " cpu=" + cpu + " wall=" + wall + " libraryThreads="
          + (library.size() + started) + " libraryCpu=" + libraryCpu + " breakers=" + held.size()
          + " busiest:" + busiest);
    }

    /**
     * The CPU time of all the process's threads, JVM threads included: from the scheduler's
     * nanosecond counts where Linux gives them (the process CPU time the JVM reports moves in
     * steps of 10 ms, too coarse for 0.2 % of a core over seconds).
     */
    private static long processCpuNanos(com.sun.management.OperatingSystemMXBean os) {
      Path tasks = Path.of("/proc/self/task");
      if (!java.nio.file.Files.isDirectory(tasks)) {
        return os.getProcessCpuTime();
      }
      long total = 0;
      try (java.util.stream.Stream<Path> all = java.nio.file.Files.list(tasks)) {
        for (Path task : (Iterable<Path>) all::iterator) {
          try {
            String schedstat = java.nio.file.Files.readString(task.resolve("schedstat"));
            total += Long.parseLong(schedstat.substring(0, schedstat.indexOf(' ')));
          } catch (IOException ended) {
            // the thread ended while listed
          }
        }
      } catch (IOException e) {
        return os.getProcessCpuTime();
      }
      return total;
    }

    /** Each thread's CPU time by "name/tid", where Linux gives it; for the report only. */
    private static java.util.Map<String, Long> taskCpuNanos() {
      java.util.Map<String, Long> byTask = new java.util.HashMap<>();
      Path tasks = Path.of("/proc/self/task");
      if (!java.nio.file.Files.isDirectory(tasks)) {
        return byTask;
      }
      try (java.util.stream.Stream<Path> all = java.nio.file.Files.list(tasks)) {
        for (Path task : (Iterable<Path>) all::iterator) {
          try {
            String schedstat = java.nio.file.Files.readString(task.resolve("schedstat"));
            String name = java.nio.file.Files.readString(task.resolve("comm")).trim();
            byTask.put(name + "/" + task.getFileName(), Long.parseLong(schedstat.substring(0, schedstat.indexOf(' '))));
          } catch (IOException ended) {
            // the thread ended while listed
          }
        }
      } catch (IOException e) {
        // no breakdown
      }
      return byTask;
    }

    /** Waits in real time: the probe measures its CPU over a real interval, so no clock can stand in. */
    private static void pause(Duration d) {
      long deadline = System.nanoTime() + d.toNanos();
      for (long left = d.toNanos(); left > 0; left = deadline - System.nanoTime()) {
        java.util.concurrent.locks.LockSupport.parkNanos(left);
      }
    }

    private static List<Thread> libraryThreads() {
      List<Thread> found = new ArrayList<>();
      for (Thread t : Thread.getAllStackTraces().keySet()) {
        if (t.getName().startsWith(LIBRARY_THREADS)) {
          found.add(t);
        }
      }
      return found;
    }
  }
}
