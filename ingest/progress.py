"""A plain progress line on stderr: files and pages done, rate, time left."""

from __future__ import annotations

import sys
import time
from typing import TextIO


def _clock(seconds: float) -> str:
    seconds = int(max(seconds, 0))
    h, rest = divmod(seconds, 3600)
    m, s = divmod(rest, 60)
    return f"{h}:{m:02d}:{s:02d}" if h else f"{m:02d}:{s:02d}"


class Progress:
    """Redraws one line in a terminal; in a log (not a tty) prints a line every few seconds."""

    def __init__(self, total_files: int, *, stream: TextIO | None = None,
                 enabled: bool = True, log_every_s: float = 10.0) -> None:
        self.total = total_files
        self.stream = stream or sys.stderr
        self.enabled = enabled
        self.tty = self.stream.isatty()
        self.started = time.monotonic()
        self.files = self.pages = self.rejected = self.duplicates = 0
        self._last_draw = 0.0
        self.log_every_s = log_every_s

    def update(self, *, pages: int, status: str) -> None:
        self.files += 1
        self.pages += pages
        if status == "rejected":
            self.rejected += 1
        elif status == "duplicate":
            self.duplicates += 1
        self.draw()

    def line(self) -> str:
        elapsed = time.monotonic() - self.started
        rate = self.pages / elapsed * 60 if elapsed > 0 else 0.0
        per_file = elapsed / self.files if self.files else 0.0
        eta = per_file * (self.total - self.files)
        width = 24
        filled = int(width * self.files / self.total) if self.total else width
        bar = "#" * filled + "-" * (width - filled)
        return (
            f"ingest [{bar}] {self.files}/{self.total} files, {self.pages} pages, "
            f"{rate:.1f} pages/min, rejected {self.rejected}, duplicates {self.duplicates}, "
            f"elapsed {_clock(elapsed)}, left ~{_clock(eta)}"
        )

    def draw(self, *, final: bool = False) -> None:
        if not self.enabled:
            return
        now = time.monotonic()
        if self.tty:
            self.stream.write("\r" + self.line() + ("\n" if final else ""))
            self.stream.flush()
        elif final or now - self._last_draw >= self.log_every_s:
            self.stream.write(self.line() + "\n")
            self.stream.flush()
            self._last_draw = now
