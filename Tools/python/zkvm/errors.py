"""Exceptions raised by the zkvm package."""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Optional

_LOCATION = re.compile(r"(?P<file>[^\s:]+):(?P<line>\d+):(?P<column>\d+)")
_NODE = re.compile(r"node '(?P<node>[^']*)'(?: \((?P<op>[^)]*)\))?")
_LOST_AT = re.compile(r"precision is lost at node (?P<node>.+?) \(value")
_OFFSET = re.compile(r"byte offset (?P<offset>\d+)")


@dataclass(frozen=True)
class SourceLocation:
    """Where a `.zkasm` error is: file, 1-based line and column."""
    file: str
    line: int
    column: int


class ZkvmError(Exception):
    """A zkvm command failed. `message` is the CLI's error text, `exit_code`
    its exit status and `command` the arguments it ran with."""

    def __init__(self, message: str, exit_code: int = 1, command: Optional[list[str]] = None):
        super().__init__(message)
        self.message = message
        self.exit_code = exit_code
        self.command = command or []

    @property
    def location(self) -> Optional[SourceLocation]:
        """The `file:line:col` of a `.zkasm` error, when the message has one."""
        m = _LOCATION.search(self.message)
        return SourceLocation(m["file"], int(m["line"]), int(m["column"])) if m else None

    @property
    def node(self) -> Optional[str]:
        """The ONNX node a model error names (`node 'name' (Op)`, or where the
        accuracy guard found the precision lost), when it names one."""
        m = _NODE.search(self.message)
        if m:
            return m["node"]
        lost = _LOST_AT.search(self.message)
        return lost["node"] if lost else None

    @property
    def operator(self) -> Optional[str]:
        """The operator of the node a model error names, when it gives it."""
        m = _NODE.search(self.message)
        return m["op"] if m else None

    @property
    def byte_offset(self) -> Optional[int]:
        """The byte offset a trace or proof error points at, when it gives one."""
        m = _OFFSET.search(self.message)
        return int(m["offset"]) if m else None


class ZkvmNotFoundError(ZkvmError):
    """The `zkvm` binary was not found (build it, or set ZKVM_BIN)."""


class InvalidProofError(ZkvmError):
    """`zkvm verify` rejected the proof; `message` says which check."""


class SchemaError(ZkvmError):
    """The CLI printed JSON of a schema this package does not read."""
