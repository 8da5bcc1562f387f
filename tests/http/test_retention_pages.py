"""The Thai pages of retention, holds, reminders and the audit log, driven like a browser's
forms: a review to a certificate, holds, reminders, and the audit viewer's chain status."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from api.access import Role
from archive.archive import Archive
from tests.http.conftest import PASSWORD, Caller, Callers
from tests.http.retention_records import (
    A_NEXT,
    A_OLDEST,
    AS_OF,
    B_PERSON,
    UNIT_A,
    exists,
    give_documents,
)


@pytest.fixture
def docs(archive: Archive) -> dict[str, list[str]]:
    return give_documents(archive)


def _post(client: TestClient, caller: Caller, path: str, data: dict[str, object]) -> str:
    r = client.post(path, data=data, headers=caller.headers, follow_redirects=False)
    assert r.status_code == 303, r.text
    return r.headers["location"]


def test_review_to_certificate_in_the_browser(
        client: TestClient, callers: Callers, archive: Archive,
        docs: dict[str, list[str]]) -> None:
    manager = callers.make(Role.RECORDS_MANAGER, unit=UNIT_A)
    controller = callers.make(Role.DATA_CONTROLLER, unit=UNIT_A)
    home = client.get("/retention", headers=manager.headers)
    assert home.status_code == 200 and 'for="as_of"' in home.text
    # The records manager runs a review and sees the eligible and the excluded, in Thai.
    review_url = _post(client, manager, "/retention/reviews", {"as_of": AS_OF})
    review = client.get(review_url, headers=manager.headers).text
    assert "3 3006 67326 35 1" in review or "3-3006-67326-35-1" in review
    assert "พักราชการ" in review and B_PERSON not in review
    review_id = review_url.rsplit("/", 1)[1]
    # They propose only the oldest, giving the reason for the other.
    proposal_url = _post(client, manager, "/retention/proposals", {
        "review_id": review_id, "citizen_ids": [A_OLDEST], "strike_reason": "ยังใช้อ้างอิง"})
    assert "ตัดออก: ยังใช้อ้างอิง" in client.get(proposal_url, headers=manager.headers).text
    # The data controller approves it, then carries the order out.
    page = client.get(proposal_url, headers=controller.headers).text
    assert "อนุมัติและออกคำสั่งทำลาย" in page
    _post(client, controller, f"{proposal_url}/approve",
          {"necessity": "space", "reason": "พื้นที่จัดเก็บเต็ม", "order_ref": "12/2569"})
    page = client.get(proposal_url, headers=controller.headers).text
    order_id = re.search(r"/retention/orders/([0-9a-f]+)/execute", page)
    assert order_id is not None and "รอดำเนินการทำลาย" in page
    _post(client, controller, f"/retention/orders/{order_id.group(1)}/execute", {})
    page = client.get(proposal_url, headers=controller.headers).text
    assert "ทำลายเสร็จสิ้น" in page and "ทำลายแล้ว" in page
    assert not exists(archive, A_OLDEST) and exists(archive, A_NEXT)
    pdf = client.get(f"/retention/certificates/{order_id.group(1)}.pdf",
                     headers=controller.headers)
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert "ดาวน์โหลด PDF" in client.get("/retention", headers=controller.headers).text


def test_the_proposer_is_told_they_cannot_approve(
        client: TestClient, callers: Callers, docs: dict[str, list[str]]) -> None:
    manager = callers.make(Role.RECORDS_MANAGER, unit=UNIT_A)
    controller = callers.make(Role.DATA_CONTROLLER, unit=UNIT_A)
    review_url = _post(client, manager, "/retention/reviews", {"as_of": AS_OF})
    proposal_url = _post(client, manager, "/retention/proposals",
                         {"review_id": review_url.rsplit("/", 1)[1],
                          "citizen_ids": [A_OLDEST, A_NEXT]})
    r = client.post(f"{proposal_url}/approve", data={"necessity": "space", "reason": " "},
                    headers=controller.headers)
    assert r.status_code == 400 and "ต้องระบุความจำเป็น" in r.text
    r = client.post(f"{proposal_url}/approve", data={"necessity": "space", "reason": "x"},
                    headers=manager.headers)
    assert r.status_code == 403 and "ไม่มีสิทธิ์" in r.text


def test_a_bad_review_form_shows_the_error_on_the_page(
        client: TestClient, callers: Callers) -> None:
    manager = callers.make(Role.RECORDS_MANAGER, unit=UNIT_A)
    r = client.post("/retention/reviews", data={"as_of": "พรุ่งนี้", "free_bytes": "x"},
                    headers=manager.headers)
    assert r.status_code == 400 and 'role="alert"' in r.text and "พรุ่งนี้" in r.text


def test_holds_page_places_and_releases(client: TestClient, callers: Callers) -> None:
    controller = callers.make(Role.DATA_CONTROLLER, unit=UNIT_A)
    _post(client, controller, "/holds",
          {"citizen_id": A_NEXT, "reason": "คดีความ", "authority": "ศาลปกครองกลาง"})
    page = client.get("/holds", headers=controller.headers).text
    hold_id = re.search(r"/holds/(\d+)/release", page)
    assert hold_id is not None and "ศาลปกครองกลาง" in page
    r = client.post("/holds", data={"citizen_id": B_PERSON, "reason": "x", "authority": "y"},
                    headers=controller.headers)
    assert r.status_code == 404 and "ไม่พบ" in r.text
    _post(client, controller, f"/holds/{hold_id.group(1)}/release",
          {"reason": "ศาลยกฟ้อง", "authority": "คำพิพากษา"})
    assert "ยกเลิกแล้ว" in client.get("/holds?all=true", headers=controller.headers).text


def test_reminders_and_audit_pages(client: TestClient, callers: Callers) -> None:
    manager = callers.make(Role.RECORDS_MANAGER, unit=UNIT_A)
    page = client.get("/reminders?as_of=2026-06-01", headers=manager.headers)
    assert page.status_code == 200 and "เกษียณอายุราชการในปีงบประมาณ" in page.text
    controller = callers.make(Role.DATA_CONTROLLER, unit=UNIT_A)
    _post(client, controller, "/holds",
          {"citizen_id": A_NEXT, "reason": "คดีความ", "authority": "ศาล"})
    audit = client.get("/audit", headers=controller.headers)
    assert audit.status_code == 200 and "สมบูรณ์" in audit.text
    assert f"person:{A_NEXT}" in audit.text and "retention.hold.place" in audit.text
    filtered = client.get("/audit?action=audit&since=2026-01-01", headers=controller.headers)
    assert filtered.status_code == 200 and "retention.hold.place" not in filtered.text


@pytest.mark.parametrize("path", ["/retention", "/holds", "/reminders", "/audit",
                                  "/retention/paper-lists"])
def test_pages_refuse_callers_without_the_right(client: TestClient, callers: Callers,
                                                path: str) -> None:
    registrar = callers.make(Role.REGISTRAR, unit=UNIT_A)
    r = client.get(path, headers=registrar.headers)
    assert r.status_code == 403 and "ไม่มีสิทธิ์" in r.text


def test_signed_in_forms_carry_the_csrf_token(client: TestClient, callers: Callers) -> None:
    # GIVEN a data controller signed in with the browser's session cookie
    controller = callers.make(Role.DATA_CONTROLLER, unit=UNIT_A)
    login = client.get("/login").text
    token = re.search(r'name="login_csrf" value="([^"]*)"', login)
    assert token is not None
    r = client.post("/login", data={"login": controller.username, "password": PASSWORD,
                                    "login_csrf": token.group(1)}, follow_redirects=False)
    assert r.status_code == 303
    page = client.get("/holds").text
    csrf = re.search(r'name="csrf" value="([^"]+)"', page)
    assert csrf is not None
    hold = {"citizen_id": A_NEXT, "reason": "คดีความ", "authority": "ศาล"}
    # WHEN a form comes without the token THEN it is refused; with it, it goes through
    assert client.post("/holds", data=hold, follow_redirects=False).status_code == 403
    r = client.post("/holds", data={**hold, "csrf": csrf.group(1)}, follow_redirects=False)
    assert r.status_code == 303
    assert "คดีความ" in client.get("/holds").text
