"""Index documents built from the catalog: text, linked persons, order refs, category, dates."""

from __future__ import annotations

import hashlib
import json
import logging
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from archive.archive import Archive
from archive.catalog.models import (
    Document,
    DocumentEntry,
    DocumentObject,
    DocumentPerson,
    Person,
    RecordEntry,
    Unit,
)
from archive.domain import CATEGORY_BY_SLUG
from archive.objectstore import ChecksumMismatch, ObjectNotFound
from archive.thai import (
    THAI_MONTHS,
    THAI_MONTHS_ABBR,
    ThaiTextError,
    find_order_refs,
    fold_digits,
    parse_thai_date,
)
from search.base import IndexDocument, IndexedPerson
from search.normalize import KEY_VERSION

log = logging.getLogger(__name__)

__all__ = [
    "DocumentFacts",
    "INDEX_VERSION",
    "NO_TEXT",
    "build_document",
    "catalog_facts",
    "document_date",
    "heading_of",
    "load_documents",
    "read_text",
]

# Part of every fingerprint: bump when what the index derives from a document changes, and
# verify will call every indexed document stale until `tabian reindex` runs.
INDEX_VERSION = f"2.{KEY_VERSION}"
# Marks the fingerprint of a document indexed without its text, so verify keeps naming it.
NO_TEXT = "+no-text"
CHUNK = 500
HEADING_LINES = 4
HEADING_CHARS = 300

_MONTH_WORDS = "|".join(
    re.escape(m) for m in sorted((*THAI_MONTHS, *THAI_MONTHS_ABBR), key=len, reverse=True)
)
_DATE_IN_TEXT = re.compile(
    rf"(?<![0-9])([0-9]{{1,2}})\s*({_MONTH_WORDS})\s*(?:พ\.\s*ศ\.)?\s*([0-9]{{4}})(?![0-9])"
)


def document_date(text: str) -> date | None:
    """The first full Thai date written in the text (the date an order or letter bears)."""
    folded = fold_digits(text[:6000])
    for m in _DATE_IN_TEXT.finditer(folded):
        try:
            return parse_thai_date(f"{m[1]} {m[2]} {m[3]}")
        except ThaiTextError:
            continue
    return None


def heading_of(text: str, original_name: str) -> str:
    """The first lines of the first page, where the kind of paper and its subject are written."""
    first_page = text.split("\f", 1)[0]
    lines = [ln.strip() for ln in first_page.split("\n") if ln.strip()][:HEADING_LINES]
    return f"{original_name.rsplit('.', 1)[0]}\n" + "\n".join(lines)[:HEADING_CHARS]


@dataclass(frozen=True)
class DocumentFacts:
    """What the catalog says about a document, enough to fingerprint it without its text."""

    document_id: str
    original_name: str
    category: str | None
    stored_on: date
    text_key: str | None
    text_sha256: str | None
    persons: tuple[IndexedPerson, ...]
    entry_refs: tuple[str, ...]

    @property
    def fingerprint(self) -> str:
        data = [
            INDEX_VERSION, self.document_id, self.original_name, self.category,
            self.stored_on.isoformat(), self.text_sha256,
            [[p.citizen_id, p.full_name, p.state, p.unit_path] for p in self.persons],
            sorted(self.entry_refs),
        ]
        return hashlib.sha256(json.dumps(data, ensure_ascii=False).encode()).hexdigest()


def _chunks(ids: Sequence[str]) -> Iterator[Sequence[str]]:
    for i in range(0, len(ids), CHUNK):
        yield ids[i:i + CHUNK]


