"""CLI output conventions shared by every command: JSON on stdout, people's text on stderr."""

from __future__ import annotations

import json
import sys
from typing import Any

EXIT_OK, EXIT_FAILURE, EXIT_USAGE = 0, 1, 2


class UsageError(Exception):
    """The caller asked for something that cannot be done as asked (exit 2)."""


def emit_json(value: Any) -> None:
    sys.stdout.write(json.dumps(value, ensure_ascii=False) + "\n")
    sys.stdout.flush()


def say(message: str) -> None:
    """Text for people that must not mix with JSON on stdout."""
    print(message, file=sys.stderr)
