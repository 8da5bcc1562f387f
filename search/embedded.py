"""The embedded backend: one SQLite file with FTS5 indexes over search keys.

Every column holds search keys (search.normalize): Thai with no spaces and no tone marks,
digits folded, numbers whole. FTS5's trigram tokenizer makes any key of three or more
characters a substring query, so Thai needs no word segmentation and parts of words match.
Two-character keys go to a second table holding each document's set of character pairs
(search.embedded_query says how queries are ranked).

The FTS table is contentless: the stored text is kept zlib-compressed beside it, for snippets
and for removing a document's postings (FTS5 removes them given the values it indexed, which
are derived again from that text; KEY_VERSION guards against a derivation that changed).
"""

from __future__ import annotations

import json
import logging
import sqlite3
import zlib
from collections.abc import Iterable, Sequence
from contextlib import closing
from datetime import date
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
from search.documents import heading_of
from search.embedded_query import PAIRS, Tier, filter_sql, plan_tiers
from search.normalize import KEY_VERSION, NUMBER_MARK, fold_key, plan_query, search_key
from search.snippet import make_snippet

log = logging.getLogger(__name__)

__all__ = ["EmbeddedIndex", "FILE_NAME"]

FILE_NAME = "search.sqlite3"
SCHEMA_VERSION = 1
SENTINEL = "|"  # between the names (or identifiers) of one field, so no match spans two
# Numbers are whole in keys (#123#), so a pair never needs a mark or a separator.
_NOT_IN_PAIRS = frozenset(f"{SENTINEL}{NUMBER_MARK}")
# Column weights for BM25: names and identifiers first, then the category, the heading.
WEIGHTS = (10.0, 10.0, 4.0, 3.0, 1.0)
# A tier with more matches than this is ranked among its newest RANK_WINDOW documents only:
# BM25 costs a few microseconds per matching row, and a query that matches most of 100,000
# documents says little that ranking could use. The total stays exact.
RANK_WINDOW = 4000

_TABLES = """
CREATE TABLE IF NOT EXISTS meta{sfx} (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS docs{sfx} (
    rowid INTEGER PRIMARY KEY,
    document_id TEXT NOT NULL UNIQUE,
    original_name TEXT NOT NULL,
    category TEXT,
    citizen_ids TEXT NOT NULL,
    document_date TEXT,
    fingerprint TEXT NOT NULL,
    names TEXT NOT NULL,
    refs TEXT NOT NULL,
    category_key TEXT NOT NULL,
    heading TEXT NOT NULL,
    text_z BLOB NOT NULL
);
CREATE INDEX IF NOT EXISTS docs{sfx}_category ON docs{sfx}(category);
CREATE INDEX IF NOT EXISTS docs{sfx}_date ON docs{sfx}(document_date);
CREATE TABLE IF NOT EXISTS persons{sfx} (
    doc_rowid INTEGER NOT NULL,
    citizen_id TEXT NOT NULL,
    state TEXT NOT NULL,
    unit_path TEXT
);
CREATE INDEX IF NOT EXISTS persons{sfx}_doc ON persons{sfx}(doc_rowid);
CREATE INDEX IF NOT EXISTS persons{sfx}_cid ON persons{sfx}(citizen_id, doc_rowid);
CREATE INDEX IF NOT EXISTS persons{sfx}_unit ON persons{sfx}(unit_path, doc_rowid);
CREATE VIRTUAL TABLE IF NOT EXISTS fts{sfx} USING fts5(
    names, refs, category, heading, body,
    tokenize = 'trigram', content = '', detail = 'full'
);
CREATE VIRTUAL TABLE IF NOT EXISTS pairs{sfx} USING fts5(
    fields, body,
    tokenize = "unicode61 categories 'L* N* Co M* P* S*' remove_diacritics 0",
    content = '', detail = 'column'
)
"""
_TABLE_NAMES = ("meta", "docs", "persons", "fts", "pairs")


def _field_keys(doc: IndexDocument) -> tuple[str, str, str, str]:
    names = "".join(f"{SENTINEL}{search_key(p.full_name)}" for p in doc.persons)
    refs = "".join(f"{SENTINEL}{fold_key(r)}" for r in (*doc.citizen_ids, *doc.order_refs))
    return (
        names + SENTINEL if names else "",
        refs + SENTINEL if refs else "",
        search_key(doc.category_names),
        search_key(heading_of(doc.text, doc.original_name)),
    )


def _body_key(text: str) -> str:
    return search_key(text)


