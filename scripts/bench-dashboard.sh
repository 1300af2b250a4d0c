#!/usr/bin/env bash
# The dashboard's main API calls on a loaded engine (docs/benchmarks.md, "Dashboard"): an embedded
# Elasticsearch with the classifier's index templates, N flow records and M incidents bulk-loaded,
# the real application started, each main call made C times; p50 / p95 / p99 per call.
#   usage: scripts/bench-dashboard.sh [N] [M] [C]      (default 1000000 100000 200)
# The engine's heap: ES_HEAP (default 1g).
set -euo pipefail
home=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
cd "$home"

echo "== machine"
echo "cpu: $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) cores; ram: $(free -g | awk '/^Mem:/ {print $2}') GB"
echo "jdk: $(java -version 2>&1 | head -2 | tail -1)"
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg) (1, 5, 15 min; other work on the machine competes for its cores)"

echo "== compiling" >&2
mvn -B -ntp -o -q -pl dashboard -am test-compile dependency:build-classpath \
    -Dfuzz.skip=true -Dmdep.includeScope=test -Dmdep.outputFile=target/test-classpath.txt >&2
cp="dashboard/target/test-classes:dashboard/target/classes:$(cat dashboard/target/test-classpath.txt)"
echo "== DashboardBench ${1:-1000000} ${2:-100000} ${3:-200}"
java -Dswarmwatch.root="$home" -Dswarmwatch.elasticsearch.heap="${ES_HEAP:-1g}" -cp "$cp" org.swarmwatch.dashboard.DashboardBench "$@"
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
