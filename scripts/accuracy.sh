#!/usr/bin/env bash
# Writes docs/accuracy.md: the probe and ndpiReader (nDPI 4.2, Debian libndpi-bin) on the same
# captures of ../shared, scored against their ground truth by the same code (`./swarmwatch eval`).
#
# usage: scripts/accuracy.sh
#
# One command, and the same every time: ndpiReader's per-flow output for every capture is written
# to target/accuracy/ndpi/ (emptied first), `./swarmwatch eval --ndpi-output` scores both tools,
# and docs/accuracy.md is replaced whole. Only the date and the machine lines change between runs
# on the same code, tools and captures. The notes at its end are kept in docs/accuracy-notes.md.
set -euo pipefail
home=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
cd "$home"
scripts/system-deps.sh libpcap ndpi
[ -d ../shared/pcaps ] && [ -d ../shared/bt-captures/pcaps ] || {
  echo "accuracy.sh: the shared captures (../shared/pcaps, ../shared/bt-captures/pcaps) are missing" >&2; exit 2; }

ndpi_version=$(ndpiReader -h 2>&1 | sed -n 's/^Welcome to nDPI \([^ ]*\).*/\1/p' | head -1)
case "$ndpi_version" in
  4.2.*) ;;
  *) echo "accuracy.sh: warning: ndpiReader is nDPI ${ndpi_version:-(unknown version)}, docs/accuracy.md has been made with 4.2" >&2 ;;
esac
ndpi_package=$(dpkg-query -W -f='${Version}' libndpi-bin 2>/dev/null || echo "not from a Debian package")

work=target/accuracy
rm -rf "$work"
mkdir -p "$work"

# name | folder of captures | manifest | heading   (paths relative to the project)
sets=(
  "bt-captures|../shared/bt-captures/pcaps|../shared/bt-captures/pcaps/MANIFEST.tsv|Lab captures of real BitTorrent clients"
  "p2p|../shared/pcaps/p2p|../shared/pcaps/MANIFEST.tsv|nDPI's P2P test captures"
  "nonp2p|../shared/pcaps/nonp2p|../shared/pcaps/MANIFEST.tsv|nDPI's ordinary traffic (false positives)"
)

for set in "${sets[@]}"; do
  IFS='|' read -r name dir manifest heading <<<"$set"
  base=$(dirname "$manifest")
  echo "accuracy.sh: ndpiReader on $dir ..." >&2
  while IFS= read -r capture; do
    out="$work/ndpi/$name/${capture#"$base"/}.txt"
    mkdir -p "$(dirname "$out")"
    if ! ndpiReader -q -v 2 -i "$capture" >"$out" 2>"$work/ndpiReader.err"; then
      cat "$work/ndpiReader.err" >&2
      echo "accuracy.sh: ndpiReader failed on $capture" >&2
      exit 1
    fi
  done < <(find "$dir" -type f \( -name '*.pcap' -o -name '*.pcapng' \) | LC_ALL=C sort)
  echo "accuracy.sh: swarmwatch eval on $dir ..." >&2
  ./swarmwatch eval "$dir" --manifest "$manifest" --ndpi-output "$work/ndpi/$name" --format markdown --per-capture -q \
    >"$work/$name.md"
done
rm -f "$work/ndpiReader.err"

cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo 2>/dev/null | head -1)
os=$(. /etc/os-release 2>/dev/null && echo "${PRETTY_NAME:-}")
commit=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
[ -n "$(git status --porcelain -- probe events 2>/dev/null)" ] && commit="$commit with uncommitted changes"
sha() { sha256sum "$1" | cut -c1-12; }

