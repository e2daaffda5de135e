package io.riskmodules.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Turns JMH's JSON results into the README's table: time and allocation per call for each path,
 * thread count and library, and the ratio of each to Resilience4j measured in the same run.
 */
public final class Report {

  private Report() {}

  private record Row(String path, int threads, String contender, double nanos, double error, double bytes) {}

  public static void main(String[] args) throws IOException {
    JsonNode results = new ObjectMapper().readTree(Files.readString(Path.of(args[0])));
    Map<String, Row> rows = new LinkedHashMap<>();
    for (JsonNode r : results) {
      String[] parts = r.get("benchmark").asText().split("\\.");
      String contender = parts[parts.length - 1];
      String clazz = parts[parts.length - 2].matches("OneThread|TwoThreads") ? parts[parts.length - 3] : parts[parts.length - 2];
      String path = clazz.replaceAll("(Path)?Benchmark.*", "").toLowerCase(Locale.ROOT);
      int threads = r.get("threads").asInt();
      JsonNode primary = r.get("primaryMetric");
      JsonNode alloc = r.path("secondaryMetrics").path("gc.alloc.rate.norm");
      if (alloc.isMissingNode()) {
        alloc = r.path("secondaryMetrics").path("·gc.alloc.rate.norm");
      }
      rows.put(path + "/" + threads + "/" + contender, new Row(path, threads, contender,
          primary.get("score").asDouble(), primary.get("scoreError").asDouble(),
          alloc.isMissingNode() ? Double.NaN : alloc.get("score").asDouble()));
    }
    System.out.println("| path | threads | library | ns/op | ± | B/op | × Resilience4j (latencyoverhead: × without) |");
    System.out.println("|---|---|---|---|---|---|---|");
    for (Row row : rows.values()) {
      String baseline = row.path().equals("latencyoverhead") ? "withoutLatency" : "resilience4j";
      Row base = rows.get(row.path() + "/" + row.threads() + "/" + baseline);
      String ratio = base == null ? "" : String.format(Locale.ROOT, "%.2f", row.nanos() / base.nanos());
      System.out.printf(Locale.ROOT, "| %s | %d | %s | %.1f | %.1f | %.0f | %s |%n",
          row.path(), row.threads(), label(row.contender()), row.nanos(), row.error(), row.bytes(), ratio);
    }
  }

  private static String label(String contender) {
    switch (contender) {
      case "riskModules":
        return "Risk Modules (RFC defaults)";
      case "riskModulesNoClock":
        return "Risk Modules (no slow-call detection)";
      case "riskModulesCallTimeout":
        return "Risk Modules (RFC defaults + 2 s call timeout)";
      case "resilience4j":
        return "Resilience4j 2.4.0";
      case "failsafe":
        return "Failsafe 3.3.2";
      default:
        return contender;
    }
  }
}
