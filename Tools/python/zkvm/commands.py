"""One typed function per `zkvm` command, each returning the dataclass of
its `--json` object (Spec/cli-json.md)."""
from __future__ import annotations

import json
import os
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Callable, Iterator, Optional, Sequence, Union

import numpy as np

from . import _runner
from .errors import InvalidProofError
from .progress import Reporter, ProgressArgument
from .results import (AssembleResult, BenchResult, CommitResult, ExecResult, ImportResult, ProveResult, TraceRows,
                      VerificationKeyResult, VerifyResult, from_object)

PathLike = Union[str, "os.PathLike[str]"]
#: A model's inputs: the path of an EZKL-style input.json, one array (a
#: model with one input) or a sequence of arrays, one per input.
Inputs = Union[PathLike, np.ndarray, Sequence[Any], None]


def _options(**flags: Any) -> list[str]:
    """CLI options from keyword arguments: None is left out, True is a bare
    flag, False is left out, lists repeat the option."""
    out: list[str] = []
    for name, value in flags.items():
        option = "--" + name.replace("_", "-")
        if value is None or value is False:
            continue
        if value is True:
            out.append(option)
        elif isinstance(value, (list, tuple)):
            for v in value:
                out += [option, str(v)]
        else:
            out += [option, str(value)]
    return out


def input_data(inputs: Union[np.ndarray, Sequence[Any]]) -> dict[str, Any]:
    """The EZKL-style input.json object for arrays: one flat list per input."""
    if isinstance(inputs, np.ndarray) or (len(inputs) > 0 and np.isscalar(inputs[0])):
        inputs = [inputs]
    return {"input_data": [np.asarray(x, dtype=np.float64).ravel().tolist() for x in inputs]}


@contextmanager
def input_file(inputs: Inputs) -> Iterator[Optional[str]]:
    """A path to give `--input`: the path itself, or a temporary input.json."""
    if inputs is None:
        yield None
    elif isinstance(inputs, (str, os.PathLike)):
        yield os.fspath(inputs)
    else:
        with tempfile.TemporaryDirectory(prefix="zkvm-") as folder:
            path = os.path.join(folder, "input.json")
            with open(path, "w") as f:
                json.dump(input_data(inputs), f)
            yield path


def import_model(model: PathLike, output: PathLike, *, calibration: Inputs = None, scale_bits: Optional[int] = None,
                 input_shapes: Optional[dict[str, Sequence[int]]] = None, batch: Optional[int] = None,
                 input_visibility: Optional[str] = None, weight_visibility: Optional[str] = None,
                 output_visibility: Optional[str] = None, tolerance: Optional[float] = None,
                 allow_inaccurate: bool = False, check_samples: Optional[int] = None) -> ImportResult:
    """`zkvm import`: lowers an ONNX model to a .zkasm program and measures
    its fixed-point error (refused above `tolerance`, naming the node)."""
    shapes = [f"{name}={','.join(map(str, dims))}" for name, dims in (input_shapes or {}).items()]
    with input_file(calibration) as cal:
        args = [os.fspath(model), "-o", os.fspath(output), *_options(
            calibration=cal, scale_bits=scale_bits, input_shape=shapes, batch=batch, input_visibility=input_visibility,
            weight_visibility=weight_visibility, output_visibility=output_visibility, tolerance=tolerance,
            allow_inaccurate=allow_inaccurate, check_samples=check_samples)]
        return ImportResult.from_json(_runner.run(args, "import"))


def assemble(program: PathLike, output: Optional[PathLike] = None) -> AssembleResult:
    """`zkvm asm`: assembles .zkasm into .zkbin bytecode."""
    o = _runner.run([os.fspath(program), *_options(output=output and os.fspath(output))], "asm")
    return from_object(AssembleResult, o)


def execute(program: PathLike, inputs: Inputs = None, *, trace: Optional[PathLike] = None,
            max_steps: Optional[int] = None) -> ExecResult:
    """`zkvm exec`: runs the program (writing its .zkt trace when asked)."""
    with input_file(inputs) as path:
        o = _runner.run([os.fspath(program), *_options(input=path, trace=trace and os.fspath(trace), max_steps=max_steps)],
                        "exec")
    return ExecResult.from_json(o)


