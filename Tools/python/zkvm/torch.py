"""Prove a PyTorch module's output: exported with torch.onnx.export (opset
17, TorchScript exporter), then `prove_model`. Needs torch installed."""
from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any, Optional

import numpy as np

from .flows import prove_model
from .results import ModelRun


def to_onnx(module: Any, example_input: Any, path: str) -> str:
    """Writes `module` (in eval mode) as ONNX with one input "input"."""
    import torch
    module = module.eval()
    example = example_input if isinstance(example_input, torch.Tensor) else torch.as_tensor(np.asarray(example_input))
    kwargs: dict[str, Any] = {"opset_version": 17, "input_names": ["input"], "output_names": ["output"]}
    try:
        torch.onnx.export(module, (example,), path, dynamo=False, **kwargs)
    except TypeError:   # torch before the dynamo switch
        torch.onnx.export(module, (example,), path, **kwargs)
    return path


def prove(module: Any, example_input: Any, *, calibration: Any = None, workdir: Optional[str] = None,
          **options: Any) -> ModelRun:
    """Proves `module` on `example_input` (a batch of one), calibrated on
    `calibration` (samples shaped like it, stacked) or on the example."""
    folder = Path(workdir) if workdir is not None else Path(tempfile.mkdtemp(prefix="zkvm-torch-"))
    folder.mkdir(parents=True, exist_ok=True)
    x = example_input.detach().cpu().numpy() if hasattr(example_input, "detach") else np.asarray(example_input)
    cal = calibration.detach().cpu().numpy() if hasattr(calibration, "detach") else calibration
    model = to_onnx(module, example_input, str(folder / "module.onnx"))
    return prove_model(model, [x], calibration=[x if cal is None else np.asarray(cal)], workdir=folder, **options)
