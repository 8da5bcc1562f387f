"""kill -9 during `tabian retention execute`, then run it again: it completes, verify is clean.

Meanwhile every owner's record is whole (person, documents and all their objects) or gone
(no catalog row left, a tombstone written); leftover bytes of a gone record are reachable from
nothing and are removed by the re-run.
"""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select

from archive import audit
from archive.catalog.models import Document, DocumentPerson, Person
from archive.catalog.retention import Tombstone
from retention import load_certificate
from tests.cli import tabian
from tests.retention.records import (
    add_document,
    add_person,
    approved_order,
    cid,
    data_dir_archive,
    no_fsync,
)

AS_OF = date(2026, 1, 26)


Built = tuple[str, dict[str, list[str]], dict[str, list[str]]]


def _build(data_dir: Path, persons: int, documents: int) -> Built:
    """An approved order over `persons` owners with `documents` small documents each; the
    object keys and the document ids of each owner."""
    archive = data_dir_archive(data_dir)
    keys: dict[str, list[str]] = {}
    doc_ids: dict[str, list[str]] = {}
    try:
        with no_fsync(), archive.catalog.session() as s:
            keeper = add_person(s, cid(999), status="active", left_service_on=None)
            for n in range(1, persons + 1):
                p = add_person(s, cid(n), left_service_on=date(2000, 1, 1 + n % 28))
                owners = [p, keeper] if n == 1 else [p]  # one group order with a stayer
                docs = [add_document(s, archive.store, owners if i == 0 else [p], size=64)
                        for i in range(documents)]
                keys[cid(n)] = [o.key for d in docs for o in d.objects]
                doc_ids[cid(n)] = [d.id for d in docs[1:]]  # not the group order
        order_id = approved_order(archive, as_of=AS_OF)
    finally:
        archive.close()
    return order_id, keys, doc_ids


def _check_reads(data_dir: Path, doc_ids: dict[str, list[str]]) -> None:
    """A document of a destroyed record cannot be read; one of a whole record can, in full."""
    archive = data_dir_archive(data_dir)
    try:
        with archive.catalog.session() as s:
            present = set(s.scalars(select(Person.citizen_id)))
    finally:
        archive.close()
    gone = next(c for c in doc_ids if c not in present)
    whole = next(c for c in doc_ids if c in present)
    assert tabian("documents", "show", doc_ids[gone][0], "--json", data_dir=data_dir).code == 2
    shown = tabian("documents", "show", doc_ids[whole][0], "--json", data_dir=data_dir)
    assert shown.code == 0 and shown.json["citizen_ids"] == [whole]


def _assert_whole_or_gone(data_dir: Path, keys: dict[str, list[str]]) -> dict[str, int]:
    archive = data_dir_archive(data_dir)
    counts = {"whole": 0, "gone": 0}
    try:
        with archive.catalog.session() as s:
            tombstones = set(s.scalars(select(Tombstone.citizen_id)))
            for citizen_id, owned in keys.items():
                pid = s.scalar(select(Person.id).where(Person.citizen_id == citizen_id))
                if pid is not None:
                    # whole: the person, every document and every object
                    assert citizen_id not in tombstones
                    n_docs = len(s.scalars(select(DocumentPerson.document_id)
                                           .where(DocumentPerson.person_id == pid)).all())
                    assert n_docs * 3 == len(owned)
                    assert all(archive.store.exists(k) for k in owned), citizen_id
                    counts["whole"] += 1
                else:
                    # gone: a tombstone, and no catalog row names any of its documents
                    assert citizen_id in tombstones
                    shas = {k.split("/")[2] for k in owned}
                    left = s.scalars(select(Document.id).where(Document.sha256.in_(shas))).all()
                    assert left == [] or citizen_id == cid(1)  # cid(1)'s group order stays
                    counts["gone"] += 1
    finally:
        archive.close()
    return counts


