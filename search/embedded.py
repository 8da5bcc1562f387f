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
from search.embedded_query import Tier, TierPlan, bind, filter_sql, plan_tiers, quote
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
# Counting stops here (as Elasticsearch's track_total_hits does, at 10,000): beyond it the
# total says "at least" (SearchResult.total_exact is false). Counting every match of a phrase
# common to most documents would cost more than finding the first page.
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
        self.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        self._outdated = None
        return written

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
            if plan.identifiers == (plan.phrase,):  # just an order ref or a citizen ID
                return self._search_identifier(query, plan, where, args)
            result = self._search(query, plan, plan_tiers(plan), where, args)
            if result.total == 0 and (split := split_words(plan, self._indexed)) is not None:
                result = self._search(query, split, plan_tiers(split), where, args)
        except sqlite3.Error as exc:
            raise SearchError(f"search index {self.path} failed: {exc}") from exc
        return result

    def _search_identifier(self, query: SearchQuery, plan: QueryPlan, where: str,
                           args: Sequence[object]) -> SearchResult:
        """An order ref or citizen ID alone: the documents it belongs to (tier 5), those that
        only write it (4), then, when those are few, documents whose own identifier is it with
        one digit OCR confuses changed (1). The phrase is evaluated once: each evaluation walks
        the postings of digits common to every date in the archive."""
        sql = (f"SELECT rowid FROM fts WHERE fts MATCH ?{bind(where, 'rowid')}"
               " ORDER BY rowid DESC LIMIT ?")
        written = [r[0] for r in self.conn.execute(sql, (quote(plan.phrase), *args,
                                                         TOTAL_CAP + 1))]
        idents = ("SELECT DISTINCT doc_rowid FROM idents WHERE value IN"
                  f" (SELECT value FROM json_each(?)){bind(where, 'doc_rowid')} ORDER BY 1 DESC")
        own = {r[0] for r in self.conn.execute(idents, (json.dumps([plan.phrase]), *args))}
        ranked = [(r, 5.0, plan.highlight) for r in written if r in own]
        ranked += [(r, 4.0, plan.highlight) for r in written if r not in own]
        if len(written) < APPROXIMATE_BELOW and plan.variants:
            seen = set(written)
            near = self.conn.execute(idents, (json.dumps(plan.variants), *args))
            ranked += [(r[0], 1.0, plan.variants) for r in near if r[0] not in seen]
        total = len(ranked)
        page = ranked[query.offset:query.offset + query.limit]
        return SearchResult(total=min(total, TOTAL_CAP), hits=self._hits(page),
                            total_exact=total <= TOTAL_CAP)

    def _indexed(self, key: str) -> bool:
        """Whether any document holds `key` (3 characters or more)."""
        sql = "SELECT 1 FROM fts WHERE fts MATCH ? LIMIT 1"
        return self.conn.execute(sql, (quote(key),)).fetchone() is not None

    @staticmethod
    def _select(tier: Tier, columns: str, where: str) -> str:
        return tier.select(columns, where)

    @staticmethod
    def _params(tier: Tier, args: Sequence[object]) -> list[object]:
        return [tier.expr, *(c.expr for c in tier.constraints), *args]

    def _count(self, tier: Tier, where: str, args: Sequence[object], cap: int) -> int:
        sql = f"SELECT count(*) FROM ({self._select(tier, 'rowid', where)} LIMIT ?)"
        return int(self.conn.execute(sql, (*self._params(tier, args), cap)).fetchone()[0])

    def _total(self, parts: Sequence[Tier], where: str, args: Sequence[object]) -> int:
        return sum(self._count(t, where, args, TOTAL_CAP + 1) for t in parts)

    def _search(self, query: SearchQuery, words: QueryPlan, plan: TierPlan, where: str,
                args: Sequence[object]) -> SearchResult:
        total = min(self._total(plan.total, where, args), TOTAL_CAP + 1)
        tiers = list(plan.tiers)
        if plan.approximate is not None and total < APPROXIMATE_BELOW:
            tiers.append(plan.approximate)
            total += self._total((plan.approximate,), where, args)
        ranked: list[tuple[int, float, tuple[str, ...]]] = []
        skip, need = query.offset, query.limit
        for tier in tiers:
            if need <= 0 or total == 0:
                break
            if skip:
                size = self._count(tier, where, args, TOTAL_CAP)
                if skip >= size:
                    skip -= size
                    continue
            rows = self._fetch(tier, where, args, skip, need)
            # an approximate match shows the identifier it has, not the one asked for
            keys = words.variants if tier is plan.approximate else words.highlight
            ranked.extend((rowid, tier.score(rank), keys) for rowid, rank in rows)
            need -= len(rows)
            skip = 0
        return SearchResult(total=min(total, TOTAL_CAP), hits=self._hits(ranked),
                            total_exact=total <= TOTAL_CAP)

    def _fetch(self, tier: Tier, where: str, args: Sequence[object], skip: int, need: int,
               ) -> list[tuple[int, float | None]]:
        params = self._params(tier, args)
        if tier.rankable and self._count(tier, where, args, RANK_LIMIT + 1) <= RANK_LIMIT:
            select = self._select(tier, "rowid, rank", where)
            sql = f"{select} ORDER BY rank, rowid DESC LIMIT ? OFFSET ?"
            return self.conn.execute(sql, (*params, need, skip)).fetchall()
        sql = f"{self._select(tier, 'rowid', where)} ORDER BY 1 DESC LIMIT ? OFFSET ?"
        return [(r[0], None) for r in self.conn.execute(sql, (*params, need, skip))]

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
