"""What libtorrent (Debian's python3-libtorrent) makes of a torrent: its info hashes, and whether
the data beside it passes libtorrent's own piece check (v1 SHA-1 pieces, v2 merkle trees).

usage: libtorrent_check.py TORRENT SAVE_PATH   (prints one JSON object)

The session reaches nothing beyond loopback: it listens on 127.0.0.1 only, with DHT, local
service discovery, UPnP and NAT-PMP off; the only peer source left is the torrent's tracker,
which the tests set to a loopback address or leave out.
"""
import json
import sys
import time

import libtorrent as lt

torrent, save_path = sys.argv[1], sys.argv[2]
ti = lt.torrent_info(torrent)
hashes = ti.info_hashes()
result = {
    "v1": str(hashes.v1) if hashes.has_v1() else None,
    "v2": str(hashes.v2) if hashes.has_v2() else None,
    "files": ti.num_files(),
    "pieces": ti.num_pieces(),
}
session = lt.session({
    "listen_interfaces": "127.0.0.1:0",
    "enable_dht": False,
    "enable_lsd": False,
    "enable_upnp": False,
    "enable_natpmp": False,
    "alert_mask": 0,
})
params = lt.add_torrent_params()
params.ti = ti
params.save_path = save_path
params.flags = lt.torrent_flags.upload_mode  # the files are checked on adding; nothing is downloaded
handle = session.add_torrent(params)
deadline = time.time() + 60
while time.time() < deadline:
    s = handle.status()
    if s.errc.value() or s.state not in (lt.torrent_status.checking_files, lt.torrent_status.checking_resume_data,
                                         lt.torrent_status.allocating):
        break
    time.sleep(0.05)
s = handle.status()
result["verified_pieces"] = s.num_pieces
result["error"] = s.errc.message() if s.errc.value() else None
print(json.dumps(result))