def _finish_and_check(data_dir: Path, order_id: str, keys: dict[str, list[str]]) -> None:
    again = tabian("retention", "execute", order_id, "--json", data_dir=data_dir)
    assert again.code == 0, again.stderr
    assert again.json["state"] == "executed"
    assert len(again.json["destroyed"]) == len(keys)
    assert _assert_whole_or_gone(data_dir, keys) == {"whole": 0, "gone": len(keys)}
    verify = tabian("verify", "--json", data_dir=data_dir)
    assert verify.code == 0, verify.stdout
    archive = data_dir_archive(data_dir)
    try:
        with archive.catalog.session() as s:
            assert audit.verify_chain(s).ok
        _info, cert, _pdf = load_certificate(archive, order_id)
        assert json.loads(cert)["totals"]["persons_destroyed"] == len(keys)
        # the group order shared with the owner who stays is still whole
        assert sum(archive.store.exists(k) for k in keys[cid(1)]) == 3
    finally:
        archive.close()


@pytest.mark.parametrize(("point", "after"), [
    ("retention_before_commit", 3),  # inside an owner's catalog transaction
    ("retention_after_catalog", 2),  # catalog gone, objects not yet deleted
    ("retention_object_deleted", 7),  # half of an owner's objects deleted
])
def test_a_crash_at_each_step_is_resumed(tmp_path: Path, point: str, after: int) -> None:
    data_dir = tmp_path / "data"
    order_id, keys, _doc_ids = _build(data_dir, persons=8, documents=3)
    counter = tmp_path / "crash-counter"
    # WHEN the execution dies like kill -9 at the point
    crashed = tabian("retention", "execute", order_id, "--json", data_dir=data_dir, env={
        "TABIAN_CRASH_AT": point, "TABIAN_CRASH_AFTER": str(after),
        "TABIAN_CRASH_COUNTER_FILE": str(counter)})
    assert crashed.code == -signal.SIGKILL
    # THEN meanwhile each record is whole or gone, and some are still whole
    counts = _assert_whole_or_gone(data_dir, keys)
    assert counts["whole"] >= 1
    # AND verify names the objects the unfinished order still has to delete, never as orphans
    kinds = {p["kind"] for p in tabian("verify", "--json", data_dir=data_dir).json["problems"]}
    assert kinds <= {"destruction_pending"}
    if point == "retention_after_catalog":
        assert kinds == {"destruction_pending"}
    # WHEN it is run again THEN it completes and everything checks out
    _finish_and_check(data_dir, order_id, keys)


def _done_owners(db: Path, order_id: str) -> int:
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5)
    try:
        return int(conn.execute(
            "SELECT count(*) FROM destruction_journal WHERE order_id = ? AND state = 'done'",
            (order_id,)).fetchone()[0])
    except sqlite3.OperationalError:
        return 0
    finally:
        conn.close()


def test_a_real_kill_9_mid_destruction_then_a_rerun_completes(tmp_path: Path) -> None:
    # GIVEN an order over 120 owners with 5 small documents each (600 documents)
    data_dir = tmp_path / "data"
    order_id, keys, doc_ids = _build(data_dir, persons=120, documents=5)
    db = data_dir / "catalog.sqlite3"
    # WHEN the execution is killed with SIGKILL once some owners are done
    proc = subprocess.Popen(
        [sys.executable, "-m", "api.cli", "--data-dir", str(data_dir), "retention", "execute",
         order_id, "--json", "--quiet"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        env={**os.environ, "TABIAN_ACTOR": "op:tabian"},
    )
    deadline = time.monotonic() + 120
    while _done_owners(db, order_id) < 10:
        assert proc.poll() is None, "the execution ended before it could be killed"
        assert time.monotonic() < deadline, "no progress within 120 s"
        time.sleep(0.005)
    os.kill(proc.pid, signal.SIGKILL)
    proc.communicate(timeout=30)
    assert proc.returncode == -signal.SIGKILL
    # THEN it died part-way: some records gone, some whole, none half-destroyed
    counts = _assert_whole_or_gone(data_dir, keys)
    assert counts["gone"] >= 10 and counts["whole"] >= 1
    # AND a document of a destroyed record cannot be read, one of a whole record can
    _check_reads(data_dir, doc_ids)
    # WHEN run again THEN it completes; verify and the audit chain are clean
    _finish_and_check(data_dir, order_id, keys)
