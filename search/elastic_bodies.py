"""What the Elasticsearch adapter sends: index template, documents, queries, alias swaps.

Pure functions, so the request bodies are unit-tested without a server.

Analysis, the same folding as the embedded keys (search.normalize):
- char filter `tabian_fold`: Thai digits -> Arabic, split sara am (ํา) -> ำ, zero-width out;
- `text` itself uses the `thai` tokenizer (dictionary words) for precise word matches;
- its `ngram` subfield also drops whitespace and the tone marks OCR loses, then cuts
  character trigrams with no token_chars restriction (`letter` would drop Thai marks), for
  substring and phrase matches across OCR-split words, and for recall on damaged words.
"""

from __future__ import annotations

from typing import Any

from search.base import IndexDocument, SearchQuery
from search.normalize import DROPPED_MARKS, QueryPlan, fold_key

__all__ = [
    "alias_actions",
    "bulk_actions",
    "document_body",
    "index_template",
    "search_body",
]

THAI_DIGITS = "๐๑๒๓๔๕๖๗๘๙"
NGRAM_SUBFIELD = {"ngram": {"type": "text", "analyzer": "tabian_ngram"}}
_THAI_TEXT = {"type": "text", "analyzer": "tabian_thai", "fields": NGRAM_SUBFIELD}
# A query matching only this share of a phrase's trigrams still counts (OCR-damaged words).
NGRAM_SHOULD_MATCH = "75%"


def index_template(alias: str) -> dict[str, Any]:
    """The composable index template for `<alias>-*` (put_index_template keyword arguments)."""
    digits = [f"{t} => {a}" for t, a in zip(THAI_DIGITS, "0123456789", strict=True)]
    return {
        "index_patterns": [f"{alias}-*"],
        "template": {
            "settings": {
                "number_of_shards": 1,
                "analysis": {
                    "char_filter": {
                        "tabian_fold": {
                            "type": "mapping",
                            "mappings": [*digits, "\u0e4d\u0e32 => \u0e33", "\u200b => "],
                        },
                        "tabian_key": {
                            "type": "pattern_replace",
                            "pattern": f"[\\s{DROPPED_MARKS}]+",
                            "replacement": "",
                        },
                    },
                    "tokenizer": {
                        "tabian_trigram": {
                            "type": "ngram", "min_gram": 3, "max_gram": 3, "token_chars": [],
                        },
                    },
                    "analyzer": {
                        "tabian_thai": {
                            "type": "custom", "char_filter": ["tabian_fold"],
                            "tokenizer": "thai", "filter": ["lowercase", "decimal_digit"],
                        },
                        "tabian_ngram": {
                            "type": "custom", "char_filter": ["tabian_fold", "tabian_key"],
                            "tokenizer": "tabian_trigram", "filter": ["lowercase"],
                        },
                    },
                },
            },
            "mappings": {
                "dynamic": "strict",
                "properties": {
                    "document_id": {"type": "keyword"},
                    "original_name": {
                        "type": "keyword",
                        "fields": {"text": {"type": "text", "analyzer": "tabian_thai"}},
                    },
                    "category": {"type": "keyword"},
                    "category_text": _THAI_TEXT,
                    "names": _THAI_TEXT,
                    "heading": _THAI_TEXT,
                    "text": _THAI_TEXT,
                    "identifiers": {"type": "keyword"},
                    "citizen_ids": {"type": "keyword"},
                    "linked_ids": {"type": "keyword"},
                    "unit_paths": {"type": "keyword"},
                    "document_date": {"type": "date", "format": "strict_date"},
                    "fingerprint": {"type": "keyword", "index": False},
                },
            },
        },
        "priority": 200,
        "meta": {"description": "Tabian evidence documents (search.elastic_bodies)"},
    }


def document_body(doc: IndexDocument, heading: str) -> dict[str, Any]:
    linked = [p for p in doc.persons if p.state == "linked"]
    return {
        "document_id": doc.document_id,
        "original_name": doc.original_name,
        "category": doc.category,
        "category_text": doc.category_names,
        "names": [p.full_name for p in linked],
        "heading": heading,
        "text": doc.text,
        "identifiers": sorted({fold_key(i) for i in
                               (*(p.citizen_id for p in linked), *doc.order_refs)}),
        "citizen_ids": doc.citizen_ids,
        "linked_ids": [p.citizen_id for p in linked],
        "unit_paths": sorted({p.unit_path for p in linked if p.unit_path}),
        "document_date": doc.document_date.isoformat() if doc.document_date else None,
        "fingerprint": doc.fingerprint,
    }


