"""Progress of long commands: `zkvm prove --progress json` lines turned
into `Progress` events for a callback, a tqdm bar, or text."""
from __future__ import annotations

import json
import sys
from typing import Any, Callable, Optional, Union

from .results import Progress

#: None (quiet), a callback taking Progress, or True (a tqdm bar when tqdm
#: is installed, else text lines on stderr).
ProgressArgument = Union[None, bool, Callable[[Progress], None]]


def parse(line: str) -> Optional[Progress]:
    """The event in one stderr line, or None for any other line."""
    try:
        o = json.loads(line)
    except ValueError:
        return None
    if not isinstance(o, dict) or o.get("schema") != "zkvm.progress/1":
        return None
    event = o.get("event", "")
    if event == "done":
        fraction = 1.0
    elif "total" in o and o["total"]:
        fraction = o["completed"] / o["total"]
    else:
        fraction = 0.0
    return Progress(event=event, message=o.get("message", ""), seconds=float(o.get("seconds", 0)), fraction=fraction,
                    segment=o.get("segment"), segments=o.get("segments"))


class Reporter:
    """Routes progress events to the chosen sink while a command runs."""

    def __init__(self, progress: ProgressArgument):
        self.callback: Optional[Callable[[Progress], None]] = None
        self.bar: Any = None
        if callable(progress):
            self.callback = progress
        elif progress is True:
            try:
                from tqdm import tqdm
                self.bar = tqdm(total=100, unit="%", desc="zkvm prove", leave=False)
                self.callback = self._advance_bar
            except ImportError:
                self.callback = lambda p: print(f"zkvm: {p.message}", file=sys.stderr)
        self.active = self.callback is not None

    def _advance_bar(self, p: Progress) -> None:
        self.bar.set_postfix_str(p.message[:40])
        self.bar.update(round(100 * p.fraction) - self.bar.n)

    def line(self, text: str) -> None:
        event = parse(text)
        if event is not None and self.callback is not None:
            self.callback(event)

    def __enter__(self) -> "Reporter":
        return self

    def __exit__(self, *exc: Any) -> None:
        if self.bar is not None:
            self.bar.close()
