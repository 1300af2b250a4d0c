"""Makes a v2-only torrent (BEP 52) with libtorrent (Debian's python3-libtorrent): the reference
peer's v2 code is checked against a torrent it did not make itself.

usage: lt_make_v2.py SOURCE PIECE_LENGTH OUT [TRACKER]

SOURCE is a file or a directory; OUT the .torrent written. Nothing touches the network: this only
hashes local files. Prints libtorrent's own view as one JSON object: the v2 info hash, the piece
count, the total size (with the pad files libtorrent implies after each file) and its files.
"""
import json
import os
import sys

import libtorrent as lt

source, piece_length, out = os.path.abspath(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
tracker = sys.argv[4] if len(sys.argv) > 4 else None
fs = lt.file_storage()
lt.add_files(fs, source)
ct = lt.create_torrent(fs, piece_length, flags=lt.create_torrent.v2_only)
if tracker:
    ct.add_tracker(tracker)
lt.set_piece_hashes(ct, os.path.dirname(source))
with open(out, "wb") as f:
    f.write(lt.bencode(ct.generate()))
ti = lt.torrent_info(out)
files = ti.files()
print(json.dumps({
    "v2": str(ti.info_hashes().v2),
    "pieces": ti.num_pieces(),
    "total": ti.total_size(),
    "files": [{"path": files.file_path(i), "size": files.file_size(i), "offset": files.file_offset(i),
               "pad": bool(files.file_flags(i) & 1)} for i in range(files.num_files())],
}))
