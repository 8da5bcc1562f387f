"""FTS5 query expressions and SQL filters for the embedded backend.

Two FTS5 tables answer: `fts` holds the keys' trigrams with positions (any key of three or
more characters is a phrase of trigrams, so a substring query); `pairs` holds the set of
character pairs of each document's keys, for two-character queries.

A query's matches are ranked in tiers, each excluding the tiers above it:

1. field: every required term, and the phrase (or an order ref / citizen ID of the query) in a
   field: names of linked persons, identifiers, category, heading;
2. phrase: the whole query as one run of characters, anywhere;
3. terms: every required term, anywhere (multi-word queries);
4. approximate: as 3, with one digit that OCR confuses changed (๓/๕/๘/๙, ๒/๖/๐).

Within a tier BM25 orders the documents (weighted by column). A hit's score is the tier's
number (4 for field ... 1 for approximate) plus a BM25-derived fraction, so scores fall down
the list.
"""

from __future__ import annotations

from dataclasses import dataclass

from search.base import SearchQuery
from search.normalize import QueryPlan

__all__ = ["PAIRS", "PHRASES", "Tier", "filter_sql", "plan_tiers", "quote"]

FIELD_COLUMNS = "{names refs category heading}"

PHRASES, PAIRS = "fts", "pairs"


def quote(key: str) -> str:
    """An FTS5 phrase: the trigram tokenizer turns it into consecutive trigrams."""
    return '"' + key.replace('"', '""') + '"'


@dataclass(frozen=True)
class Tier:
    """Matches of `expr` in `table`, less the rows matching any of `excludes` (other tables)."""

    number: int  # 4 = best
    table: str
    expr: str
    excludes: tuple[tuple[str, str], ...] = ()

    def score(self, rank: float) -> float:
        relevance = max(0.0, -rank)
        return self.number + relevance / (1.0 + relevance)


def _all(terms: tuple[str, ...]) -> str:
    return " AND ".join(quote(t) for t in terms)


def plan_tiers(plan: QueryPlan) -> list[Tier]:
    """The tiers of a query, best first; no document is in two of them."""
    phrase = quote(plan.phrase)
    if len(plan.phrase) < 3:  # a two-character query: the character-pair table answers it
        field = f"{{fields}} : {phrase}"
        return [Tier(4, PAIRS, field), Tier(3, PAIRS, f"{phrase} NOT {field}")]
    exact = [f"{{refs}} : {quote(i)}" for i in plan.identifiers if i != plan.phrase]
    field = " OR ".join([f"{FIELD_COLUMNS} : {phrase}", *exact])
    required = plan.required
    if any(len(t) < 3 for t in required):  # words of two characters, apart: pairs again
        tiers = [Tier(4, PHRASES, f"{phrase} AND ({field})"),
                 Tier(3, PHRASES, f"{phrase} NOT ({field})")]
        seen = f"{phrase} OR {field}"
        return [*tiers, Tier(2, PAIRS, _all(required), excludes=((PHRASES, seen),))]
    terms = _all(required)
    tiers = [Tier(4, PHRASES, f"({terms}) AND ({field})"),
             Tier(3, PHRASES, f"{phrase} NOT ({field})")]
    if required != (plan.phrase,):
        tiers.append(Tier(2, PHRASES, f"({terms}) NOT ({phrase} OR {field})"))
    if plan.variants:
        approx = " OR ".join(f"({_all(v)})" for v in plan.variants)
        tiers.append(Tier(1, PHRASES, f"({approx}) NOT ({terms})"))
    return tiers


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _under(units: tuple[str, ...], args: list[object]) -> str:
    """SQL on persons.unit_path: the unit itself or any unit below it (paths join with ' > ')."""
    parts = []
    for unit in units:
        parts.append("p.unit_path = ? OR p.unit_path LIKE ? ESCAPE '\\'")
        args.extend([unit, _escape_like(unit) + " > %"])
    return " OR ".join(parts)


def filter_sql(query: SearchQuery) -> tuple[str, list[object]]:
    """' AND rowid IN (...)' restricting matches to the filters and the caller's scope."""
    conds: list[str] = []
    args: list[object] = []
    if query.category:
        conds.append("d.category = ?")
        args.append(query.category)
    if query.date_from:
        conds.append("d.document_date >= ?")
        args.append(query.date_from.isoformat())
    if query.date_to:
        conds.append("d.document_date <= ?")
        args.append(query.date_to.isoformat())
    if query.citizen_id:
        conds.append("EXISTS (SELECT 1 FROM persons p WHERE p.doc_rowid = d.rowid"
                     " AND p.citizen_id = ?)")
        args.append(query.citizen_id)
    if query.unit:
        conds.append("EXISTS (SELECT 1 FROM persons p WHERE p.doc_rowid = d.rowid"
                     f" AND p.state = 'linked' AND ({_under((query.unit,), args)}))")
    scope = query.scope
    if not scope.everything:
        who: list[str] = []
        if scope.citizen_ids:
            who.append(f"p.citizen_id IN ({','.join('?' * len(scope.citizen_ids))})")
            args.extend(sorted(scope.citizen_ids))
        if scope.unit_paths:
            who.append(_under(scope.unit_paths, args))
        conds.append("EXISTS (SELECT 1 FROM persons p WHERE p.doc_rowid = d.rowid"
                     f" AND p.state = 'linked' AND ({' OR '.join(who)}))")
    if not conds:
        return "", []
    return f" AND rowid IN (SELECT d.rowid FROM docs d WHERE {' AND '.join(conds)})", args