def _pairs(*keys: str) -> str:
    """The distinct character pairs of keys, as the pairs table's space-separated tokens."""
    found: set[str] = set()
    for key in keys:
        found.update(key[i:i + 2] for i in range(len(key) - 1))
    return " ".join(sorted(p for p in found if not _NOT_IN_PAIRS.intersection(p)))


class _Batch(IndexBatch):
    def __init__(self, index: EmbeddedIndex, conn: sqlite3.Connection, suffix: str = "") -> None:
        self.index, self.conn, self.sfx = index, conn, suffix
        self.written = 0

    def upsert(self, doc: IndexDocument) -> None:
        row = self.conn.execute(
            f"SELECT rowid, fingerprint FROM docs{self.sfx} WHERE document_id = ?",
            (doc.document_id,),
        ).fetchone()
        if row is not None and row[1] == doc.fingerprint:
            return  # already indexed as it is now
        fields = _field_keys(doc)
        body = _body_key(doc.text)
        if row is not None:
            self._remove_postings(row[0])
        values = (
            doc.document_id, doc.original_name, doc.category, json.dumps(doc.citizen_ids),
            doc.document_date.isoformat() if doc.document_date else None, doc.fingerprint,
            *fields, zlib.compress(doc.text.encode("utf-8"), 6),
        )
        if row is None:
            rowid = self.conn.execute(
                f"INSERT INTO docs{self.sfx} (document_id, original_name, category, citizen_ids,"
                " document_date, fingerprint, names, refs, category_key, heading, text_z)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", values,
            ).lastrowid
        else:
            rowid = row[0]
            self.conn.execute(
                f"UPDATE docs{self.sfx} SET document_id = ?, original_name = ?, category = ?,"
                " citizen_ids = ?, document_date = ?, fingerprint = ?, names = ?, refs = ?,"
                " category_key = ?, heading = ?, text_z = ? WHERE rowid = ?", (*values, rowid),
            )
            self.conn.execute(f"DELETE FROM persons{self.sfx} WHERE doc_rowid = ?", (rowid,))
        self.conn.executemany(
            f"INSERT INTO persons{self.sfx} (doc_rowid, citizen_id, state, unit_path)"
            " VALUES (?, ?, ?, ?)",
            [(rowid, p.citizen_id, p.state, p.unit_path) for p in doc.persons],
        )
        self._postings("", rowid, fields, body)
        self.written += 1

    def delete(self, document_id: str) -> None:
        row = self.conn.execute(
            f"SELECT rowid FROM docs{self.sfx} WHERE document_id = ?", (document_id,)
        ).fetchone()
        if row is None:
            return
        self._remove_postings(row[0])
        self.conn.execute(f"DELETE FROM persons{self.sfx} WHERE doc_rowid = ?", (row[0],))
        self.conn.execute(f"DELETE FROM docs{self.sfx} WHERE rowid = ?", row)
        self.written += 1

    def _remove_postings(self, rowid: int) -> None:
        names, refs, category, heading, text_z = self.conn.execute(
            f"SELECT names, refs, category_key, heading, text_z FROM docs{self.sfx}"
            " WHERE rowid = ?", (rowid,),
        ).fetchone()
        body = _body_key(zlib.decompress(text_z).decode("utf-8"))
        self._postings("delete", rowid, (names, refs, category, heading), body)

    def _postings(self, command: str, rowid: int, fields: tuple[str, str, str, str],
                  body: str) -> None:
        """Add (command "") or remove ("delete") a document's entries in both FTS tables."""
        fts, pairs = f"fts{self.sfx}", f"pairs{self.sfx}"
        if command:
            self.conn.execute(
                f"INSERT INTO {fts} ({fts}, rowid, names, refs, category, heading, body)"
                " VALUES (?, ?, ?, ?, ?, ?, ?)", (command, rowid, *fields, body),
            )
            self.conn.execute(
                f"INSERT INTO {pairs} ({pairs}, rowid, fields, body) VALUES (?, ?, ?, ?)",
                (command, rowid, _pairs(*fields), _pairs(body)),
            )
            return
        self.conn.execute(
            f"INSERT INTO {fts} (rowid, names, refs, category, heading, body)"
            " VALUES (?, ?, ?, ?, ?, ?)", (rowid, *fields, body),
        )
        self.conn.execute(
            f"INSERT INTO {pairs} (rowid, fields, body) VALUES (?, ?, ?)",
            (rowid, _pairs(*fields), _pairs(body)),
        )


