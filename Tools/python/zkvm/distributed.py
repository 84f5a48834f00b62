"""Proving across machines on Ray (Spec/zk.md §5, Spec/proof-system.md §4).

The run's segments are spread over `workers` Ray actors, each pinned to
its node for the whole proof and holding in its own temporary folder the
secret seed files of the segments it proves. Phase 1 commits every
segment (its binding travels through Ray's object store), phase 2 proves
each segment against all bindings on the actor that committed it, and
the driver bundles the segment proofs and verifies the bundle. Seeds never
leave the actor that made them; the program (.zkbin, hidden weights
included), the input and a committed model's secret go to every actor.

Faults: an actor that dies is restarted by Ray (`max_restarts`), and the
round starts over: every segment is committed again with a fresh seed and
proved again. A dead actor's seeds are gone, and a surviving segment's
seed is pinned to the old bindings (Spec/zk.md §5), so no seed is ever
used against two sets of bindings.
A run that still fails after `attempts` rounds raises DistributedError
naming the segment and the reason.

    python -m zkvm.distributed prove PROG --input input.json -o proof.zkp [--address ray://…] [--segment-rows N]
"""
from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Optional

from . import _runner, commands
from .errors import ZkvmError
from .results import VerifyResult

#: Peak memory of one segment's prover per CPU row (13–15 KiB measured,
#: README "Long runs"), and what a prover process needs besides.
BYTES_PER_ROW = 15 * 1024
BASE_BYTES = 512 * 1024 * 1024
#: The CLI's default segment: 2^17 CPU rows.
DEFAULT_SEGMENT_ROWS = 1 << 17


def segment_memory(segment_rows: Optional[int]) -> int:
    """Bytes a worker declares to Ray for segments of `segment_rows` CPU
    rows: 2^16 rows ≈ 1.5 GiB, 2^17 ≈ 2.4 GiB (the default)."""
    return BASE_BYTES + BYTES_PER_ROW * (segment_rows or DEFAULT_SEGMENT_ROWS)


class DistributedError(ZkvmError):
    """A distributed proof failed for good; `segment` names the segment when one is at fault."""

    def __init__(self, message: str, segment: Optional[int] = None):
        super().__init__(message, 1)
        self.segment = segment


@dataclass
class DistributedResult:
    """A bundled proof made on Ray, verified, with what it took."""
    proof: str
    segments: int
    workers: int
    seconds: float
    phase_seconds: dict[str, float]
    rounds: int
    restarts: int
    verification: VerifyResult
    log: list[str] = field(default_factory=list)


class SegmentProver:
    """One worker's share of a run (a Ray actor): commits and proves the
    segments it is given, keeping their seed files in its own folder."""

    def __init__(self, program: bytes, inputs: Optional[bytes], secret: Optional[bytes], options: list[str]):
        self.folder = Path(tempfile.mkdtemp(prefix="zkvm-segments-"))
        os.chmod(self.folder, 0o700)
        (self.folder / "program.zkbin").write_bytes(program)
        self.args = ["program.zkbin"]
        if inputs is not None:
            (self.folder / "input.json").write_bytes(inputs)
            self.args += ["--input", "input.json"]
        if secret is not None:
            path = self.folder / "commitment.secret"
            path.touch(mode=0o600)
            path.write_bytes(secret)
            self.args += ["--commitment-secret", str(path.name)]
        self.options = options

    def pid(self) -> int:
        return os.getpid()

    def _run(self, extra: list[str]) -> dict[str, Any]:
        argv = [_runner.binary(), "prove", *self.args, *self.options, *extra, "--json"]
        done = subprocess.run(argv, cwd=self.folder, capture_output=True, text=True)
        if done.returncode != 0:
            raise ZkvmError(_runner._error_text(done.stderr) or "zkvm prove failed", done.returncode, argv)
        return _runner.parse(done.stdout, "segment", argv)

    def commit(self, segment: int, round_: int) -> tuple[int, bytes]:
        """Phase 1 with a fresh seed: (segment count, binding bytes)."""
        seed = self.folder / f"r{round_}-{segment}.seed"
        out = self.folder / f"r{round_}-{segment}.zkvb"
        o = self._run(["--segment", str(segment), "--commit-only", "--seed-file", seed.name, "-o", out.name])
        return o["segments"], out.read_bytes()

    def prove(self, segment: int, round_: int, bindings: list[bytes]) -> bytes:
        """Phase 2 against every binding; the seed file is deleted once the proof exists."""
        names = []
        for k, b in enumerate(bindings):
            path = self.folder / f"r{round_}-b{k}.zkvb"
            path.write_bytes(b)
            names.append(path.name)
        seed = self.folder / f"r{round_}-{segment}.seed"
        out = self.folder / f"r{round_}-{segment}.zkvs"
        self._run(["--segment", str(segment), "--seed-file", seed.name, "--bindings", *names, "-o", out.name])
        proof = out.read_bytes()
        seed.unlink(missing_ok=True)
        return proof

    def clear(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)


