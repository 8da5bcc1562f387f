"""The destruction certificate: JSON and Thai PDF, every object's sha256, its hash audited."""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select

from archive import audit
from archive.archive import Archive
from archive.catalog.models import AuditEvent
from retention import certificate_data, execute_order, load_certificate
from retention.certificate import certificate_json
from retention.certificate_pdf import render_certificate_pdf
from tests.retention.conftest import DATA_CONTROLLER, OPERATOR, RECORDS_MANAGER
from tests.retention.records import add_document, add_person, approved_order, cid

needs_pdftotext = pytest.mark.skipif(shutil.which("pdftotext") is None,
                                     reason="pdftotext (poppler-utils) is not installed")


@pytest.fixture
def executed(archive: Archive) -> tuple[str, dict[str, str]]:
    """An executed order over two owners; the sha256 of every object it destroyed."""
    hashes: dict[str, str] = {}
    with archive.catalog.session() as s:
        a = add_person(s, cid(1), left_service_on=date(2001, 1, 1), first_name="สุนันทา",
                       last_name="ศรีสุข")
        b = add_person(s, cid(2), left_service_on=date(2004, 6, 30), first_name="ประเสริฐ",
                       last_name="ทองดี")
        for doc in (add_document(s, archive.store, [a]), add_document(s, archive.store, [a, b]),
                    add_document(s, archive.store, [b], kinds=("original",))):
            hashes.update({o.key: o.sha256 for o in doc.objects})
    order_id = approved_order(archive, as_of=date(2026, 1, 26))
    execute_order(archive, order_id, actor=OPERATOR, today=date(2026, 2, 1))
    return order_id, hashes


def test_the_json_lists_who_what_when_and_by_whose_order(
    archive: Archive, executed: tuple[str, dict[str, str]]
) -> None:
    order_id, hashes = executed
    info, json_bytes, _pdf = load_certificate(archive, order_id)
    cert = json.loads(json_bytes)
    assert cert["order"]["approved_by"] == DATA_CONTROLLER
    assert cert["order"]["proposed_by"] == RECORDS_MANAGER
    assert cert["order"]["necessity"] == "space"
    assert cert["execution"]["executed_by"] == OPERATOR and cert["execution"]["finished_at"]
    assert [(d["citizen_id"], d["full_name"], d["left_service_on"]) for d in cert["destroyed"]] == [
        (cid(1), "นายสุนันทา ศรีสุข", "2001-01-01"), (cid(2), "นายประเสริฐ ทองดี", "2004-06-30")]
    listed = {o["key"]: o["sha256"] for d in cert["destroyed"] for doc in d["documents"]
              for o in doc["objects"]}
    assert listed == hashes
    assert cert["totals"]["objects_destroyed"] == 7
    [shared] = cert["destroyed"][0]["documents_unlinked"]
    assert shared in [doc["document_id"] for doc in cert["destroyed"][1]["documents"]]


def test_the_certificate_hashes_are_in_the_audit_chain(
    archive: Archive, executed: tuple[str, dict[str, str]]
) -> None:
    order_id, _ = executed
    info, json_bytes, pdf_bytes = load_certificate(archive, order_id)
    with archive.catalog.session() as s:
        event = s.get(AuditEvent, info["audit_seq"])
        assert event is not None and event.action == "retention.certificate"
        details = json.loads(event.details)
        assert details["json_sha256"] == hashlib.sha256(json_bytes).hexdigest()
        assert details["pdf_sha256"] == hashlib.sha256(pdf_bytes).hexdigest()
        assert audit.verify_chain(s).ok
        destroyed = s.scalars(select(AuditEvent.subject)
                              .where(AuditEvent.action == "retention.destroy")).all()
        assert destroyed == [f"person:{cid(1)}", f"person:{cid(2)}"]


def test_the_certificate_can_be_rebuilt_byte_for_byte(
    archive: Archive, executed: tuple[str, dict[str, str]]
) -> None:
    # A crash between writing the files and recording them rebuilds the same bytes.
    order_id, _ = executed
    _info, json_bytes, pdf_bytes = load_certificate(archive, order_id)
    with archive.catalog.session() as s:
        data = certificate_data(s, order_id)
    assert certificate_json(data) == json_bytes
    from archive.catalog.retention import DestructionOrder

    with archive.catalog.session() as s:
        finished = s.get(DestructionOrder, order_id).finished_at  # type: ignore[union-attr]
    assert render_certificate_pdf(data, created=finished) == pdf_bytes  # type: ignore[arg-type]


@needs_pdftotext
def test_the_pdf_is_thai_and_shows_every_sha256(
    archive: Archive, executed: tuple[str, dict[str, str]], tmp_path: Path
) -> None:
    order_id, hashes = executed
    _info, _json, pdf_bytes = load_certificate(archive, order_id)
    pdf = tmp_path / "certificate.pdf"
    pdf.write_bytes(pdf_bytes)
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True,
                          text=True, check=True).stdout
    for phrase in ("หนังสือรับรองการทำลายทะเบียนประวัติอิเล็กทรอนิกส์", "นายสุนันทา ศรีสุข",
                   "ผู้สั่งทำลาย", DATA_CONTROLLER, "พื้นที่จัดเก็บไม่เพียงพอ", "1 มกราคม 2544",
                   cid(1), cid(2)):
        assert phrase in text
    for sha in hashes.values():
        assert sha in text
