"""One-call flows: import an ONNX model, commit its weights, prove a run
and verify the proof, in a working folder whose files the result lists."""
from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any, Optional, Sequence

import numpy as np

from . import commands
from .commands import Inputs, PathLike
from .progress import ProgressArgument
from .results import ModelRun


def prove_model(model: PathLike, inputs: Inputs, *, calibration: Inputs = None, workdir: Optional[PathLike] = None,
                input_shapes: Optional[dict[str, Sequence[int]]] = None, batch: Optional[int] = None,
                weight_visibility: Optional[str] = None, progress: ProgressArgument = None,
                **import_options: Any) -> ModelRun:
    """Imports `model` (calibrated on `calibration`), commits its weights,
    proves one run on `inputs` and verifies the proof. Files go to `workdir`
    (a new temporary folder by default). Extra keywords go to `import_model`."""
    folder = Path(workdir) if workdir is not None else Path(tempfile.mkdtemp(prefix="zkvm-"))
    folder.mkdir(parents=True, exist_ok=True)
    program, proof = folder / "model.zkasm", folder / "model.zkp"
    report = commands.import_model(model, program, calibration=calibration, input_shapes=input_shapes, batch=batch,
                                   weight_visibility=weight_visibility, **import_options)
    files = {"model": os.fspath(model), "program": str(program), "proof": str(proof)}
    if weight_visibility in (None, "committed"):
        files["commitment"] = commands.commit(program).file
    proved = commands.prove(program, inputs, proof, progress=progress)
    verification = commands.verify(proof, program=program)
    if verification.public_outputs:
        outputs = [t.values.reshape(port.shape) for t, port in zip(verification.public_outputs, report.outputs)]
    else:   # private outputs: the prover reads them from a run
        outputs = [t.values for t in commands.execute(program, inputs).outputs]
    return ModelRun(outputs=outputs, accuracy=report, proof=proved, verification=verification, program=str(program),
                    files=files)


def prove_batch(model: PathLike, samples: Any, *, calibration: Inputs = None, **options: Any) -> ModelRun:
    """One proof for N samples of a model with a batch dimension: imported
    with `batch=N`, run on the samples stacked. `samples` is an array of N
    samples (one input) or a list of such arrays, one per input; each output
    of the result has the samples along axis 0, all in the proof's statement."""
    per_input = [np.asarray(samples)] if isinstance(samples, np.ndarray) else [np.asarray(s) for s in samples]
    n = len(per_input[0])
    if n == 0 or any(len(s) != n for s in per_input):
        raise ValueError("prove_batch needs the same number (≥ 1) of samples for every input")
    stacked = [s.reshape(n, -1).ravel() for s in per_input]
    result = prove_model(model, stacked, calibration=per_input if calibration is None else calibration, batch=n, **options)
    return result
