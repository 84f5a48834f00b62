#!/usr/bin/env python3
"""EZKL and zkvm side by side on the same ONNX models, in one run.

For each model folder (model.onnx, input.json, calibration.json in EZKL's
layout) both systems run their whole pipeline with their defaults, each
phase in its own process so that its wall time and peak resident memory
are its own:

  EZKL  setup  = gen_settings + calibrate_settings + compile_circuit +
                 gen_srs (a local test SRS of the settings' size) + setup
        prove  = gen_witness + prove        verify = verify
  zkvm  setup  = import (calibrated) + commit + export-vk
        prove  = prove (zero knowledge, committed weights, private input)
        verify = verify against the key

and a Markdown table is printed (and written with --json as data). Proof
sizes are the files each writes: EZKL's proof.json (hex-encoded proof and
instances), zkvm's .zkp. Peak memory is Linux's ru_maxrss. EZKL is
not a dependency of zkvm: install it first (`pip install ezkl`) into the
Python that runs this script, or pass --ezkl-python. This is a
measurement tool, not part of the test suite; its table goes in the README.

Usage: python3 Tools/compare_ezkl.py [--zkvm .build/release/zkvm]
           [--ezkl-python PYTHON] [--json out.json] [fixture-dir ...]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "Tests" / "ImporterTests" / "Fixtures"
DEFAULT_MODELS = ["logistic_regression", "mlp", "lenet"]

EZKL_PHASES = {
    # Each runs in a fresh interpreter; async functions of newer ezkl versions are awaited.
    "setup": """
import asyncio, inspect, json, sys, ezkl
w = sys.argv[1]
def run(result):
    return asyncio.run(result) if inspect.isawaitable(result) else result
m, s = f"{w}/model.onnx", f"{w}/settings.json"
assert run(ezkl.gen_settings(m, s)), "gen_settings failed"
assert run(ezkl.calibrate_settings(f"{w}/calibration.json", m, s, "resources")), "calibrate_settings failed"
assert run(ezkl.compile_circuit(m, f"{w}/network.ezkl", s)), "compile_circuit failed"
logrows = json.load(open(s))["run_args"]["logrows"]
run(ezkl.gen_srs(f"{w}/kzg.srs", logrows))
assert run(ezkl.setup(f"{w}/network.ezkl", f"{w}/vk.key", f"{w}/pk.key", f"{w}/kzg.srs")), "setup failed"
""",
    "prove": """
import asyncio, inspect, sys, ezkl
w = sys.argv[1]
def run(result):
    return asyncio.run(result) if inspect.isawaitable(result) else result
run(ezkl.gen_witness(f"{w}/input.json", f"{w}/network.ezkl", f"{w}/witness.json"))
run(ezkl.prove(f"{w}/witness.json", f"{w}/network.ezkl", f"{w}/pk.key", f"{w}/proof.json", f"{w}/kzg.srs"))
""",
    "verify": """
import asyncio, inspect, sys, ezkl
w = sys.argv[1]
def run(result):
    return asyncio.run(result) if inspect.isawaitable(result) else result
