package io.riskmodules.examples;

import io.riskmodules.config.ConfigCheck;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import io.riskmodules.breaker.CallNotPermittedException;
import io.riskmodules.breaker.CircuitBreaker;
import io.riskmodules.breaker.CircuitBreakerConfig;
import io.riskmodules.breaker.CircuitState;
import io.riskmodules.breaker.Ticker;
import java.io.PrintStream;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The verification run of RFC-136 §1.2: drives a breaker with the RFC's default settings through
 * CLOSED, OPEN, HALF_OPEN and back to CLOSED against a simulated failing service, in simulated
 * time, printing each step with PASS or FAIL. Exits 1 on any FAIL.
 */
public final class VerificationRun {

  private final PrintStream out;
  private final AtomicLong nanos = new AtomicLong();
  private final Ticker ticker = nanos::get;
  private int failures;
  private int steps;

  VerificationRun(PrintStream out) {
    this.out = out;
  }

  public static void main(String[] args) {
    if (args.length > 0 && args[0].equals("nodes")) System.exit(io.riskmodules.examples.nodes.NodesVerification.run(List.of(args).subList(1, args.length)));
    List<String> arguments = List.of(args);
    if (arguments.contains("--check-config")) {
      System.exit(checkConfig(arguments, System.out, System.err, System::getenv));
    }
    int failed = new VerificationRun(System.out).run();
    System.exit(failed == 0 ? 0 : 1);
  }

  /**
   * {@code --check-config [--allow-missing-env] [FILE...]}: validates the files (by default the
   * bundled {@code examples/config/*.yaml}) with risk-config's check mode, printing every problem
   * as {@code file:line:column key.path: message}.
   *
   * @return 0 when every file is valid, 1 when there are problems, 2 for a wrong command line
   */
  static int checkConfig(List<String> args, PrintStream out, PrintStream err, Function<String, String> env) {
    List<String> forwarded = new ArrayList<>(args);
    if (args.stream().allMatch(a -> a.startsWith("--"))) {
      Path dir = Files.isDirectory(Path.of("examples", "config")) ? Path.of("examples", "config") : Path.of("config");
      try (Stream<Path> files = Files.list(dir)) {
        files.filter(f -> f.toString().endsWith(".yaml")).sorted().forEach(f -> forwarded.add(f.toString()));
      } catch (IOException e) {
        err.println("cannot list the bundled config directory " + dir.toAbsolutePath() + ": " + e.getMessage());
        return 2;
      }
    }
    return ConfigCheck.run(forwarded, out, err, env);
  }

  /** Runs every step; returns how many failed. */
  int run() {
    CircuitBreakerConfig rfc = CircuitBreakerConfig.ofDefaults();
    out.println("RFC-136 circuit breaker verification (default config: " + rfc + ")");
    CircuitBreaker breaker = CircuitBreaker.builder("verification").config(rfc).ticker(ticker)
        .eventExecutor(Runnable::run).build();
    SimulatedService service = new SimulatedService();

    check("starts CLOSED", breaker.state() == CircuitState.CLOSED, breaker.state());
    for (int i = 0; i < 10; i++) {
      breaker.execute(service::call);
    }
    check("10 healthy calls pass and keep it CLOSED", breaker.state() == CircuitState.CLOSED, breaker.state());

    service.failing = true;
    for (int i = 1; i < rfc.failureThreshold(); i++) {
      attempt(breaker, service);
    }
    check((rfc.failureThreshold() - 1) + " consecutive failures keep it CLOSED",
        breaker.state() == CircuitState.CLOSED, breaker.state());
    attempt(breaker, service);
    check(rfc.failureThreshold() + " consecutive failures trip it OPEN (failure_threshold)",
        breaker.state() == CircuitState.OPEN, breaker.state());

    int before = service.calls;
    boolean rejected = false;
    try {
      breaker.execute(service::call);
    } catch (CallNotPermittedException e) {
      rejected = e.remainingOpenTime().equals(rfc.openTimeout());
    }
    check("OPEN rejects without calling the service, retry after " + rfc.openTimeout().toSeconds() + " s",
        rejected && service.calls == before, "rejected=" + rejected);
    Object fallback = breaker.execute(service::call, cause -> "fallback: " + cause.getClass().getSimpleName());
    check("OPEN serves the fallback with the cause", "fallback: CallNotPermittedException".equals(fallback), fallback);

    advance(rfc.openTimeout().minusSeconds(1));
    check("still OPEN 1 s before timeout_seconds", breaker.state() == CircuitState.OPEN, breaker.state());
    advance(Duration.ofSeconds(1));
    check("HALF_OPEN once timeout_seconds (" + rfc.openTimeout().toSeconds() + " s) have passed",
        breaker.state() == CircuitState.HALF_OPEN, breaker.state());

    attempt(breaker, service);
    check("a failed probe opens it again", breaker.state() == CircuitState.OPEN, breaker.state());
    advance(rfc.openTimeout());
    service.failing = false;
    for (int i = 1; i < rfc.successThreshold(); i++) {
      breaker.execute(service::call);
    }
    check((rfc.successThreshold() - 1) + " good probes keep it HALF_OPEN",
        breaker.state() == CircuitState.HALF_OPEN, breaker.state());
    breaker.execute(service::call);
    check(rfc.successThreshold() + " good probes close it (success_threshold)",
        breaker.state() == CircuitState.CLOSED, breaker.state());

    var status = breaker.status();
    check("counts add up: total = successful + failed + rejected + ignored",
        status.totalCalls() == status.successfulCalls() + status.failedCalls() + status.rejectedCalls()
            + status.ignoredCalls(), status);
    check("transitions recorded in order", status.lastTransitions().size() == 5, status.lastTransitions());

    out.printf("%d steps, %d passed, %d failed%n", steps, steps - failures, failures);
    return failures;
  }

  private void attempt(CircuitBreaker breaker, SimulatedService service) {
    try {
      breaker.execute(service::call);
    } catch (IllegalStateException expected) {
      // the simulated outage
    }
  }

  private void advance(Duration d) {
    nanos.addAndGet(d.toNanos());
    out.println("  ... " + d.toSeconds() + " s pass");
  }

  private void check(String step, boolean ok, Object seen) {
    steps++;
    if (!ok) {
      failures++;
    }
    out.printf("[%s] %s%s%n", ok ? "PASS" : "FAIL", step, ok ? "" : " (saw " + seen + ")");
  }

  /** A downstream that answers until told to fail. */
  static final class SimulatedService {
    volatile boolean failing;
    int calls;

    String call() {
      calls++;
      if (failing) {
        throw new IllegalStateException("simulated outage");
      }
      return "ok";
    }
  }
}
