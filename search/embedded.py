"""The embedded backend: one SQLite file (`search.sqlite3` in the data dir) with FTS5 indexes.

What is stored is in search.embedded_write; how a query is answered, in search.embedded_query.
"""

from __future__ import annotations

import json
import logging
import sqlite3
import zlib
from collections.abc import Iterable, Sequence
from contextlib import closing
from pathlib import Path

from search.base import (
    IndexBatch,
    IndexDocument,
    SearchError,
    SearchHit,
    SearchIndex,
    SearchQuery,
    SearchResult,
)
from search.embedded_query import IDENTS, PAIRS, Tier, TierPlan, filter_sql, plan_tiers, quote
from search.embedded_write import SCHEMA, TABLES, WEIGHTS, Writer
from search.normalize import KEY_VERSION, QueryPlan, plan_query, split_words
from search.snippet import make_snippet

log = logging.getLogger(__name__)

__all__ = ["FILE_NAME", "RANK_LIMIT", "TOTAL_CAP", "EmbeddedIndex"]

FILE_NAME = "search.sqlite3"
SCHEMA_VERSION = 2
# Field matches are ranked by BM25 up to this many; more list newest first, as ranking
# thousands of them costs time and tells little.
RANK_LIMIT = 300
# The result window: matches are counted and paged up to here (Elasticsearch's
# track_total_hits and max_result_window do the same at 10,000); beyond it the total says "at
# least" (SearchResult.total_exact is false). Walking every match of a phrase common to most
# documents costs more than finding the first page, and says little more.
TOTAL_CAP = 1_000
# Below this many exact matches, matches with one OCR-confused digit are looked for too.
APPROXIMATE_BELOW = 10
REBUILD_BATCH = 500