assert run(ezkl.verify(f"{w}/proof.json", f"{w}/settings.json", f"{w}/vk.key", f"{w}/kzg.srs")), "verify rejected"
""",
}


class PhaseFailed(Exception):
    """A phase exited non-zero; carries its command and the end of its stderr."""


@dataclass
class Phase:
    seconds: float
    peak_mib: float


@dataclass
class Row:
    system: str
    model: str
    setup: Phase | None = None
    prove: Phase | None = None
    verify: Phase | None = None
    proof_bytes: int | None = None
    error: str | None = None
    extra: dict = field(default_factory=dict)


def measure(label: str, command: list[str]) -> Phase:
    """Runs `command`, returning its wall time and its own peak RSS (Linux:
    ru_maxrss is in KiB). Its stderr goes to a file, so a chatty child never
    blocks on a full pipe."""
    with tempfile.TemporaryFile() as errors:
        start = time.perf_counter()
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=errors)
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - start
        code = os.waitstatus_to_exitcode(status)
        if code != 0:
            errors.seek(0)
            tail = errors.read().decode(errors="replace").strip()[-300:]
            raise PhaseFailed(f"{label}: exit {code}: " + " ".join(tail.replace("|", "/").split()))
    return Phase(seconds=seconds, peak_mib=usage.ru_maxrss / 1024)


def sum_phases(phases: list[Phase]) -> Phase:
    return Phase(seconds=sum(p.seconds for p in phases), peak_mib=max(p.peak_mib for p in phases))


def run_ezkl(python: str, folder: Path, work: Path) -> Row:
    row = Row(system="EZKL", model=folder.name)
    for name in ["model.onnx", "input.json", "calibration.json"]:
        (work / name).write_bytes((folder / name).read_bytes())
    try:
        for phase, script in EZKL_PHASES.items():
            setattr(row, phase, measure(f"EZKL {phase}", [python, "-c", script, str(work)]))
        row.proof_bytes = (work / "proof.json").stat().st_size
        settings = json.loads((work / "settings.json").read_text())
        row.extra["logrows"] = settings.get("run_args", {}).get("logrows")
        row.extra["pk_bytes"] = (work / "pk.key").stat().st_size
    except (PhaseFailed, OSError, ValueError) as error:
        row.error = str(error)
    return row


def run_zkvm(zkvm: str, folder: Path, work: Path) -> Row:
    row = Row(system="zkvm", model=folder.name)
    program = work / "model.zkasm"
    try:
        # The importer's defaults: private input, committed weights (so a commitment to publish).
        setup = [measure("zkvm import", [zkvm, "import", str(folder / "model.onnx"), "-o", str(program),
                                         "--calibration", str(folder / "calibration.json")]),
                 measure("zkvm commit", [zkvm, "commit", str(program)]),
                 measure("zkvm export-vk", [zkvm, "export-vk", str(program), "-o", str(work / "model.vk")])]
        row.setup = sum_phases(setup)
        row.prove = measure("zkvm prove", [zkvm, "prove", str(program), "--input", str(folder / "input.json"),
                                           "-o", str(work / "model.zkp")])
        row.verify = measure("zkvm verify", [zkvm, "verify", str(work / "model.zkp"), "--vk", str(work / "model.vk")])
        row.proof_bytes = (work / "model.zkp").stat().st_size
    except (PhaseFailed, OSError) as error:
        row.error = str(error)
    return row


def cell(phase: Phase | None, unit: str = "s") -> str:
    if phase is None:
        return "—"
    return f"{phase.seconds:.2f} s / {phase.peak_mib:,.0f} MiB" if unit == "s" else f"{phase.seconds * 1000:.0f} ms"


def table(rows: list[Row]) -> str:
    lines = ["| model | system | setup (time / peak) | prove (time / peak) | verify | proof |",
             "|---|---|---|---|---|---|"]
    for r in rows:
        if r.error:
            lines.append(f"| {r.model} | {r.system} | failed: {r.error[:120]} | | | |")
            continue
        size = f"{r.proof_bytes / 1024:,.0f} KiB" if r.proof_bytes else "—"
        lines.append(f"| {r.model} | {r.system} | {cell(r.setup)} | {cell(r.prove)} | {cell(r.verify, 'ms')} | {size} |")
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folders", nargs="*", type=Path, help="model folders (default: the committed fixtures "
                        + ", ".join(DEFAULT_MODELS) + ")")
    parser.add_argument("--zkvm", default=str(ROOT / ".build" / "release" / "zkvm"), help="the zkvm binary")
    parser.add_argument("--ezkl-python", default=sys.executable, help="a Python with the ezkl package")
    parser.add_argument("--json", type=Path, help="also write the measurements here")
    args = parser.parse_args()
    folders = args.folders or [FIXTURES / name for name in DEFAULT_MODELS]
    check = subprocess.run([args.ezkl_python, "-c", "import ezkl"], capture_output=True)
    if check.returncode != 0:
        print(f"compare_ezkl: the ezkl package is not importable by {args.ezkl_python}; "
              "install it with `pip install ezkl` or pass --ezkl-python", file=sys.stderr)
        return 2
    if not Path(args.zkvm).exists():
        print(f"compare_ezkl: no zkvm binary at {args.zkvm}; build it with `swift build -c release --product zkvm`",
              file=sys.stderr)
        return 2
    rows: list[Row] = []
    for folder in folders:
        for system in ["zkvm", "EZKL"]:
            print(f"compare_ezkl: {system} on {folder.name}", file=sys.stderr)
            with tempfile.TemporaryDirectory(prefix=f"cmp-{system}-") as work:
                if system == "zkvm":
                    rows.append(run_zkvm(args.zkvm, folder, Path(work)))
                else:
                    rows.append(run_ezkl(args.ezkl_python, folder, Path(work)))
    print(table(rows))
    if args.json:
        args.json.write_text(json.dumps({"schema": "zkvm/compare-ezkl/v1", "rows": [asdict(r) for r in rows]}, indent=2))
    return 1 if any(r.error for r in rows) else 0


if __name__ == "__main__":
    sys.exit(main())
