#!/usr/bin/env bash
# Runs every test of the project on a fresh machine: installs the system packages the tests use
# (libpcap for pcap4j, the BitTorrent clients, node and npm for the chart's Kubernetes schema check,
# openssl for the signature tests, Chromium for the dashboard's page test), then the Maven build
# with all tests. `.ci/run` runs exactly this.
set -euo pipefail
home=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
cd "$home"
scripts/system-deps.sh libpcap libtorrent aria2 transmission node openssl chromium
exec mvn -B -ntp verify "$@"
