"""Prove a scikit-learn estimator's prediction: exported with skl2onnx
(probabilities without ZipMap for classifiers), then `prove_model`."""
from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any, Optional

import numpy as np

from .flows import prove_model
from .results import ModelRun


def to_onnx(estimator: Any, n_features: int, path: str) -> str:
    """Writes `estimator` as ONNX (one float input "X" of n_features columns)."""
    from skl2onnx import convert_sklearn
    from skl2onnx.common.data_types import FloatTensorType
    options = {id(estimator): {"zipmap": False}} if hasattr(estimator, "predict_proba") else None
    onx = convert_sklearn(estimator, initial_types=[("X", FloatTensorType([None, n_features]))], options=options)
    Path(path).write_bytes(onx.SerializeToString())
    return path


def prove(estimator: Any, X: Any, *, sample: int = 0, calibration: Any = None, workdir: Optional[str] = None,
          **options: Any) -> ModelRun:
    """Proves `estimator` on row `sample` of X, calibrated on X (or
    `calibration`). Classifiers' outputs are the label and the probabilities."""
    X = np.asarray(X, dtype=np.float32)
    if X.ndim != 2 or not 0 <= sample < len(X):
        raise ValueError(f"X must be a 2-D array with a row {sample}")
    folder = Path(workdir) if workdir is not None else Path(tempfile.mkdtemp(prefix="zkvm-sklearn-"))
    folder.mkdir(parents=True, exist_ok=True)
    model = to_onnx(estimator, X.shape[1], str(folder / "estimator.onnx"))
    return prove_model(model, [X[sample:sample + 1]], calibration=[X if calibration is None else calibration],
                       workdir=folder, input_shapes={"X": [1, X.shape[1]]}, **options)
