#!/usr/bin/env bash
# What streaming to Kafka costs the probe (docs/benchmarks.md, "Kafka"): replay of the standard
# benchmark capture to a JSON Lines file and to Kafka, in one run, against a one-node broker on
# this machine. Twice: with the probe free to use every core (it then shares them with the
# broker), and with the broker pinned to the last core and the probe to the others (taskset), the
# way it runs in production, where the broker is another machine.
#   usage: scripts/bench-kafka.sh [COPIES]      (default 40: 1.2M packets; the capture is made if missing)
set -euo pipefail
home=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
cd "$home"
copies=${1:-40}
runs=${RUNS:-3}
"$home/scripts/system-deps.sh" libpcap bench
pcap="$home/target/bench/bench-$copies.pcap"
if [ ! -f "$pcap" ]; then
  mkdir -p "$home/target/bench"
  "$home/../shared/bench/make-bench-pcap.sh" "$pcap" "$copies" >&2
fi
./swarmwatch --version >/dev/null # builds when needed
packets=$(capinfos -c -M "$pcap" | awk -F: '/Number of packets/ {gsub(/ /, "", $2); print $2}')
cores=$(nproc)
last=$((cores - 1))
others="0-$((cores - 2))"

best_time() {
  local best="" s e t
  for _ in $(seq 1 "$runs"); do
    s=$(date +%s.%N); "$@" >/dev/null 2>&1 || { echo "bench: failed: $*" >&2; return 1; }; e=$(date +%s.%N)
    t=$(awk -v s="$s" -v e="$e" 'BEGIN{printf "%.3f", e - s}')
    if [ -z "$best" ] || awk -v t="$t" -v b="$best" 'BEGIN{exit !(t < b)}'; then best=$t; fi
  done
  echo "$best"
}

kdir=$(mktemp -d)
taskset -c "$last" java -Dorg.slf4j.simpleLogger.defaultLogLevel=error -cp "probe/target/lib/*" \
    org.swarmwatch.embedded.EmbeddedKafka "$kdir/broker" > "$kdir/broker.out" 2>&1 &
kpid=$!
trap 'rc=$?; kill $kpid 2>/dev/null || true; wait $kpid 2>/dev/null || true; rm -rf "$kdir"; exit $rc' EXIT
for _ in $(seq 1 60); do grep -q '^bootstrap.servers=' "$kdir/broker.out" && break; sleep 1; done
servers=$(sed -n 's/^bootstrap.servers=//p' "$kdir/broker.out")
[ -n "$servers" ] || { echo "bench: the embedded broker did not start: $(cat "$kdir/broker.out")" >&2; exit 1; }

# fixed costs (JVM start, class loading and JIT of the Kafka client, topic checks, the final drain)
# measured on the first 2,000 frames of the same file, so that the per-packet cost can be told apart
small="$kdir/small.pcap"
editcap -r "$pcap" "$small" 1-2000
echo "== $pcap: $packets packets; broker on core $last; best of $runs runs each" >&2
t_file=$(best_time ./swarmwatch replay --speed max --quiet --out "$kdir/records.jsonl" "$pcap")
records=$(wc -l < "$kdir/records.jsonl")
t_kafka=$(best_time ./swarmwatch replay --speed max --quiet --kafka "$servers" --spool-dir "$kdir/spool" "$pcap")
t_file_p=$(best_time taskset -c "$others" ./swarmwatch replay --speed max --quiet --out "$kdir/records.jsonl" "$pcap")
t_kafka_p=$(best_time taskset -c "$others" ./swarmwatch replay --speed max --quiet --kafka "$servers" --spool-dir "$kdir/spool" "$pcap")
s_file=$(best_time ./swarmwatch replay --speed max --quiet --out "$kdir/small.jsonl" "$small")
s_kafka=$(best_time ./swarmwatch replay --speed max --quiet --kafka "$servers" --spool-dir "$kdir/spool" "$small")
s_file_p=$(best_time taskset -c "$others" ./swarmwatch replay --speed max --quiet --out "$kdir/small.jsonl" "$small")
s_kafka_p=$(best_time taskset -c "$others" ./swarmwatch replay --speed max --quiet --kafka "$servers" --spool-dir "$kdir/spool" "$small")

row() { awk -v n="$1" -v t="$2" -v p="$packets" -v r="$records" 'BEGIN{printf "| %s | %.2f | %d | %d |\n", n, t, p/t, r/t}'; }
cost() { awk -v f="$1" -v k="$2" 'BEGIN{printf "%.0f%%", 100*(k-f)/k}'; }
cat <<REPORT

## Kafka ($(date -u +%Y-%m-%d), $cores cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(java -version 2>&1 | head -1))

$packets packets, $records records; broker pinned to core $last

| replay to | seconds | packets/s | records/s |
|---|---:|---:|---:|
$(row "file, probe on all cores" "$t_file")
$(row "Kafka, probe on all cores (shared with the broker)" "$t_kafka")
$(row "file, probe on cores $others" "$t_file_p")
$(row "Kafka, probe on cores $others (broker alone on core $last)" "$t_kafka_p")

Kafka path cost: $(cost "$t_file" "$t_kafka") sharing cores with the broker; $(cost "$t_file_p" "$t_kafka_p") with the broker on its own core.

Fixed costs, the first 2,000 frames alone (JVM start, loading and compiling the Kafka client, topic
checks, the final drain): file $(printf %.2f "$s_file") s, Kafka $(printf %.2f "$s_kafka") s on all cores; file $(printf %.2f "$s_file_p") s,
Kafka $(printf %.2f "$s_kafka_p") s on cores $others. Per-packet cost of the Kafka path, fixed costs taken out:
$(awk -v f="$t_file" -v k="$t_kafka" -v sf="$s_file" -v sk="$s_kafka" 'BEGIN{printf "%.0f%%", 100*((k-sk)-(f-sf))/(k-sk)}') sharing cores with the broker,
$(awk -v f="$t_file_p" -v k="$t_kafka_p" -v sf="$s_file_p" -v sk="$s_kafka_p" 'BEGIN{printf "%.0f%%", 100*((k-sk)-(f-sf))/(k-sk)}') with the broker on its own core.
REPORT
