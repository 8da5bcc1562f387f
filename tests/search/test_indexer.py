"""The index follows the catalog: outbox drained, rebuilt from scratch, differences reported."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select

from archive.archive import Archive, open_archive
from archive.catalog import Document, SearchOutbox
from archive.catalog.outbox import enqueue
from archive.config import load_settings
from search import Scope, SearchIndex, SearchQuery, drain, open_index, reindex, verify_index
from tests.search.archive_docs import add_person, citizen_id, store_document

ORDER = "คำสั่ง ที่ ๑๒๓/๒๕๖๗ เรื่อง บรรจุและแต่งตั้ง นางสาวสุภาพร ศรีสุข ครูผู้ช่วย"
HOUSE = "ทะเบียนบ้าน ท.ร.๑๔ นางสาวสุภาพร ศรีสุข บ้านเลขที่ ๑๒"


@pytest.fixture
def archive(tmp_path: Path) -> Iterator[Archive]:
    arc = open_archive(load_settings(tmp_path / "data"))
    add_person(arc, citizen_id(1), "นางสาว", "สุภาพร", "ศรีสุข", "สพป.ขอนแก่น เขต 1")
    yield arc
    arc.close()


@pytest.fixture
def index(archive: Archive) -> Iterator[SearchIndex]:
    idx = open_index(archive.settings)
    yield idx
    idx.close()


def _found(index: SearchIndex, text: str) -> list[str]:
    return [h.document_id for h in index.search(SearchQuery(text, Scope.all_records())).hits]


def _pending(archive: Archive) -> int:
    with archive.catalog.session() as s:
        return int(s.scalar(select(func.count()).select_from(SearchOutbox)) or 0)


def test_a_stored_document_is_findable_once_the_outbox_is_drained(
        archive: Archive, index: SearchIndex) -> None:
    drain(archive, index)  # the new, empty index is built
    # GIVEN a document stored with its outbox row, as ingest does
    doc = store_document(archive, ORDER, category="appointment",
                         persons=[(citizen_id(1), "linked")], entry_refs=["45/2566"])
    assert _found(index, "123/2567") == []
    # WHEN the outbox is drained
    report = drain(archive, index)
    # THEN it is found by its text, its owner's name, and the order ref of its record entry
    assert report.upserted == 1
    assert _found(index, "๑๒๓/๒๕๖๗") == [doc]
    assert _found(index, "สุภาพร") == [doc]
    assert _found(index, "45/2566") == [doc]
    assert _pending(archive) == 0
    hit = index.search(SearchQuery("บรรจุ", Scope.all_records())).hits[0]
    assert hit.citizen_ids == [citizen_id(1)] and hit.category == "appointment"


def test_a_new_index_is_built_from_the_whole_catalog(archive: Archive, tmp_path: Path) -> None:
    # GIVEN documents stored before any index existed, one even without an outbox row
    first = store_document(archive, ORDER)
    second = store_document(archive, HOUSE, outbox=False)
    # WHEN the index is opened and drained for the first time
    idx = open_index(archive.settings)
    assert idx.created
    report = drain(archive, idx)
    # THEN every catalogued document is in it
    assert report.rebuilt == 2
    assert set(idx.fingerprints()) == {first, second}
    assert _pending(archive) == 0
    idx.close()


def test_deleting_through_the_outbox_removes_the_document(archive: Archive,
                                                           index: SearchIndex) -> None:
    doc = store_document(archive, ORDER)
    drain(archive, index)
    with archive.catalog.session() as s:
        s.delete(s.get(Document, doc))
        enqueue(s, doc, "delete")
    assert drain(archive, index).deleted == 1
    assert _found(index, "บรรจุ") == []


def test_verify_reports_documents_missing_and_stale(archive: Archive, index: SearchIndex) -> None:
    kept = store_document(archive, ORDER, category="appointment")
    changed = store_document(archive, HOUSE, category="other")
    drain(archive, index)
    assert verify_index(archive) == []
    # GIVEN changes that bypassed the outbox: a new document, a recategorised one, a deleted one
    missing = store_document(archive, "หนังสือรับรองเงินเดือน", outbox=False)
    with archive.catalog.session() as s:
        s.get(Document, changed).category = "house_registration"  # type: ignore[union-attr]
        s.delete(s.get(Document, kept))
    # WHEN verify compares the index with the catalog
    problems = {(p["kind"], p["document_id"]) for p in verify_index(archive)}
    # THEN each is named
    assert problems == {("index_missing", missing), ("index_stale", changed),
                        ("index_stale", kept)}
    # and a reindex puts it right
    reindex(archive, index)
    assert verify_index(archive) == []
    assert _found(index, "ทะเบียนบ้าน") == [changed]
    assert _found(index, "บรรจุ") == []


def test_pending_changes_are_not_problems(archive: Archive, index: SearchIndex) -> None:
    drain(archive, index)
    store_document(archive, ORDER)  # its outbox row is waiting
    assert verify_index(archive) == []


def test_an_index_never_built_is_not_compared(archive: Archive) -> None:
    store_document(archive, ORDER, outbox=False)
    assert verify_index(archive) == []  # it is built in full on first use


def test_a_document_indexed_without_its_text_stays_reported(archive: Archive,
                                                              index: SearchIndex) -> None:
    doc = store_document(archive, ORDER)
    with archive.catalog.session() as s:
        text = next(o for o in s.get(Document, doc).objects if o.kind == "text")  # type: ignore[union-attr]
        key = text.key
    archive.store.delete(key)
    drain(archive, index)
    problems = verify_index(archive)
    assert [(p["kind"], p["document_id"]) for p in problems] == [("index_stale", doc)]
    assert "without its text" in problems[0]["detail"]


def test_reindex_swaps_in_a_rebuilt_index_and_clears_the_outbox(
        archive: Archive, index: SearchIndex) -> None:
    docs = [store_document(archive, f"{ORDER} ฉบับที่ {n}") for n in range(3)]
    assert reindex(archive, index) == 3
    assert _pending(archive) == 0
    assert sorted(_found(index, "บรรจุ")) == sorted(docs)


def test_an_unreadable_index_is_a_verify_problem(archive: Archive) -> None:
    store_document(archive, ORDER)
    (archive.settings.data_dir / "search.sqlite3").write_bytes(b"not a database at all" * 100)
    problems = verify_index(archive)
    assert [p["kind"] for p in problems] == ["index_unreadable"]
