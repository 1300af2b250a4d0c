#!/usr/bin/env bash
# The probe's benchmark, in one run on one file (docs/benchmarks.md):
#   1. builds the standard benchmark capture with ../shared/bench/make-bench-pcap.sh (cached);
#   2. times, on that same file: swarmwatch replay --speed max (libpcap read + decode + flow table
#      + JSON records to /dev/null), ndpiReader -i FILE (nDPI's full DPI), tcpdump -r FILE -w /dev/null
#      (libpcap read and write only);
#   3. decode + flow table alone on one thread, frames in memory (DecodeFlowBench);
#   4. the whole processing thread with no dissectors and with all of them, frames in memory (PipelineBench);
#   5. flow-table memory per flow with 1,000,000 concurrent flows in a 512 MB heap (FlowTableMemoryBench);
#   6. swarm-table memory per entry with 500,000 full entries in a 256 MB heap (SwarmTableMemoryBench).
# usage: scripts/bench.sh [COPIES=40]     (40 copies = about 1.2 million packets)
set -euo pipefail
home=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
cd "$home"
copies=${1:-40}
scripts/system-deps.sh libpcap bench
shared=$(cd "$home/../shared" 2>/dev/null && pwd) || { echo "bench: ../shared (the shared captures) is missing" >&2; exit 2; }

echo "== building" >&2
mvn -B -q -DskipTests package >&2

out="$home/target/bench"; mkdir -p "$out"
pcap="$out/bench-$copies.pcap"
if [ ! -s "$pcap" ]; then
  echo "== building the benchmark capture ($copies copies) ..." >&2
  "$shared/bench/make-bench-pcap.sh" "$pcap.tmp" "$copies" >&2
  mv "$pcap.tmp" "$pcap"
fi
packets=$(capinfos -c -M "$pcap" | awk '/Number of packets/ {print $NF}')
size_mb=$(( $(stat -c %s "$pcap") / 1048576 ))

cp="probe/target/swarmwatch-probe.jar:probe/target/test-classes:probe/target/lib/*"
java_opts=(-XX:+UseParallelGC --enable-native-access=ALL-UNNAMED)

# Seconds of wall time a command takes (best of RUNS), output discarded.
runs=${BENCH_RUNS:-3}
best_time() {
  local best=""
  for _ in $(seq 1 "$runs"); do
    local s e t
    s=$(date +%s.%N); "$@" >/dev/null 2>&1 || { echo "bench: failed: $*" >&2; return 1; }; e=$(date +%s.%N)
    t=$(awk -v s="$s" -v e="$e" 'BEGIN{printf "%.3f", e - s}')
    if [ -z "$best" ] || awk -v t="$t" -v b="$best" 'BEGIN{exit !(t < b)}'; then best=$t; fi
  done
  echo "$best"
}

echo "== timing on $pcap ($packets packets, $size_mb MB), best of $runs runs each" >&2
t_sw=$(best_time ./swarmwatch replay --speed max --quiet --out /dev/null "$pcap")
t_ndpi=$(best_time ndpiReader -i "$pcap" -q)
t_tcpdump=$(best_time tcpdump -r "$pcap" -w /dev/null)

pps() { awk -v p="$packets" -v t="$1" 'BEGIN{printf "%.0f", p / t}'; }
p_sw=$(pps "$t_sw"); p_ndpi=$(pps "$t_ndpi"); p_tcpdump=$(pps "$t_tcpdump")
ratio() { awk -v a="$1" -v b="$2" 'BEGIN{printf "%.2f", a / b}'; }

echo "== replay to a JSON Lines file vs to Kafka (a one-node broker in its own process on this machine)" >&2
kdir=$(mktemp -d)
java -Dorg.slf4j.simpleLogger.defaultLogLevel=error -cp "probe/target/lib/*" org.swarmwatch.embedded.EmbeddedKafka "$kdir/broker" > "$kdir/broker.out" 2>&1 &
kpid=$!
trap 'rc=$?; kill $kpid 2>/dev/null || true; wait $kpid 2>/dev/null || true; rm -rf "$kdir"; exit $rc' EXIT
for _ in $(seq 1 60); do grep -q '^bootstrap.servers=' "$kdir/broker.out" && break; sleep 1; done
servers=$(sed -n 's/^bootstrap.servers=//p' "$kdir/broker.out")
[ -n "$servers" ] || { echo "bench: the embedded broker did not start: $(cat "$kdir/broker.out")" >&2; exit 1; }
t_file=$(best_time ./swarmwatch replay --speed max --quiet --out "$kdir/records.jsonl" "$pcap")
t_kafka=$(best_time ./swarmwatch replay --speed max --quiet --kafka "$servers" --spool-dir "$kdir/spool" "$pcap")
records=$(wc -l < "$kdir/records.jsonl")
kill $kpid; wait $kpid 2>/dev/null || true

