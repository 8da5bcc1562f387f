"""Fault injection for the crash-safety tests: die at a named point like `kill -9` would."""

from __future__ import annotations

import os
import signal
from pathlib import Path


def crash_point(name: str) -> None:
    """TABIAN_CRASH_AT names the point; TABIAN_CRASH_AFTER (default 0) passes go by first.

    The passes are counted in TABIAN_CRASH_COUNTER_FILE, across processes (as in ingest).
    """
    if os.environ.get("TABIAN_CRASH_AT") != name:
        return
    counter = Path(os.environ.get("TABIAN_CRASH_COUNTER_FILE", "/nonexistent"))
    passes = int(counter.read_text()) if counter.is_file() else 0
    if passes >= int(os.environ.get("TABIAN_CRASH_AFTER", "0")):
        os.kill(os.getpid(), signal.SIGKILL)
    if counter.parent.is_dir():
        counter.write_text(str(passes + 1))
