"""Owner self-service: a correction or addition request is refused without evidence (handbook
clause 4.1); with evidence it is stored, the registrar approves or rejects it with a reason, and
the owner follows its status."""

from __future__ import annotations

import hashlib

from fastapi.testclient import TestClient
from sqlalchemy import func, select

from api.access import Role
from archive.archive import Archive
from archive.catalog import CorrectionRequest
from tests.http.conftest import Callers
from tests.http.record_docs import NEIGHBOUR, OWNER, UNIT, audit_events, sign_in

PDF = b"%PDF-1.4\n% evidence: name change certificate\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
FIELDS = {"kind": "correction", "subject": "ชื่อ-นามสกุล",
          "description": "เปลี่ยนนามสกุลจาก ไชยวงศ์ เป็น ศรีสุข ตามใบเปลี่ยนนามสกุล"}


def _requests(archive: Archive) -> int:
    with archive.catalog.session() as s:
        return s.scalar(select(func.count()).select_from(CorrectionRequest)) or 0


def _stored_evidence(archive: Archive) -> list[str]:
    return list(archive.store.iter_keys("corrections/"))


def test_a_request_without_evidence_is_refused_and_nothing_is_kept(
        client: TestClient, callers: Callers, archive: Archive) -> None:
    owner = callers.make(owner_of=OWNER)
    r = client.post("/api/v1/me/corrections", data=FIELDS, headers=owner.headers)
    assert r.status_code == 400
    err = r.json()["error"]
    assert err["code"] == "evidence_required" and "หลักฐาน" in err["message"]
    assert "๔.๑" in err["message"]
    # an empty file input (a browser's form with no file chosen) is no evidence either
    r = client.post("/api/v1/me/corrections", data=FIELDS, headers=owner.headers,
                    files={"files": ("", b"", "application/octet-stream")})
    assert r.status_code == 400 and r.json()["error"]["code"] == "evidence_required"
    assert _requests(archive) == 0 and _stored_evidence(archive) == []


def test_evidence_must_be_pdf_jpeg_or_png_and_at_most_20_mb(
        client: TestClient, callers: Callers, archive: Archive) -> None:
    owner = callers.make(owner_of=OWNER)
    r = client.post("/api/v1/me/corrections", data=FIELDS, headers=owner.headers,
                    files={"files": ("note.pdf", b"MZ not a pdf at all", "application/pdf")})
    assert r.status_code == 415 and r.json()["error"]["code"] == "evidence_type"
    big = b"%PDF-1.4\n" + b"0" * (20 * 1024 * 1024)
    r = client.post("/api/v1/me/corrections", data=FIELDS, headers=owner.headers,
                    files=[("files", ("ok.pdf", PDF, "application/pdf")),
                           ("files", ("big.pdf", big, "application/pdf"))])
    assert r.status_code == 413 and r.json()["error"]["code"] == "evidence_too_large"
    assert _requests(archive) == 0 and _stored_evidence(archive) == []


def test_request_with_evidence_is_stored_and_decided_by_the_registrar(
        client: TestClient, callers: Callers, archive: Archive) -> None:
    owner = callers.make(owner_of=OWNER)
    registrar = callers.make(Role.REGISTRAR, person=OWNER)
    # WHEN the owner asks, with two evidence files
    r = client.post("/api/v1/me/corrections", data=FIELDS, headers=owner.headers,
                    files=[("files", ("ใบเปลี่ยนนามสกุล.pdf", PDF, "application/pdf")),
                           ("files", ("บัตร.png", PNG, "image/png"))])
    assert r.status_code == 201, r.text
    made = r.json()
    assert made["status"] == "pending" and [e["name"] for e in made["evidence"]] == [
        "ใบเปลี่ยนนามสกุล.pdf", "บัตร.png"]
    # THEN the evidence is in the object store under its sha256
    sha = hashlib.sha256(PDF).hexdigest()
    assert archive.store.get_bytes(f"corrections/{sha}", sha256=sha) == PDF
    assert audit_events(archive, "correction.request")[-1].subject == f"correction:{made['id']}"
    # AND the registrar finds it, opens the evidence, and must give a reason to reject
    pending = client.get("/api/v1/corrections", params={"status": "pending"},
                         headers=registrar.headers).json()["corrections"]
    assert [c["id"] for c in pending] == [made["id"]]
    ev = client.get(f"/api/v1/corrections/{made['id']}/evidence/0", headers=registrar.headers)
    assert ev.content == PDF and "filename*=UTF-8''" in ev.headers["content-disposition"]
    r = client.post(f"/api/v1/corrections/{made['id']}/reject", json={"reason": " "},
                    headers=registrar.headers)
    assert r.status_code == 400 and r.json()["error"]["code"] == "reason_required"
    r = client.post(f"/api/v1/corrections/{made['id']}/reject",
                    json={"reason": "ใบเปลี่ยนนามสกุลไม่ชัด กรุณาแนบฉบับที่อ่านได้"},
                    headers=registrar.headers)
    assert r.status_code == 200 and r.json()["status"] == "rejected"
    assert client.post(f"/api/v1/corrections/{made['id']}/approve", json={},
                       headers=registrar.headers).status_code == 409
    assert audit_events(archive, "correction.reject")[-1].actor == f"user:{registrar.username}"
    # AND the owner sees the outcome and the reason
    mine = client.get("/api/v1/me/corrections", headers=owner.headers).json()["corrections"]
    assert mine[0]["status"] == "rejected" and "ไม่ชัด" in mine[0]["decision_reason"]
    # a second request is approved (a reason is optional then)
    r = client.post("/api/v1/me/corrections", headers=owner.headers,
                    data=dict(FIELDS, kind="addition", subject="ประวัติการศึกษา"),
                    files={"files": ("ปริญญาโท.pdf", PDF, "application/pdf")})
    second = r.json()["id"]
    r = client.post(f"/api/v1/corrections/{second}/approve", headers=registrar.headers)
    assert r.status_code == 200 and r.json()["status"] == "approved"
    statuses = {c["id"]: c["status"] for c in client.get(
        "/api/v1/me/corrections", headers=owner.headers).json()["corrections"]}
    assert statuses == {made["id"]: "rejected", second: "approved"}


