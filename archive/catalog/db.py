"""Catalog connection: engine set-up for SQLite and PostgreSQL, migrations, transactions."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, event, insert, inspect, select, update
from sqlalchemy.engine import Engine
from sqlalchemy.exc import OperationalError, SQLAlchemyError
from sqlalchemy.orm import ORMExecuteState, Session, sessionmaker
from sqlalchemy.orm.attributes import set_committed_value

from archive.catalog.models import EvidenceCategoryRow
from archive.domain import EVIDENCE_CATEGORIES

log = logging.getLogger(__name__)

MIGRATIONS_DIR = Path(__file__).parent / "migrations"


class CatalogError(Exception):
    """The catalog database cannot be used (unreachable, unreadable, wrong schema)."""


class ReadSessionWriteError(RuntimeError):
    """Something tried to write through a read-first session (`Catalog.read_session`) without
    `write_side`: on SQLite that would upgrade its deferred transaction to a write, which can
    fail with SQLITE_BUSY_SNAPSHOT under concurrency, so it is refused every time instead."""


_BEGIN_MODES = frozenset({"IMMEDIATE", "DEFERRED"})


def _sqlite_setup(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        # pysqlite's own transaction handling would defer BEGIN; we issue it ourselves below.
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA synchronous=NORMAL")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA busy_timeout=60000")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        # IMMEDIATE takes the write lock up front: a read-then-write transaction (the audit
        # chain, dedupe) can then never fail half-way with SQLITE_BUSY on lock upgrade.
        # Read-first sessions (Catalog.read_session) begin DEFERRED: with WAL they read a
        # snapshot and never take the lock, so readers neither wait nor make writers wait.
        mode = conn.get_execution_options().get("tabian_begin", "IMMEDIATE")
        if mode not in _BEGIN_MODES:
            raise ValueError(f"unknown SQLite BEGIN mode {mode!r}")
        conn.exec_driver_sql(f"BEGIN {mode}")


def _refuse_flush(session: Session, _context: Any, _instances: Any) -> None:
    if session.info.get("read_first") and (
        session.new or session.deleted or any(session.is_modified(o) for o in session.dirty)
    ):
        changed = sorted({type(o).__name__ for o in (*session.new, *session.dirty,
                                                      *session.deleted)})
        raise ReadSessionWriteError(
            f"write through a read-first catalog session ({', '.join(changed)}): "
            "wrap it in archive.catalog.db.write_side(session)")


def _refuse_execute(state: ORMExecuteState) -> None:
    if state.session.info.get("read_first") and (
        state.is_insert or state.is_update or state.is_delete
    ):
        raise ReadSessionWriteError(
            "INSERT/UPDATE/DELETE through a read-first catalog session: "
            "wrap it in archive.catalog.db.write_side(session)")


@contextmanager
def write_side(session: Session) -> Iterator[Session]:
    """Where a write goes: for a read-first session (`Catalog.read_session`), a separate
    short write transaction, committed when the block ends; for any other session, that
    session itself (the write commits with the caller's transaction, as before).

    Objects loaded through the read session belong to it: in the side session refer to rows
    by key (`side.get(Model, id)`) or add new ones, never change the read session's objects.
    """
    if not session.info.get("read_first"):
        yield session
        return
    catalog: Catalog = session.info["catalog"]
    with catalog.session() as side:
        yield side


def update_row(session: Session, row: Any, **values: Any) -> None:
    """Set columns of a loaded row. In a read-first session the UPDATE (by primary key) goes
    through `write_side` and `row` shows the new values without being marked changed."""
    if not session.info.get("read_first"):
        for name, value in values.items():
            setattr(row, name, value)
        return
    mapper = inspect(row).mapper
    keys = {col.key: getattr(row, col.key) for col in mapper.primary_key}
    with write_side(session) as side:
        side.execute(update(mapper.class_).filter_by(**keys).values(**values))
    for name, value in values.items():
        set_committed_value(row, name, value)


def alembic_config(url: str) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


class Catalog:
    """The catalog database. `session()` is one transaction: commit on success, else rollback.

    `read_session()` is one transaction for work that mostly reads (HTTP GET): on SQLite it
    begins DEFERRED, so it holds no write lock; its writes must go through `write_side`.
    """

    def __init__(self, url: str, *, echo: bool = False) -> None:
        self.url = url
        self.is_sqlite = url.startswith("sqlite")
        if self.is_sqlite:
            db_path = url.split(":///", 1)[1] if ":///" in url else ""
            if db_path and db_path != ":memory:":
                Path(db_path).parent.mkdir(parents=True, exist_ok=True)
            self.engine = create_engine(url, echo=echo, connect_args={"timeout": 60})
            _sqlite_setup(self.engine)
        else:
            self.engine = create_engine(url, echo=echo, pool_pre_ping=True)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)
        self._read_sessions = self._sessions
        if self.is_sqlite:
            self._read_sessions = sessionmaker(
                self.engine.execution_options(tabian_begin="DEFERRED"), expire_on_commit=False)
            event.listen(self._read_sessions, "before_flush", _refuse_flush)
            event.listen(self._read_sessions, "do_orm_execute", _refuse_execute)
        self._wal: bool | None = None

    def migrate(self) -> None:
        """Bring the schema to the newest migration, then make sure reference data is there."""
        try:
            with self.engine.begin() as conn:
                cfg = alembic_config(self.url)
                cfg.attributes["connection"] = conn
                command.upgrade(cfg, "head")
            self._seed_categories()
        except OperationalError as exc:
            raise CatalogError(
                f"catalog database unreachable ({self._safe_url()}): {exc.orig}"
            ) from exc
        except SQLAlchemyError as exc:
            detail = getattr(exc, "orig", None) or exc
            raise CatalogError(
                f"catalog database error ({self._safe_url()}): {detail}"
            ) from exc

    def is_current(self) -> bool:
        head = ScriptDirectory.from_config(alembic_config(self.url)).get_current_head()
        with self.engine.connect() as conn:
            return MigrationContext.configure(conn).get_current_revision() == head

    def _seed_categories(self) -> None:
        with self.session() as s:
            have = set(s.scalars(select(EvidenceCategoryRow.slug)))
            missing = [c for c in EVIDENCE_CATEGORIES if c.slug not in have]
            if missing:
                s.execute(
                    insert(EvidenceCategoryRow),
                    [
                        {
                            "code": c.code,
                            "slug": c.slug,
                            "name_th": c.name_th,
                            "name_en": c.name_en,
                            "clause": c.clause,
                            "optional": c.optional,
                        }
                        for c in missing
                    ],
                )

    @contextmanager
    def session(self) -> Iterator[Session]:
        with self._transaction(self._sessions()) as session:
            yield session

    @contextmanager
    def read_session(self) -> Iterator[Session]:
        """A transaction that reads; writes in it go through `write_side(session)`, each in
        its own short write transaction. On PostgreSQL (MVCC, row locks) and on a SQLite
        file that is not in WAL mode (a reader there would block the side write) it is the
        same as `session()`."""
        if not (self.is_sqlite and self._is_wal()):
            with self.session() as session:
                yield session
            return
        session = self._read_sessions()
        session.info["read_first"] = True
        session.info["catalog"] = self
        with self._transaction(session) as s:
            yield s

    def _is_wal(self) -> bool:
        if self._wal is None:
            with self.engine.execution_options(tabian_begin="DEFERRED").connect() as conn:
                mode = conn.exec_driver_sql("PRAGMA journal_mode").scalar()
            self._wal = str(mode).lower() == "wal"
        return self._wal

    @staticmethod
    @contextmanager
    def _transaction(session: Session) -> Iterator[Session]:
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()

    def _safe_url(self) -> str:
        return self.engine.url.render_as_string(hide_password=True)

    def close(self) -> None:
        self.engine.dispose()
