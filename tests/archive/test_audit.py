"""The audit log: append-only, hash-chained; tampering is found and named."""

from __future__ import annotations

from sqlalchemy import text

from archive import audit
from archive.catalog import Catalog


def _write_events(catalog: Catalog, n: int) -> None:
    for i in range(1, n + 1):
        with catalog.session() as s:
            audit.append(
                s,
                action="document.read",
                subject=f"document:{i}",
                actor="registrar:1",
                details={"i": i, "ชื่อ": "สมชาย"},
            )


def _verify(catalog: Catalog) -> audit.ChainReport:
    with catalog.session() as s:
        return audit.verify_chain(s)


def test_intact_chain_verifies(catalog: Catalog) -> None:
    _write_events(catalog, 5)
    report = _verify(catalog)
    assert report.ok and report.events == 5


def test_events_roll_back_with_the_change_they_record(catalog: Catalog) -> None:
    _write_events(catalog, 2)
    try:
        with catalog.session() as s:
            audit.append(s, action="x", subject="y")
            raise RuntimeError
    except RuntimeError:
        pass
    _write_events(catalog, 1)
    report = _verify(catalog)
    assert report.ok and report.events == 3


def test_edited_event_is_named(catalog: Catalog) -> None:
    _write_events(catalog, 5)
    with catalog.engine.begin() as conn:
        conn.execute(text("UPDATE audit_events SET actor = 'someone-else' WHERE seq = 3"))
    report = _verify(catalog)
    assert [(p.seq, p.kind) for p in report.problems] == [(3, "edited")]


def test_deleted_event_is_named(catalog: Catalog) -> None:
    _write_events(catalog, 5)
    with catalog.engine.begin() as conn:
        conn.execute(text("DELETE FROM audit_events WHERE seq = 2"))
    report = _verify(catalog)
    assert [(p.seq, p.kind) for p in report.problems] == [(2, "deleted")]


def test_deleted_tail_is_found(catalog: Catalog) -> None:
    _write_events(catalog, 5)
    with catalog.engine.begin() as conn:
        conn.execute(text("DELETE FROM audit_events WHERE seq >= 4"))
    report = _verify(catalog)
    assert [(p.seq, p.kind) for p in report.problems] == [(4, "deleted")]


def test_reordered_events_are_named(catalog: Catalog) -> None:
    _write_events(catalog, 5)
    # Swap events 2 and 4 by renumbering them (via a free seq number).
    with catalog.engine.begin() as conn:
        conn.execute(text("UPDATE audit_events SET seq = 1000 WHERE seq = 2"))
        conn.execute(text("UPDATE audit_events SET seq = 2 WHERE seq = 4"))
        conn.execute(text("UPDATE audit_events SET seq = 4 WHERE seq = 1000"))
    report = _verify(catalog)
    kinds = {(p.seq, p.kind) for p in report.problems}
    assert (2, "reordered") in kinds and (4, "reordered") in kinds
    assert all(p.kind == "reordered" for p in report.problems)
