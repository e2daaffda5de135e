package io.riskmodules.examples.verify;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.riskmodules.RiskModules;
import io.riskmodules.alerts.Alert;
import io.riskmodules.alerts.AlertSink;
import io.riskmodules.alerts.Notification;
import io.riskmodules.config.ConfigException;
import io.riskmodules.config.ConfigLoader;
import io.riskmodules.config.ConfigProblem;
import io.riskmodules.config.RiskConfig;
import io.riskmodules.config.ServiceConfig;
import io.riskmodules.config.ServiceState;
import io.riskmodules.testing.RecordingAlertSink;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The verification run: loads the config (the bundled RFC files, or {@code --config DIR}), and
 * for every service it lists runs a simulated downstream through outage and recovery, checking
 * that the breaker trips at its thresholds, rejects with the configured fallback while open,
 * half-opens after its timeout, closes after its success threshold, that the risk level rises and
 * falls and that the breaker_open alert fires and resolves.
 *
 * <pre>{@code
 * int status = VerifyCommand.run(List.of("--json", "report.json", "--html", "report.html"),
 *     System.out, System.err, System::getenv);
 * }</pre>
 *
 * Exit status: {@link #PASSED}, {@link #CHECKS_FAILED}, {@link #BAD_USAGE_OR_CONFIG}.
 */
public final class VerifyCommand {

  /** Every check passed. */
  public static final int PASSED = 0;
  /** The run went through and at least one check failed. */
  public static final int CHECKS_FAILED = 1;
  /** A wrong command line, an invalid config or a report that could not be written: nothing verified. */
  public static final int BAD_USAGE_OR_CONFIG = 2;

  static final String USAGE = String.join("\n",
      "usage: java -jar verification-run.jar [--config DIR] [--json FILE] [--html FILE] [--svg FILE]",
      "                                      [--real-time] [--channels auto|all|none]",
      "       java -jar verification-run.jar --check-config [--allow-missing-env] [FILE...]",
      "  --config DIR    verify the *.yaml files of DIR (default: the bundled RFC-136 config)",
      "  --json FILE     write the results and timelines as JSON",
      "  --html FILE     write a self-contained HTML report with an SVG timeline per breaker",
      "  --svg FILE      write the timelines alone as one SVG image",
      "  --real-time     run on the wall clock (takes minutes: timeouts and slow calls really pass)",
      "  --channels M    alert channels of the files to send to: auto (those whose ${VARIABLES} are",
      "                  all set; default), all, none. The console always shows the alerts.",
      "exit status: 0 every check passed, 1 a check failed, 2 bad usage or config");

  private VerifyCommand() {}

  /** The options of a run. */
  record Options(Path configDir, Path json, Path html, Path svg, boolean realTime, Channels.Mode channels) {

    static Options parse(List<String> args) {
      Path config = null;
      Path json = null;
      Path html = null;
      Path svg = null;
      boolean realTime = false;
      Channels.Mode channels = Channels.Mode.AUTO;
      for (int i = 0; i < args.size(); i++) {
        String a = args.get(i);
        switch (a) {
          case "--config" -> config = Path.of(value(args, ++i, a));
          case "--json" -> json = Path.of(value(args, ++i, a));
          case "--html" -> html = Path.of(value(args, ++i, a));
          case "--svg" -> svg = Path.of(value(args, ++i, a));
          case "--real-time" -> realTime = true;
          case "--channels" -> {
            String m = value(args, ++i, a);
            try {
              channels = Channels.Mode.valueOf(m.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
              throw new IllegalArgumentException("--channels must be auto, all or none, was '" + m + "'");
            }
          }
          default -> throw new IllegalArgumentException("unknown argument '" + a + "'");
        }
      }
      return new Options(config, json, html, svg, realTime, channels);
    }

    private static String value(List<String> args, int i, String option) {
      if (i >= args.size() || args.get(i).startsWith("--")) {
        throw new IllegalArgumentException(option + " needs a value");
      }
      return args.get(i);
    }
  }

  /**
   * Runs the verification with {@code args}; progress and tables go to {@code out}, problems to
   * {@code err}; {@code env} gives the variables of the files' {@code ${VAR}}s.
   *
   * @return {@link #PASSED}, {@link #CHECKS_FAILED} or {@link #BAD_USAGE_OR_CONFIG}
   */
  public static int run(List<String> args, PrintStream out, PrintStream err, Function<String, String> env) {
    if (args.contains("--help") || args.contains("-h")) {
      out.println(USAGE);
      return PASSED;
    }
    Options options;
    try {
      options = Options.parse(args);
    } catch (IllegalArgumentException e) {
      err.println(e.getMessage());
      err.println(USAGE);
      return BAD_USAGE_OR_CONFIG;
    }
    ConfigSource source;
    try {
      source = options.configDir() == null ? ConfigSource.bundled() : ConfigSource.directory(options.configDir());
    } catch (IllegalArgumentException e) {
      err.println(e.getMessage());
      return BAD_USAGE_OR_CONFIG;
    }
    Path work = null;
    try (source) {
      RiskConfig config;
      try {
        // unset variables are judged channel by channel below, not as errors
        config = ConfigLoader.builder().environment(env).allowMissingVariables(options.channels() != Channels.Mode.ALL)
            .build().load(source.files().toArray(Path[]::new));
      } catch (ConfigException e) {
        err.println("the config is not valid; nothing was verified:");
        for (ConfigProblem p : e.problems()) {
          err.println("  " + p);
        }
        return BAD_USAGE_OR_CONFIG;
      }
      work = Files.createTempDirectory("risk-modules-verify-");
      Channels.Selection channels = Channels.select(source.files(), env, options.channels(), work);
      return verify(options, source, config, channels, out, err, env);
    } catch (IOException e) {
      err.println("cannot prepare the run: " + e);
      return BAD_USAGE_OR_CONFIG;
    } finally {
      if (work != null) {
        ConfigSource.deleteTree(work);
      }
    }
  }

  private static int verify(Options options, ConfigSource source, RiskConfig config, Channels.Selection channels,
      PrintStream out, PrintStream err, Function<String, String> env) {
    Instant started = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    long t0 = System.nanoTime();
    Progress progress = new Progress(out, "");
    progress.line("Risk Modules verification run: " + source.description() + ", "
        + (options.realTime() ? "wall-clock time (this takes minutes)" : "simulated time"));
    StringBuilder ch = new StringBuilder("alert channels: console");
    for (Channels.Use u : channels.channels()) {
      ch.append("; ").append(u.type()).append(u.used() ? " used (" : " skipped (").append(u.reason()).append(')');
    }
    progress.line(ch.toString());

    Map<String, ServiceState> services = new LinkedHashMap<>();
    for (ServiceConfig s : config.breakers().services().values()) {
      services.put(s.name(), s.state());
    }
    if (services.isEmpty()) {
      services.put("default", ServiceState.AUTO); // no service listed: the default's settings
    }
    List<ServiceReport> reports = new ArrayList<>();
    if (options.realTime()) {
      // side by side: the longest service sets the run's length, not the sum
      ExecutorService pool = Executors.newFixedThreadPool(services.size());
      try {
        List<Future<ServiceReport>> futures = new ArrayList<>();
        services.forEach((name, state) -> futures.add(pool.submit(() ->
            verifyService(name, state, channels.files(), env, true, progress.prefixed("[" + name + "] ")))));
        for (Future<ServiceReport> f : futures) {
          reports.add(f.get());
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        err.println("interrupted");
        return BAD_USAGE_OR_CONFIG;
      } catch (ExecutionException e) {
        err.println("the run failed: " + e.getCause());
        return BAD_USAGE_OR_CONFIG;
      } finally {
        pool.shutdownNow();
      }
    } else {
      services.forEach((name, state) -> reports.add(verifyService(name, state, channels.files(), env, false, progress)));
    }

    for (ServiceReport r : reports) {
      TextTable.print(r, out);
    }
    int checks = reports.stream().mapToInt(r -> r.checks().size()).sum();
    int failed = (int) reports.stream().flatMap(r -> r.checks().stream()).filter(c -> !c.passed()).count();
    RunReport report = new RunReport(source.description(),
        source.isBundled() ? ConfigSource.BUNDLED : source.files().stream().map(Path::toString).toList(),
        options.realTime() ? "real-time" : "simulated", started.toString(), channels.channels(), failed == 0, checks,
        failed, reports);
    try {
      if (options.json() != null) {
        writeJson(report, options.json());
        out.println("JSON report: " + options.json());
      }
      if (options.html() != null) {
        Files.writeString(options.html(), HtmlReport.render(report));
        out.println("HTML report: " + options.html());
      }
      if (options.svg() != null) {
        Files.writeString(options.svg(), HtmlReport.svgOverview(report));
        out.println("SVG timelines: " + options.svg());
      }
    } catch (IOException e) {
      err.println("cannot write the report: " + e);
      return BAD_USAGE_OR_CONFIG;
    }
    long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
    out.printf(Locale.ROOT, "%n%d services, %d checks, %d passed, %d failed (%.1f s): %s%n", reports.size(), checks,
        checks - failed, failed, ms / 1000.0, failed == 0 ? "PASS" : "FAIL");
    return failed == 0 ? PASSED : CHECKS_FAILED;
  }

  static void writeJson(RunReport report, Path file) throws IOException {
    new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), report);
  }

  private static ServiceReport verifyService(String name, ServiceState state, List<Path> files,
      Function<String, String> env, boolean realTime, Progress progress) {
    RecordingAlertSink recording = new RecordingAlertSink("verification");
    try (RunTime time = realTime ? RunTime.real() : RunTime.simulated();
        RiskModules risk = RiskModules.builder()
            .files(files.toArray(Path[]::new))
            .clock(time.clock()).ticker(time.ticker()).scheduler(time.scheduler())
            .eventExecutor(Runnable::run) // the timeline sees each call and transition as it happens
            .environment(env)
            .startHealthChecks(false)     // the deployment file's nodes are not this run's business
            .alertSink(recording)
            .alertSink(new ConsoleSink(progress, name))
            .build()) {
      if (time.isSimulated()) {
        // events raised since the last advance are taken in at their time; then an evaluation each second
        time.beforeEachAdvance(() -> risk.alertManager().evaluate());
        time.scheduler().scheduleAtFixedRate(() -> risk.alertManager().evaluate(), 1000, 1000, TimeUnit.MILLISECONDS);
      }
      long t0 = System.nanoTime();
      ServiceReport report = new ServiceRun(name, state, risk, time, progress, recording).run();
      progress.line(String.format(Locale.ROOT, "  (%s: %.1f s of %s time in %d ms)", name,
          report.timeline().durationMillis() / 1000.0, realTime ? "wall-clock" : "simulated", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0)));
      return report;
    }
  }

  /** The console channel: every notification about the service, one line per alert. */
  private static final class ConsoleSink implements AlertSink {
    private final Progress progress;
    private final String service;

    ConsoleSink(Progress progress, String service) {
      this.progress = progress;
      this.service = service;
    }

    @Override
    public String name() {
      return "console";
    }

    @Override
    public void deliver(Notification n) {
      for (Alert a : n.alerts()) {
        if (service.equals(a.source())) {
          progress.line("  alert " + a.status().name().toLowerCase(Locale.ROOT) + ": " + a.key() + " ("
              + a.severity().name().toLowerCase(Locale.ROOT) + ") " + a.title());
        }
      }
    }
  }
}
