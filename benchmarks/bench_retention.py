"""Retention figures: a review over a generated registry, and the destruction rate.

Usage: .venv/bin/python benchmarks/bench_retention.py [--persons 1000000] [--owners 200]
           [--documents 10] [--database-url URL]

1. Review: persons from fixtures.registry (seed 1) are bulk-inserted into a fresh catalog, with
   two catalogued documents (three objects each) for every owner who left service, and a group
   order shared by each tenth pair; then `run_review` is timed alone (SQL pre-filter + the pure
   rule + bytes per owner), with and without --free-bytes, and the whole
   `tabian retention review --json` command once (process start and migrations included).
2. Execution: an approved order over --owners owners with --documents documents each (original,
   PDF/A and text objects in the embedded folder store) is executed; documents destroyed per
   second are reported with and without issuing the certificate.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from unittest import mock

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from sqlalchemy import insert  # noqa: E402

import retention.execute as execute  # noqa: E402
import retention.review as review_module  # noqa: E402
from archive.archive import Archive, open_archive  # noqa: E402
from archive.catalog.models import (  # noqa: E402
    Document,
    DocumentObject,
    DocumentPerson,
    Person,
)
from archive.catalog.retention import LegalHold  # noqa: E402
from archive.config import load_settings  # noqa: E402
from fixtures.registry import DEFAULT_AS_OF, iter_persons  # noqa: E402
from retention import execute_order, run_review  # noqa: E402
from tests.retention.records import (  # noqa: E402
    add_document,
    add_person,
    approved_order,
    cid,
    no_fsync,
)

BATCH = 20_000


def _open(data_dir: Path, database_url: str | None) -> Archive:
    if database_url:
        os.environ["TABIAN_DATABASE_URL"] = database_url
    return open_archive(load_settings(data_dir))


def _load_registry(archive: Archive, n: int) -> tuple[int, int]:
    """Bulk insert n persons, and documents for those who left; (persons, documents)."""
    now = datetime.now(UTC)
    persons: list[dict[str, object]] = []
    left: list[int] = []
    holds: list[dict[str, object]] = []
    pid = 0
    with archive.catalog.session() as s:
        for row in iter_persons(n, seed=1, mixed_formats=False):
            pid += 1
            left_on = row.true_left_service_on
            if row.status in ("suspended", "ordered_out_pending") and pid % 2:
                # the importer allows the date they were put out; half of them long ago
                left_on = date(2005, 1, 1) + timedelta(days=pid % 3000)
            persons.append({
                "id": pid, "citizen_id": row.true_citizen_id, "prefix": row.prefix,
                "first_name": row.first_name, "last_name": row.last_name,
                "birth_date": row.true_birth_date, "appointed_on": row.true_appointed_on,
                "retirement_on": None, "unit_id": None, "status": row.status,
                "left_service_on": left_on, "left_reason": row.left_reason or None,
                "created_at": now, "updated_at": now,
            })
            if row.status == "left_service":
                left.append(pid)
                if len(left) % 100 == 0:  # a legal hold on every hundredth who left
                    holds.append({"citizen_id": row.true_citizen_id, "reason": "คดีความ",
                                  "authority": "ศาลปกครอง", "placed_by": "bench",
                                  "placed_at": now})
            if len(persons) == BATCH:
                s.execute(insert(Person), persons)
                persons.clear()
        if persons:
            s.execute(insert(Person), persons)
        s.execute(insert(LegalHold), holds)
    docs = _load_documents(archive, left, now)
    return pid, docs


def _load_documents(archive: Archive, owners: list[int], now: datetime) -> int:
    documents: list[dict[str, object]] = []
    links: list[dict[str, object]] = []
    objects: list[dict[str, object]] = []

    def flush(s: object) -> None:
        s.execute(insert(Document), documents)  # type: ignore[attr-defined]
        s.execute(insert(DocumentPerson), links)  # type: ignore[attr-defined]
        s.execute(insert(DocumentObject), objects)  # type: ignore[attr-defined]
        documents.clear()
        links.clear()
        objects.clear()

    count = 0
    with archive.catalog.session() as s:
        for i, pid in enumerate(owners):
            group = [pid, owners[i + 1]] if i % 20 == 0 and i + 1 < len(owners) else [pid]
            for j in range(2):
                doc_id = uuid.uuid4().hex
                sha = uuid.uuid4().hex * 2
                documents.append({
                    "id": doc_id, "sha256": sha, "size": 200_000 + j, "pages": 2,
                    "original_name": f"{doc_id[:8]}.pdf", "source_path": None,
                    "media_type": "application/pdf", "category": "appointment",
                    "category_confidence": 1.0, "link": "linked", "warnings": [],
                    "folder_hint": None, "batch_id": None, "created_at": now,
                })
                for owner in group if j == 0 else [pid]:
                    links.append({"document_id": doc_id, "person_id": owner, "state": "linked",
                                  "confidence": 1.0, "reasons": []})
                for kind, size in (("original", 200_000), ("archive", 150_000), ("text", 3_000)):
                    objects.append({"document_id": doc_id, "kind": kind, "sha256": sha,
                                    "key": f"documents/{sha[:2]}/{sha}/{kind}", "size": size})
                count += 1
            if len(documents) >= BATCH:
                flush(s)
        if documents:
            flush(s)
    return count


def bench_review(persons: int, database_url: str | None) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        data_dir = Path(tmp) / "data"
        archive = _open(data_dir, database_url)
        t0 = time.perf_counter()
        n, docs = _load_registry(archive, persons)
        load_s = time.perf_counter() - t0
        print(f"registry: {n:,} persons, {docs:,} documents loaded in {load_s:.1f} s "
              f"({'postgresql' if database_url else 'sqlite'})")
        print(f"(load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs: wall time "
              "stretches with it, CPU time does not)")
        for free_bytes in (None, None, 1024**3):
            t0, c0 = time.perf_counter(), time.process_time()
            with archive.catalog.session() as s:
                review = run_review(s, as_of=DEFAULT_AS_OF, free_bytes=free_bytes)
            took, cpu = time.perf_counter() - t0, time.process_time() - c0
            label = f"--free-bytes {free_bytes:,}" if free_bytes else "full list"
            print(f"review as of {DEFAULT_AS_OF} ({label}): {took:.2f} s wall, {cpu:.2f} s CPU"
                  f" — {len(review.eligible):,} eligible of {review.all_eligible:,}, "
                  f"{len(review.excluded):,} excluded, {review.bytes:,} bytes")
        t0, c0 = time.perf_counter(), time.process_time()
        with archive.catalog.session() as s:
            eligible, excluded = review_module._candidates(s, DEFAULT_AS_OF)
        print(f"  of which the persons alone (SQL pre-filter + rule + holds, no documents): "
              f"{time.perf_counter() - t0:.2f} s wall, {time.process_time() - c0:.2f} s CPU")
        archive.close()
        t0 = time.perf_counter()
        proc = subprocess.run(
            [sys.executable, "-m", "api.cli", "--data-dir", str(data_dir), "retention", "review",
             "--as-of", DEFAULT_AS_OF.isoformat(), "--json"],
            capture_output=True, text=True, cwd=REPO, check=True, env=dict(os.environ),
        )
        print(f"tabian retention review --json (whole command): "
              f"{time.perf_counter() - t0:.2f} s, {len(proc.stdout):,} bytes of JSON")


def bench_execute(owners: int, documents: int, database_url: str | None) -> None:
    for certificate in (False, True):
        # Timed without the certificate first (stubbed out), then with it.
        stub: contextlib.AbstractContextManager[object] = (
            contextlib.nullcontext() if certificate else mock.patch.object(
                execute, "issue_certificate", lambda *_a, **_k: {}))
        with tempfile.TemporaryDirectory() as tmp, stub:
            archive = _open(Path(tmp) / "data", database_url)
            with no_fsync(), archive.catalog.session() as s:
                for n in range(1, owners + 1):
                    person = add_person(s, cid(n))
                    for _ in range(documents):
                        add_document(s, archive.store, [person], size=20_000)
            order_id = approved_order(archive, as_of=DEFAULT_AS_OF)
            t0 = time.perf_counter()
            report = execute_order(archive, order_id, actor="bench").as_dict()
            took = time.perf_counter() - t0
            destroyed = report["documents_destroyed"]
            what = "with certificate" if certificate else "catalog + objects only"
            print(f"execute ({what}): {destroyed:,} documents ({destroyed * 3:,} objects) of "
                  f"{owners} owners in {took:.2f} s = {destroyed / took:,.0f} documents/s")
            archive.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--persons", type=int, default=1_000_000)
    parser.add_argument("--owners", type=int, default=200)
    parser.add_argument("--documents", type=int, default=10)
    parser.add_argument("--database-url", help="PostgreSQL URL (default: SQLite in a temp dir)")
    parser.add_argument("--skip-review", action="store_true")
    parser.add_argument("--skip-execute", action="store_true")
    args = parser.parse_args()
    if not args.skip_review:
        bench_review(args.persons, args.database_url)
    if not args.skip_execute:
        bench_execute(args.owners, args.documents, args.database_url)


if __name__ == "__main__":
    main()
