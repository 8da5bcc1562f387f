"""How the embedded backend answers a query: FTS5 expressions in tiers, and SQL filters.

Three FTS5 tables hold each document's keys (search.normalize):
- `fts` (fields, body): trigrams with positions, so any key of 3 or more characters is a
  phrase of trigrams, i.e. a substring query;
- `fields` (names, refs, category, heading): the same for the short fields alone, so asking
  "is it in a field?" never walks the long body postings;
- `pairs` (fields, body): each document's set of character pairs, for 2-character queries.

Matches are ranked in tiers, each excluding the ones above it:
5 field: the phrase (or an order ref / citizen ID of the query) in a field (names of linked
  persons, identifiers, category, heading), with every required term somewhere;
4 phrase: the whole query as one run of characters anywhere;
3 terms: every required term anywhere (queries of several words);
2 identifier: the query's order ref or citizen ID is the document's, other words are missing;
1 approximate: as 3 with one digit that OCR confuses changed (๓/๕/๘/๙, ๒/๖/๐).
A hit's score is its tier plus a fraction from BM25 where the tier was small enough to rank
(RANK_LIMIT); larger tiers list the newest documents first.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from search.base import SearchQuery
from search.normalize import QueryPlan

__all__ = [
    "FIELDS",
    "PAIRS",
    "PHRASES",
    "Constraint",
    "Tier",
    "TierPlan",
    "filter_sql",
    "plan_tiers",
    "quote",
]

PHRASES, FIELDS, PAIRS = "fts", "fields", "pairs"


def quote(key: str) -> str:
    """An FTS5 phrase; the trigram tokenizer turns it into consecutive trigrams."""
    return '"' + key.replace('"', '""') + '"'


@dataclass(frozen=True)
class Constraint:
    """rowid [NOT] IN (the rows of `table` matching `expr`)."""

    table: str
    expr: str
    negated: bool = False

    def sql(self) -> str:
        op = "NOT IN" if self.negated else "IN"
        # "+rowid": filter the rows the MATCH yields; a bare rowid would let SQLite probe the
        # FTS table once per row of the subquery, re-evaluating the MATCH each time.
        return f" AND +rowid {op} (SELECT rowid FROM {self.table} WHERE {self.table} MATCH ?)"


@dataclass(frozen=True)
class Tier:
    number: int  # 5 = best
    table: str
    expr: str
    constraints: tuple[Constraint, ...] = ()

    @property
    def rankable(self) -> bool:
        return self.table != PAIRS  # the pairs table has no term frequencies

    def score(self, rank: float | None) -> float:
        if rank is None:
            return float(self.number)
        relevance = max(0.0, -rank)
        return self.number + relevance / (1.0 + relevance)


@dataclass(frozen=True)
class TierPlan:
    tiers: tuple[Tier, ...]
    total: tuple[Tier, ...]  # disjoint sets whose counts add up to the number of matches


def _all(terms: tuple[str, ...]) -> str:
    return " AND ".join(quote(t) for t in terms)


def plan_tiers(plan: QueryPlan) -> TierPlan:
    """The tiers of a query, best first; no document is in two of them."""
    phrase = quote(plan.phrase)
    if len(plan.phrase) < 3:  # a two-character query: the pairs table answers it
        field = f"{{fields}} : {phrase}"
        pair_tiers = (Tier(5, PAIRS, field), Tier(4, PAIRS, f"{phrase} NOT {field}"))
        return TierPlan(pair_tiers, pair_tiers)
    idents = [f"{{refs}} : {quote(i)}" for i in plan.identifiers if i != plan.phrase]
    field = " OR ".join([phrase, *idents])
    in_field = Constraint(FIELDS, field, negated=True)
    required = plan.required
    if any(len(t) < 3 for t in required):  # two-character words apart: pairs again
        short_tiers = (
            Tier(5, FIELDS, phrase),
            Tier(4, PHRASES, phrase, (in_field,)),
            Tier(3, PAIRS, _all(required), (Constraint(PHRASES, phrase, negated=True),)),
        )
        return TierPlan(short_tiers, short_tiers)
    terms = _all(required)
    several = required != (plan.phrase,)
    tiers = [Tier(5, FIELDS, field, (Constraint(PHRASES, terms),) if several else ()),
             Tier(4, PHRASES, phrase, (in_field,))]
    if several:
        tiers.append(Tier(3, PHRASES, f"({terms}) NOT {phrase}", (in_field,)))
    total = terms
    extra: list[Tier] = []
    if idents:  # the order ref or ID is the document's, other words of the query are missing
        extra.append(Tier(2, FIELDS, " OR ".join(idents),
                          (Constraint(PHRASES, terms, negated=True),)))
        tiers.extend(extra)
    if plan.variants:
        approx = " OR ".join(f"({_all(v)})" for v in plan.variants)
        tiers.append(Tier(1, PHRASES, f"({approx}) NOT ({terms})"))
        total = f"({terms}) OR ({approx})"
    return TierPlan(tuple(tiers), (Tier(0, PHRASES, total), *extra))


def _under(units: tuple[str, ...], args: list[object]) -> str:
    """SQL on persons.unit_path: the unit or any unit below it (paths join with ' > '); a
    range rather than LIKE, so the index on unit_path answers it."""
    parts = []
    for unit in units:
        parts.append("unit_path = ? OR (unit_path > ? AND unit_path < ?)")
        args.extend([unit, f"{unit} > ", f"{unit} > \U0010ffff"])
    return " OR ".join(parts)


def filter_sql(query: SearchQuery) -> tuple[str, list[object]]:
    """' AND +rowid IN (...)' clauses restricting matches to the filters and the caller's scope.

    Each is a set SQLite builds once from an index, then checks each match against.
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
    if query.citizen_id:
        sets.append("SELECT doc_rowid FROM persons WHERE citizen_id = ?")
        args.append(query.citizen_id)
    if query.unit:
        sets.append("SELECT doc_rowid FROM persons WHERE state = 'linked' AND "
                    f"({_under((query.unit,), args)})")
    scope = query.scope
    if not scope.everything:
        who: list[str] = []
        if scope.citizen_ids:
            who.append(f"citizen_id IN ({','.join('?' * len(scope.citizen_ids))})")
            args.extend(sorted(scope.citizen_ids))
        if scope.unit_paths:
            who.append(_under(scope.unit_paths, args))
        sets.append(f"SELECT doc_rowid FROM persons WHERE state = 'linked' AND "
                    f"({' OR '.join(who)})")
    return "".join(f" AND +rowid IN ({sql})" for sql in sets), args
