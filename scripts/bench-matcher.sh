#!/usr/bin/env bash
# The hash matcher's benchmark (docs/benchmarks.md, "Hash matcher"): HashMatcherBench under JMH,
# lookups per second on one thread and resident bytes per key at 10 and 100 million keys.
#   usage: scripts/bench-matcher.sh [JMH OPTIONS...]   e.g. -p entries=10000000 -wi 1 -i 3
# The forked JVM gets a 12 GB heap (-Xmx12g, in the benchmark's @Fork): building 100 million keys
# holds the builder (2.9 GB), a permutation (0.4 GB) and the matcher (2.2 GB) at once. The machine
# needs about 13 GB free. Output: target/bench/hash-matcher.txt (and the console).
set -euo pipefail
home=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
cd "$home"

echo "== machine"
echo "cpu: $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) cores, $(lscpu | sed -n 's/^L3 cache: *//p') L3"
echo "ram: $(free -g | awk '/^Mem:/ {print $2}') GB"
echo "jdk: $(java -version 2>&1 | head -2 | tail -1)"
echo "transparent huge pages: $(cat /sys/kernel/mm/transparent_hugepage/enabled 2>/dev/null || echo unknown)"

echo "== compiling (test classes, JMH's annotation processor)" >&2
mvn -B -ntp -o -q -pl classifier -am test-compile dependency:build-classpath \
    -Dfuzz.skip=true -Dmdep.includeScope=test -Dmdep.outputFile=target/test-classpath.txt >&2

cp="classifier/target/test-classes:classifier/target/classes:$(cat classifier/target/test-classpath.txt)"
out="$home/target/bench"; mkdir -p "$out"
echo "== java -cp ... org.openjdk.jmh.Main HashMatcherBench $*"
java -cp "$cp" org.openjdk.jmh.Main HashMatcherBench "$@" 2>&1 | tee "$out/hash-matcher.txt"