{
  echo "# Detection accuracy"
  echo
  echo "Written by \`scripts/accuracy.sh\`; do not edit (the notes at the end live in [accuracy-notes.md](accuracy-notes.md))."
  echo
  echo "- Date: $(date -u +%Y-%m-%d)"
  echo "- Machine: $(uname -m), ${cpu:-unknown CPU}, $(nproc) cores, ${os:-unknown OS}"
  echo "- swarmwatch: commit $commit, $(java -version 2>&1 | head -1)"
  echo "- ndpiReader: nDPI $ndpi_version (Debian libndpi-bin $ndpi_package), default settings"
  echo "- Ground truth: ../shared/bt-captures/pcaps/MANIFEST.tsv (sha256 $(sha ../shared/bt-captures/pcaps/MANIFEST.tsv)...),"
  echo "  ../shared/pcaps/MANIFEST.tsv ($(sha ../shared/pcaps/MANIFEST.tsv)...) and infohashes.tsv ($(sha ../shared/pcaps/infohashes.tsv)...)"
  echo
  echo "## Commands"
  echo
  echo '```sh'
  echo "scripts/accuracy.sh    # all of the below, then this file"
  for set in "${sets[@]}"; do
    IFS='|' read -r name dir manifest heading <<<"$set"
    echo
    echo "# $heading"
    echo "ndpiReader -q -v 2 -i $(dirname "$manifest")/NAME > $work/ndpi/$name/NAME.txt    # each capture NAME in $dir"
    echo "./swarmwatch eval $dir --manifest $manifest \\"
    echo "    --ndpi-output $work/ndpi/$name --format markdown --per-capture"
  done
  echo '```'
  echo
  cat <<'DEFINITIONS'
## What the figures mean

- **Flows** are TCP and UDP flows keyed by their 5-tuple, both directions together: every record
  of one conversation (the probe's timeout segments) is one flow, as in tshark's conversation
  lists and ndpiReader's flow list. A flow is *labelled* with a protocol when the tool names a P2P
  protocol for it (nDPI's `HTTP.BitTorrent` or `DNS.BitTorrent` count as BitTorrent). P2P
  protocols: those the ground truth names, and nDPI's file-sharing protocols.
- **Lab captures**: every flow between two lab addresses (10.77.0.0/24, where the capture scripts
  run each tracker, seeder, leecher and DHT node in its own namespace) is BitTorrent family: peer
  wire over TCP or uTP, HTTP or UDP tracker, DHT. tshark's conversation lists confirm it. Scoring
  is per flow: *right* = expected and labelled BitTorrent. Connection attempts that carried no
  payload count as expected: no tool can label them.
- **nDPI's test captures** give counts per capture and protocol, not flow lists, so scoring is
  per count: a tool labelling *d* flows of a protocol where *e* are expected has min(*d*, *e*)
  right (an upper bound, exact when the labelled flows are among the expected ones). Flows nDPI's
  own truth labels only by port or address (`Match by port`) are not expected, and
  `bt-dns.pcap` and `tls_torrent.pcapng` expect no P2P flow: their notes say they hold no P2P bytes
  (a DNS query for, and TLS to, a client's web site). *all P2P* counts a flow right whatever P2P
  protocol it was given.
- **Hashes**: *visible* are the content hashes the ground truth lists as seen in the clear;
  *found* those a tool reported (recall = found / visible). A *false hash* is any reported hash
  that is not the capture's content; a DHT lookup of the sender's own neighbourhood
  (`likely_not_content`) is not content. Also-true, though not required: a lab torrent's v1
  hash, full v2 hash and truncated v2 hash.
- **Kinds**, where the truth knows the version (lab captures): `btih_v1` for the v1 hash,
  `btih_v2_truncated` for the v2 hash cut to 20 bytes, `btih_v2` for the full SHA-256. *Right*:
  reported with exactly that kind (besides `btih`); *unspecific*: only `btih` (20 bytes whose
  version the traffic did not show) or no kind (ndpiReader gives none); *wrong*: another kind.
DEFINITIONS
  for set in "${sets[@]}"; do
    IFS='|' read -r name dir manifest heading <<<"$set"
    echo
    echo "## $heading"
    echo
    echo "\`$dir\`, truth from \`$manifest\`."
    echo
    cat "$work/$name.md"
  done
  echo
  echo "## Where each tool misses"
  echo
  cat docs/accuracy-notes.md
} >"$work/accuracy.md"
mv "$work/accuracy.md" docs/accuracy.md
echo "accuracy.sh: wrote docs/accuracy.md" >&2
