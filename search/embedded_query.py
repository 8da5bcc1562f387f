"""How the embedded backend answers a query: FTS5 expressions in tiers, and SQL filters.

Three FTS5 tables hold each document's keys (search.normalize):
- `fts` (fields, body): trigrams with positions, so any key of 3 or more characters is a
  phrase of trigrams, i.e. a substring query;
- `fields` (names, refs, category, heading): the same for the short fields alone, so asking
  "is it in a field?" never walks the long body postings;
- `pairs` (fields, body): each document's set of character pairs, for 2-character queries;
and a plain table, `idents`, holds each document's identifiers (order refs, citizen IDs) for
exact lookups.

Matches are ranked in tiers; a document is in the first tier it matches:
5 field: the phrase (or an order ref / citizen ID of the query) in a field (names of linked
  persons, identifiers, category, heading), with every required term somewhere;
4 phrase: the whole query as one run of characters anywhere;
3 terms: every required term anywhere (queries of several words);
2 identifier: the query's order ref or citizen ID is the document's, other words are missing;
1 approximate: the document's order ref or citizen ID is the query's with one digit that OCR
  confuses changed (๓/๕/๘/๙, ๒/๖/๐); looked for only when there are fewer than
  APPROXIMATE_BELOW other matches.
Tiers list the newest documents first, except field matches, ordered by BM25 (names and
identifiers weigh most) when there are at most RANK_LIMIT of them. A hit's score is its tier
plus the BM25-derived fraction.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date

from search.base import SearchQuery
from search.normalize import QueryPlan

__all__ = [
    "FIELDS",
    "IDENTS",
    "PAIRS",
    "PHRASES",
    "Tier",
    "TierPlan",
    "bind",
    "filter_sql",
    "plan_tiers",
    "quote",
]

PHRASES, FIELDS, PAIRS, IDENTS = "fts", "fields", "pairs", "idents"
# Stand for the row id column in filter SQL: rowid in the FTS tables, doc_rowid in the
# idents table. ROW filters the rows a MATCH yields ("+rowid"); DRIVE lets a small set (one
# person's documents) lead the search, FTS5 probing each of its rows.
ROW, DRIVE = "$row", "$drive"


def bind(sql: str, column: str) -> str:
    """Filter SQL with its row placeholders naming `column`."""
    return sql.replace(ROW, column).replace(DRIVE, column)


def quote(key: str) -> str:
    """An FTS5 phrase; the trigram tokenizer turns it into consecutive trigrams."""
    return '"' + key.replace('"', '""') + '"'


@dataclass(frozen=True)
class Tier:
    """Rows of `table` matching `expr` (for IDENTS: a JSON list of identifier keys)."""

    number: int  # 5 = best
    table: str
    expr: str
    needs_terms: bool = False  # a row counts only if the terms tier has it too

    @property
    def rankable(self) -> bool:
        # BM25 ranks the short fields only: on the long texts it would first walk every
        # match of the phrase for its statistics, as costly as the search itself.
        return self.table == FIELDS

    def select(self, where: str, *, rank: bool = False) -> str:
        """Matching rows, newest first; `where` is filter_sql's (LIMIT ? follows)."""
        if self.table == IDENTS:
            return ("SELECT DISTINCT doc_rowid FROM idents WHERE value IN"
                    f" (SELECT value FROM json_each(?)){bind(where, 'idents.doc_rowid')}"
                    " ORDER BY 1 DESC LIMIT ?")
        columns = "rowid, rank" if rank else "rowid"
        return (f"SELECT {columns} FROM {self.table} WHERE {self.table} MATCH ?"
                f"{bind(where, f'{self.table}.rowid')} ORDER BY rowid DESC LIMIT ?")

    def score(self, rank: float | None) -> float:
        if rank is None:
            return float(self.number)
        relevance = max(0.0, -rank)
        return self.number + relevance / (1.0 + relevance)


@dataclass(frozen=True)
class TierPlan:
    tiers: tuple[Tier, ...]
    # The tier every match of the tiers before it is in too (all required terms); None when
    # the tiers are all cheap to walk whole.
    terms: Tier | None = None
    # Identifiers with one OCR-confusable digit changed: looked for only when the other
    # matches are few (APPROXIMATE_BELOW); beside many exact ones, near misses are noise.
    approximate: Tier | None = None


def _all(terms: tuple[str, ...]) -> str:
    return " AND ".join(quote(t) for t in terms)


