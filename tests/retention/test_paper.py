"""บัญชีหนังสือขอทำลาย for the paper originals of an ingest batch, and the committee's decision."""

from __future__ import annotations

import csv
import io
import json
import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select

from archive.archive import Archive
from archive.catalog.models import AuditEvent, IngestBatch
from retention import RetentionError
from retention.paper import COLUMNS, decide_paper_list, make_paper_list
from tests.retention.conftest import RECORDS_MANAGER
from tests.retention.records import add_batch, add_document, add_entry, add_person, cid


@pytest.fixture
def batch(archive: Archive) -> str:
    """A finished batch: 2 filed documents, 1 not filed, 1 with corrupted bytes, 1 rejected."""
    with archive.catalog.session() as s:
        p = add_person(s, cid(1), status="active", left_service_on=None)
        order = add_document(s, archive.store, [p], name="คำสั่ง.pdf")
        add_entry(s, p, "E-1", effective_on=date(2025, 10, 1), order_ref="123/2568",
                  title="แต่งตั้งให้ดำรงตำแหน่งครู", documents=[order])
        degree = add_document(s, archive.store, [p], category="qualification", name="ปริญญา.pdf")
        loose = add_document(s, archive.store, [], name="ไม่ทราบเจ้าของ.pdf")
        broken = add_document(s, archive.store, [p], name="เสียหาย.pdf")
        archive.store.put_bytes(broken.objects[0].key, b"bit rot")
        return add_batch(s, [order, degree, loose, broken], rejected=1)


def test_the_list_names_verified_filed_documents_and_says_why_others_wait(
    archive: Archive, batch: str, tmp_path: Path
) -> None:
    result = make_paper_list(archive, batch, actor=RECORDS_MANAGER, out=tmp_path)
    assert [(i["no"], i["file_code"], i["number"], i["subject"]) for i in result["items"]] == [
        (1, f"{cid(1)}/01", "123/2568", "แต่งตั้งให้ดำรงตำแหน่งครู"),
        (2, f"{cid(1)}/02", "-", "สำเนาปริญญาบัตร/ใบแสดงผลการศึกษาที่ใช้สมัคร"),
    ]
    assert result["items"][0]["dated"] == "1 ตุลาคม 2568"
    assert sorted((e["file"], e["reason"]) for e in result["excluded"]) == [
        ("bad0.pdf", "rejected"), ("เสียหาย.pdf", "checksum_mismatch"),
        ("ไม่ทราบเจ้าของ.pdf", "not_filed")]
    rows = list(csv.reader(io.StringIO(Path(result["csv"]).read_text(encoding="utf-8-sig"))))
    assert tuple(rows[0]) == COLUMNS
    assert rows[1][:5] == ["1", f"{cid(1)}/01", "123/2568", "1 ตุลาคม 2568",
                           "แต่งตั้งให้ดำรงตำแหน่งครู"]
    assert archive.store.get_bytes(f"paper-lists/{result['list_id']}/list.csv",
                                   sha256=result["csv_sha256"])


def test_the_committee_decides_item_by_item(archive: Archive, batch: str, tmp_path: Path) -> None:
    made = make_paper_list(archive, batch, actor=RECORDS_MANAGER, out=tmp_path / "made")
    # a committee is a chair and at least two members
    with pytest.raises(RetentionError, match="at least two members"):
        decide_paper_list(archive, made["list_id"], actor="committee",
                          committee=["นายก", "นายข"])
    decided = decide_paper_list(
        archive, made["list_id"], actor="committee:chair", out=tmp_path / "decided",
        committee=["นายสมชาย ใจดี", "นางสาวสุภาพร ศรีสุข", "นายวีระ ทองดี"],
        meeting_ref="ครั้งที่ 1/2569", keep={"2": "ใช้ประกอบการขอเลื่อนวิทยฐานะ"},
    )
    assert [(i["decision"], i["decision_th"]) for i in decided["items"]] == [
        ("destroy", "ทำลาย"), ("keep", "เก็บไว้: ใช้ประกอบการขอเลื่อนวิทยฐานะ")]
    rows = list(csv.reader(io.StringIO(Path(decided["csv"]).read_text(encoding="utf-8-sig"))))
    assert [r[5] for r in rows[1:]] == ["ทำลาย", "เก็บไว้: ใช้ประกอบการขอเลื่อนวิทยฐานะ"]
    with archive.catalog.session() as s:
        event = s.scalars(select(AuditEvent)
                          .where(AuditEvent.action == "retention.paper_list.decide")).one()
        assert json.loads(event.details)["csv_sha256"] == decided["csv_sha256"]
    with pytest.raises(RetentionError, match="already decided"):
        decide_paper_list(archive, made["list_id"], actor="x", committee=["ก", "ข", "ค"])


def test_a_batch_still_running_has_no_list_yet(archive: Archive, batch: str) -> None:
    with archive.catalog.session() as s:
        s.get(IngestBatch, batch).state = "running"  # type: ignore[union-attr]
    with pytest.raises(RetentionError, match="running"):
        make_paper_list(archive, batch, actor=RECORDS_MANAGER)


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext is not installed")
def test_the_pdf_is_the_thai_form(archive: Archive, batch: str, tmp_path: Path) -> None:
    made = make_paper_list(archive, batch, actor=RECORDS_MANAGER, out=tmp_path)
    text = subprocess.run(["pdftotext", "-layout", made["pdf"], "-"], capture_output=True,
                          text=True, check=True).stdout
    for phrase in ("บัญชีหนังสือขอทำลาย", *COLUMNS, "แต่งตั้งให้ดำรงตำแหน่งครู", "ประธานกรรมการ"):
        assert phrase in text
