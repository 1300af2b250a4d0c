#!/usr/bin/env bash
# Observations per second end to end through Kafka and the classifier into Elasticsearch
# (docs/benchmarks.md, "Classifier"): a real broker and a real engine on this machine, a producer
# writing N observation records while one classifier reads, matches (a 100,000-hash list),
# indexes and commits them.
#   usage: scripts/bench-classifier.sh [N]      (default 200000)
set -euo pipefail
home=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
cd "$home"

echo "== machine"
echo "cpu: $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) cores; ram: $(free -g | awk '/^Mem:/ {print $2}') GB"
echo "jdk: $(java -version 2>&1 | head -2 | tail -1)"

echo "== compiling" >&2
mvn -B -ntp -o -q -pl launcher -am test-compile dependency:build-classpath \
    -Dfuzz.skip=true -Dmdep.includeScope=test -Dmdep.outputFile=target/test-classpath.txt >&2
cp="launcher/target/test-classes:launcher/target/classes:$(cat launcher/target/test-classpath.txt)"
echo "== ClassifierBench ${1:-200000}"
java -Dswarmwatch.root="$home" -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -cp "$cp" org.swarmwatch.launcher.ClassifierBench "$@"