class EmbeddedIndex(SearchIndex):
    """The index in one SQLite file; safe to share between processes (WAL mode)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._conn: sqlite3.Connection | None = None
        self._outdated: str | None = None

    @property
    def conn(self) -> sqlite3.Connection:
        if self._conn is None:
            raise SearchError("the search index is not open")
        return self._conn

    def exists(self) -> bool:
        if not self.path.is_file():
            return False
        try:
            with closing(sqlite3.connect(self.path, timeout=60)) as conn:
                found = conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'fts'").fetchone()
        except sqlite3.Error as exc:
            raise SearchError(f"search index {self.path} unreadable: {exc}") from exc
        return found is not None

    def open(self) -> None:
        if self._conn is not None:
            return
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._conn = sqlite3.connect(self.path, timeout=60, isolation_level=None)
            self._conn.execute("PRAGMA journal_mode=WAL")
            self._conn.execute("PRAGMA synchronous=NORMAL")
            if self._create(""):
                self.created = True
            self._check_version()
        except sqlite3.Error as exc:
            self.close()
            raise SearchError(f"search index {self.path} unusable: {exc}") from exc

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    def _transaction(self) -> _Transaction:
        return _Transaction(self.conn)

    def _create(self, sfx: str) -> bool:
        """Create the tables with suffix sfx unless they exist; True when it did."""
        exists = "SELECT 1 FROM sqlite_master WHERE name = ?"
        if self.conn.execute(exists, (f"fts{sfx}",)).fetchone():
            return False  # the common case, without taking the write lock
        with self._transaction():
            if self.conn.execute(exists, (f"fts{sfx}",)).fetchone():
                return False
            for statement in SCHEMA.format(sfx=sfx).split(";"):
                if statement.strip():
                    self.conn.execute(statement)
            self.conn.execute(
                f"INSERT INTO meta{sfx} (key, value) VALUES ('schema', ?), ('keys', ?)",
                (str(SCHEMA_VERSION), str(KEY_VERSION)),
            )
            self.conn.execute(
                f"INSERT INTO fields{sfx} (fields{sfx}, rank) VALUES ('rank', ?)",
                (f"bm25({', '.join(map(str, WEIGHTS))})",),
            )
        return True

    def _check_version(self) -> None:
        """An index built by another version can only be rebuilt: its keys would not match."""
        meta = dict(self.conn.execute("SELECT key, value FROM meta").fetchall())
        if meta.get("schema") != str(SCHEMA_VERSION) or meta.get("keys") != str(KEY_VERSION):
            self._outdated = (
                f"search index {self.path} was built by another version of Tabian "
                f"(schema {meta.get('schema')}, keys {meta.get('keys')}); rebuild it with: "
                "tabian reindex"
            )

    def _usable(self) -> None:
        if self._outdated:
            raise SearchError(self._outdated)

    # -- writing ------------------------------------------------------------------------------

    def _begin(self) -> IndexBatch:
        self._usable()
        self.conn.execute("BEGIN IMMEDIATE")
        return Writer(self.conn)

    def _commit(self, batch: IndexBatch) -> None:
        self.conn.execute("COMMIT")

    def _rollback(self, batch: IndexBatch) -> None:
        self.conn.execute("ROLLBACK")

    def rebuild(self, docs: Iterable[IndexDocument]) -> int:
        """Build fresh tables beside the live ones, then swap them in one transaction.

        Searches keep reading the old tables until the swap commits (WAL readers see one
        snapshot), as an Elasticsearch alias swap does.
        """
        self._drop("_next")
        self._create("_next")
        written = 0
        pending: list[IndexDocument] = []
        for doc in docs:
            pending.append(doc)
            if len(pending) >= REBUILD_BATCH:
                written += self._write_next(pending)
                pending = []
        written += self._write_next(pending)
        with self._transaction():
            for name in TABLES:
                self.conn.execute(f"DROP TABLE IF EXISTS {name}")
                self.conn.execute(f"ALTER TABLE {name}_next RENAME TO {name}")
            # RENAME keeps the indexes' names: give them back their own.
            for name, sql in self.conn.execute(
                "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL"
                " AND name LIKE '%\\_next\\_%' ESCAPE '\\'"
            ).fetchall():
                self.conn.execute(f"DROP INDEX {name}")
                self.conn.execute(sql.replace("_next", ""))
        self._outdated = None
        self.optimize()
        return written

    def optimize(self) -> None:
        """Merge each FTS index into one segment: a built index answers faster (about a
        quarter less time on long phrases) and takes less room."""
        for table in ("fts", "fields", "pairs"):
            self.conn.execute(f"INSERT INTO {table} ({table}) VALUES ('optimize')")
        self.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    def _write_next(self, docs: Sequence[IndexDocument]) -> int:
        with self._transaction():
            writer = Writer(self.conn, "_next")
            for doc in docs:
                writer.upsert(doc)
        return writer.written

    def _drop(self, sfx: str) -> None:
        with self._transaction():
            for name in TABLES:
                self.conn.execute(f"DROP TABLE IF EXISTS {name}{sfx}")

    # -- reading ------------------------------------------------------------------------------

    def fingerprints(self) -> dict[str, str]:
        self._usable()
        return dict(self.conn.execute("SELECT document_id, fingerprint FROM docs").fetchall())

    def size_bytes(self) -> int:
        page_size = self.conn.execute("PRAGMA page_size").fetchone()[0]
        pages = self.conn.execute("PRAGMA page_count").fetchone()[0]
        free = self.conn.execute("PRAGMA freelist_count").fetchone()[0]
        return int(page_size * (pages - free))

    def search(self, query: SearchQuery) -> SearchResult:
        self._usable()
        plan = plan_query(query.text)
        if query.scope.nothing:
            return SearchResult(total=0)
        where, args = filter_sql(query)
        try:
            result = self._search(query, plan, plan_tiers(plan), where, args)
            if result.total == 0 and (split := split_words(plan, self._indexed)) is not None:
                result = self._search(query, split, plan_tiers(split), where, args)
        except sqlite3.Error as exc:
            raise SearchError(f"search index {self.path} failed: {exc}") from exc
        return result

    def _indexed(self, key: str) -> bool:
        """Whether any document holds `key` (3 characters or more)."""
        sql = "SELECT 1 FROM fts WHERE fts MATCH ? LIMIT 1"
        return self.conn.execute(sql, (quote(key),)).fetchone() is not None

    def _rows(self, tier: Tier, where: str, args: Sequence[object], limit: int,
              ) -> list[tuple[int, float | None]]:
        """The tier's rows, best first: BM25 order for a few field matches, else newest."""
        params = (tier.expr, *args)
        if tier.rankable:
            rows = self.conn.execute(tier.select(where, rank=True),
                                     (*params, RANK_LIMIT + 1)).fetchall()
            if len(rows) <= RANK_LIMIT:
                return sorted(rows, key=lambda r: (r[1], -r[0]))
        return [(r[0], None) for r in self.conn.execute(tier.select(where), (*params, limit))]

    def _search(self, query: SearchQuery, words: QueryPlan, plan: TierPlan, where: str,
                args: Sequence[object]) -> SearchResult:
        """Each tier fetched once, each document kept in its first tier.

        The terms tier holds every match of the tiers above it, so it alone is walked to the
        end of the result window and gives the total; those tiers are fetched only as far as
        the page needs. Tiers outside it (identifier lookups, pairs) are cheap and walked whole.
        """
        window = TOTAL_CAP + 1
        covering = plan.terms
        covered: set[int] = set()
        if covering is not None:
            covering_rows = self._rows(covering, where, args, window)
            covered = {r for r, _ in covering_rows}
        ranked: list[tuple[int, float, tuple[str, ...]]] = []
        seen: set[int] = set()
        for tier in plan.tiers:
            if tier is covering:
                rows = covering_rows
            elif covering is None or tier.table in (IDENTS, PAIRS):
                rows = self._rows(tier, where, args, window)
                covered.update(r for r, _ in rows)
            else:
                rows = self._rows(tier, where, args, query.offset + query.limit + len(seen))
            for rowid, rank in rows:
                if rowid in seen or (tier.needs_terms and len(covered) < window
                                     and rowid not in covered):
                    continue
                seen.add(rowid)
                ranked.append((rowid, tier.score(rank), words.highlight))
        total = len(covered | seen)
        if plan.approximate is not None and total < APPROXIMATE_BELOW:
            # an approximate match shows the identifier it has, not the one asked for
            near = [r for r, _ in self._rows(plan.approximate, where, args, window)
                    if r not in covered and r not in seen]
            ranked += [(rowid, 1.0, words.variants) for rowid in near]
            total += len(near)
        page = ranked[:TOTAL_CAP][query.offset:query.offset + query.limit]
        return SearchResult(total=min(total, TOTAL_CAP), hits=self._hits(page),
                            total_exact=total <= TOTAL_CAP)

    def _hits(self, ranked: list[tuple[int, float, tuple[str, ...]]]) -> list[SearchHit]:
        if not ranked:
            return []
        marks = ",".join("?" * len(ranked))
        rows = {
            r[0]: r[1:] for r in self.conn.execute(
                "SELECT rowid, document_id, original_name, category, citizen_ids, text_z"
                f" FROM docs WHERE rowid IN ({marks})", [rowid for rowid, _, _ in ranked],
            )
        }
        hits = []
        for rowid, score, keys in ranked:
            document_id, name, category, citizen_ids, text_z = rows[rowid]
            text = zlib.decompress(text_z).decode("utf-8")
            hits.append(SearchHit(
                document_id=document_id, original_name=name, citizen_ids=json.loads(citizen_ids),
                category=category, score=round(score, 4), snippet=make_snippet(text, keys),
            ))
        return hits


class _Transaction:
    """BEGIN IMMEDIATE ... COMMIT, or ROLLBACK when the block raises."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn

    def __enter__(self) -> None:
        self.conn.execute("BEGIN IMMEDIATE")

    def __exit__(self, exc_type: object, *exc: object) -> None:
        self.conn.execute("ROLLBACK" if exc_type is not None else "COMMIT")