def commit(program: PathLike, *, output: Optional[PathLike] = None, secret: Optional[PathLike] = None) -> CommitResult:
    """`zkvm commit`: publishes the commitment to the program's committed weights."""
    o = _runner.run([os.fspath(program), *_options(output=output and os.fspath(output), secret=secret and os.fspath(secret))],
                    "commit")
    return from_object(CommitResult, o)


def prove(program: PathLike, inputs: Inputs = None, output: Optional[PathLike] = None, *,
          progress: ProgressArgument = None, zero_knowledge: bool = True, queries: Optional[int] = None,
          log_blowup: Optional[int] = None, segment_rows: Optional[int] = None, threads: Optional[int] = None,
          trace: Optional[PathLike] = None, commitment_secret: Optional[PathLike] = None) -> ProveResult:
    """`zkvm prove`: runs the program and proves the run. `output` defaults
    to the program's name with .zkp. `progress`: a callback taking
    `Progress`, True for a tqdm bar (or text lines without tqdm), None."""
    output = os.fspath(output) if output is not None else str(Path(program).with_suffix(".zkp"))
    reporter = Reporter(progress)
    with input_file(inputs) as path, reporter:
        args = [os.fspath(program), "-o", output, *_options(
            input=path, no_zk=not zero_knowledge, queries=queries, log_blowup=log_blowup, segment_rows=segment_rows,
            threads=threads, trace=trace and os.fspath(trace), commitment_secret=commitment_secret and os.fspath(commitment_secret))]
        if reporter.active:
            args += ["--progress", "json"]
        o = _runner.run(args, "prove", on_line=reporter.line if reporter.active else None)
    return ProveResult.from_json(o, output)


def verify(proof: PathLike, *, program: Optional[PathLike] = None, vk: Optional[PathLike] = None,
           commitment: Optional[PathLike] = None, min_bits: Optional[float] = None,
           expect_public: Optional[PathLike] = None, key_digest: Optional[str] = None) -> VerifyResult:
    """`zkvm verify`: checks the proof against the program or a verification
    key and returns its statement. A rejected proof raises InvalidProofError."""
    o = _runner.run([os.fspath(proof), *_options(
        program=program and os.fspath(program), vk=vk and os.fspath(vk), commitment=commitment and os.fspath(commitment),
        min_bits=min_bits, expect_public=expect_public and os.fspath(expect_public), key_digest=key_digest)],
        "verify", error_type=InvalidProofError)
    return VerifyResult.from_json(o)


def export_vk(program: PathLike, output: PathLike, *, commitment: Optional[PathLike] = None, zero_knowledge: bool = True,
              log_blowup: Optional[int] = None, queries: Optional[int] = None) -> VerificationKeyResult:
    """`zkvm export-vk`: writes the program's verification key."""
    o = _runner.run([os.fspath(program), "-o", os.fspath(output), *_options(
        commitment=commitment and os.fspath(commitment), no_zk=not zero_knowledge, log_blowup=log_blowup, queries=queries)],
        "export-vk")
    return from_object(VerificationKeyResult, o)


def trace_rows(path: PathLike, stream: str, *, rows: Optional[tuple[int, int]] = None, opcode: Optional[str] = None,
               table: Optional[int] = None) -> TraceRows:
    """`zkvm trace --format json`: rows of one stream of a .zkt dump, filtered
    as the CLI filters them (`trace.load` reads whole dumps into numpy)."""
    o = _runner.run([os.fspath(path), *_options(stream=stream, rows=rows and f"{rows[0]}..{rows[1]}", opcode=opcode,
                                                table=table)], "trace", json_flag="--format json")
    return from_object(TraceRows, o)


def bench(*, only: Optional[Sequence[str]] = None, quick: bool = False, threads: Optional[int] = None,
          repetitions: Optional[int] = None) -> BenchResult:
    """`zkvm bench`: the benchmark figures and their target checks."""
    o = _runner.run(_options(only=only and ",".join(only), quick=quick, threads=threads, repetitions=repetitions), "bench")
    return from_object(BenchResult, o)
