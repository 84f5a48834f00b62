"""Read a zkvm execution trace (.zkt, Spec/trace-format.md) into numpy arrays.

    from zkvm import trace
    t = trace.load("run.zkt")            # {"cpu": {"clock": array, ...}, ...}
    t.digest                             # program digest (hex)

Command line: python3 -m zkvm.trace run.zkt → rows and column sums per
stream as JSON. A malformed dump raises TraceError with its byte offset.
"""
from __future__ import annotations

import hashlib
import json
import struct
import sys

import numpy as np
import zstandard


from .errors import ZkvmError


class TraceError(ZkvmError):
    """A .zkt dump that is not well formed; the message gives the byte offset."""


class Trace(dict):
    """Streams by name, each a dict of numpy int64 columns by name."""
    digest: str = ""


def load(path: str) -> Trace:
    with open(path, "rb") as f:
        data = f.read()
    pos = 0

    def take(n):
        nonlocal pos
        if pos + n > len(data):
            raise TraceError(f"truncated trace at byte offset {pos}")
        chunk = data[pos:pos + n]
        pos += n
        return chunk

    if take(4) != b"ZKTR":
        raise TraceError("not a .zkt trace: bad magic at byte offset 0")
    version, flags = struct.unpack("<HH", take(4))
    if version != 1 or flags != 0:
        raise TraceError(f"unsupported trace version {version} at byte offset 4")
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
        raise TraceError(f"corrupt trace at byte offset {header_end}: header checksum mismatch")
    parts = {sid: [[] for _ in cols] for sid, (_, cols) in streams.items()}
    decompressor = zstandard.ZstdDecompressor()
    while True:
        at = pos
        sid = take(1)[0]
        if sid == 0xFF:
            break
        if sid not in streams:
            raise TraceError(f"corrupt trace at byte offset {at}: unknown stream {sid}")
        header = take(12)
        rows, raw_size, size = struct.unpack("<III", header)
        checksum = take(8)
        stored = take(size)
        if hashlib.sha256(bytes([sid]) + header + stored).digest()[:8] != checksum:
            raise TraceError(f"corrupt trace at byte offset {at + 13}: checksum mismatch")
        raw = decompressor.decompress(stored, max_output_size=raw_size)
        cells = np.frombuffer(raw, dtype="<i8").reshape(len(streams[sid][1]), rows)
        for c in range(cells.shape[0]):
            parts[sid][c].append(cells[c])
    for sid, (name, columns) in streams.items():
        trace[name] = {col: (np.concatenate(parts[sid][c]) if parts[sid][c] else np.zeros(0, dtype=np.int64))
                       for c, col in enumerate(columns)}
    return trace


def summary(t: Trace) -> dict:
    """Rows and column sums per stream."""
    return {"digest": t.digest,
            "rows": {name: int(len(next(iter(cols.values())))) for name, cols in t.items()},
            "sums": {name: {col: int(v.sum()) for col, v in cols.items()} for name, cols in t.items()}}


if __name__ == "__main__":
    print(json.dumps(summary(load(sys.argv[1]))))
