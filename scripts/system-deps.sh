#!/usr/bin/env bash
# Makes sure the system packages a Swarmwatch command needs are present, installing them with
# apt-get when running as root on Debian/Ubuntu, or saying exactly what to install otherwise.
#
# usage: scripts/system-deps.sh PART...
#   libpcap   the capture library pcap4j loads (Debian: libpcap0.8)
#   bench     the reference tools of the benchmark (tcpdump, ndpiReader, tcprewrite, mergecap, capinfos)
#   ndpi      ndpiReader (Debian libndpi-bin), the tool scripts/accuracy.sh compares the probe with
#   libtorrent  Debian's python3-libtorrent, the real client the reference peer's tests are judged by
#   aria2     Debian's aria2 (aria2c), the other real client of the reference peer's interop tests
#   transmission  Debian's transmission-cli, a third real client of the reference peer's interop tests
#   node      node and npm, which run the Helm chart's offline Kubernetes schema check (helm/ tests)
#   openssl   the openssl command, with which the export signature tests check that anyone can verify without Swarmwatch
#   chromium  Debian's chromium (/usr/bin/chromium), the headless browser of the dashboard's page tests
set -euo pipefail

need_packages=()

has_libpcap() {
  ldconfig -p 2>/dev/null | grep -q 'libpcap\.so' && return 0
  compgen -G '/usr/lib/*/libpcap.so*' >/dev/null || compgen -G '/usr/lib/libpcap.so*' >/dev/null
}

for part in "$@"; do
  case "$part" in
    libpcap) has_libpcap || need_packages+=(libpcap0.8) ;;
    bench)
      command -v tcpdump >/dev/null || need_packages+=(tcpdump)
      command -v ndpiReader >/dev/null || need_packages+=(libndpi-bin)
      command -v tcprewrite >/dev/null || need_packages+=(tcpreplay)
      { command -v mergecap >/dev/null && command -v capinfos >/dev/null; } || need_packages+=(wireshark-common)
      ;;
    ndpi) command -v ndpiReader >/dev/null || need_packages+=(libndpi-bin) ;;
    libtorrent) /usr/bin/python3 -c 'import libtorrent' 2>/dev/null || need_packages+=(python3-libtorrent) ;;
    aria2) command -v aria2c >/dev/null || need_packages+=(aria2) ;;
    transmission) command -v transmission-cli >/dev/null || need_packages+=(transmission-cli) ;;
    node)
      command -v node >/dev/null || need_packages+=(nodejs)
      command -v npm >/dev/null || need_packages+=(npm)
      ;;
    openssl) command -v openssl >/dev/null || need_packages+=(openssl) ;;
    chromium) [ -x /usr/bin/chromium ] || need_packages+=(chromium) ;;
    *) echo "system-deps.sh: unknown part '$part' (known: libpcap, bench, ndpi, libtorrent, aria2, transmission, node, openssl, chromium)" >&2; exit 2 ;;
  esac
done

[ ${#need_packages[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null; then
  echo "installing system packages: ${need_packages[*]} ..." >&2
  export DEBIAN_FRONTEND=noninteractive
  # a fresh machine's package lists may be empty or stale: update once, then install
  apt-get update -qq >&2 || true
  if apt-get install -y -qq --no-install-recommends "${need_packages[@]}" >&2; then
    exit 0
  fi
  echo "system-deps.sh: apt-get could not install ${need_packages[*]}" >&2
  exit 3
fi

echo "Swarmwatch needs these system packages: ${need_packages[*]}" >&2
echo "Install them as root, e.g.:  sudo apt-get install -y ${need_packages[*]}" >&2
exit 3
