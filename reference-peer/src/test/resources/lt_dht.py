"""One libtorrent peer that finds its swarm through the DHT only, for the reference DHT node's interop tests.

usage: lt_dht.py seed|leech TORRENT|MAGNET SAVE_PATH PORT DHT_NODE_HOST:PORT

Locked down for loopback: it listens (TCP and the DHT's UDP) on 127.0.0.1:PORT only; the DHT's
bootstrap list is set explicitly to the one reference node given, replacing libtorrent's default
(dht.libtorrent.org), so it cannot reach a public router; the nodes it learns come from that
node's answers. Local service discovery, UPnP, NAT-PMP, PEX and uTP are off; no default plugins
but ut_metadata (BEP 9: a magnet link needs it); plaintext only; an IP filter blocks peers outside 127.0.0.0/8. The torrent or magnet has no
tracker: the DHT is its one peer source. Because every node of the test shares 127.0.0.1, the
one-node-per-IP rules of the routing table and of searches are off.
A leecher prints COMPLETE and exits 0 once it seeds; a seeder runs until it is terminated. Both
re-announce to the DHT every 2 s (libtorrent's own interval is 15 minutes).
"""
import signal
import sys
import time

import libtorrent as lt

mode, target, save, port, node = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), sys.argv[5]
ses = lt.session({
    "listen_interfaces": f"127.0.0.1:{port}",
    "outgoing_interfaces": "",
    "enable_dht": True,
    "dht_bootstrap_nodes": node,
    "dht_restrict_routing_ips": False,
    "dht_restrict_search_ips": False,
    "enable_lsd": False,
    "enable_upnp": False,
    "enable_natpmp": False,
    "enable_ip_notifier": False,
    "enable_outgoing_utp": False,
    "enable_incoming_utp": False,
    "allow_multiple_connections_per_ip": True,
    "out_enc_policy": int(lt.enc_policy.disabled),
    "in_enc_policy": int(lt.enc_policy.disabled),
    "allowed_enc_level": int(lt.enc_level.plaintext),
    "min_reconnect_time": 1,
    "peer_connect_timeout": 3,
    "alert_mask": lt.alert.category_t.error_notification | lt.alert.category_t.peer_notification
    | lt.alert.category_t.dht_notification | lt.alert.category_t.tracker_notification,
}, 0)
ses.add_extension("ut_metadata")
only_loopback = lt.ip_filter()
only_loopback.add_rule("0.0.0.0", "255.255.255.255", 1)
only_loopback.add_rule("127.0.0.0", "127.255.255.255", 0)
ses.set_ip_filter(only_loopback)
if target.startswith("magnet:"):
    atp = lt.parse_magnet_uri(target)
else:
    atp = lt.add_torrent_params()
    atp.ti = lt.torrent_info(target)
atp.save_path = save
atp.flags &= ~lt.torrent_flags.auto_managed
atp.flags &= ~lt.torrent_flags.paused
atp.flags |= lt.torrent_flags.disable_pex | lt.torrent_flags.disable_lsd
h = ses.add_torrent(atp)
stop = []
signal.signal(signal.SIGTERM, lambda *_: stop.append(1))
last, announced = "", 0.0
while not stop:
    for a in ses.pop_alerts():
        print("alert", type(a).__name__, a.message(), flush=True)
    if time.time() - announced > 2:
        h.force_dht_announce()
        announced = time.time()
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
