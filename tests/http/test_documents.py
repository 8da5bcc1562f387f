"""Documents over HTTP: metadata and text for one who may read a record they are filed in,
streamed downloads equal to the stored bytes with the Thai name kept, every read audited."""

from __future__ import annotations

from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from api.access import Role
from archive.archive import Archive
from archive.catalog import DocumentObject
from archive.objectstore import ChecksumMismatch
from tests.http.conftest import Callers
from tests.http.record_docs import (
    OUTSIDER,
    OWNER,
    UNIT,
    Filed,
    audit_events,
    sign_in,
)


def _stored(archive: Archive, document_id: str, kind: str) -> bytes:
    with archive.catalog.session() as s:
        obj = s.scalar(select(DocumentObject).where(DocumentObject.document_id == document_id,
                                                    DocumentObject.kind == kind))
        assert obj is not None
        return archive.store.get_bytes(obj.key, sha256=obj.sha256)


def test_document_metadata_and_text_for_a_reader_of_the_record(
        client: TestClient, callers: Callers, archive: Archive, filed: Filed) -> None:
    certifier = callers.make(Role.CERTIFIER, unit=UNIT)
    r = client.get(f"/api/v1/documents/{filed.appointment}", headers=certifier.headers)
    assert r.status_code == 200
    doc = r.json()
    # the `documents show` fields, and where it is filed
    assert doc["original_name"] == "คำสั่งบรรจุ วาสนา.pdf"
    assert doc["text"] == "คำสั่ง ที่ ๓๑๙/๒๕๕๓" and doc["category"] == "appointment"
    assert doc["citizen_ids"] == [OWNER] and doc["entry_ids"] == ["E000001"]
    assert doc["downloads"] == ["original", "archive"]
    read = audit_events(archive, "document.read")[-1]
    assert read.subject == f"document:{filed.appointment}"
    assert read.actor == f"user:{certifier.username}"


def test_documents_outside_scope_or_not_yet_filed_are_not_found(
        client: TestClient, callers: Callers, filed: Filed) -> None:
    registrar = callers.make(Role.REGISTRAR, person=OWNER)
    for doc_id in (filed.outsider, filed.candidate, "no-such-document"):
        for path in ("", "/original", "/archive"):
            r = client.get(f"/api/v1/documents/{doc_id}{path}", headers=registrar.headers)
            assert r.status_code == 404 and r.json()["error"]["code"] == "not_found", (doc_id, path)
    digitizer = callers.make(Role.DIGITIZER, unit=UNIT)
    assert client.get(f"/api/v1/documents/{filed.appointment}",
                      headers=digitizer.headers).status_code == 404
    other = callers.make(Role.REGISTRAR, person=OUTSIDER)
    assert client.get(f"/api/v1/documents/{filed.outsider}",
                      headers=other.headers).status_code == 200


def test_download_streams_the_stored_bytes_with_the_thai_name_and_is_audited(
        client: TestClient, callers: Callers, archive: Archive, filed: Filed) -> None:
    owner = callers.make(owner_of=OWNER)
    r = client.get(f"/api/v1/documents/{filed.appointment}/original", headers=owner.headers)
    assert r.status_code == 200
    assert r.content == _stored(archive, filed.appointment, "original")
    assert r.headers["content-type"] == "application/pdf"
    disposition = r.headers["content-disposition"]
    assert disposition.startswith("attachment;")
    assert f"filename*=UTF-8''{quote('คำสั่งบรรจุ วาสนา.pdf', safe='')}" in disposition
    a = client.get(f"/api/v1/documents/{filed.appointment}/archive", headers=owner.headers)
    assert a.status_code == 200 and a.content == _stored(archive, filed.appointment, "archive")
    assert "pdfa.pdf" in a.headers["content-disposition"]
    downloads = audit_events(archive, "document.download")
    assert [(e.subject, e.actor) for e in downloads[-2:]] == [
        (f"document:{filed.appointment}", f"user:{owner.username}")] * 2
    assert '"kind":"archive"' in downloads[-1].details


def test_a_corrupted_object_is_never_delivered_whole(
        client: TestClient, callers: Callers, archive: Archive, filed: Filed) -> None:
    # GIVEN the stored original was damaged on disk
    with archive.catalog.session() as s:
        obj = s.scalar(select(DocumentObject).where(
            DocumentObject.document_id == filed.training, DocumentObject.kind == "original"))
        assert obj is not None
        key = obj.key
    path = archive.settings.objects_dir / key
    path.write_bytes(b"X" + path.read_bytes()[1:])
    registrar = callers.make(Role.REGISTRAR, person=OWNER)
    # WHEN it is downloaded THEN the stream stops at the checksum failure
    with pytest.raises(ChecksumMismatch):
        client.get(f"/api/v1/documents/{filed.training}/original", headers=registrar.headers)


def test_document_page_in_thai(client: TestClient, callers: Callers, archive: Archive,
                               filed: Filed) -> None:
    registrar = callers.make(Role.REGISTRAR, person=OWNER)
    sign_in(client, archive, registrar.username)
    page = client.get(f"/documents/{filed.appointment}")
    assert page.status_code == 200
    for text in ("คำสั่งบรรจุ วาสนา.pdf", "คำสั่ง ที่ ๓๑๙/๒๕๕๓", "ดาวน์โหลดต้นฉบับ",
                 f"/documents/{filed.appointment}/original", "นางวาสนา ไชยวงศ์"):
        assert text in page.text, text
    d = client.get(f"/documents/{filed.appointment}/original")
    assert d.content == _stored(archive, filed.appointment, "original")
    assert client.get(f"/documents/{filed.outsider}").status_code == 404
