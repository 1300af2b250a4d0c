#!/usr/bin/env bash
# Where the time of the top-subscribers aggregation goes (docs/benchmarks.md, "Dashboard"): one day
# of flow records in an embedded engine, variants of the query timed by Elasticsearch's own took.
#   usage: scripts/bench-top-subscribers.sh [FLOWS] [RUNS]      (default 150000 30)
set -euo pipefail
home=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
cd "$home"
echo "cpu: $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) cores; load before: $(cut -d' ' -f1-3 /proc/loadavg)"
mvn -B -ntp -o -q -pl dashboard -am test-compile dependency:build-classpath \
    -Dfuzz.skip=true -Dmdep.includeScope=test -Dmdep.outputFile=target/test-classpath.txt >&2
cp="dashboard/target/test-classes:dashboard/target/classes:$(cat dashboard/target/test-classpath.txt)"
java -Dswarmwatch.root="$home" -Dswarmwatch.elasticsearch.heap="${ES_HEAP:-1g}" -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
    -cp "$cp" org.swarmwatch.dashboard.TopSubscribersQueryBench "$@"
