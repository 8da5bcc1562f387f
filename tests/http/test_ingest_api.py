"""Bulk upload through the API: batches run in the background, reports without contents."""

from __future__ import annotations

import io
import json
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from api.access import Role
from api.services import ingest_spool
from api.services.ingest_runner import RUNNER
from archive.archive import Archive
from archive.catalog import AuditEvent, IngestBatch
from tests.http.conftest import Caller, Callers, person_in, sample_units
from tests.ingest.pages import write_scan_pdf


@pytest.fixture(autouse=True)
def _runner_idle() -> Iterator[None]:
    """Each test's batches end before its archive is closed."""
    yield
    RUNNER.wait_idle()


def _zip(entries: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in entries.items():
            zf.writestr(name, data)
    return buf.getvalue()


def _upload(client: TestClient, caller: Caller, files: list[tuple[str, bytes]]) -> Any:
    return client.post("/api/v1/ingest", headers=caller.headers,
                       files=[("files", (name, data)) for name, data in files])


def _wait(client: TestClient, caller: Caller, batch_id: str, timeout: float = 240) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        body = client.get(f"/api/v1/batches/{batch_id}", headers=caller.headers).json()
        if body["state"] not in ("queued", "running"):
            return body
        time.sleep(0.3)
    raise AssertionError(f"batch {batch_id} did not finish")


def _batches(archive: Archive) -> int:
    with archive.catalog.session() as s:
        return s.scalar(select(func.count()).select_from(IngestBatch)) or 0


def test_non_scans_are_rejected_with_thai_reasons(client: TestClient, callers: Callers,
                                                  archive: Archive) -> None:
    # GIVEN a digitizer of a unit and a person's folder zipped with a Word file in it
    unit = sample_units(archive)[0]
    cid = person_in(archive, unit)
    digitizer = callers.make(Role.DIGITIZER, unit=unit)
    bundle = _zip({f"scans/{cid}/notes.docx": b"PK\x03\x04 not a scan",
                   "__MACOSX/._notes.docx": b"junk"})
    # WHEN they upload it with a text file
    r = _upload(client, digitizer, [("box1.zip", bundle), ("readme.txt", b"hello")])
    # THEN the answer comes at once with the batch id, and the batch finishes
    assert r.status_code == 202, r.text
    batch_id = r.json()["batch_id"]
    assert r.json()["total"] == 2
    done = _wait(client, digitizer, batch_id)
    assert done["state"] == "done" and (done["total"], done["done"]) == (2, 2)
    assert done["rejected"] == 2 and done["unit"] == unit
    files = {i["file"]: i for i in done["items"]}
    assert set(files) == {f"scans/{cid}/notes.docx", "readme.txt"}
    for item in files.values():
        assert item["status"] == "rejected" and item["reasons"] == ["not_pdf"]
        assert "ไม่ใช่ไฟล์ PDF" in item["reasons_th"][0]
    # AND the listing shows it; the upload is on the audit log under the digitizer's name
    listed = client.get("/api/v1/batches", headers=digitizer.headers).json()["batches"]
    assert [b["batch_id"] for b in listed] == [batch_id]
    with archive.catalog.session() as s:
        actors = dict(s.execute(select(AuditEvent.action, AuditEvent.actor).where(
            AuditEvent.subject == f"batch:{batch_id}")).all())
    assert actors["ingest.upload"] == actors["ingest.start"] == f"user:{digitizer.username}"
    # AND the spool is cleaned up once the batch is done
    RUNNER.wait_idle()
    assert not (archive.settings.data_dir / "uploads" / batch_id).exists()


def test_progress_streams_as_server_sent_events(client: TestClient, callers: Callers,
                                                archive: Archive) -> None:
    digitizer = callers.make(Role.DIGITIZER, unit=sample_units(archive)[0])
    batch_id = _upload(client, digitizer, [("a.txt", b"x"), ("b.txt", b"y")]).json()["batch_id"]
    events = []
    with client.stream("GET", f"/api/v1/batches/{batch_id}/events",
                       headers=digitizer.headers) as r:
        assert r.headers["content-type"].startswith("text/event-stream")
        kind = None
        for line in r.iter_lines():
            if line.startswith("event: "):
                kind = line[7:]
            elif line.startswith("data: "):
                events.append((kind, json.loads(line[6:])))
    assert events[-1][0] == "done"
    assert (events[-1][1]["done"], events[-1][1]["total"]) == (2, 2)


@pytest.mark.parametrize("name", ["../evil.pdf", "/etc/evil.pdf", "a/../../evil.pdf",
                                  "C:\\evil.pdf", "ok/..\\..\\evil.pdf"])
def test_zip_slip_entries_refuse_the_upload(client: TestClient, callers: Callers,
                                            archive: Archive, tmp_path: Path, name: str) -> None:
    digitizer = callers.make(Role.DIGITIZER, unit=sample_units(archive)[0])
    bundle = _zip({"fine/ok.pdf": b"%PDF-1.4", name: b"%PDF-1.4 evil"})
    r = _upload(client, digitizer, [("box.zip", bundle)])
    assert r.status_code == 400, r.text
    assert r.json()["error"]["code"] == "unsafe_zip_entry" and r.json()["error"]["message"]
    assert _batches(archive) == 0
    assert not list((archive.settings.data_dir / "uploads").glob("*/files"))
    assert not (archive.settings.data_dir / "evil.pdf").exists()


def test_unsafe_file_names_and_bombs_are_refused(client: TestClient, callers: Callers,
                                                 archive: Archive,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    digitizer = callers.make(Role.DIGITIZER, unit=sample_units(archive)[0])
    assert _upload(client, digitizer, [("../../x.pdf", b"%PDF")]).json()["error"]["code"] \
        == "unsafe_name"
    # a zip whose content expands far past what it weighs
    bomb = _zip({"big.pdf": b"\0" * (8 << 20)})
    r = _upload(client, digitizer, [("bomb.zip", bomb)])
    assert r.status_code == 400 and r.json()["error"]["code"] == "zip_too_large"
    monkeypatch.setattr(ingest_spool, "MAX_FILES", 3)
    many = _zip({f"{n}.pdf": b"%PDF" for n in range(5)})
    assert _upload(client, digitizer, [("many.zip", many)]).json()["error"]["code"] \
        == "too_many_files"
    monkeypatch.setattr(ingest_spool, "MAX_BYTES", 100)
    assert _upload(client, digitizer, [("big.pdf", b"%" * 200)]).json()["error"]["code"] \
        == "upload_too_large"
    assert _upload(client, digitizer, [("bad.zip", b"not a zip")]).json()["error"]["code"] \
        == "bad_zip"
    assert _batches(archive) == 0


def test_batches_are_seen_by_their_unit_only(client: TestClient, callers: Callers,
                                             archive: Archive) -> None:
    units = sample_units(archive)
    mine = callers.make(Role.DIGITIZER, unit=units[0])
    theirs = callers.make(Role.DIGITIZER, unit=units[-1])
    batch_id = _upload(client, mine, [("a.txt", b"x")]).json()["batch_id"]
    _wait(client, mine, batch_id)
    assert client.get(f"/api/v1/batches/{batch_id}", headers=theirs.headers).status_code == 404
    assert client.get(f"/api/v1/batches/{batch_id}/events",
                      headers=theirs.headers).status_code == 404
    assert client.get("/api/v1/batches", headers=theirs.headers).json()["batches"] == []
    for role in (Role.REGISTRAR, Role.CERTIFIER, Role.DATA_CONTROLLER):
        other = callers.make(role, unit=units[0])
        assert _upload(client, other, [("a.txt", b"x")]).status_code == 403
        assert client.get(f"/api/v1/batches/{batch_id}", headers=other.headers).status_code == 403


def test_upload_needs_files(client: TestClient, callers: Callers, archive: Archive) -> None:
    digitizer = callers.make(Role.DIGITIZER, unit=sample_units(archive)[0])
    r = client.post("/api/v1/ingest", headers=digitizer.headers)
    assert r.status_code == 400 and r.json()["error"]["code"] == "no_files"
    r = _upload(client, digitizer, [("empty.zip", _zip({}))])
    assert r.status_code == 400 and r.json()["error"]["code"] == "no_files"
    # what a browser sends for a file input left empty: a part with an empty file name
    body = (b'--b\r\nContent-Disposition: form-data; name="files"; filename=""\r\n'
            b"Content-Type: application/octet-stream\r\n\r\n\r\n--b--\r\n")
    r = client.post("/api/v1/ingest", content=body, headers={
        **digitizer.headers, "Content-Type": "multipart/form-data; boundary=b"})
    assert r.status_code == 400 and r.json()["error"]["code"] == "no_files"


def test_upload_and_batch_pages(client: TestClient, callers: Callers, archive: Archive) -> None:
    digitizer = callers.make(Role.DIGITIZER, unit=sample_units(archive)[0])
    page = client.get("/upload", headers=digitizer.headers)
    assert page.status_code == 200
    assert "webkitdirectory" in page.text and 'for="files"' in page.text
    batch_id = _upload(client, digitizer, [("memo.txt", b"x")]).json()["batch_id"]
    _wait(client, digitizer, batch_id)
    page = client.get(f"/batches/{batch_id}", headers=digitizer.headers)
    assert page.status_code == 200
    assert "memo.txt" in page.text and "ไม่ใช่ไฟล์ PDF" in page.text and "<progress" in page.text
    # the plain form (no JavaScript) posts to /upload and lands on the batch page
    r = client.post("/upload", headers=digitizer.headers, files=[("files", ("n.txt", b"y"))],
                    follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].startswith("/batches/")


@pytest.mark.ocr
def test_folder_per_person_zip_is_ingested(client: TestClient, callers: Callers,
                                           archive: Archive, tmp_path: Path) -> None:
    # GIVEN a person's folder with one good scan and one scanned at 150 DPI
    unit = sample_units(archive)[0]
    cid = person_in(archive, unit)
    good = write_scan_pdf(tmp_path / "good.pdf", ["หนังสือรับรอง", f"เลขประจำตัวประชาชน {cid}"])
    low = write_scan_pdf(tmp_path / "low.pdf", ["หนังสือรับรอง"], dpi=150)
    bundle = _zip({f"{cid}/good.pdf": good.read_bytes(), f"{cid}/low.pdf": low.read_bytes()})
    digitizer = callers.make(Role.DIGITIZER, unit=unit)
    # WHEN the digitizer uploads the zip
    batch_id = _upload(client, digitizer, [("person.zip", bundle)]).json()["batch_id"]
    done = _wait(client, digitizer, batch_id, timeout=600)
    # THEN one file is stored, the other rejected for its resolution
    files = {i["file"]: i for i in done["items"]}
    assert files[f"{cid}/good.pdf"]["status"] == "stored", files
    assert files[f"{cid}/low.pdf"]["reasons"] == ["low_resolution"]
    assert "300" in files[f"{cid}/low.pdf"]["reasons_th"][0] or \
        "๓๐๐" in files[f"{cid}/low.pdf"]["reasons_th"][0]
    # AND the digitizer sees no text and cannot open the document or search it
    assert "text" not in json.dumps(done) and "หนังสือรับรอง" not in json.dumps(done)
    doc_id = files[f"{cid}/good.pdf"]["document_id"]
    assert client.get(f"/api/v1/documents/{doc_id}/pages/1.png",
                      headers=digitizer.headers).status_code in (403, 404)
    assert client.get("/api/v1/search", params={"q": "หนังสือรับรอง"},
                      headers=digitizer.headers).status_code == 403
