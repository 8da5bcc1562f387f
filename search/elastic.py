"""The Elasticsearch backend: an alias over a versioned index, bulk writes, alias-swap rebuilds.

The alias (settings.elasticsearch_index) is what is searched and written; the index behind it
is `<alias>-<timestamp>`, shaped by the index template in search.elastic_bodies. A rebuild
fills a new index and moves the alias in one atomic update, so searches never see a gap.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterable
from typing import Any

from archive.thai import normalize_for_search
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
from search.elastic_bodies import (
    alias_actions,
    bulk_actions,
    document_body,
    index_template,
    search_body,
)
from search.normalize import plan_query
from search.snippet import make_snippet

log = logging.getLogger(__name__)

__all__ = ["ElasticIndex"]

BULK_CHUNK = 500


class _Batch(IndexBatch):
    """Collects the writes; nothing reaches the server before the batch commits."""

    def __init__(self) -> None:
        self.upserts: list[dict[str, Any]] = []
        self.deletes: list[str] = []

    def upsert(self, doc: IndexDocument) -> None:
        self.upserts.append(document_body(doc, heading_of(doc.text, doc.original_name)))

    def delete(self, document_id: str) -> None:
        self.deletes.append(document_id)


class ElasticIndex(SearchIndex):
    """The index behind `alias` on the server at `url` (or an Elasticsearch client given)."""

    def __init__(self, url: str | None, alias: str, *, client: Any = None) -> None:
        self.url, self.alias = url, alias
        self.template_name = f"{alias}-template"
        self._client = client

    @property
    def client(self) -> Any:
        if self._client is None:
            from elasticsearch import Elasticsearch

            self._client = Elasticsearch(self.url, request_timeout=30, retry_on_timeout=True)
        return self._client

    def _call(self, what: str, fn: Any, *args: Any, **kwargs: Any) -> Any:
        """Run a client call; any failure becomes a SearchError naming what was attempted."""
        try:
            return fn(*args, **kwargs)
        except Exception as exc:  # the client raises many types: transport, API, bulk
            raise SearchError(f"Elasticsearch at {self.url}: {what} failed: {exc}") from exc

    def exists(self) -> bool:
        return bool(self._call("alias lookup", self.client.indices.exists_alias, name=self.alias))

    def open(self) -> None:
        self._call("index template", self.client.indices.put_index_template,
                   name=self.template_name, **index_template(self.alias))
        if not self.exists():
            name = self._new_index_name()
            self._call("index creation", self.client.indices.create, index=name,
                       aliases={self.alias: {"is_write_index": True}})
            self.created = True

    def close(self) -> None:
        if self._client is not None:
            self._client.close()
            self._client = None

    def _new_index_name(self) -> str:
        return f"{self.alias}-{time.strftime('%Y%m%d%H%M%S')}-{time.monotonic_ns() % 10**6:06d}"

    # -- writing ------------------------------------------------------------------------------

    def _begin(self) -> IndexBatch:
        return _Batch()

    def _commit(self, batch: IndexBatch) -> None:
        assert isinstance(batch, _Batch)
        self._bulk(self.alias, batch)

    def _rollback(self, batch: IndexBatch) -> None:
        pass  # nothing was sent

    def _bulk(self, index: str, batch: _Batch, *, refresh: str | bool = "wait_for") -> None:
        from elasticsearch import helpers

        actions = bulk_actions(index, batch.upserts, batch.deletes)
        if not actions:
            return
        # A delete of a document never indexed is not an error.
        self._call("bulk write", helpers.bulk, self.client, actions, chunk_size=BULK_CHUNK,
                   refresh=refresh, raise_on_error=True, ignore_status=(404,))

    def rebuild(self, docs: Iterable[IndexDocument]) -> int:
        new = self._new_index_name()
        self._call("index creation", self.client.indices.create, index=new)
        written = 0
        batch = _Batch()
        for doc in docs:
            batch.upsert(doc)
            if len(batch.upserts) >= BULK_CHUNK:
                self._bulk(new, batch, refresh=False)
                written += len(batch.upserts)
                batch = _Batch()
        self._bulk(new, batch, refresh=False)
        written += len(batch.upserts)
        self._call("refresh", self.client.indices.refresh, index=new)
        old = list(self._call("alias lookup", self.client.indices.get_alias,
                              name=self.alias, ignore_unavailable=True) or {})
        self._call("alias swap", self.client.indices.update_aliases,
                   **alias_actions(self.alias, old, new))
        for name in old:
            self._call("old index removal", self.client.indices.delete, index=name)
        return written

    # -- reading ------------------------------------------------------------------------------

    def fingerprints(self) -> dict[str, str]:
        from elasticsearch import helpers

        hits = self._call("scan", lambda: list(helpers.scan(
            self.client, index=self.alias, _source=["fingerprint"],
            query={"query": {"match_all": {}}},
        )))
        return {h["_id"]: h["_source"].get("fingerprint", "") for h in hits}

    def search(self, query: SearchQuery) -> SearchResult:
        plan = plan_query(query.text)
        if query.scope.nothing:
            return SearchResult(total=0)
        body = search_body(query, plan, normalize_for_search(query.text))
        response = self._call("search", self.client.search, index=self.alias, **body)
        hits = []
        for h in response["hits"]["hits"]:
            src = h["_source"]
            hits.append(SearchHit(
                document_id=src["document_id"], original_name=src["original_name"],
                citizen_ids=list(src.get("citizen_ids") or []), category=src.get("category"),
                score=round(float(h.get("_score") or 0.0), 4),
                snippet=make_snippet(src.get("text") or "", plan.highlight),
            ))
        return SearchResult(total=int(response["hits"]["total"]["value"]), hits=hits)
