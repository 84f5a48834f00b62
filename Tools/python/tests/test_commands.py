"""Every command's wrapper against the CLI on the committed fixtures."""
from __future__ import annotations

import json
import subprocess

import numpy as np
import pytest

import zkvm
from zkvm import trace
from conftest import PROGRAMS, fixture, reference


@pytest.fixture(scope="module")
def mlp(tmp_path_factory):
    """The MLP fixture imported, committed and proved once for the module."""
    folder = tmp_path_factory.mktemp("mlp")
    program = folder / "mlp.zkasm"
    report = zkvm.import_model(fixture("mlp") / "model.onnx", program, calibration=fixture("mlp") / "calibration.json")
    commitment = zkvm.commit(program)
    proof = zkvm.prove(program, reference("mlp")["inputs"][0], folder / "mlp.zkp")
    return folder, program, report, commitment, proof


def test_import_reports_accuracy_and_ports(mlp):
    _, program, report, _, _ = mlp
    assert isinstance(report, zkvm.ImportResult)
    assert report.program == str(program) and report.instructions > 0
    assert report.calibration_samples == 32 and not report.synthetic_calibration
    assert 0 < report.output_max_abs_error < 0.02 and report.top1_agreement == 1.0
    assert report.inputs[0].shape == (1, 1, 8, 8) and report.outputs[0].shape == (1, 10)
    assert all(isinstance(layer, zkvm.Layer) for layer in report.layers)


def test_exec_matches_onnxruntime_within_the_bound(mlp):
    _, program, _, _, _ = mlp
    ref = reference("mlp")
    for x, expected in list(zip(ref["inputs"], ref["outputs"]))[:5]:
        result = zkvm.execute(program, [np.asarray(x)])
        out = result.outputs[0]
        assert out.values.shape == (1, 10) and out.scale is not None
        assert np.max(np.abs(out.values.ravel() - np.asarray(expected))) <= 0.02
        assert out.raw == [int(round(v * 2 ** out.scale)) for v in out.values.ravel()]
    assert zkvm.exec is zkvm.execute


def test_prove_verify_and_the_statement(mlp):
    folder, program, _, commitment, proof = mlp
    assert proof.proof_bytes > 0 and proof.proven_bits >= 100 and proof.steps > 0
    assert [p.name for p in proof.phases][0] == "execute + witness"
    result = zkvm.verify(proof.proof, program=program)
    assert result.valid and result.commitment == commitment.commitment
    assert result.program_digest == proof.program_digest
    direct = zkvm.execute(program, [np.asarray(reference("mlp")["inputs"][0])]).outputs[0]
    assert result.public_outputs[0].raw == direct.raw


def test_verification_key_and_assemble(mlp):
    folder, program, report, _, proof = mlp
    key = zkvm.export_vk(program, folder / "mlp.vk")
    assert key.program_digest == proof.program_digest and key.key_bytes > 0
    by_key = zkvm.verify(proof.proof, vk=folder / "mlp.vk")
    assert by_key.valid and by_key.key_digest == key.key_digest
    binary = zkvm.assemble(program, folder / "mlp.zkbin")
    assert binary.program_digest == proof.program_digest and binary.instructions == report.instructions


def test_wrapper_adds_the_schema_check_to_every_object(mlp):
    _, program, _, _, _ = mlp
    out = subprocess.run([zkvm.binary(), "exec", str(program), "--input", str(fixture("mlp") / "input.json"), "--json"],
                         capture_output=True, text=True, check=True)
    assert json.loads(out.stdout)["schema"] == "zkvm.exec/1"
    with pytest.raises(zkvm.SchemaError):
        zkvm._runner.parse('{"schema": "zkvm.exec/2"}', "exec")


def test_trace_reader_and_trace_rows(tmp_path):
    folder = PROGRAMS / "logistic_regression"
    dump = tmp_path / "run.zkt"
    run = zkvm.execute(folder / "logistic_regression.zkasm", folder / "input.json", trace=dump)
    t = trace.load(str(dump))
    assert len(t["cpu"]["clock"]) == run.steps and len(t["mac"]["clock"]) == 4
    rows = zkvm.trace_rows(dump, "cpu", rows=(0, 3))
    assert rows.stream == "cpu" and len(rows.rows) == 3
    assert [r["clock"] for r in rows.rows] == list(t["cpu"]["clock"][:3])


def test_bench_quick_field_group():
    result = zkvm.bench(only=["field"], quick=True, repetitions=1)
    assert result.quick and result.measurements
    assert result.value(result.measurements[0]["name"]) == result.measurements[0]["value"]
