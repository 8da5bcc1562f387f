"""The catalog database: models, connection and migrations."""

from archive.catalog.db import Catalog, CatalogError
from archive.catalog.models import (
    AuditEvent,
    Base,
    Document,
    DocumentEntry,
    DocumentObject,
    DocumentPerson,
    EvidenceCategoryRow,
    IngestBatch,
    IngestItem,
    Person,
    RecordEntry,
    Unit,
)
from archive.catalog.outbox import SearchOutbox, enqueue

__all__ = [
    "AuditEvent",
    "Base",
    "Catalog",
    "CatalogError",
    "Document",
    "IngestBatch",
    "IngestItem",
    "DocumentEntry",
    "DocumentObject",
    "DocumentPerson",
    "EvidenceCategoryRow",
    "Person",
    "RecordEntry",
    "SearchOutbox",
    "Unit",
    "enqueue",
]
