"""Running the real `tabian` command in a subprocess, as a user (or an acceptance check) would."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any


@dataclass
class Result:
    code: int
    stdout: str
    stderr: str

    @property
    def json(self) -> Any:
        return json.loads(self.stdout)

    @property
    def json_lines(self) -> list[Any]:
        return [json.loads(line) for line in self.stdout.splitlines() if line.strip()]


def tabian(*args: str | Path, data_dir: Path, env: dict[str, str] | None = None,
           timeout: float = 300) -> Result:
    full_env = {**os.environ, "TABIAN_ACTOR": "test:cli", **(env or {})}
    proc = subprocess.run(
        [sys.executable, "-m", "api.cli", "--data-dir", str(data_dir), *map(str, args)],
        capture_output=True, text=True, env=full_env, timeout=timeout,
    )
    return Result(proc.returncode, proc.stdout, proc.stderr)
