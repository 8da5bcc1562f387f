"""kill -9 an ingest at several points, run it again: every file stored exactly once, verify clean."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.cli import tabian
from tests.ingest.pages import write_scan_pdf

pytestmark = pytest.mark.ocr

N_FILES = 5


@pytest.fixture
def inbox(tmp_path: Path) -> Path:
    root = tmp_path / "inbox" / "1101700203450"
    for i in range(N_FILES):
        write_scan_pdf(root / f"doc{i}.pdf", [f"เอกสารที่ {i}", "นายสมชาย ใจดี"])
    return root.parent


def _assert_stored_exactly_once(data_dir: Path, inbox: Path) -> None:
    final = tabian("ingest", inbox, "--json", "--quiet", data_dir=data_dir)
    assert final.code == 0, final.stderr
    lines = final.json_lines
    assert len(lines) == N_FILES
    assert all(o["status"] in {"stored", "duplicate"} for o in lines)
    assert len({o["document_id"] for o in lines}) == N_FILES
    verify = tabian("verify", "--json", data_dir=data_dir)
    assert verify.json["problems"] == [], verify.json
    assert verify.json["objects"] == 3 * N_FILES
    assert tabian("audit", "verify", "--json", data_dir=data_dir).json["ok"] is True


@pytest.mark.parametrize("point", ["after_objects", "before_commit"])
def test_kill_at_the_dangerous_moments_then_rerun(
    inbox: Path, tmp_path: Path, point: str
) -> None:
    # GIVEN an ingest that dies like kill -9 at `point` on the third file
    data_dir = tmp_path / "data"
    env = {"TABIAN_CRASH_AT": point, "TABIAN_CRASH_AFTER": "2",
           "TABIAN_CRASH_COUNTER_FILE": str(tmp_path / "counter")}
    crashed = tabian("ingest", inbox, "--json", "--quiet", data_dir=data_dir, env=env)
    assert crashed.code == -signal.SIGKILL
    assert len(crashed.json_lines) == 2
    # WHEN the same command runs again THEN everything is stored once and nothing is left over
    _assert_stored_exactly_once(data_dir, inbox)


def test_kill_a_running_parallel_ingest_at_random_moments(inbox: Path, tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    for delay in (0.5, 2.0, 4.0):
        proc = subprocess.Popen(
            [sys.executable, "-m", "api.cli", "--data-dir", str(data_dir), "ingest", str(inbox),
             "--json", "--quiet", "--jobs", "2"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
        )
        time.sleep(delay)
        os.killpg(proc.pid, signal.SIGKILL)  # the coordinator and its workers, all at once
        proc.wait()
    _assert_stored_exactly_once(data_dir, inbox)