class EmbeddedIndex(SearchIndex):
    """The index in `<data dir>/search.sqlite3`; safe to share between processes (WAL)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._conn: sqlite3.Connection | None = None

    @property
    def conn(self) -> sqlite3.Connection:
        if self._conn is None:
            raise SearchError("the search index is not open")
        return self._conn

    def exists(self) -> bool:
        if not self.path.is_file():
            return False
        with closing(sqlite3.connect(self.path, timeout=60)) as conn:
            found = conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'fts'").fetchone()
        return found is not None

    def open(self) -> None:
        if self._conn is not None:
            return
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            conn = sqlite3.connect(self.path, timeout=60, isolation_level=None)
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=NORMAL")
            self._conn = conn
            self._create("")
            self._check_version()
        except sqlite3.Error as exc:
            self.close()
            raise SearchError(f"search index {self.path} unusable: {exc}") from exc

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    def _create(self, sfx: str) -> None:
        exists = self.conn.execute(
            "SELECT 1 FROM sqlite_master WHERE name = ?", (f"fts{sfx}",)
        ).fetchone()
        if exists:
            return
        self.created = not sfx
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            for statement in _TABLES.format(sfx=sfx).split(";"):
                if statement.strip():
                    self.conn.execute(statement)
            self.conn.execute(
                f"INSERT OR IGNORE INTO meta{sfx} (key, value) VALUES ('schema', ?), ('keys', ?)",
                (str(SCHEMA_VERSION), str(KEY_VERSION)),
            )
            self.conn.execute(
                f"INSERT INTO fts{sfx} (fts{sfx}, rank) VALUES ('rank', ?)",
                (f"bm25({', '.join(map(str, WEIGHTS))})",),
            )
            self.conn.execute("COMMIT")
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise

    def _check_version(self) -> None:
        meta = dict(self.conn.execute("SELECT key, value FROM meta").fetchall())
        if meta.get("schema") != str(SCHEMA_VERSION) or meta.get("keys") != str(KEY_VERSION):
            raise SearchError(
                f"search index {self.path} was built by another version of Tabian "
                f"(schema {meta.get('schema')}, keys {meta.get('keys')}); rebuild it with: "
                "tabian reindex"
            )

    # -- writing ------------------------------------------------------------------------------

    def _begin(self) -> IndexBatch:
        self.conn.execute("BEGIN IMMEDIATE")
        return _Batch(self, self.conn)

    def _commit(self, batch: IndexBatch) -> None:
        self.conn.execute("COMMIT")

    def _rollback(self, batch: IndexBatch) -> None:
        self.conn.execute("ROLLBACK")

    def rebuild(self, docs: Iterable[IndexDocument]) -> int:
        """Build fresh tables beside the live ones, then swap them in one transaction.

        Searches keep reading the old tables until the swap commits (WAL readers see one
        snapshot), like an Elasticsearch alias swap.
        """
        self._drop("_next")
        self._create("_next")
        written = 0
        pending: list[IndexDocument] = []
        for doc in docs:
            pending.append(doc)
            if len(pending) >= 500:
                written += self._write_next(pending)
                pending = []
        written += self._write_next(pending)
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            for name in _TABLE_NAMES:
                self.conn.execute(f"DROP TABLE IF EXISTS {name}")
                self.conn.execute(f"ALTER TABLE {name}_next RENAME TO {name}")
            self.conn.execute("COMMIT")
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise
        self._reindex_names()
        return written

    def _write_next(self, docs: Sequence[IndexDocument]) -> int:
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            batch = _Batch(self, self.conn, "_next")
            for doc in docs:
                batch.upsert(doc)
            self.conn.execute("COMMIT")
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise
        return batch.written

    def _drop(self, sfx: str) -> None:
        self.conn.execute("BEGIN IMMEDIATE")
        for name in _TABLE_NAMES:
            self.conn.execute(f"DROP TABLE IF EXISTS {name}{sfx}")
        self.conn.execute("COMMIT")

    def _reindex_names(self) -> None:
        # ALTER TABLE ... RENAME keeps the index names of the _next tables: give them back
        # their own, so the next rebuild's CREATE INDEX IF NOT EXISTS does not skip them.
        rows = self.conn.execute(
            "SELECT name, tbl_name, sql FROM sqlite_master WHERE type = 'index'"
            " AND name LIKE '%\\_next\\_%' ESCAPE '\\'"
        ).fetchall()
        self.conn.execute("BEGIN IMMEDIATE")
        for name, _table, sql in rows:
            self.conn.execute(f"DROP INDEX {name}")
            self.conn.execute(sql.replace("_next", ""))
        self.conn.execute("COMMIT")

    # -- reading ------------------------------------------------------------------------------

    def fingerprints(self) -> dict[str, str]:
        return dict(self.conn.execute("SELECT document_id, fingerprint FROM docs").fetchall())

    def count(self) -> int:
        return int(self.conn.execute("SELECT count(*) FROM docs").fetchone()[0])

    def search(self, query: SearchQuery) -> SearchResult:
        plan = plan_query(query.text)
        if query.scope.nothing:
            return SearchResult(total=0)
        where, args = filter_sql(query)
        try:
            return self._search(query, plan.highlight, plan_tiers(plan), where, args)
        except sqlite3.Error as exc:
            raise SearchError(f"search index {self.path} failed: {exc}") from exc

    @staticmethod
    def _select(tier: Tier, columns: str, where: str) -> str:
        excludes = "".join(f" AND rowid NOT IN (SELECT rowid FROM {t} WHERE {t} MATCH ?)"
                           for t, _ in tier.excludes)
        return (f"SELECT {columns} FROM {tier.table} WHERE {tier.table} MATCH ?"
                f"{excludes}{where}")

    def _args(self, tier: Tier, args: Sequence[object]) -> list[object]:
        return [tier.expr, *(e for _, e in tier.excludes), *args]

    def _search(self, query: SearchQuery, keys: Sequence[str], tiers: list[Tier], where: str,
                args: Sequence[object]) -> SearchResult:
        sizes = [
            int(self.conn.execute(self._select(t, "count(*)", where),
                                  self._args(t, args)).fetchone()[0])
            for t in tiers
        ]
        ranked: list[tuple[int, float]] = []
        skip, need = query.offset, query.limit
        for tier, size in zip(tiers, sizes, strict=True):
            if need <= 0:
                break
            if skip >= size:
                skip -= size
                continue
            rows = self._ranked(tier, size, where, args, skip, need)
            ranked.extend((rowid, tier.score(rank)) for rowid, rank in rows)
            need -= len(rows)
            skip = 0
        return SearchResult(total=sum(sizes), hits=self._hits(ranked, keys))

    def _ranked(self, tier: Tier, size: int, where: str, args: Sequence[object], skip: int,
                need: int) -> list[tuple[int, float]]:
        select = self._select(tier, "rowid, rank", where)
        params = self._args(tier, args)
        if tier.table == PAIRS:  # no term frequencies there: newest first
            sql = f"{select} ORDER BY rowid DESC LIMIT ? OFFSET ?"
            return self.conn.execute(sql, (*params, need, skip)).fetchall()
        if size <= RANK_WINDOW:
            sql = f"{select} ORDER BY rank LIMIT ? OFFSET ?"
            return self.conn.execute(sql, (*params, need, skip)).fetchall()
        rows: list[tuple[int, float]] = []
        if skip < RANK_WINDOW:
            sql = f"{select} ORDER BY rowid DESC LIMIT ?"
            window = self.conn.execute(sql, (*params, RANK_WINDOW)).fetchall()
            window.sort(key=lambda r: (r[1], -r[0]))
            rows = window[skip:skip + need]
        if len(rows) < need:  # past the ranked window the rest follows, newest first
            start = max(skip, RANK_WINDOW)
            sql = f"{select} ORDER BY rowid DESC LIMIT ? OFFSET ?"
            tail = self.conn.execute(sql, (*params, need - len(rows), start)).fetchall()
            rows.extend((rowid, 0.0) for rowid, _ in tail)
        return rows

    def _hits(self, ranked: list[tuple[int, float]], keys: Sequence[str]) -> list[SearchHit]:
        if not ranked:
            return []
        marks = ",".join("?" * len(ranked))
        rows = {
            r[0]: r[1:] for r in self.conn.execute(
                "SELECT rowid, document_id, original_name, category, citizen_ids, text_z"
                f" FROM docs WHERE rowid IN ({marks})", [rowid for rowid, _ in ranked],
            )
        }
        hits = []
        for rowid, score in ranked:
            document_id, name, category, citizen_ids, text_z = rows[rowid]
            text = zlib.decompress(text_z).decode("utf-8")
            hits.append(SearchHit(
                document_id=document_id, original_name=name, citizen_ids=json.loads(citizen_ids),
                category=category, score=round(score, 4), snippet=make_snippet(text, keys),
            ))
        return hits


def document_dates(index: EmbeddedIndex) -> dict[str, date | None]:
    """document_id -> indexed document date (tests and diagnostics)."""
    return {
        d: date.fromisoformat(v) if v else None
        for d, v in index.conn.execute("SELECT document_id, document_date FROM docs")
    }