def _facts_chunk(s: Session, ids: Sequence[str] | None) -> list[DocumentFacts]:
    docs = select(Document.id, Document.original_name, Document.category, Document.created_at)
    texts = select(DocumentObject.document_id, DocumentObject.key, DocumentObject.sha256).where(
        DocumentObject.kind == "text"
    )
    persons = (
        select(DocumentPerson.document_id, Person.citizen_id, Person.prefix, Person.first_name,
               Person.last_name, DocumentPerson.state, Unit.path)
        .join(Person, Person.id == DocumentPerson.person_id)
        .outerjoin(Unit, Unit.id == Person.unit_id)
        .order_by(DocumentPerson.document_id, DocumentPerson.confidence.desc(), Person.citizen_id)
    )
    entries = select(DocumentEntry.document_id, RecordEntry.order_ref).join(
        RecordEntry, RecordEntry.id == DocumentEntry.entry_pk
    )
    if ids is not None:
        docs = docs.where(Document.id.in_(ids))
        texts = texts.where(DocumentObject.document_id.in_(ids))
        persons = persons.where(DocumentPerson.document_id.in_(ids))
        entries = entries.where(DocumentEntry.document_id.in_(ids))
    text_of = {d: (k, h) for d, k, h in s.execute(texts)}
    persons_of: dict[str, list[IndexedPerson]] = defaultdict(list)
    for d, cid, prefix, first, last, state, unit in s.execute(persons):
        persons_of[d].append(IndexedPerson(cid, f"{prefix}{first} {last}", state, unit))
    refs_of: dict[str, list[str]] = defaultdict(list)
    for d, ref in s.execute(entries):
        if ref:
            refs_of[d].append(ref)
    return [
        DocumentFacts(
            document_id=d, original_name=name, category=category, stored_on=created.date(),
            text_key=text_of.get(d, (None, None))[0], text_sha256=text_of.get(d, (None, None))[1],
            persons=tuple(persons_of.get(d, ())), entry_refs=tuple(refs_of.get(d, ())),
        )
        for d, name, category, created in s.execute(
            docs.order_by(Document.created_at, Document.id)
        )
    ]


def catalog_facts(archive: Archive, document_ids: Sequence[str] | None = None,
                  ) -> Iterator[DocumentFacts]:
    """Facts of the given documents (all when None), oldest first, a chunk at a time.

    Oldest first, so that an index built from them lists the newest documents last; large
    result sets are shown newest first.
    """
    with archive.catalog.session() as s:
        ids = list(document_ids) if document_ids is not None else list(
            s.scalars(select(Document.id).order_by(Document.created_at, Document.id))
        )
    for chunk in _chunks(ids):
        with archive.catalog.session() as s:
            yield from _facts_chunk(s, chunk)


def _category_names(slug: str | None) -> str:
    category = CATEGORY_BY_SLUG.get(slug or "")
    return f"{category.name_th}\n{category.name_en}\n{category.slug}" if category else ""


def build_document(facts: DocumentFacts, text: str | None) -> IndexDocument:
    """The index document; text None means the text object could not be read."""
    fingerprint = facts.fingerprint if text is not None else facts.fingerprint + NO_TEXT
    text = text or ""
    refs = dict.fromkeys([*(str(r) for r in find_order_refs(text)), *facts.entry_refs])
    return IndexDocument(
        document_id=facts.document_id, original_name=facts.original_name,
        category=facts.category, category_names=_category_names(facts.category), text=text,
        persons=facts.persons, order_refs=tuple(refs),
        document_date=document_date(text) or facts.stored_on, fingerprint=fingerprint,
    )


def read_text(archive: Archive, facts: DocumentFacts) -> str | None:
    """The stored text ("" for a document without one); None when it is lost or damaged."""
    if facts.text_key is None:
        return ""
    try:
        data = archive.store.get_bytes(facts.text_key, sha256=facts.text_sha256)
    except (ObjectNotFound, ChecksumMismatch) as exc:
        log.warning("indexing %s without its text: %s", facts.document_id, exc)
        return None
    return data.decode("utf-8", errors="replace")


def load_documents(archive: Archive, facts: Iterable[DocumentFacts]) -> Iterator[IndexDocument]:
    for f in facts:
        yield build_document(f, read_text(archive, f))
