"""Running web uploads' ingest batches in the background, one at a time, in a child process.

A child process keeps OCR's memory and CPU out of the web server and lets the audit log name
the uploader (TABIAN_ACTOR); the queue keeps two uploads from fighting over the cores.
"""

from __future__ import annotations

import json
import logging
import os
import queue
import subprocess
import sys
import threading
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from archive import audit
from archive.archive import Archive
from archive.catalog import IngestBatch

log = logging.getLogger(__name__)

REPO_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_JOBS = max(1, (os.cpu_count() or 2) // 2)


@dataclass(frozen=True)
class BatchJob:
    archive: Archive
    batch_id: str
    spool: Path
    actor: str
    jobs: int = DEFAULT_JOBS


class BatchRunner:
    """A queue and one thread that runs each job's child process to its end."""

    def __init__(self) -> None:
        self._queue: queue.Queue[BatchJob] = queue.Queue()
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None

    def submit(self, job: BatchJob) -> None:
        with self._lock:
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._loop, name="tabian-ingest",
                                                daemon=True)
                self._thread.start()
        self._queue.put(job)

    def _loop(self) -> None:
        while True:
            job = self._queue.get()
            try:
                run_job(job)
            except Exception:  # the runner must outlive one broken job
                log.exception("ingest batch %s failed", job.batch_id)
            finally:
                self._queue.task_done()

    def wait_idle(self) -> None:
        """Until every submitted job has ended (tests)."""
        self._queue.join()


def run_job(job: BatchJob) -> None:
    from api.services.ingest_spool import remove

    payload = json.dumps({
        "settings": job.archive.settings.model_dump(mode="json"),
        "batch_id": job.batch_id, "paths": [str(job.spool / "files")], "jobs": job.jobs,
    })
    env = {**os.environ, "TABIAN_ACTOR": job.actor,
           "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO_ROOT),
                                                        os.environ.get("PYTHONPATH")]))}
    try:
        done = subprocess.run(
            [sys.executable, "-m", "api.services.ingest_worker"], input=payload, env=env,
            capture_output=True, text=True, check=False,
        )
        if done.returncode != 0:
            log.error("ingest batch %s: worker exited %s: %s", job.batch_id, done.returncode,
                      done.stderr[-2000:])
            _mark_failed(job, f"worker exited with status {done.returncode}")
    finally:
        remove(job.spool)


def _mark_failed(job: BatchJob, why: str) -> None:
    with job.archive.catalog.session() as s:
        batch = s.get(IngestBatch, job.batch_id)
        if batch is None or batch.state == "done":
            return
        batch.state, batch.finished_at = "failed", datetime.now(UTC)
        batch.report = {**(batch.report or {}), "failure": why}
        audit.append(s, action="ingest.failed", subject=f"batch:{job.batch_id}",
                     actor="system:ingest", details={"reason": why})


RUNNER = BatchRunner()
