"""The printable record: a ก.ค.ศ.๑๖-style PDF with Thai dates, whose QR code leads to a public
page that says whether the printout is genuine; an uploaded copy is checked byte for byte."""

from __future__ import annotations

import hashlib
import io
import subprocess
from pathlib import Path

import pikepdf
import pytest
import segno
from fastapi.testclient import TestClient

from api.access import Role
from api.services.record_pdf import QR_BORDER, QR_SCALE, qr_code
from archive.archive import Archive
from tests.http.conftest import Callers
from tests.http.record_docs import OUTSIDER, OWNER, Filed, audit_events, file_documents


@pytest.fixture
def filed(archive: Archive) -> Filed:
    return file_documents(archive)


def _pdf_text(data: bytes, tmp_path: Path) -> str:
    pdf = tmp_path / "record.pdf"
    pdf.write_bytes(data)
    return subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True,
                          capture_output=True, text=True, timeout=60).stdout


def _qr_modules(data: bytes) -> list[list[bool]]:
    """The dark/light modules of the QR image placed on the first page."""
    with pikepdf.open(io.BytesIO(data)) as pdf:
        images = list(pdf.pages[0].get_images().values())
        assert len(images) == 1 and isinstance(images[0], pikepdf.Stream)
        img = pikepdf.PdfImage(images[0]).as_pil_image().convert("L")
    size = img.width // QR_SCALE
    assert img.width == img.height == size * QR_SCALE
    return [[img.getpixel((x * QR_SCALE + 1, y * QR_SCALE + 1)) < 128  # type: ignore[operator]
             for x in range(QR_BORDER, size - QR_BORDER)]
            for y in range(QR_BORDER, size - QR_BORDER)]


def _matrix(code: segno.QRCode) -> list[list[bool]]:
    return [[bool(v) for v in row] for row in code.matrix]


def test_record_pdf_in_the_form_layout_with_thai_dates_and_a_verifying_qr(
        client: TestClient, callers: Callers, archive: Archive, filed: Filed,
        tmp_path: Path) -> None:
    registrar = callers.make(Role.REGISTRAR, person=OWNER)
    # WHEN the registrar prints the record
    r = client.get(f"/api/v1/persons/{OWNER}/record.pdf", headers=registrar.headers)
    assert r.status_code == 200 and r.headers["content-type"] == "application/pdf"
    data = r.content
    assert data.startswith(b"%PDF-")
    printout_id = r.headers["x-tabian-printout"]
    assert r.headers["x-tabian-sha256"] == hashlib.sha256(data).hexdigest()
    # THEN it reads as ก.ค.ศ.๑๖: title, parts, the person, dates in B.E. with Thai digits
    text = _pdf_text(data, tmp_path)
    for expected in ("ทะเบียนประวัติข้าราชการครูและบุคลากรทางการศึกษา", "ส่วนที่ ๑", "ส่วนที่ ๒",
                     "วาสนา", "ไชยวงศ์", "๔-๓๔๐๒-๙๑๕๒๑-๐๕-๓", "๒๔ เมษายน ๒๕๕๓",
                     "คำสั่งที่ ๓๑๙/๒๕๕๓", "๑๕. ตำแหน่ง", "สามารถตรวจสอบทะเบียนประวัติได้จาก QR code",
                     f"เลขที่ {printout_id}", "หน้า 1/"):
        assert expected in text, expected
    # AND its QR code is exactly the code of the verification address
    url = f"http://testserver/verify/{printout_id}"
    assert _qr_modules(data) == _matrix(qr_code(url))
    with pikepdf.open(io.BytesIO(data)) as pdf:
        assert str(pdf.docinfo["/Subject"]) == url
    # AND the printout is on the audit log
    printed = audit_events(archive, "record.print")[-1]
    assert printed.subject == f"person:{OWNER}" and printout_id in printed.details


def test_verify_says_genuine_and_checks_an_uploaded_copy(
        client: TestClient, callers: Callers, filed: Filed) -> None:
    owner = callers.make(owner_of=OWNER)
    r = client.get(f"/api/v1/persons/{OWNER}/record.pdf", headers=owner.headers)
    data, printout_id = r.content, r.headers["x-tabian-printout"]
    # the public JSON answer, no sign-in
    v = client.get(f"/api/v1/verify/{printout_id}").json()
    assert v["genuine"] is True and v["sha256"] == hashlib.sha256(data).hexdigest()
    assert v["owner"] == "นางว••• ไ•••" and v["issued_by"] == owner.username
    assert "วาสนา" not in str(v)
    # the public page the QR code opens
    page = client.get(f"/verify/{printout_id}")
    assert page.status_code == 200 and "ยืนยันแล้ว" in page.text and v["sha256"] in page.text
    # the copy in hand, unchanged and tampered with
    same = client.post(f"/api/v1/verify/{printout_id}",
                       files={"file": ("record.pdf", data, "application/pdf")}).json()
    assert same["matches"] is True and same["genuine"] is True
    changed = bytearray(data)
    changed[len(data) // 2] ^= 0x01  # one bit anywhere is enough
    tampered = bytes(changed)
    bad = client.post(f"/api/v1/verify/{printout_id}",
                      files={"file": ("record.pdf", tampered, "application/pdf")}).json()
    assert bad["matches"] is False and bad["genuine"] is False
    page = client.post(f"/verify/{printout_id}",
                       files={"file": ("record.pdf", tampered, "application/pdf")})
    assert "ไม่ตรงกับฉบับที่ออกจากระบบ" in page.text
    # an id Tabian never issued
    unknown = client.get("/api/v1/verify/not-issued-here").json()
    assert unknown["genuine"] is False and unknown["owner"] is None
    assert "ไม่พบ" in client.get("/verify/not-issued-here").text


def test_printing_needs_the_right_to_read_the_record(
        client: TestClient, callers: Callers, filed: Filed) -> None:
    registrar = callers.make(Role.REGISTRAR, person=OWNER)
    assert client.get(f"/api/v1/persons/{OUTSIDER}/record.pdf",
                      headers=registrar.headers).status_code == 404
    assert client.get(f"/api/v1/persons/{OWNER}/record.pdf").status_code == 401


def test_public_url_setting_is_what_the_qr_code_carries(
        client: TestClient, callers: Callers, archive: Archive, filed: Filed) -> None:
    archive.settings.public_url = "https://tabian.example.go.th"
    registrar = callers.make(Role.REGISTRAR, person=OWNER)
    r = client.get(f"/api/v1/persons/{OWNER}/record.pdf", headers=registrar.headers)
    url = f"https://tabian.example.go.th/verify/{r.headers['x-tabian-printout']}"
    assert _qr_modules(r.content) == _matrix(qr_code(url))
