"""Writing what was understood: links with reasons, record entries, drafts, review items."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from sqlalchemy import select

from archive import registry
from archive.catalog import (
    DocumentEntry,
    DocumentPerson,
    DraftSource,
    RecordEntry,
    ReviewItem,
)
from archive.catalog.db import Catalog
from archive.config import load_settings
from tests.ingest.understand_support import (
    SOMCHAI,
    SUPAPORN,
    appointment_order,
    dashed,
    persons_csv,
    store_text_document,
)

ORDER = appointment_order(f"1 นายสมชาย ใจดี {dashed(SOMCHAI)} ครูผู้ช่วย โรงเรียนบ้านหนองบัว")


def _catalog(data_dir: Path) -> Catalog:
    catalog = Catalog(load_settings(data_dir).catalog_url)
    catalog.migrate()
    return catalog


def _registry(data_dir: Path, tmp_path: Path, entries: str | None = None) -> Catalog:
    catalog = _catalog(data_dir)
    with catalog.session() as s:
        registry.import_persons(s, persons_csv(tmp_path / "persons.csv"))
    if entries:
        path = tmp_path / "entries.csv"
        path.write_text("entry_id,citizen_id,section,effective_on,order_ref,title\n" + entries,
                        encoding="utf-8")
        with catalog.session() as s:
            assert not registry.import_entries(s, path).rejected
    return catalog


def test_an_order_is_linked_to_its_recorded_entry(tmp_path: Path) -> None:
    # GIVEN the registry already holds the appointment entry of order 123/2567
    data = tmp_path / "data"
    catalog = _registry(data, tmp_path, f"E-1,{SOMCHAI},position_salary,2024-10-01,123/2567,"
                                        "บรรจุและแต่งตั้ง\n")
    # WHEN the order is stored
    doc_id = store_text_document(data, ORDER, folder_hint=SOMCHAI)
    # THEN the document is the entry's reference document, with its reasons; no draft
    with catalog.session() as s:
        link = s.scalars(select(DocumentEntry).where(DocumentEntry.document_id == doc_id)).one()
        assert {r["kind"] for r in link.reasons} == {"order_ref", "date", "section"}
        person = s.scalars(select(DocumentPerson).where(DocumentPerson.document_id == doc_id)).one()
        assert person.state == "linked" and person.confidence > 0.99
        assert s.scalars(select(RecordEntry).where(RecordEntry.state == "draft")).all() == []


def test_an_order_without_an_entry_yields_a_draft_for_the_recorder(tmp_path: Path) -> None:
    data = tmp_path / "data"
    catalog = _registry(data, tmp_path)
    doc_id = store_text_document(data, ORDER, folder_hint=SOMCHAI)
    with catalog.session() as s:
        draft = s.scalars(select(RecordEntry).where(RecordEntry.state == "draft")).one()
        assert (draft.section, draft.order_ref, draft.effective_on) == (
            "position_salary", "123/2567", date(2024, 10, 1))
        assert draft.title == "บรรจุและแต่งตั้งข้าราชการครู"
        assert s.get(DraftSource, (draft.id, doc_id)) is not None


def test_a_draft_never_takes_a_number_read_from_thai_digits_as_fact(tmp_path: Path) -> None:
    data = tmp_path / "data"
    catalog = _registry(data, tmp_path)
    store_text_document(data, ORDER.replace("ที่ 123/2567", "ที่ ๑๒๓/๒๕๖๗"), folder_hint=SOMCHAI)
    with catalog.session() as s:
        draft = s.scalars(select(RecordEntry).where(RecordEntry.state == "draft")).one()
        assert draft.order_ref is None and "๑๒๓/๒๕๖๗" in draft.title


def test_a_document_needing_review_gets_candidates_and_a_queue_item(tmp_path: Path) -> None:
    data = tmp_path / "data"
    catalog = _registry(data, tmp_path)
    text = f"หนังสือรับรอง\nนางสาวสุภาพร ศรีสุข เลขประจำตัวประชาชน {dashed(SUPAPORN)}"
    doc_id = store_text_document(data, text, folder_hint=SOMCHAI)
    with catalog.session() as s:
        item = s.scalars(select(ReviewItem).where(ReviewItem.document_id == doc_id)).one()
        assert item.state == "open" and "folder_hint_contradicted" in item.reasons
        assert [c["citizen_id"] for c in item.candidates] == [SUPAPORN]
        rows = s.scalars(select(DocumentPerson).where(DocumentPerson.document_id == doc_id)).all()
        assert [r.state for r in rows] == ["candidate"]
        assert s.scalars(select(RecordEntry).where(RecordEntry.state == "draft")).all() == []
