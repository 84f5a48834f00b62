#!/usr/bin/env python3
"""Measures the Python package against the CLI on the MLP fixture: the
wrapper's overhead on `zkvm prove` (wall time, medians), and one proof of a
batch of N samples against one sample and against N separate proofs.

    python3 Tools/python_bench.py [--rounds 5] [--batch 16] [--json]
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "Tools" / "python"))
os.environ.setdefault("ZKVM_BIN", str(ROOT / ".build" / "release" / "zkvm"))
import numpy as np  # noqa: E402

import zkvm  # noqa: E402

FIXTURE = ROOT / "Tests" / "ImporterTests" / "Fixtures" / "mlp"


def wall(f) -> float:
    start = time.perf_counter()
    f()
    return time.perf_counter() - start


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--rounds", type=int, default=5)
    p.add_argument("--batch", type=int, default=16)
    p.add_argument("--json", action="store_true")
    args = p.parse_args()
    samples = np.asarray(json.loads((FIXTURE / "reference.json").read_text())["inputs"][:args.batch]).reshape(args.batch, 1, 8, 8)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        one, batch = folder / "one.zkasm", folder / "batch.zkasm"
        zkvm.import_model(FIXTURE / "model.onnx", one, calibration=FIXTURE / "calibration.json")
        zkvm.import_model(FIXTURE / "model.onnx", batch, calibration=FIXTURE / "calibration.json", batch=args.batch)
        zkvm.commit(one)
        zkvm.commit(batch)
        cli = [zkvm.binary(), "prove", str(one), "--input", str(FIXTURE / "input.json"), "-o", str(folder / "cli.zkp"), "--json"]
        rounds = {"cli": [], "python": [], "batch": []}
        for _ in range(args.rounds):   # interleaved, so drift hits both alike
            rounds["cli"].append(wall(lambda: subprocess.run(cli, check=True, capture_output=True)))
            rounds["python"].append(wall(lambda: zkvm.prove(one, FIXTURE / "input.json", folder / "py.zkp")))
            rounds["batch"].append(wall(lambda: zkvm.prove(batch, [samples.ravel()], folder / "batch.zkp")))
    m = {k: statistics.median(v) for k, v in rounds.items()}
    result = {
        "cli_prove_seconds": m["cli"], "python_prove_seconds": m["python"],
        "wrapper_overhead": m["python"] / m["cli"] - 1,
        "batch": args.batch, "batch_prove_seconds": m["batch"], "batch_over_one": m["batch"] / m["python"],
        "per_sample_seconds": m["batch"] / args.batch, "separate_proofs_seconds": args.batch * m["python"],
    }
    if args.json:
        print(json.dumps(result))
    else:
        print(f"MLP prove, medians of {args.rounds}: CLI {m['cli']:.3f} s, Python {m['python']:.3f} s "
              f"(overhead {100 * result['wrapper_overhead']:+.1f}%)")
        print(f"batch of {args.batch}: {m['batch']:.3f} s = {result['batch_over_one']:.2f}× one sample; "
              f"{result['per_sample_seconds']:.3f} s per sample against {m['python']:.3f} s for a separate proof")


if __name__ == "__main__":
    main()
