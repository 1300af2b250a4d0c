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
# one pair of runs (file, Kafka) per flow-export mode and placement: replay FLOWS PIN FILE_OR_KAFKA CAPTURE
replay() {
  local flows=$1 pin=$2 out=$3 capture=$4 cmd=(./swarmwatch replay --speed max --quiet --flows "$flows")
  [ "$pin" = pinned ] && cmd=(taskset -c "$others" "${cmd[@]}")
  if [ "$out" = file ]; then cmd+=(--out "$kdir/records-$flows-$(basename "$capture").jsonl"); else cmd+=(--kafka "$servers" --spool-dir "$kdir/spool"); fi
  best_time "${cmd[@]}" "$capture"
}
declare -A t s
for flows in all p2p; do
  for pin in free pinned; do
    for out in file kafka; do
      t[$flows.$pin.$out]=$(replay "$flows" "$pin" "$out" "$pcap")
      s[$flows.$pin.$out]=$(replay "$flows" "$pin" "$out" "$small")
    done
  done
done
records=$(wc -l < "$kdir/records-all-$(basename "$pcap").jsonl")
records_p2p=$(wc -l < "$kdir/records-p2p-$(basename "$pcap").jsonl")

row() { awk -v n="$1" -v t="$2" -v p="$packets" -v r="$records" 'BEGIN{printf "| %s | %.2f | %d | %d |\n", n, t, p/t, r/t}'; }
cost() { awk -v f="$1" -v k="$2" 'BEGIN{printf "%.0f%%", 100*(k-f)/k}'; }
cost() { awk -v f="$1" -v k="$2" 'BEGIN{printf "%.0f%%", 100*(k-f)/k}'; }
marginal() { awk -v f="$1" -v k="$2" -v sf="$3" -v sk="$4" 'BEGIN{printf "%.0f%%", 100*((k-sk)-(f-sf))/(k-sk)}'; }
line() { # flows pin
  local f=${t[$1.$2.file]} k=${t[$1.$2.kafka]}
  printf "| %s | %s | %.2f | %.2f | %s | %.2f / %.2f | %s |\n" "$1" "$3" "$f" "$k" "$(cost "$f" "$k")" \
      "${s[$1.$2.file]}" "${s[$1.$2.kafka]}" "$(marginal "$f" "$k" "${s[$1.$2.file]}" "${s[$1.$2.kafka]}")"
}
cat <<REPORT

## Kafka ($(date -u +%Y-%m-%d), $cores cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(java -version 2>&1 | head -1))

$packets packets; records: $records with --flows all, $records_p2p with --flows p2p (the default to Kafka); broker pinned to core $last

| --flows | probe on | file s | Kafka s | Kafka cost | fixed costs, file / Kafka s (first 2,000 frames) | cost without fixed costs |
|---|---|---:|---:|---:|---:|---:|
$(line all free "both cores (one shared with the broker)")
$(line all pinned "cores $others (broker alone on core $last)")
$(line p2p free "both cores (one shared with the broker)")
$(line p2p pinned "cores $others (broker alone on core $last)")
REPORT
