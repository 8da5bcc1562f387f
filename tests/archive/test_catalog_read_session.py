"""Read-first catalog sessions (HTTP GET): no write lock on SQLite, writes only via write_side."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import func, select, update

from archive import audit
from archive.catalog import AuditEvent, Catalog, Person
from archive.catalog.db import ReadSessionWriteError, update_row, write_side


def _add_person(catalog: Catalog, cid: str = "1101700203450") -> int:
    now = datetime.now(UTC)
    with catalog.session() as s:
        p = Person(citizen_id=cid, prefix="นาย", first_name="สมชาย", last_name="ใจดี",
                   birth_date=date(1987, 3, 27), status="active", created_at=now,
                   updated_at=now)
        s.add(p)
        s.flush()
        return p.id


def _events(catalog: Catalog) -> int:
    with catalog.session() as s:
        return s.scalar(select(func.count()).select_from(AuditEvent)) or 0


def _in_thread(work: Callable[[], None], timeout: float = 15) -> None:
    """Run `work` in another thread; it must finish well before SQLite's 60 s busy wait."""
    errors: list[BaseException] = []

    def run() -> None:
        try:
            work()
        except BaseException as exc:  # noqa: BLE001 - handed back to the test
            errors.append(exc)

    t = threading.Thread(target=run, daemon=True)
    t.start()
    t.join(timeout)
    assert not t.is_alive(), "the writer waited on a lock held by a reader"
    if errors:
        raise errors[0]


def test_reader_holds_no_write_lock(catalog: Catalog) -> None:
    # GIVEN a read session that has read (its transaction is open)
    pid = _add_person(catalog)
    with catalog.read_session() as r1, catalog.read_session() as r2:
        assert r1.get(Person, pid) is not None and r2.get(Person, pid) is not None

        # WHEN another connection writes and commits meanwhile
        def write() -> None:
            with catalog.session() as w:
                w.execute(update(Person).where(Person.id == pid).values(first_name="สมหญิง"))

        # THEN it does not wait for the readers (on SQLite they began DEFERRED)
        if catalog.is_sqlite:
            _in_thread(write)
    with catalog.read_session() as r:
        if catalog.is_sqlite:
            assert r.get(Person, pid).first_name == "สมหญิง"  # type: ignore[union-attr]


@pytest.mark.parametrize("how", ["flush", "execute"])
def test_writing_through_a_read_session_is_refused_on_sqlite(catalog: Catalog, how: str) -> None:
    pid = _add_person(catalog)
    if not catalog.is_sqlite:
        pytest.skip("on PostgreSQL a read session is an ordinary transaction")
    with pytest.raises(ReadSessionWriteError, match="write_side"), catalog.read_session() as r:
        if how == "flush":
            person = r.get(Person, pid)
            assert person is not None
            person.first_name = "สมหญิง"
            r.flush()
        else:
            r.execute(update(Person).where(Person.id == pid).values(first_name="สมหญิง"))
    with catalog.session() as s:
        assert s.get(Person, pid).first_name == "สมชาย"  # type: ignore[union-attr]


def test_audit_in_a_read_session_commits_at_once_and_chains(catalog: Catalog) -> None:
    # GIVEN a read session WHEN a read is audited and the session then fails
    pid = _add_person(catalog)
    before = _events(catalog)
    with pytest.raises(RuntimeError), catalog.read_session() as r:
        assert r.get(Person, pid) is not None
        event = audit.append(r, action="record.read", subject="person:1101700203450",
                             actor="user:test")
        assert event.seq == before + 1
        audit.append(r, action="record.read", subject="person:1101700203450",
                     actor="user:test")
        raise RuntimeError("the response failed after the read was audited")
    # THEN on SQLite the events stayed (the read was made); on PostgreSQL they rolled back
    # with the transaction they were written in
    assert _events(catalog) == before + (2 if catalog.is_sqlite else 0)
    with catalog.session() as s:
        assert audit.verify_chain(s).ok


def test_update_row_writes_by_key_and_leaves_the_read_session_clean(catalog: Catalog) -> None:
    pid = _add_person(catalog)
    with catalog.read_session() as r:
        person = r.get(Person, pid)
        assert person is not None
        update_row(r, person, first_name="สมหญิง")
        assert person.first_name == "สมหญิง"
        # on SQLite the side write committed and the row is clean; on PostgreSQL the row is
        # changed in the one transaction, as in an ordinary session
        assert (not r.dirty) == catalog.is_sqlite
        # a side session is an ordinary one: a write_side nested in it reuses it
        with write_side(r) as w, write_side(w) as inner:
            assert inner is w
    with catalog.session() as s:
        assert s.get(Person, pid).first_name == "สมหญิง"  # type: ignore[union-attr]


def test_write_side_of_an_ordinary_session_is_that_session(catalog: Catalog) -> None:
    with catalog.session() as s, write_side(s) as w:
        assert w is s
