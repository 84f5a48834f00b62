"""Dataclasses for the CLI's `--json` objects (Spec/cli-json.md, version 1)."""
from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any, Optional, TypeVar

import numpy as np

T = TypeVar("T")


def from_object(cls: type[T], o: dict[str, Any], **converted: Any) -> T:
    """`cls` from a CLI object: each field its key's value (None when
    absent), except the `converted` ones given here."""
    return cls(**{f.name: o.get(f.name) for f in fields(cls) if f.name not in converted}, **converted)


@dataclass(frozen=True)
class Tensor:
    """A program tensor's values: `raw` fixed-point integers at `scale`
    fractional bits and `values` = raw / 2^scale, shaped as declared."""
    name: str
    raw: list[int]
    values: np.ndarray
    shape: tuple[int, ...] = ()
    scale: Optional[int] = None

    @staticmethod
    def from_json(o: dict[str, Any]) -> "Tensor":
        shape = tuple(o.get("shape", ()))
        values = np.asarray(o.get("values", []), dtype=np.float64)
        if shape and int(np.prod(shape)) == values.size:
            values = values.reshape(shape)
        return Tensor(name=o["name"], raw=list(o.get("raw", [])), values=values, shape=shape, scale=o.get("scale"))


@dataclass(frozen=True)
class Layer:
    """One stored ONNX value in an import's error report."""
    onnx: str
    zkasm: str
    node: str
    scale: int
    calibrated_max: float
    max_abs_error: float


@dataclass(frozen=True)
class Port:
    """A graph input or output: its ONNX name, its program tensor and shape."""
    onnx: str
    zkasm: str
    shape: tuple[int, ...]


@dataclass(frozen=True)
class ImportResult:
    """`zkvm import`: the program written and its accuracy against the float model."""
    program: str
    instructions: int
    weight_files: int
    calibration_samples: int
    synthetic_calibration: bool
    checked_samples: int
    multiply_accumulates: int
    steps: int
    output_max_abs_error: float
    output_range: float
    output_cosine: float
    top1_agreement: Optional[float]
    layers: list[Layer]
    inputs: list[Port]
    outputs: list[Port]

    @staticmethod
    def from_json(o: dict[str, Any]) -> "ImportResult":
        return from_object(ImportResult, o, layers=[Layer(**layer) for layer in o["layers"]],
                           inputs=[Port(p["onnx"], p["zkasm"], tuple(p["shape"])) for p in o["inputs"]],
                           outputs=[Port(p["onnx"], p["zkasm"], tuple(p["shape"])) for p in o["outputs"]])


@dataclass(frozen=True)
class AssembleResult:
    """`zkvm asm`: the bytecode written and the program's digest."""
    file: str
    instructions: int
    tensors: int
    memory_cells: int
    program_digest: str


@dataclass(frozen=True)
class ExecResult:
    """`zkvm exec`: the outputs and the run's counts."""
    outputs: list[Tensor]
    steps: int
    lookups: dict[str, int]
    clamped_lookups: dict[str, int]
    multiply_accumulates: int
    seconds: float

    @staticmethod
    def from_json(o: dict[str, Any]) -> "ExecResult":
        return from_object(ExecResult, o, outputs=[Tensor.from_json(t) for t in o["outputs"]])


@dataclass(frozen=True)
class CommitResult:
    """`zkvm commit`: the published weight commitment."""
    program_digest: str
    commitment: str
    file: str


@dataclass(frozen=True)
class Phase:
    name: str
    seconds: float


@dataclass(frozen=True)
class ProveResult:
    """`zkvm prove`: the proof written and what it cost."""
    proof: str
    steps: int
    rows: int
    segments: list[dict[str, Any]]
    phases: list[Phase]
    prove_seconds: float
    proof_bytes: int
    queries: int
    proven_bits: float
    conjectured_bits: float
    program_digest: str

    @staticmethod
    def from_json(o: dict[str, Any], proof: str) -> "ProveResult":
        return from_object(ProveResult, o, proof=proof, phases=[Phase(p["name"], p["seconds"]) for p in o["phases"]])


@dataclass(frozen=True)
class VerifyResult:
    """`zkvm verify`: a valid proof's statement (its public values)."""
    valid: bool
    program_digest: str
    public_inputs: list[Tensor]
    public_outputs: list[Tensor]
    proven_bits: float
    conjectured_bits: float
    seconds: float
    segments: int
    commitment: Optional[str]
    key_digest: Optional[str]

    @staticmethod
    def from_json(o: dict[str, Any]) -> "VerifyResult":
        return from_object(VerifyResult, o, public_inputs=[Tensor.from_json(t) for t in o["public_inputs"]],
                           public_outputs=[Tensor.from_json(t) for t in o["public_outputs"]])


@dataclass(frozen=True)
class VerificationKeyResult:
    """`zkvm export-vk`: the key written and its digest."""
    key_digest: str
    program_digest: str
    key_bytes: int
    hidden_weight_values: int
    file: str


@dataclass(frozen=True)
class TraceRows:
    """`zkvm trace --format json`: the selected rows of one stream."""
    stream: str
    rows: list[dict[str, int]]


@dataclass(frozen=True)
class BenchResult:
    """`zkvm bench --json`: measurements and target checks."""
    threads: int
    quick: bool
    measurements: list[dict[str, Any]]
    targets: list[dict[str, Any]]

    def value(self, name: str) -> Optional[float]:
        return next((m["value"] for m in self.measurements if m["name"] == name), None)


@dataclass(frozen=True)
class Progress:
    """A progress event of `zkvm prove` ("zkvm.progress/1"): `event` is
    execute, commit, prove or done; `fraction` of the proving steps are
    finished when it is reported."""
    event: str
    message: str
    seconds: float
    fraction: float
    segment: Optional[int] = None
    segments: Optional[int] = None


@dataclass
class ModelRun:
    """A one-call flow's result: the outputs, the import's accuracy report,
    the proof and its verification, and the files made on the way."""
    outputs: list[np.ndarray]
    accuracy: ImportResult
    proof: ProveResult
    verification: VerifyResult
    program: str
    files: dict[str, str] = field(default_factory=dict)

    @property
    def verified(self) -> bool:
        return self.verification.valid