def prove(program: commands.PathLike, inputs: commands.Inputs = None, output: Optional[commands.PathLike] = None, *,
          address: Optional[str] = None, workers: Optional[int] = None, segment_rows: Optional[int] = None,
          threads_per_worker: int = 1, commitment_secret: Optional[commands.PathLike] = None,
          attempts: int = 3, progress: Optional[Callable[[str], None]] = None,
          on_actors: Optional[Callable[[list[Any]], None]] = None, ray_init: Optional[dict[str, Any]] = None) -> DistributedResult:
    """Proves `program` on `inputs` in segments on a Ray cluster (`address`,
    or a local one), bundles the segment proofs into `output` and verifies
    the bundle. `workers` actors (default: the cluster's CPUs ÷
    `threads_per_worker`) each declare `segment_memory(segment_rows)`."""
    import ray
    start = time.perf_counter()
    log: list[str] = []

    def say(message: str) -> None:
        log.append(message)
        if progress is not None:
            progress(message)

    if not ray.is_initialized():
        ray.init(address=address, **(ray_init or {}))
    program = Path(program)
    output = str(output) if output is not None else str(program.with_suffix(".zkp"))
    binary = _runner.binary()
    with tempfile.TemporaryDirectory(prefix="zkvm-driver-") as scratch:
        zkbin = Path(scratch) / "program.zkbin"
        commands.assemble(program, zkbin)
        secret_path = Path(commitment_secret) if commitment_secret else program.with_suffix(".commitment-secret")
        secret = secret_path.read_bytes() if secret_path.exists() else None
        with commands.input_file(inputs) as path:
            input_bytes = Path(path).read_bytes() if path else None
        options = ["--threads", str(threads_per_worker)] + (["--segment-rows", str(segment_rows)] if segment_rows else [])
        count_workers = workers or max(1, int(ray.cluster_resources().get("CPU", 1)) // threads_per_worker)
        Actor = ray.remote(num_cpus=threads_per_worker, memory=segment_memory(segment_rows), max_restarts=attempts,
                           max_task_retries=0, runtime_env={"env_vars": {"ZKVM_BIN": binary}})(SegmentProver)
        program_ref = ray.put(zkbin.read_bytes())
        actors = [Actor.remote(program_ref, input_bytes, secret, options) for _ in range(count_workers)]
        if on_actors is not None:
            on_actors(actors)
        timings = {"commit": 0.0, "prove": 0.0, "bundle": 0.0, "verify": 0.0}

        def fetch(ref: Any, segment: int) -> Any:
            """A task's result; a task that failed (not its worker) fails the run, naming the segment."""
            try:
                return ray.get(ref)
            except ray.exceptions.RayTaskError as e:
                cause = getattr(e, "cause", None)
                reason = cause.message if isinstance(cause, ZkvmError) else str(e).splitlines()[0]
                raise DistributedError(f"segment {segment}: {reason}", segment) from None

        def gather(refs: dict[Any, int], each: Callable[[int, Any], None]) -> None:
            while refs:
                ready, _ = ray.wait(list(refs), num_returns=1)
                k = refs.pop(ready[0])
                each(k, fetch(ready[0], k))

        restarts, failure, proofs = 0, "", []
        try:
            for round_ in range(attempts):
                try:
                    # Phase 1: segment 0 first (it tells the count), then the rest spread over the actors.
                    t = time.perf_counter()
                    segments, first = fetch(actors[0].commit.remote(0, round_), 0)
                    bindings: list[bytes] = [first] + [b""] * (segments - 1)
                    say(f"segment 1/{segments}: committed")

                    def committed(k: int, result: tuple[int, bytes]) -> None:
                        bindings[k] = result[1]
                        say(f"segment {k + 1}/{segments}: committed")
                    gather({actors[k % count_workers].commit.remote(k, round_): k for k in range(1, segments)}, committed)
                    timings["commit"] += time.perf_counter() - t
                    # Phase 2: each segment on the actor that holds its seed.
                    t = time.perf_counter()
                    bindings_ref = ray.put(bindings)
                    proofs = [b""] * segments

                    def proved(k: int, data: bytes) -> None:
                        proofs[k] = data
                        say(f"segment {k + 1}/{segments}: proved ({len(data)} bytes)")
                    gather({actors[k % count_workers].prove.remote(k, round_, bindings_ref): k for k in range(segments)}, proved)
                    timings["prove"] += time.perf_counter() - t
                    break
                except ray.exceptions.RayActorError as e:
                    # A worker died: Ray restarts it; its seeds died with it, so the round starts over with fresh seeds.
                    restarts += 1
                    failure = f"a worker died ({e.__class__.__name__}); committing every segment again with fresh seeds"
                    say(failure)
            else:
                raise DistributedError(f"the proof failed after {attempts} rounds: {failure}")
        finally:
            for a in actors:
                try:
                    ray.get(a.clear.remote(), timeout=30)
                except Exception:
                    pass
                ray.kill(a)
        t = time.perf_counter()
        parts = []
        for k, data in enumerate(proofs):
            path = Path(scratch) / f"{k}.zkvs"
            path.write_bytes(data)
            parts.append(str(path))
        _runner.run([*parts, "-o", output], "bundle")
        timings["bundle"] = time.perf_counter() - t
        t = time.perf_counter()
        verification = commands.verify(output, program=program)
        timings["verify"] = time.perf_counter() - t
    say(f"bundled {segments} segments → {output}; verified")
    return DistributedResult(proof=output, segments=segments, workers=count_workers, seconds=time.perf_counter() - start,
                             phase_seconds=timings, rounds=round_ + 1, restarts=restarts, verification=verification, log=log)


def main(argv: Optional[list[str]] = None) -> int:
    p = argparse.ArgumentParser(prog="python -m zkvm.distributed", description="Prove a zkvm program in segments on Ray.")
    sub = p.add_subparsers(dest="command", required=True)
    q = sub.add_parser("prove", help="prove PROG in segments, bundle and verify")
    q.add_argument("program")
    q.add_argument("--input")
    q.add_argument("-o", "--output", required=True)
    q.add_argument("--address", help="a Ray cluster (ray://host:10001, or 'auto'); default: a local cluster")
    q.add_argument("--workers", type=int)
    q.add_argument("--segment-rows", type=int)
    q.add_argument("--threads-per-worker", type=int, default=1)
    q.add_argument("--commitment-secret")
    q.add_argument("--attempts", type=int, default=3)
    args = p.parse_args(argv)
    try:
        r = prove(args.program, args.input, args.output, address=args.address, workers=args.workers,
                  segment_rows=args.segment_rows, threads_per_worker=args.threads_per_worker,
                  commitment_secret=args.commitment_secret, attempts=args.attempts,
                  progress=lambda m: print(f"distributed: {m}", file=sys.stderr))
    except ZkvmError as e:
        print(f"error: {e.message}", file=sys.stderr)
        return e.exit_code or 1
    print(f"{r.segments} segments on {r.workers} workers in {r.seconds:.2f} s "
          f"(commit {r.phase_seconds['commit']:.2f} s, prove {r.phase_seconds['prove']:.2f} s); "
          f"{r.restarts} restarts; verified → {r.proof}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