def bulk_actions(index: str, upserts: list[dict[str, Any]], deletes: list[str],
                 ) -> list[dict[str, Any]]:
    """Bulk helper actions: whole-document index (replace) operations, then deletes."""
    actions: list[dict[str, Any]] = [
        {"_op_type": "index", "_index": index, "_id": body["document_id"], "_source": body}
        for body in upserts
    ]
    actions.extend({"_op_type": "delete", "_index": index, "_id": d} for d in deletes)
    return actions


def alias_actions(alias: str, old: list[str], new: str) -> dict[str, Any]:
    """One atomic alias update: the new index takes the alias, the old ones lose it."""
    return {"actions": [
        *({"remove": {"index": i, "alias": alias}} for i in old),
        {"add": {"index": new, "alias": alias, "is_write_index": True}},
    ]}


def _under(field: str, units: tuple[str, ...]) -> dict[str, Any]:
    should: list[dict[str, Any]] = []
    for unit in units:
        should.append({"term": {field: unit}})
        should.append({"prefix": {field: f"{unit} > "}})
    return {"bool": {"should": should, "minimum_should_match": 1}}


def _filters(query: SearchQuery) -> list[dict[str, Any]]:
    filters: list[dict[str, Any]] = []
    if query.category:
        filters.append({"term": {"category": query.category}})
    if query.citizen_id:
        filters.append({"term": {"citizen_ids": query.citizen_id}})
    if query.unit:
        filters.append(_under("unit_paths", (query.unit,)))
    if query.date_from or query.date_to:
        bounds = {}
        if query.date_from:
            bounds["gte"] = query.date_from.isoformat()
        if query.date_to:
            bounds["lte"] = query.date_to.isoformat()
        filters.append({"range": {"document_date": bounds}})
    scope = query.scope
    if not scope.everything:
        who: list[dict[str, Any]] = []
        if scope.citizen_ids:
            who.append({"terms": {"linked_ids": sorted(scope.citizen_ids)}})
        if scope.unit_paths:
            who.append(_under("unit_paths", scope.unit_paths))
        filters.append({"bool": {"should": who, "minimum_should_match": 1}})
    return filters


def _matches(plan: QueryPlan, text: str) -> list[dict[str, Any]]:
    """The ways a document may match, strongest boost first (field > phrase > words > ngrams)."""
    boosts = {"names": 10, "category_text": 4, "heading": 2}
    if len(plan.phrase) < 3:  # two characters: the trigrams that begin with them
        return [
            *({"prefix": {f"{f}.ngram": {"value": plan.phrase, "boost": 2 * b}}}
              for f, b in boosts.items()),
            {"prefix": {"text.ngram": {"value": plan.phrase}}},
        ]
    fields = [f"{f}.ngram^{b}" for f, b in boosts.items()]
    should: list[dict[str, Any]] = [
        {"multi_match": {"query": text, "type": "phrase", "fields": fields, "boost": 20}},
        {"match_phrase": {"text": {"query": text, "boost": 4}}},
        {"match_phrase": {"text.ngram": {"query": text, "boost": 3}}},
        {"match": {"text": {"query": text, "operator": "and", "boost": 2}}},
        {"match": {"text.ngram": {"query": text, "minimum_should_match": NGRAM_SHOULD_MATCH}}},
    ]
    if plan.identifiers:
        should.insert(0, {"terms": {"identifiers": list(plan.identifiers), "boost": 40}})
    return should


def search_body(query: SearchQuery, plan: QueryPlan, text: str) -> dict[str, Any]:
    """The search request: matches as `should` (one needed), filters, page, exact total."""
    return {
        "query": {"bool": {
            "should": _matches(plan, text),
            "minimum_should_match": 1,
            "filter": _filters(query),
        }},
        "from": query.offset,
        "size": query.limit,
        "track_total_hits": True,
        "_source": ["document_id", "original_name", "category", "citizen_ids", "text"],
    }
