"""Full-text search for a web caller: the filters checked, the caller's scope applied, audited.

The index connection is kept per thread (SQLite connections stay in their thread) and the
outbox is applied before each search, so a document is findable as soon as its ingest
committed. The catalog transaction of the request (a read-first one: it holds no write lock)
is ended before the outbox is drained and the index searched, so no snapshot is held while
the index works; the audit event then commits in its own short write (`write_side`).
"""

from __future__ import annotations

import re
import threading
import weakref
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from api.access import Action, Principal, scope
from api.http.errors import ApiError
from archive import audit
from archive.archive import Archive
from archive.catalog.outbox import SearchOutbox
from archive.domain import CATEGORY_BY_SLUG
from archive.thai import ThaiTextError, parse_citizen_id, parse_date_field
from search import (
    MARK_CLOSE,
    MARK_OPEN,
    QueryTooShort,
    SearchError,
    SearchIndex,
    SearchQuery,
    SearchResult,
    drain,
    open_index,
)

MAX_LIMIT = 100
MAX_OFFSET = 1000  # the index pages up to its result window (search.embedded.TOTAL_CAP)
MAX_QUERY = 500

_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_local = threading.local()
_drain_lock = threading.Lock()


@dataclass(frozen=True)
class SearchForm:
    """What the caller asked, as typed (the page shows it back)."""

    q: str = ""
    category: str | None = None
    citizen_id: str | None = None
    unit: str | None = None
    date_from: str | None = None
    date_to: str | None = None
    limit: int = 10
    offset: int = 0


def _date(text: str | None, field: str) -> date | None:
    if not text or not text.strip():
        return None
    try:
        return parse_date_field(text)
    except ThaiTextError as exc:
        raise ApiError(400, "bad_date", f"วันที่ในช่อง {field} ไม่ถูกต้อง: ใช้ ปปปป-ดด-วว "
                       "(ค.ศ.) หรือ ว/ด/ปปปป (พ.ศ.)", {"field": field}) from exc


def _printable(text: str | None) -> str:
    """Control characters (NUL included) say nothing in a query and upset the index."""
    return _CONTROL.sub(" ", text or "").strip()


def build_query(principal: Principal, form: SearchForm) -> SearchQuery:
    """The index query for this caller: bad filters are a 400 with a Thai message."""
    text = _printable(form.q)
    if not text:
        raise ApiError(400, "query_too_short", "กรุณาพิมพ์คำค้นอย่างน้อย ๒ ตัวอักษร")
    if len(text) > MAX_QUERY:
        raise ApiError(400, "query_too_long", f"คำค้นยาวเกิน {MAX_QUERY} ตัวอักษร")
    category = form.category or None
    if category is not None and category not in CATEGORY_BY_SLUG:
        raise ApiError(400, "unknown_category", "ไม่มีหมวดเอกสารนี้",
                       {"categories": sorted(CATEGORY_BY_SLUG)})
    citizen_id = None
    if form.citizen_id and form.citizen_id.strip():
        try:
            citizen_id = parse_citizen_id(form.citizen_id)
        except ThaiTextError as exc:
            raise ApiError(400, "bad_citizen_id", "เลขประจำตัวประชาชนไม่ถูกต้อง") from exc
    if not 1 <= form.limit <= MAX_LIMIT or not 0 <= form.offset <= MAX_OFFSET:
        raise ApiError(400, "bad_page", f"limit ต้องอยู่ระหว่าง ๑ ถึง {MAX_LIMIT} "
                       f"และ offset ระหว่าง ๐ ถึง {MAX_OFFSET}")
    date_from = _date(form.date_from, "from")
    date_to = _date(form.date_to, "to")
    if date_from and date_to and date_from > date_to:
        raise ApiError(400, "bad_date", "วันที่เริ่มต้องไม่หลังวันที่สิ้นสุด")
    return SearchQuery(
        text=text, scope=scope(principal, Action.READ_RECORD), category=category,
        citizen_id=citizen_id, unit=_printable(form.unit) or None,
        date_from=date_from, date_to=date_to, limit=form.limit, offset=form.offset,
    )


def _cache() -> dict[int, tuple[weakref.ref[Archive], SearchIndex]]:
    cache: dict[int, tuple[weakref.ref[Archive], SearchIndex]] = (
        _local.__dict__.setdefault("indexes", {}))
    for key, (ref, index) in list(cache.items()):
        if ref() is None:  # that archive is gone (tests open many): let its index go too
            index.close()
            del cache[key]
    return cache


def _index(archive: Archive) -> SearchIndex:
    """This thread's open index for `archive` (opened on first use)."""
    cache = _cache()
    held = cache.get(id(archive))
    if held is not None and held[0]() is archive:
        return held[1]
    index = open_index(archive.settings)
    cache[id(archive)] = (weakref.ref(archive), index)
    return index


def forget_index(archive: Archive) -> None:
    """Close this thread's index for `archive` (after an error: the next search reopens)."""
    held = _cache().pop(id(archive), None)
    if held is not None:
        held[1].close()


def _search(archive: Archive, query: SearchQuery, *, pending: bool) -> SearchResult:
    try:
        index = _index(archive)
        if pending or index.created:
            with _drain_lock:  # one thread applies the outbox; the others then find it empty
                drain(archive, index)
        return index.search(query)
    except SearchError as exc:
        forget_index(archive)
        raise ApiError(503, "search_unavailable",
                       "ระบบค้นหาไม่พร้อมใช้งานชั่วคราว กรุณาลองใหม่ภายหลัง") from exc


def search(archive: Archive, db: Session, principal: Principal, form: SearchForm
           ) -> dict[str, Any]:
    """Search within the caller's READ_RECORD scope (never all records); the search is
    audited with its query since the snippets quote record contents."""
    query = build_query(principal, form)
    pending = db.scalar(select(SearchOutbox.id).limit(1)) is not None
    db.commit()  # hold no catalog transaction (lock or snapshot) while the index works
    try:
        result = _search(archive, query, pending=pending)
    except QueryTooShort as exc:
        raise ApiError(400, "query_too_short", "คำค้นสั้นเกินไป: ต้องมีอย่างน้อย ๒ ตัวอักษร "
                       "ที่ไม่ใช่ช่องว่างหรือเครื่องหมาย") from exc
    audit.append(db, action="search", subject=f"user:{principal.username}",
                 actor=principal.actor, details={
                     "query": query.text, "category": query.category,
                     "citizen_id": query.citizen_id, "unit": query.unit,
                     "from": query.date_from, "to": query.date_to, "offset": query.offset,
                     "total": result.total,
                     "documents": [h.document_id for h in result.hits]})
    return result.as_dict()


def snippet_parts(snippet: str) -> list[tuple[str, bool]]:
    """A snippet as (text, marked) pieces: the page wraps the marked ones in <mark>,
    escaping everything (the text is OCR output, never trusted HTML)."""
    parts: list[tuple[str, bool]] = []
    rest = snippet
    while rest:
        start = rest.find(MARK_OPEN)
        if start < 0:
            parts.append((rest, False))
            break
        end = rest.find(MARK_CLOSE, start + 1)
        if end < 0:
            parts.append((rest, False))
            break
        if start:
            parts.append((rest[:start], False))
        parts.append((rest[start + 1:end], True))
        rest = rest[end + 1:]
    return parts
