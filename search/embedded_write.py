"""The embedded index's tables, and writing a document into them (and out again).

The FTS tables are contentless: the stored text is kept zlib-compressed in `docs`, for
snippets and for removing a document's postings, which FTS5 does given the values it indexed;
those are derived again from that text (KEY_VERSION guards against a derivation that changed).
"""

from __future__ import annotations

import json
import re
import sqlite3
import zlib

from search.base import IndexBatch, IndexDocument
from search.documents import heading_of
from search.normalize import NUMBER_MARK, fold_key, search_key

__all__ = ["SCHEMA", "TABLES", "WEIGHTS", "Writer", "field_keys", "identifiers", "pairs"]

SENTINEL = "|"  # between the names (or identifiers) of one field, so no match spans two
# Numbers are whole in keys (#123#): a pair never needs a mark or a separator.
_NOT_IN_PAIRS = frozenset(f"{SENTINEL}{NUMBER_MARK}")
# BM25 weights of the fields table: names and identifiers, then the category, the heading.
WEIGHTS = (10.0, 10.0, 4.0, 2.0)
TABLES = ("meta", "docs", "persons", "idents", "fts", "fields", "pairs")

SCHEMA = """
CREATE TABLE meta{sfx} (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE docs{sfx} (
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
CREATE INDEX docs{sfx}_category ON docs{sfx}(category);
CREATE INDEX docs{sfx}_date ON docs{sfx}(document_date);
CREATE TABLE persons{sfx} (
    doc_rowid INTEGER NOT NULL,
    citizen_id TEXT NOT NULL,
    state TEXT NOT NULL,
    unit_path TEXT
);
CREATE INDEX persons{sfx}_doc ON persons{sfx}(doc_rowid);
CREATE INDEX persons{sfx}_cid ON persons{sfx}(citizen_id, doc_rowid);
CREATE INDEX persons{sfx}_unit ON persons{sfx}(unit_path, doc_rowid);
CREATE TABLE idents{sfx} (doc_rowid INTEGER NOT NULL, value TEXT NOT NULL);
CREATE INDEX idents{sfx}_value ON idents{sfx}(value, doc_rowid);
CREATE INDEX idents{sfx}_doc ON idents{sfx}(doc_rowid);
CREATE VIRTUAL TABLE fts{sfx} USING fts5(
    fields, body, tokenize = 'trigram', content = '', detail = 'full'
);
CREATE VIRTUAL TABLE fields{sfx} USING fts5(
    names, refs, category, heading, tokenize = 'trigram', content = '', detail = 'full'
);
CREATE VIRTUAL TABLE pairs{sfx} USING fts5(
    fields, body,
    tokenize = "unicode61 categories 'L* N* Co M* P* S*' remove_diacritics 0",
    content = '', detail = 'column'
)
"""

Fields = tuple[str, str, str, str]
_ID_NUMBER = re.compile(f"{NUMBER_MARK}[0-9]{{13}}{NUMBER_MARK}")


def identifiers(doc: IndexDocument, body: str) -> list[str]:
    """Keys of the citizen IDs of the persons the document is filed under, of every 13-digit
    number in its text (check digit or not: OCR may have misread one), of its order refs."""
    linked = [p.citizen_id for p in doc.persons if p.state == "linked"]
    found = [fold_key(i) for i in (*linked, *doc.order_refs)]
    found.extend(_ID_NUMBER.findall(body))
    return list(dict.fromkeys(found))


def field_keys(doc: IndexDocument, idents: list[str]) -> Fields:
    """Names of the persons it is filed under (not mere candidates), identifiers, category
    names, heading."""
    names = "".join(f"{SENTINEL}{search_key(p.full_name)}" for p in doc.persons
                    if p.state == "linked")
    refs = "".join(f"{SENTINEL}{i}" for i in idents)
    return (
        names + SENTINEL if names else "",
        refs + SENTINEL if refs else "",
        search_key(doc.category_names),
        search_key(heading_of(doc.text, doc.original_name)),
    )


