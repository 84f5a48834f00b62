"""Finding and running the `zkvm` binary."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import threading
from pathlib import Path
from typing import Any, Callable, Optional, Sequence

from .errors import SchemaError, ZkvmError, ZkvmNotFoundError

SCHEMA_VERSION = 1


def binary() -> str:
    """The zkvm executable: $ZKVM_BIN, else `.build/release/zkvm` in the
    working directory or a parent of it, else `zkvm` on PATH."""
    explicit = os.environ.get("ZKVM_BIN")
    if explicit:
        if not os.access(explicit, os.X_OK):
            raise ZkvmNotFoundError(f"ZKVM_BIN={explicit} is not an executable file", 127)
        return explicit
    here = Path.cwd().resolve()
    for folder in [here, *here.parents]:
        candidate = folder / ".build" / "release" / "zkvm"
        if os.access(candidate, os.X_OK):
            return str(candidate)
    on_path = shutil.which("zkvm")
    if on_path:
        return on_path
    raise ZkvmNotFoundError("zkvm binary not found: build it (bash Tools/run.sh) or set ZKVM_BIN", 127)


def _error_text(stderr: str) -> str:
    """The error lines of stderr (progress lines dropped), without the 'error: ' prefix."""
    lines = [ln for ln in stderr.splitlines() if ln.strip() and not ln.startswith("{")]
    errors = [ln for ln in lines if "error" in ln]
    text = "\n".join(errors or lines).strip()
    return text[len("error: "):] if text.startswith("error: ") else text


def run(args: Sequence[str], command: str, *, on_line: Optional[Callable[[str], None]] = None,
        error_type: type[ZkvmError] = ZkvmError, json_flag: str = "--json") -> dict[str, Any]:
    """Runs `zkvm ARGS --json` and returns its object after checking that its
    schema is `zkvm.COMMAND/1`. Each stderr line goes to `on_line` as it
    arrives. A non-zero exit raises `error_type` with the CLI's message."""
    argv = [binary(), command, *map(str, args), *json_flag.split()]
    process = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    lines: list[str] = []

    def drain() -> None:
        assert process.stderr is not None
        for line in process.stderr:
            lines.append(line)
            if on_line is not None:
                on_line(line.rstrip("\n"))

    reader = threading.Thread(target=drain, daemon=True)
    reader.start()
    assert process.stdout is not None
    stdout = process.stdout.read()
    process.wait()
    reader.join()
    stderr = "".join(lines)
    if process.returncode != 0:
        message = _error_text(stderr)
        try:   # verify --json prints {"valid": false, "error": …}
            message = json.loads(stdout).get("error", message) or message
        except (ValueError, AttributeError):
            pass
        raise error_type(message or f"zkvm {command} failed", process.returncode, argv)
    return parse(stdout, command, argv)


def parse(stdout: str, command: str, argv: Sequence[str] = ()) -> dict[str, Any]:
    """The JSON object in `stdout`, checked to be schema `zkvm.COMMAND/1`."""
    try:
        obj = json.loads(stdout)
    except ValueError as e:
        raise SchemaError(f"zkvm {command} printed no JSON object: {e}", 1, list(argv)) from None
    expected = f"zkvm.{command}/{SCHEMA_VERSION}"
    if not isinstance(obj, dict) or obj.get("schema") != expected:
        found = obj.get("schema") if isinstance(obj, dict) else type(obj).__name__
        raise SchemaError(f"zkvm {command} printed schema {found!r}; this package reads {expected!r}", 1, list(argv))
    return obj
