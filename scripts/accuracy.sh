#!/usr/bin/env bash
# Writes docs/accuracy.md: the probe and ndpiReader (Debian libndpi-bin) scored by
# `./swarmwatch eval --ndpi` against the ground truth of ../shared, on the same captures.
# Usage: scripts/accuracy.sh
set -euo pipefail
home=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
cd "$home"
scripts/system-deps.sh libpcap bench
shared=$(cd "$home/../shared" 2>/dev/null && pwd) || { echo "accuracy: ../shared (the shared captures) is missing" >&2; exit 2; }
ndpi_version=$(dpkg-query -W -f='${Version}' libndpi-bin 2>/dev/null || true)
out=docs/accuracy.md.tmp
{
  echo "# Detection accuracy"
  echo
  echo "Produced by \`scripts/accuracy.sh\` on $(date -u +%Y-%m-%d) ($(nproc) cores, $(java -version 2>&1 | head -1); ndpiReader from Debian libndpi-bin ${ndpi_version:-(version unknown)})."
  echo "Each table is \`./swarmwatch eval DIR --manifest DIR/MANIFEST.tsv --ndpi\`: both tools on the same captures, scored by the same code (\`probe/.../eval\`)."
  echo
  echo "How to read it: flow counts are per capture (the manifests give counts): a tool that labels d flows BitTorrent where e are expected has min(d, e) right and max(0, d - e) wrong."
  echo "A hash is *found* when a tool reports it; a *false hash* is one that is not the content of the capture (a DHT routing lookup counts as false)."
  echo "*Hash kind right*: of the found hashes whose version the manifest gives, how many a tool reported with that kind at least once (ndpiReader gives no kind; the probe says \`btih\` where the traffic does not show the version, see events.md)."
  for set in "bt-captures/pcaps:Lab captures with real clients (../shared/bt-captures: every flow is BitTorrent family)" \
             "pcaps:nDPI's test captures (../shared/pcaps: BitTorrent counts from the manifest, except bt-dns and tls_torrent, which hold no BitTorrent bytes)"; do
    dir=${set%%:*}; title=${set#*:}
    echo
    echo "## $title"
    echo
    ./swarmwatch eval "$shared/$dir" --manifest "$shared/$dir/MANIFEST.tsv" --ndpi --per-capture > "$out.part"
    grep '^|' "$out.part"
    echo
    echo "<details><summary>per capture</summary>"
    echo
    echo '```'
    grep -v '^|' "$out.part"
    echo '```'
    echo "</details>"
  done
  rm -f "$out.part"
  echo
  echo "## Where each tool misses"
  echo
  cat docs/accuracy-notes.md
} > "$out"
mv "$out" docs/accuracy.md
echo "wrote docs/accuracy.md" >&2
