"""One-call flows, progress, batches, and the scikit-learn and PyTorch doors."""
from __future__ import annotations

import numpy as np
import pytest

import zkvm
from conftest import fixture, reference


def test_three_lines_prove_and_verify_the_mlp_fixture(tmp_path):
    run = zkvm.prove_model(fixture("mlp") / "model.onnx", fixture("mlp") / "input.json",
                           calibration=fixture("mlp") / "calibration.json", workdir=tmp_path)
    assert run.verified
    expected = np.asarray(reference("mlp")["outputs"][0])
    assert run.outputs[0].shape == (1, 10) and np.max(np.abs(run.outputs[0].ravel() - expected)) <= 0.02
    assert run.accuracy.top1_agreement == 1.0 and run.proof.proven_bits >= 100
    assert set(run.files) == {"model", "program", "proof", "commitment"}


def test_progress_callback_sees_every_phase_in_order(tmp_path):
    events: list[zkvm.Progress] = []
    zkvm.prove_model(fixture("mlp") / "model.onnx", fixture("mlp") / "input.json",
                     calibration=fixture("mlp") / "calibration.json", workdir=tmp_path, progress=events.append)
    assert [e.event for e in events] == ["execute", "commit", "prove", "done"]
    fractions = [e.fraction for e in events]
    assert fractions == sorted(fractions) and fractions[-1] == 1.0
    assert all(e.segments == 1 for e in events if e.event in ("commit", "prove"))


def test_progress_with_segments_counts_each_segment(tmp_path):
    program = fixture("mlp").parent.parent.parent.parent / "Programs" / "collatz" / "collatz.zkasm"
    events: list[zkvm.Progress] = []
    zkvm.prove(program, program.parent / "input.json", tmp_path / "c.zkp", segment_rows=64, progress=events.append)
    steps = [e for e in events if e.event in ("commit", "prove")]
    n = steps[0].segments
    assert n >= 2 and len(steps) == 2 * n
    assert [e.segment for e in steps] == list(range(n)) * 2


def test_a_batch_is_one_proof_with_every_sample_in_the_statement(tmp_path):
    ref = reference("mlp")
    samples = np.asarray(ref["inputs"][:4]).reshape(4, 1, 8, 8)
    run = zkvm.prove_batch(fixture("mlp") / "model.onnx", samples, calibration=fixture("mlp") / "calibration.json",
                           workdir=tmp_path)
    assert run.verified and run.outputs[0].shape == (4, 10)
    expected = np.asarray(ref["outputs"][:4])
    assert np.max(np.abs(run.outputs[0] - expected)) <= 0.02
    assert np.array_equal(np.argmax(run.outputs[0], axis=1), np.argmax(expected, axis=1))
    # The statement holds every sample's outputs: the proof's public outputs are 4 × 10 values.
    assert len(run.verification.public_outputs[0].raw) == 40
    with pytest.raises(ValueError):
        zkvm.prove_batch(fixture("mlp") / "model.onnx", [samples, samples[:2]])


def test_sklearn_estimator_proves_its_probabilities(tmp_path):
    pytest.importorskip("skl2onnx")
    from sklearn.datasets import load_digits
    from sklearn.linear_model import LogisticRegression
    digits = load_digits()
    X, y = digits.data[:300] / 16.0, digits.target[:300]
    model = LogisticRegression(max_iter=300).fit(X, y)
    run = zkvm.sklearn.prove(model, X, sample=7, workdir=tmp_path)
    assert run.verified
    label, probabilities = run.outputs
    assert int(label.ravel()[0]) == int(model.predict(X[7:8])[0])
    assert np.max(np.abs(probabilities.ravel() - model.predict_proba(X[7:8]).ravel())) <= 0.01


def test_torch_module_proves_when_torch_is_installed(tmp_path):
    torch = pytest.importorskip("torch")
    module = torch.nn.Sequential(torch.nn.Linear(6, 4), torch.nn.ReLU(), torch.nn.Linear(4, 2))
    x = torch.randn(1, 6)
    run = zkvm.torch.prove(module, x, calibration=torch.randn(32, 6), workdir=tmp_path)
    assert run.verified
    assert np.max(np.abs(run.outputs[0].ravel() - module(x).detach().numpy().ravel())) <= 0.02


def test_progress_true_drives_a_tqdm_bar_to_the_end(tmp_path, monkeypatch):
    import sys
    import types
    bars = []

    class FakeBar:
        def __init__(self, total, **kwargs):
            self.total, self.n, self.closed = total, 0, False
            bars.append(self)

        def update(self, k):
            self.n += k

        def set_postfix_str(self, text):
            self.postfix = text

        def close(self):
            self.closed = True

    monkeypatch.setitem(sys.modules, "tqdm", types.SimpleNamespace(tqdm=FakeBar))
    program = tmp_path / "mlp.zkasm"
    zkvm.import_model(fixture("mlp") / "model.onnx", program, calibration=fixture("mlp") / "calibration.json",
                      weight_visibility="public")
    zkvm.prove(program, fixture("mlp") / "input.json", tmp_path / "mlp.zkp", progress=True)
    assert len(bars) == 1 and bars[0].n == bars[0].total == 100 and bars[0].closed
