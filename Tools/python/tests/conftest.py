"""Shared fixtures: the repository's committed models, and a scratch folder."""
from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
FIXTURES = ROOT / "Tests" / "ImporterTests" / "Fixtures"
PROGRAMS = ROOT / "Programs"


@pytest.fixture(scope="session", autouse=True)
def zkvm_binary() -> str:
    """The binary under test: $ZKVM_BIN, else the release build of this checkout."""
    path = os.environ.get("ZKVM_BIN") or str(ROOT / ".build" / "release" / "zkvm")
    if not os.access(path, os.X_OK):
        pytest.exit(f"no zkvm binary at {path}: build it first (swift build -c release)", returncode=2)
    os.environ["ZKVM_BIN"] = path
    return path


def fixture(name: str) -> Path:
    return FIXTURES / name


def reference(name: str) -> dict:
    return json.loads((FIXTURES / name / "reference.json").read_text())