echo "== decode + flow table alone (one thread, frames in memory)" >&2
decode_line=$(java "${java_opts[@]}" -Xmx3g -cp "$cp" org.swarmwatch.probe.bench.DecodeFlowBench "$pcap" 400000 8 | tee /dev/stderr | tail -1)

echo "== processing thread with and without dissectors (frames in memory)" >&2
pipeline_line=$(java "${java_opts[@]}" -Xmx3g -cp "$cp" org.swarmwatch.probe.bench.PipelineBench "$pcap" 400000 12 | tee /dev/stderr | tail -1)

echo "== replay (pcap4j, two threads, no JSON) with and without dissectors" >&2
replay_line=$(java "${java_opts[@]}" -Xmn64m -Xmx3g -cp "$cp" org.swarmwatch.probe.bench.ReplayBench "$pcap" 4 | tee /dev/stderr | tail -1)

echo "== flow-table memory" >&2
memory_line=$(java "${java_opts[@]}" -Xmx512m -cp "$cp" org.swarmwatch.probe.bench.FlowTableMemoryBench 1000000 | tee /dev/stderr | tail -1)
echo "== swarm-table memory" >&2
swarm_memory_line=$(java "${java_opts[@]}" -Xmx256m -cp "$cp" org.swarmwatch.probe.bench.SwarmTableMemoryBench 500000 | tee /dev/stderr | tail -1)

cat <<REPORT

## Result ($(date -u +%Y-%m-%d), $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(java -version 2>&1 | head -1))

File: bench-$copies.pcap, $packets packets, $size_mb MB (make-bench-pcap.sh $copies)

| tool | what it does | seconds | packets/s | vs swarmwatch |
|---|---|---:|---:|---:|
| ./swarmwatch replay --speed max | libpcap read (pcap4j) + decode + flow table + JSON records | $(printf %.2f "$t_sw") | $p_sw | 1.00 |
| ndpiReader -i FILE | libpcap read + nDPI flow table and DPI | $(printf %.2f "$t_ndpi") | $p_ndpi | $(ratio "$p_ndpi" "$p_sw") |
| tcpdump -r FILE -w /dev/null | libpcap read + write, no decoding | $(printf %.2f "$t_tcpdump") | $p_tcpdump | $(ratio "$p_tcpdump" "$p_sw") |

Replay to a file and to Kafka ($records records; Kafka: lz4, acks=all, idempotent, write-ahead spool; the time includes waiting for the broker to acknowledge everything):

| output | seconds | packets/s | records/s |
|---|---:|---:|---:|
| --out FILE (JSON Lines) | $(printf %.2f "$t_file") | $(awk -v p="$packets" -v t="$t_file" 'BEGIN{printf "%d", p/t}') | $(awk -v r="$records" -v t="$t_file" 'BEGIN{printf "%d", r/t}') |
| --kafka (broker on this machine) | $(printf %.2f "$t_kafka") | $(awk -v p="$packets" -v t="$t_kafka" 'BEGIN{printf "%d", p/t}') | $(awk -v r="$records" -v t="$t_kafka" 'BEGIN{printf "%d", r/t}') |

Kafka path cost: $(awk -v f="$t_file" -v k="$t_kafka" 'BEGIN{printf "%.0f%%", 100*(k-f)/k}') of packet throughput (the issue allows 20%).

Decode + flow table alone: $decode_line

Dissectors, what they cost a replay: $replay_line

Dissectors, processing thread alone: $pipeline_line

Flow table memory: $memory_line
Swarm table memory: $swarm_memory_line
REPORT
