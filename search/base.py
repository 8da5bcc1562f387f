"""The search interface both backends implement, and the values that cross it."""

from __future__ import annotations

import abc
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from typing import Any

__all__ = [
    "IndexBatch",
    "IndexDocument",
    "IndexedPerson",
    "Scope",
    "SearchError",
    "SearchHit",
    "SearchIndex",
    "SearchQuery",
    "SearchResult",
]


class SearchError(Exception):
    """The search index cannot be used (unreachable, unreadable, built by another version)."""


@dataclass(frozen=True)
class IndexedPerson:
    """A person a document is linked to (state linked) or proposed for (state candidate)."""

    citizen_id: str
    full_name: str  # with title: "นางสาวสุภาพร ศรีสุข"
    state: str  # linked | candidate
    unit_path: str | None = None


@dataclass(frozen=True)
class IndexDocument:
    """What the index holds of one catalogued document; built from the catalog alone."""

    document_id: str
    original_name: str
    category: str | None
    category_names: str  # the category's Thai and English names, matched as a field
    text: str  # stored text, pages separated by form feeds
    persons: tuple[IndexedPerson, ...] = ()
    order_refs: tuple[str, ...] = ()  # normalised "123/2567"
    document_date: date | None = None
    fingerprint: str = ""  # changes whenever anything above would change

    @property
    def citizen_ids(self) -> list[str]:
        return [p.citizen_id for p in self.persons]


@dataclass(frozen=True)
class Scope:
    """What the caller may see: everything, or the records of some persons and units.

    A document is visible when a person it is linked to (not merely proposed for) is one of
    `citizen_ids` or belongs to one of `unit_paths` or a unit below it. Roles (clause 6.1) map
    onto this when the API arrives; the command line runs as the archive's operator.
    """

    everything: bool = False
    citizen_ids: frozenset[str] = frozenset()
    unit_paths: tuple[str, ...] = ()

    @classmethod
    def all_records(cls) -> Scope:
        return cls(everything=True)

    @property
    def nothing(self) -> bool:
        return not self.everything and not self.citizen_ids and not self.unit_paths


@dataclass(frozen=True)
class SearchQuery:
    """A search: the text, filters, the caller's scope, and the page wanted.

    `unit` takes a unit path and includes its sub-units. The date range applies to the
    document's date: the first date written in it, else the day it was stored.
    """

    text: str
    scope: Scope
    category: str | None = None
    citizen_id: str | None = None
    unit: str | None = None
    date_from: date | None = None
    date_to: date | None = None
    limit: int = 10
    offset: int = 0

    def __post_init__(self) -> None:
        if self.limit < 1 or self.offset < 0:
            raise ValueError("limit must be 1 or more and offset 0 or more")


@dataclass(frozen=True)
class SearchHit:
    document_id: str
    original_name: str
    citizen_ids: list[str]
    category: str | None
    score: float
    snippet: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "document_id": self.document_id,
            "original_name": self.original_name,
            "citizen_ids": self.citizen_ids,
            "category": self.category,
            "score": self.score,
            "snippet": self.snippet,
        }


@dataclass(frozen=True)
class SearchResult:
    """`total` counts every match, up to a backend's cap; then total_exact is false."""

    total: int
    hits: list[SearchHit] = field(default_factory=list)
    total_exact: bool = True

    def as_dict(self) -> dict[str, Any]:
        return {"total": self.total, "total_exact": self.total_exact,
                "hits": [h.as_dict() for h in self.hits]}


class IndexBatch(abc.ABC):
    """Writes collected by SearchIndex.batch(); they take effect together, or not at all."""

    @abc.abstractmethod
    def upsert(self, doc: IndexDocument) -> None: ...

    @abc.abstractmethod
    def delete(self, document_id: str) -> None: ...


class SearchIndex(abc.ABC):
    """A full-text index over the catalogued documents. Open it, use it, close it."""

    # Set by open() when it had to create the index: the indexer then builds it in full.
    created: bool = False

    @abc.abstractmethod
    def exists(self) -> bool:
        """Whether the index has been created (without creating it)."""

    @abc.abstractmethod
    def open(self) -> None:
        """Create what is missing (tables, index template, alias) and connect."""

    @abc.abstractmethod
    def close(self) -> None: ...

    def __enter__(self) -> SearchIndex:
        self.open()
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def batch(self) -> Iterator[IndexBatch]:
        """A write batch: committed when the block ends normally, discarded if it raises."""
        writer = self._begin()
        try:
            yield writer
        except BaseException:
            self._rollback(writer)
            raise
        self._commit(writer)

    @abc.abstractmethod
    def _begin(self) -> IndexBatch: ...

    @abc.abstractmethod
    def _commit(self, batch: IndexBatch) -> None: ...

    @abc.abstractmethod
    def _rollback(self, batch: IndexBatch) -> None: ...

    @abc.abstractmethod
    def search(self, query: SearchQuery) -> SearchResult: ...

    @abc.abstractmethod
    def fingerprints(self) -> dict[str, str]:
        """document_id -> fingerprint of everything in the index (for verify)."""

    @abc.abstractmethod
    def rebuild(self, docs: Iterable[IndexDocument]) -> int:
        """Replace the whole index with `docs`; searches keep working on the old one meanwhile."""
