#!/usr/bin/env bash
# Builds the benchmarks, runs the JMH suite (all libraries in one run, with -prof gc), measures
# the retained heap per breaker, and prints the README's tables.
#   JMH_OPTS  JMH options (default: one fork, 3 x 2 s warm-up, 5 x 2 s measurement)
#   JMH_FILTER which benchmarks (default: all paths)
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q -pl benchmarks -am package -DskipTests
out=benchmarks/target
java -jar "$out/benchmarks.jar" ${JMH_OPTS:--f 1 -wi 3 -w 2s -i 5 -r 2s} -prof gc \
  -rf json -rff "$out/jmh-result.json" "${JMH_FILTER:-io.riskmodules.benchmarks.(.*PathBenchmark|LatencyOverheadBenchmark).*}" > "$out/jmh.log"
echo "## $(date -u +%F) on $(nproc) cores, $(java -version 2>&1 | head -1)"
java -cp "$out/benchmarks.jar" io.riskmodules.benchmarks.Report "$out/jmh-result.json"
echo
java -cp "$out/benchmarks.jar" io.riskmodules.benchmarks.HeapPerBreaker
