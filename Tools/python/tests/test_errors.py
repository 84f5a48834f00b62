"""Failures raise typed exceptions carrying the CLI's message, location and exit code."""
from __future__ import annotations

import os

import pytest

import zkvm
from zkvm import trace
from conftest import fixture


def test_zkasm_error_has_file_line_and_column(tmp_path):
    bad = tmp_path / "bad.zkasm"
    bad.write_text("input x [2] scale 0\nhalt\nfrobnicate r1, r2\n")
    with pytest.raises(zkvm.ZkvmError) as caught:
        zkvm.execute(bad)
    e = caught.value
    assert e.exit_code == 1 and e.command[1] == "exec"
    assert e.location is not None and e.location.file == str(bad) and e.location.line >= 1 and e.location.column >= 1


def test_model_error_names_the_node_and_operator(tmp_path):
    onnx = pytest.importorskip("onnx")
    from onnx import TensorProto, helper
    node = helper.make_node("Loop", ["x"], ["y"], name="the_loop")
    graph = helper.make_graph([node], "g", [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 2])],
                              [helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, 2])])
    path = tmp_path / "loop.onnx"
    onnx.save(helper.make_model(graph), str(path))
    with pytest.raises(zkvm.ZkvmError) as caught:
        zkvm.import_model(path, tmp_path / "loop.zkasm")
    assert caught.value.node == "the_loop" and caught.value.operator == "Loop"
    assert not (tmp_path / "loop.zkasm").exists()


def test_tampered_proof_is_rejected_with_the_check(tmp_path):
    program = tmp_path / "mlp.zkasm"
    zkvm.import_model(fixture("mlp") / "model.onnx", program, calibration=fixture("mlp") / "calibration.json",
                      weight_visibility="public")
    proof = zkvm.prove(program, fixture("mlp") / "input.json", tmp_path / "mlp.zkp")
    data = bytearray(open(proof.proof, "rb").read())
    truncated = tmp_path / "truncated.zkp"
    truncated.write_bytes(data[:100])
    with pytest.raises(zkvm.InvalidProofError) as caught:
        zkvm.verify(truncated, program=program)
    assert caught.value.byte_offset is not None and caught.value.exit_code == 1
    data[len(data) // 2] ^= 1
    flipped = tmp_path / "flipped.zkp"
    flipped.write_bytes(bytes(data))
    with pytest.raises(zkvm.InvalidProofError):
        zkvm.verify(flipped, program=program)


def test_missing_binary_and_bad_trace(tmp_path, monkeypatch):
    monkeypatch.setenv("ZKVM_BIN", str(tmp_path / "nowhere"))
    with pytest.raises(zkvm.ZkvmNotFoundError):
        zkvm.execute(tmp_path / "x.zkasm")
    dump = tmp_path / "bad.zkt"
    dump.write_bytes(b"ZKTX" + bytes(60))
    with pytest.raises(trace.TraceError) as caught:
        trace.load(str(dump))
    assert caught.value.byte_offset == 0


def test_inaccurate_import_is_refused_naming_the_node(tmp_path):
    with pytest.raises(zkvm.ZkvmError) as caught:
        zkvm.import_model(fixture("mlp") / "model.onnx", tmp_path / "m.zkasm",
                          calibration=fixture("mlp") / "calibration.json", scale_bits=2)
    assert caught.value.node is not None and "scale-bits" in caught.value.message
    assert not os.path.exists(tmp_path / "m.zkasm")
