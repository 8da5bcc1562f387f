"""Thai full-text search over the archive: one interface, an embedded and an Elasticsearch backend.

Index and queries go through the same Thai folding (search.normalize); the catalog is the
source of truth and the index follows it through the outbox (search.indexer).
"""

from search.backends import index_exists, open_index
from search.base import (
    IndexDocument,
    IndexedPerson,
    Scope,
    SearchError,
    SearchHit,
    SearchIndex,
    SearchQuery,
    SearchResult,
)
from search.indexer import DrainReport, drain, reindex, sync, verify_index
from search.normalize import QueryTooShort, plan_query, search_key
from search.snippet import MARK_CLOSE, MARK_OPEN, make_snippet

__all__ = [
    "MARK_CLOSE",
    "MARK_OPEN",
    "DrainReport",
    "IndexDocument",
    "IndexedPerson",
    "QueryTooShort",
    "Scope",
    "SearchError",
    "SearchHit",
    "SearchIndex",
    "SearchQuery",
    "SearchResult",
    "drain",
    "index_exists",
    "make_snippet",
    "open_index",
    "plan_query",
    "reindex",
    "search_key",
    "sync",
    "verify_index",
]
