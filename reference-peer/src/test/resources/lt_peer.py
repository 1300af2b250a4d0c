"""One libtorrent peer (Debian's python3-libtorrent) for the reference peer's interop tests.

usage: lt_peer.py seed|seed-metadata|leech TORRENT|MAGNET SAVE_PATH PORT [plaintext|rc4 [ADDRESS]]

Locked down for loopback: it listens on ADDRESS:PORT only (127.0.0.1 unless given; a 127.0.0.0/8
address) and dials from ADDRESS; DHT, local service discovery,
UPnP, NAT-PMP, PEX and uTP are off; no default plugins, but ut_metadata (BEP 9) for a leecher
started from a magnet link and for "seed-metadata" (a seeder that hands its metadata over).
Plaintext only by default; with "rc4",
MSE/PE is forced both ways with RC4 as the only allowed level. The one peer source is
the torrent's tracker, which the tests run on 127.0.0.1. A leecher prints COMPLETE and exits 0
once it seeds; a seeder runs until it is terminated.
"""
import signal
import sys
import time

import libtorrent as lt

mode, torrent, save, port = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
metadata = mode == "seed-metadata" or torrent.startswith("magnet:")
if mode == "seed-metadata":
    mode = "seed"
rc4 = len(sys.argv) > 5 and sys.argv[5] == "rc4"
address = sys.argv[6] if len(sys.argv) > 6 else "127.0.0.1"
if not address.startswith("127."):
    sys.exit(f"lt_peer.py: {address} is not a loopback address")
policy = lt.enc_policy.forced if rc4 else lt.enc_policy.disabled
level = lt.enc_level.rc4 if rc4 else lt.enc_level.plaintext
ses = lt.session({
    "listen_interfaces": f"{address}:{port}",
    "outgoing_interfaces": address,
    "enable_dht": False,
    "dht_bootstrap_nodes": "",
    "enable_lsd": False,
    "enable_upnp": False,
    "enable_natpmp": False,
    "enable_ip_notifier": False,
    "enable_outgoing_utp": False,
    "enable_incoming_utp": False,
    "allow_multiple_connections_per_ip": True,
    "out_enc_policy": int(policy),
    "in_enc_policy": int(policy),
    "allowed_enc_level": int(level),
    "prefer_rc4": rc4,
    "min_reconnect_time": 1,
    "peer_connect_timeout": 3,
    "alert_mask": lt.alert.category_t.error_notification | lt.alert.category_t.peer_notification,
}, 0)
if metadata:
    ses.add_extension("ut_metadata")
if torrent.startswith("magnet:"):
    atp = lt.parse_magnet_uri(torrent)
else:
    atp = lt.add_torrent_params()
    atp.ti = lt.torrent_info(torrent)
atp.save_path = save
atp.flags &= ~lt.torrent_flags.auto_managed
atp.flags &= ~lt.torrent_flags.paused
atp.flags |= lt.torrent_flags.disable_pex | lt.torrent_flags.disable_lsd | lt.torrent_flags.disable_dht
h = ses.add_torrent(atp)
stop = []
signal.signal(signal.SIGTERM, lambda *_: stop.append(1))
last = ""
while not stop:
    for a in ses.pop_alerts():
        print("alert", type(a).__name__, a.message(), flush=True)
    st = h.status()
    line = f"state={st.state} progress={st.progress:.3f} peers={st.num_peers}"
    if line != last:
        print(line, flush=True)
        last = line
    if mode == "leech" and st.is_seeding:
        print("COMPLETE", flush=True)
        break
    time.sleep(0.1)
ses.remove_torrent(h)
time.sleep(0.3)
