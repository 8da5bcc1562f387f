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
from sqlalchemy import create_engine, event, insert, select
from sqlalchemy.engine import Engine
from sqlalchemy.exc import OperationalError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from archive.catalog.models import EvidenceCategoryRow
from archive.domain import EVIDENCE_CATEGORIES

log = logging.getLogger(__name__)

MIGRATIONS_DIR = Path(__file__).parent / "migrations"


class CatalogError(Exception):
    """The catalog database cannot be used (unreachable, unreadable, wrong schema)."""


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
        conn.exec_driver_sql("BEGIN IMMEDIATE")


def alembic_config(url: str) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


class Catalog:
    """The catalog database. `session()` is one transaction: commit on success, else rollback."""

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
        session = self._sessions()
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
