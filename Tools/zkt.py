#!/usr/bin/env python3
"""Read a zkvm execution trace (.zkt, Spec/trace-format.md) into numpy arrays.

    import zkt
    trace = zkt.load("run.zkt")          # {"cpu": {"clock": array, ...}, ...}
    trace.digest                          # program digest (hex)

Command line: python3 Tools/zkt.py run.zkt  → prints rows per stream as JSON.
Needs numpy and zstandard (installed by Tools/setup.sh).
"""
import hashlib, json, struct, sys

import numpy as np
import zstandard


class Trace(dict):
    digest: str = ""


def load(path):
    with open(path, "rb") as f:
        data = f.read()
    pos = 0

    def take(n):
        nonlocal pos
        if pos + n > len(data):
            raise ValueError(f"truncated trace at byte offset {pos}")
        chunk = data[pos:pos + n]
        pos += n
        return chunk

    if take(4) != b"ZKTR":
        raise ValueError("not a .zkt trace (bad magic)")
    version, flags = struct.unpack("<HH", take(4))
    if version != 1 or flags != 0:
        raise ValueError(f"unsupported trace version {version}")
    trace = Trace()
    trace.digest = take(32).hex()
    struct.unpack("<I", take(4))
    streams = {}
    for _ in range(take(1)[0]):
        sid = take(1)[0]
        name = take(take(1)[0]).decode()
        columns = [take(take(1)[0]).decode() for _ in range(take(1)[0])]
        streams[sid] = (name, columns)
    header_end = pos
    if hashlib.sha256(data[:header_end]).digest()[:8] != take(8):
        raise ValueError(f"corrupt trace at byte offset {header_end}: header checksum mismatch")
    parts = {sid: [[] for _ in cols] for sid, (_, cols) in streams.items()}
    decompressor = zstandard.ZstdDecompressor()
    while True:
        at = pos
        sid = take(1)[0]
        if sid == 0xFF:
            break
        if sid not in streams:
            raise ValueError(f"corrupt trace at byte offset {at}: unknown stream {sid}")
        header = take(12)
        rows, raw_size, size = struct.unpack("<III", header)
        checksum = take(8)
        stored = take(size)
        if hashlib.sha256(bytes([sid]) + header + stored).digest()[:8] != checksum:
            raise ValueError(f"corrupt trace at byte offset {at + 13}: checksum mismatch")
        raw = decompressor.decompress(stored, max_output_size=raw_size)
        cells = np.frombuffer(raw, dtype="<i8").reshape(len(streams[sid][1]), rows)
        for c in range(cells.shape[0]):
            parts[sid][c].append(cells[c])
    for sid, (name, columns) in streams.items():
        trace[name] = {col: (np.concatenate(parts[sid][c]) if parts[sid][c] else np.zeros(0, dtype=np.int64))
                       for c, col in enumerate(columns)}
    return trace


if __name__ == "__main__":
    t = load(sys.argv[1])
    print(json.dumps({"digest": t.digest,
                      "rows": {name: int(len(next(iter(cols.values())))) for name, cols in t.items()},
                      "sums": {name: {col: int(v.sum()) for col, v in cols.items()} for name, cols in t.items()}}))