def plan_tiers(plan: QueryPlan) -> TierPlan:
    """The tiers of a query, best first."""
    phrase = quote(plan.phrase)
    approximate = Tier(1, IDENTS, json.dumps(plan.variants)) if plan.variants else None
    if len(plan.phrase) < 3:  # a two-character query: the pairs table answers it
        return TierPlan((Tier(5, PAIRS, f"{{fields}} : {phrase}"), Tier(4, PAIRS, phrase)))
    if plan.identifiers == (plan.phrase,):  # just an order ref or a citizen ID
        written = Tier(4, PHRASES, phrase)  # the identifier field is in the text index too
        return TierPlan((Tier(5, IDENTS, json.dumps(plan.identifiers)), written), written,
                        approximate)
    required = plan.required
    if any(len(t) < 3 for t in required):  # two-character words apart: pairs again
        terms = Tier(3, PAIRS, _all(required))
        return TierPlan((Tier(5, FIELDS, phrase), Tier(4, PHRASES, phrase), terms), terms)
    idents = [f"{{refs}} : {quote(i)}" for i in plan.identifiers if i != plan.phrase]
    several = required != (plan.phrase,)
    # The phrase holds every term; an identifier alone does not, so it needs the terms too.
    tiers = [Tier(5, FIELDS, " OR ".join([phrase, *idents]), needs_terms=bool(idents)),
             Tier(4, PHRASES, phrase)]
    if several:
        tiers.append(Tier(3, PHRASES, _all(required)))
    if idents:
        tiers.append(Tier(2, IDENTS, json.dumps(plan.identifiers)))
    return TierPlan(tuple(tiers), tiers[2] if several else tiers[1], approximate)


def _under(units: tuple[str, ...], args: list[object]) -> str:
    """SQL on persons.unit_path: the unit or any unit below it (paths join with ' > '); a
    range rather than LIKE, so the index on unit_path answers it."""
    parts = []
    for unit in units:
        parts.append("unit_path = ? OR (unit_path > ? AND unit_path < ?)")
        args.extend([unit, f"{unit} > ", f"{unit} > \U0010ffff"])
    return " OR ".join(parts)


def _linked_exists(condition: str) -> str:
    """Each match looks its persons up (index on doc_rowid): the cost follows the matches
    walked, not the size of a unit, whose documents may be most of the index."""
    return (f" AND EXISTS (SELECT 1 FROM persons AS p WHERE p.doc_rowid = {ROW}"
            f" AND p.state = 'linked' AND ({condition}))")


def filter_sql(query: SearchQuery) -> tuple[str, list[object]]:
    """Clauses restricting matches to the filters and the caller's scope.

    A category, a date range or a few persons' documents are a set SQLite builds once from an
    index, then checks each match against ('AND +$row IN (...)'); a person's documents
    instead lead the search (DRIVE). Units are checked per match (EXISTS): building the set of
    a whole unit's documents for every query would cost more than the search itself.
    """
    sets: list[str] = []
    args: list[object] = []
    if query.category:
        sets.append("SELECT rowid FROM docs WHERE category = ?")
        args.append(query.category)
    if query.date_from or query.date_to:
        sets.append("SELECT rowid FROM docs WHERE document_date BETWEEN ? AND ?")
        args.extend([(query.date_from or date.min).isoformat(),
                     (query.date_to or date.max).isoformat()])
    scope = query.scope
    if not scope.everything and not scope.unit_paths:
        sets.append("SELECT doc_rowid FROM persons WHERE state = 'linked' AND "
                    f"citizen_id IN ({','.join('?' * len(scope.citizen_ids))})")
        args.extend(sorted(scope.citizen_ids))
    sql = "".join(f" AND +{ROW} IN ({s})" for s in sets)
    if query.unit:
        sql += _linked_exists(_under((query.unit,), args))
    if not scope.everything and scope.unit_paths:
        who: list[str] = []
        if scope.citizen_ids:
            who.append(f"p.citizen_id IN ({','.join('?' * len(scope.citizen_ids))})")
            args.extend(sorted(scope.citizen_ids))
        who.append(_under(scope.unit_paths, args))
        sql += _linked_exists(" OR ".join(who))
    if query.citizen_id:  # one person's documents: few, so they lead
        sql = f" AND {DRIVE} IN (SELECT doc_rowid FROM persons WHERE citizen_id = ?){sql}"
        args.insert(0, query.citizen_id)
    return sql, args
