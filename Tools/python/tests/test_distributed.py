"""Proving in segments on a local Ray cluster of two workers."""
from __future__ import annotations

import os
import signal
import subprocess
import sys

import pytest

ray = pytest.importorskip("ray")

import zkvm  # noqa: E402
from zkvm import distributed  # noqa: E402
from conftest import PROGRAMS, ROOT, fixture  # noqa: E402

COLLATZ = PROGRAMS / "collatz"


@pytest.fixture(scope="module", autouse=True)
def cluster():
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
    yield
    ray.shutdown()


def test_segments_prove_on_two_workers_and_the_bundle_verifies(tmp_path):
    messages: list[str] = []
    result = distributed.prove(COLLATZ / "collatz.zkasm", COLLATZ / "input.json", tmp_path / "c.zkp", segment_rows=256,
                               progress=messages.append)
    assert result.segments >= 4 and result.workers == 2 and result.restarts == 0 and result.rounds == 1
    assert result.verification.valid and result.verification.segments == result.segments
    # The single-machine verifier accepts the bundle.
    again = zkvm.verify(tmp_path / "c.zkp", program=COLLATZ / "collatz.zkasm")
    assert again.valid and again.public_outputs[0].raw == result.verification.public_outputs[0].raw
    assert sum("committed" in m for m in messages) == result.segments and sum("proved" in m for m in messages) == result.segments


def test_committed_weights_travel_with_the_program(tmp_path):
    program = tmp_path / "mlp.zkasm"
    zkvm.import_model(fixture("mlp") / "model.onnx", program, calibration=fixture("mlp") / "calibration.json")
    commitment = zkvm.commit(program)
    result = distributed.prove(program, fixture("mlp") / "input.json", tmp_path / "mlp.zkp")
    assert result.verification.valid and result.verification.commitment == commitment.commitment


@pytest.mark.parametrize("phase", ["committed", "proved"])
def test_a_killed_worker_is_restarted_with_fresh_seeds(tmp_path, phase):
    pids: list[int] = []
    killed: list[str] = []

    def remember(actors):
        pids.extend(ray.get([a.pid.remote() for a in actors]))

    def kill_once(message: str) -> None:
        if not killed and phase in message:
            killed.append(message)
            os.kill(pids[1], signal.SIGKILL)

    # Small segments, so the killed worker still has tasks queued when it dies.
    result = distributed.prove(COLLATZ / "collatz.zkasm", COLLATZ / "input.json", tmp_path / "c.zkp", segment_rows=64,
                               progress=kill_once, on_actors=remember)
    assert killed and result.restarts >= 1 and result.rounds >= 2
    assert result.verification.valid
    assert any("worker died" in m for m in result.log)


def test_a_segment_that_fails_for_good_names_itself(tmp_path):
    bad = tmp_path / "input.json"
    bad.write_text('{"input_data": [[1, 2, 3, 4, 5, 6, 7]]}')
    with pytest.raises(distributed.DistributedError) as caught:
        distributed.prove(COLLATZ / "collatz.zkasm", bad, tmp_path / "c.zkp", segment_rows=256)
    assert caught.value.segment == 0 and "input" in caught.value.message
    assert not (tmp_path / "c.zkp").exists()


def test_memory_declared_from_the_segment_size():
    assert distributed.segment_memory(1 << 16) < distributed.segment_memory(1 << 17) < 3 << 30
    assert distributed.segment_memory(None) == distributed.segment_memory(distributed.DEFAULT_SEGMENT_ROWS)


def test_the_command_line_driver(tmp_path):
    env = dict(os.environ, PYTHONPATH=str(ROOT / "Tools" / "python"))
    out = subprocess.run([sys.executable, "-m", "zkvm.distributed", "prove", str(COLLATZ / "collatz.zkasm"),
                          "--input", str(COLLATZ / "input.json"), "-o", str(tmp_path / "c.zkp"), "--segment-rows", "512",
                          "--address", "auto"], capture_output=True, text=True, env=env, timeout=300)
    assert out.returncode == 0, out.stderr
    assert "verified" in out.stdout and "distributed: segment 1/" in out.stderr