def test_who_may_see_and_decide_a_request(client: TestClient, callers: Callers,
                                          archive: Archive) -> None:
    # GIVEN an owner who is also a registrar over their own record
    both = callers.make(Role.REGISTRAR, unit=UNIT, owner_of=OWNER)
    r = client.post("/api/v1/me/corrections", data=FIELDS, headers=both.headers,
                    files={"files": ("e.pdf", PDF, "application/pdf")})
    request_id = r.json()["id"]
    # THEN they cannot decide their own request
    r = client.post(f"/api/v1/corrections/{request_id}/approve", headers=both.headers)
    assert r.status_code == 403 and r.json()["error"]["code"] == "own_request"
    # AND a registrar of another person neither sees nor decides it; nor does another owner
    other = callers.make(Role.REGISTRAR, person=NEIGHBOUR)
    assert client.get("/api/v1/corrections", headers=other.headers).json()["corrections"] == []
    assert client.get(f"/api/v1/corrections/{request_id}",
                      headers=other.headers).status_code == 404
    assert client.post(f"/api/v1/corrections/{request_id}/approve",
                       headers=other.headers).status_code == 404
    neighbour = callers.make(owner_of=NEIGHBOUR)
    assert client.get(f"/api/v1/corrections/{request_id}/evidence/0",
                      headers=neighbour.headers).status_code == 404
    assert client.get("/api/v1/corrections", headers=neighbour.headers).status_code == 403
    # a staff user with no record of their own cannot file a request
    staff = callers.make(Role.CERTIFIER, unit=UNIT)
    r = client.post("/api/v1/me/corrections", data=FIELDS, headers=staff.headers,
                    files={"files": ("e.pdf", PDF, "application/pdf")})
    assert r.status_code == 404


def test_owner_and_registrar_pages(client: TestClient, callers: Callers,
                                   archive: Archive) -> None:
    owner = callers.make(owner_of=OWNER)
    registrar = callers.make(Role.REGISTRAR, person=OWNER)
    csrf = sign_in(client, archive, owner.username)
    me = client.get("/me")
    assert me.status_code == 200
    assert "ขอแก้ไข/เพิ่มเติมข้อมูล" in me.text and 'type="file"' in me.text
    assert "นางวาสนา ไชยวงศ์" in me.text and "ส่วนที่ ๒" in me.text
    # the form without a file is refused with the handbook's reason, and nothing is stored
    r = client.post("/me/corrections", data=dict(FIELDS, csrf=csrf))
    assert r.status_code == 400 and "ต้องแนบเอกสารหลักฐาน" in r.text
    assert _requests(archive) == 0
    r = client.post("/me/corrections", data=dict(FIELDS, csrf=csrf), follow_redirects=False,
                    files={"files": ("หลักฐาน.pdf", PDF, "application/pdf")})
    assert r.status_code == 303
    assert "รอพิจารณา" in client.get(r.headers["location"]).text
    # the registrar's page: reject without a reason is refused, with one it is done
    csrf = sign_in(client, archive, registrar.username)
    page = client.get("/corrections")
    assert page.status_code == 200 and "ชื่อ-นามสกุล" in page.text and "ไม่อนุมัติ" in page.text
    with archive.catalog.session() as s:
        request_id = s.scalar(select(CorrectionRequest.id))
    r = client.post(f"/corrections/{request_id}/reject", data={"csrf": csrf, "reason": ""})
    assert r.status_code == 400 and "ต้องระบุเหตุผล" in r.text
    r = client.post(f"/corrections/{request_id}/reject",
                    data={"csrf": csrf, "reason": "หลักฐานไม่ครบ"})
    assert r.status_code == 200 and "หลักฐานไม่ครบ" in r.text
    # without the CSRF token a browser's write is refused
    assert client.post(f"/corrections/{request_id}/approve", data={}).status_code == 403
    sign_in(client, archive, owner.username)
    assert "หลักฐานไม่ครบ" in client.get("/me").text
