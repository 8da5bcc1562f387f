"""The head of office certifies a record; the registrar records a renewed photo."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import select

from api.access import Role
from archive.archive import Archive
from archive.catalog import AuditEvent, RecordCertification
from tests.http.conftest import Callers, person_in, sample_units


def test_certifier_certifies_a_record_of_their_unit_only(
    client: TestClient, callers: Callers, archive: Archive
) -> None:
    unit, other = sample_units(archive)[0], sample_units(archive)[-1]
    mine, theirs = person_in(archive, unit), person_in(archive, other)
    head = callers.make(Role.CERTIFIER, unit=unit)
    # WHEN the head of office certifies a record of the unit THEN it is kept and audited
    r = client.post(f"/api/v1/persons/{mine}/certifications", headers=head.headers,
                    json={"certified_on": "2026-01-15"})
    assert r.status_code == 200, r.text
    with archive.catalog.session() as s:
        assert s.scalar(select(RecordCertification.certified_by)) == f"user:{head.username}"
        assert s.scalar(select(AuditEvent.seq).where(AuditEvent.action == "record.certify"))
    # AND a record of another unit is not found, a date in the future is refused
    assert client.post(f"/api/v1/persons/{theirs}/certifications", headers=head.headers,
                       json={"certified_on": "2026-01-15"}).status_code == 404
    r = client.post(f"/api/v1/persons/{mine}/certifications", headers=head.headers,
                    json={"certified_on": "2999-01-01"})
    assert r.status_code == 400 and r.json()["error"]["code"] == "date_in_future"


def test_registrar_records_a_photo_but_a_certifier_cannot(
    client: TestClient, callers: Callers, archive: Archive
) -> None:
    unit = sample_units(archive)[0]
    cid = person_in(archive, unit)
    registrar = callers.make(Role.REGISTRAR, unit=unit)
    head = callers.make(Role.CERTIFIER, unit=unit)
    ok = client.post(f"/api/v1/persons/{cid}/photos", headers=registrar.headers,
                     json={"taken_on": "2025-06-01"})
    assert ok.status_code == 200 and ok.json()["on"] == "2025-06-01"
    assert client.post(f"/api/v1/persons/{cid}/photos", headers=head.headers,
                       json={"taken_on": "2025-06-01"}).status_code == 403


def test_the_record_page_lets_the_head_of_office_certify(
    client: TestClient, callers: Callers, archive: Archive
) -> None:
    from tests.http.record_docs import sign_in

    unit = sample_units(archive)[0]
    cid = person_in(archive, unit)
    head = callers.make(Role.CERTIFIER, unit=unit)
    registrar = callers.make(Role.REGISTRAR, unit=unit)
    # GIVEN the registrar's page has no certify form, the head of office's has
    sign_in(client, archive, registrar.username)
    assert "รับรองความถูกต้องของทะเบียนประวัติ" not in client.get(f"/persons/{cid}").text
    csrf = sign_in(client, archive, head.username)
    assert "รับรองความถูกต้องของทะเบียนประวัติ" in client.get(f"/persons/{cid}").text
    # WHEN they certify THEN it is recorded and the page says so
    r = client.post(f"/persons/{cid}/certify", data={"csrf": csrf, "certified_on": "2026-01-15"})
    assert r.status_code == 200 and "บันทึกการรับรองแล้ว" in r.text
    with archive.catalog.session() as s:
        assert s.scalar(select(RecordCertification.certified_by)) == f"user:{head.username}"
