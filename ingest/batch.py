"""A bulk ingest run: walk the inputs, process files in worker processes, record the batch."""

from __future__ import annotations

import logging
import os
import socket
import tempfile
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass, field
from datetime import UTC, datetime
from multiprocessing import get_context
from pathlib import Path
from typing import Any

from sqlalchemy import select

from archive import audit
from archive.archive import Archive, open_archive
from archive.catalog import IngestBatch
from archive.config import Settings
from ingest.pipeline import FileOutcome, IngestTask, folder_hint_for, process_file
from ingest.progress import Progress

log = logging.getLogger(__name__)

WORKER_RECYCLE = 100  # files a worker process handles before a fresh one takes over
SKIPPED_NAMES = {".DS_Store", "Thumbs.db", "desktop.ini"}


def iter_input_files(paths: list[Path]) -> Iterator[Path]:
    """Every file under the given paths, depth first in name order; hidden files skipped."""
    for path in paths:
        if path.is_dir():
            for root, dirs, files in os.walk(path):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for name in sorted(files):
                    if name.startswith(".") or name in SKIPPED_NAMES:
                        continue
                    yield Path(root) / name
        else:
            yield path


@dataclass
class BatchReport:
    batch_id: str
    files: int = 0
    pages: int = 0
    stored: int = 0
    duplicates: int = 0
    rejected: int = 0
    rejected_by_reason: Counter[str] = field(default_factory=Counter)
    warnings: Counter[str] = field(default_factory=Counter)

    def add(self, outcome: FileOutcome) -> None:
        self.files += 1
        self.pages += outcome.pages
        if outcome.status == "stored":
            self.stored += 1
        elif outcome.status == "duplicate":
            self.duplicates += 1
        else:
            self.rejected += 1
            self.rejected_by_reason.update(outcome.reasons)
        self.warnings.update(outcome.warnings)

    def as_dict(self) -> dict[str, Any]:
        return {
            "batch_id": self.batch_id, "files": self.files, "pages": self.pages,
            "stored": self.stored, "duplicates": self.duplicates, "rejected": self.rejected,
            "rejected_by_reason": dict(sorted(self.rejected_by_reason.items())),
            "warnings": dict(sorted(self.warnings.items())),
        }

    def summary(self) -> str:
        lines = [
            f"batch {self.batch_id}: {self.files} files, {self.pages} pages — "
            f"{self.stored} stored, {self.duplicates} duplicates, {self.rejected} rejected",
        ]
        lines += [f"  rejected {r}: {n}" for r, n in sorted(self.rejected_by_reason.items())]
        lines += [f"  warning {w}: {n}" for w, n in sorted(self.warnings.items())]
        return "\n".join(lines)


# --- worker side -------------------------------------------------------------------------

_worker_archive: Archive | None = None
_worker_tmp: Path | None = None


def _worker_init(settings: Settings, tmp: str) -> None:
    global _worker_archive, _worker_tmp
    os.environ.setdefault("OMP_THREAD_LIMIT", "1")  # one tesseract thread per worker process
    _worker_archive = open_archive(settings, migrate=False)
    _worker_tmp = Path(tmp)


def _worker_process(task: IngestTask) -> FileOutcome:
    assert _worker_archive is not None and _worker_tmp is not None
    return process_file(_worker_archive, task, _worker_tmp)


# --- coordinator side ---------------------------------------------------------------------


def _mark_abandoned_batches(archive: Archive) -> None:
    """Batches left 'running' by a process that no longer exists were interrupted."""
    host = socket.gethostname()
    with archive.catalog.session() as s:
        for batch in s.scalars(select(IngestBatch).where(IngestBatch.state == "running")):
            if batch.host == host and not _pid_alive(batch.pid):
                batch.state = "interrupted"


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def run_batch(
    archive: Archive,
    paths: list[Path],
    *,
    jobs: int = 1,
    on_outcome: Callable[[FileOutcome], None] | None = None,
    show_progress: bool = True,
    batch_id: str | None = None,
) -> BatchReport:
    """Ingest every file under `paths`; outcomes stream to `on_outcome` as they complete.

    Memory stays flat: files are walked lazily, at most 2 x jobs are in flight, and per-file
    outcomes live in the catalog (ingest_items), not in this process.

    `batch_id` names a batch row made beforehand (a web upload answers with its id at once);
    the run takes it over, and what its report already holds is kept beside the counts.
    """
    _mark_abandoned_batches(archive)
    with archive.catalog.session() as s:
        if batch_id is None:
            batch_id = uuid.uuid4().hex
            s.add(IngestBatch(
                id=batch_id, started_at=datetime.now(UTC), state="running",
                actor=audit.current_actor(), host=socket.gethostname(), pid=os.getpid(),
                paths=[str(p) for p in paths], jobs=jobs, report={},
            ))
        else:
            made = s.get(IngestBatch, batch_id)
            if made is None:
                raise ValueError(f"no ingest batch {batch_id}")
            made.state, made.host, made.pid, made.jobs = (
                "running", socket.gethostname(), os.getpid(), jobs)
        audit.append(s, action="ingest.start", subject=f"batch:{batch_id}",
                     details={"paths": [str(p) for p in paths], "jobs": jobs})
    total = sum(1 for _ in iter_input_files(paths))
    report = BatchReport(batch_id)
    progress = Progress(total, enabled=show_progress)

    def finish(outcome: FileOutcome) -> None:
        report.add(outcome)
        progress.update(pages=outcome.pages, status=outcome.status)
        if on_outcome:
            on_outcome(outcome)

    tasks = (
        IngestTask(path=p, batch_id=batch_id, folder_hint=folder_hint_for(p))
        for p in iter_input_files(paths)
    )
    with tempfile.TemporaryDirectory(prefix="tabian-ingest-") as tmp:
        if jobs <= 1:
            for task in tasks:
                finish(process_file(archive, task, Path(tmp)))
        else:
            _run_pool(archive.settings, tasks, jobs, Path(tmp), finish)
    progress.draw(final=True)
    with archive.catalog.session() as s:
        batch = s.get(IngestBatch, batch_id)
        assert batch is not None
        batch.state, batch.finished_at = "done", datetime.now(UTC)
        batch.report = {**(batch.report or {}), **report.as_dict()}
        audit.append(s, action="ingest.finish", subject=f"batch:{batch_id}",
                     details=report.as_dict())
    return report


def _run_pool(
    settings: Settings, tasks: Iterator[IngestTask], jobs: int, tmp: Path,
    finish: Callable[[FileOutcome], None],
) -> None:
    # spawn: workers must not inherit the coordinator's database connections. Workers are
    # replaced every WORKER_RECYCLE files so memory stays flat however long the batch is: the
    # OCR stack (ocrmypdf, pikepdf, Pillow) keeps caches that grow with the files seen.
    with ProcessPoolExecutor(
        max_workers=jobs, mp_context=get_context("spawn"),
        initializer=_worker_init, initargs=(settings, str(tmp)),
        max_tasks_per_child=WORKER_RECYCLE,
    ) as pool:
        in_flight: set[Future[FileOutcome]] = set()
        for task in tasks:
            in_flight.add(pool.submit(_worker_process, task))
            if len(in_flight) >= 2 * jobs:
                done, in_flight = wait(in_flight, return_when=FIRST_COMPLETED)
                for fut in done:
                    finish(fut.result())
        for fut in in_flight:
            finish(fut.result())