def pairs(*keys: str) -> str:
    """The distinct character pairs of keys, as the pairs table's space-separated tokens."""
    found: set[str] = set()
    for key in keys:
        found.update(key[i:i + 2] for i in range(len(key) - 1))
    # Sorted, so that removing a document gives FTS5 exactly what it was given.
    return " ".join(sorted(p for p in found if not _NOT_IN_PAIRS.intersection(p)))


class Writer(IndexBatch):
    """Writes into the tables with suffix `sfx` on a connection inside a transaction."""

    def __init__(self, conn: sqlite3.Connection, sfx: str = "") -> None:
        self.conn, self.sfx = conn, sfx
        self.written = 0

    def upsert(self, doc: IndexDocument) -> None:
        row = self.conn.execute(
            f"SELECT rowid, fingerprint FROM docs{self.sfx} WHERE document_id = ?",
            (doc.document_id,),
        ).fetchone()
        if row is not None and row[1] == doc.fingerprint:
            return  # already indexed as it is now
        body = search_key(doc.text)
        idents = identifiers(doc, body)
        fields = field_keys(doc, idents)
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
            assert rowid is not None
        else:
            rowid = row[0]
            self._postings("delete", rowid, *self._indexed(rowid))
            self.conn.execute(
                f"UPDATE docs{self.sfx} SET document_id = ?, original_name = ?, category = ?,"
                " citizen_ids = ?, document_date = ?, fingerprint = ?, names = ?, refs = ?,"
                " category_key = ?, heading = ?, text_z = ? WHERE rowid = ?", (*values, rowid),
            )
            self._forget(rowid)
        self.conn.executemany(
            f"INSERT INTO persons{self.sfx} (doc_rowid, citizen_id, state, unit_path)"
            " VALUES (?, ?, ?, ?)",
            [(rowid, p.citizen_id, p.state, p.unit_path) for p in doc.persons],
        )
        self.conn.executemany(
            f"INSERT INTO idents{self.sfx} (doc_rowid, value) VALUES (?, ?)",
            [(rowid, value) for value in idents],
        )
        self._postings("", rowid, fields, body)
        self.written += 1

    def delete(self, document_id: str) -> None:
        row = self.conn.execute(
            f"SELECT rowid FROM docs{self.sfx} WHERE document_id = ?", (document_id,)
        ).fetchone()
        if row is None:
            return
        self._postings("delete", row[0], *self._indexed(row[0]))
        self._forget(row[0])
        self.conn.execute(f"DELETE FROM docs{self.sfx} WHERE rowid = ?", row)
        self.written += 1

    def _forget(self, rowid: int) -> None:
        for table in ("persons", "idents"):
            self.conn.execute(f"DELETE FROM {table}{self.sfx} WHERE doc_rowid = ?", (rowid,))

    def _indexed(self, rowid: int) -> tuple[Fields, str]:
        names, refs, category, heading, text_z = self.conn.execute(
            f"SELECT names, refs, category_key, heading, text_z FROM docs{self.sfx}"
            " WHERE rowid = ?", (rowid,),
        ).fetchone()
        return (names, refs, category, heading), search_key(zlib.decompress(text_z).decode())

    def _postings(self, command: str, rowid: int, fields: Fields, body: str) -> None:
        """Add (command "") or remove (command "delete") a document's FTS entries."""
        joined = SENTINEL.join(fields)
        rows = {
            f"fts{self.sfx}": ("fields, body", (joined, body)),
            f"fields{self.sfx}": ("names, refs, category, heading", fields),
            f"pairs{self.sfx}": ("fields, body", (pairs(*fields), pairs(body))),
        }
        for table, (columns, values) in rows.items():
            marks = ", ".join("?" * (len(values) + 1))
            if command:
                self.conn.execute(
                    f"INSERT INTO {table} ({table}, rowid, {columns}) VALUES (?, {marks})",
                    (command, rowid, *values),
                )
            else:
                self.conn.execute(
                    f"INSERT INTO {table} (rowid, {columns}) VALUES ({marks})", (rowid, *values)
                )
