"""Executing an order: every copy goes, holds and status re-checked, shared documents unlinked."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select

from archive import audit
from archive.archive import Archive
from archive.catalog.models import (
    AuditEvent,
    Document,
    DocumentEntry,
    DocumentObject,
    DocumentPerson,
    Person,
    RecordEntry,
)
from archive.catalog.outbox import SearchOutbox
from archive.catalog.retention import Tombstone
from archive.verify import verify_objects
from retention import execute_order, place_hold
from tests.retention.conftest import OPERATOR, RECORDS_MANAGER
from tests.retention.records import (
    add_document,
    add_entry,
    add_person,
    approved_order,
    cid,
    document_exists,
    person_exists,
    stored_keys,
)

AS_OF = date(2026, 1, 26)
TODAY = date(2026, 2, 1)


def _count(archive: Archive, model: type) -> int:
    with archive.catalog.session() as s:
        return s.scalar(select(func.count()).select_from(model)) or 0


def test_execution_removes_every_copy_and_leaves_a_tombstone(archive: Archive) -> None:
    # GIVEN an owner who left in 2001 with two documents (one with a thumbnail) and an entry
    with archive.catalog.session() as s:
        gone = add_person(s, cid(1), left_service_on=date(2001, 3, 1), first_name="สมศรี",
                          last_name="มีสุข")
        kept = add_person(s, cid(2), status="active", left_service_on=None)
        d1 = add_document(s, archive.store, [gone], size=100)
        d2 = add_document(s, archive.store, [gone], size=10,
                          kinds=("original", "archive", "text", "thumbnail"))
        d3 = add_document(s, archive.store, [kept], size=10)
        add_entry(s, gone, "E-1", effective_on=date(1999, 1, 1), documents=[d1])
    # AND a copy under the document's folder that no catalog row names (a thumbnail cache)
    stray = f"documents/{d1.sha256[:2]}/{d1.sha256}/thumbnail.png"
    archive.store.put_bytes(stray, b"cached thumbnail")
    order_id = approved_order(archive, as_of=AS_OF)
    # WHEN the order is executed
    report = execute_order(archive, order_id, actor=OPERATOR, today=TODAY).as_dict()
    # THEN the record is gone from the catalog and every object of its documents from the store
    assert report["state"] == "executed"
    assert report["documents_destroyed"] == 2 and report["bytes"] == 300 + 40
    assert not person_exists(archive, cid(1)) and person_exists(archive, cid(2))
    assert not document_exists(archive, d1.id) and not document_exists(archive, d2.id)
    assert stored_keys(archive.store) == sorted(o.key for o in d3.objects)
    with archive.catalog.session() as s:
        assert s.scalar(select(func.count()).select_from(RecordEntry)) == 0
        assert s.scalar(select(func.count()).select_from(DocumentEntry)) == 0
        assert s.scalar(select(func.count()).select_from(DocumentObject)) == 3
        # the search index is told to drop both documents
        assert set(s.scalars(select(SearchOutbox.document_id).where(SearchOutbox.op == "delete"))
                   ) == {d1.id, d2.id}
        tomb = s.scalars(select(Tombstone)).one()
        assert (tomb.citizen_id, tomb.full_name, tomb.left_service_on, tomb.order_id) == (
            cid(1), "นายสมศรี มีสุข", date(2001, 3, 1), order_id)
        assert (tomb.documents_destroyed, tomb.bytes_destroyed) == (2, 340)
        assert audit.verify_chain(s).ok
    assert verify_objects(archive).problems == []


def test_a_hold_placed_after_the_order_is_honoured_at_execution(archive: Archive) -> None:
    with archive.catalog.session() as s:
        held = add_person(s, cid(1), left_service_on=date(2001, 1, 1))
        other = add_person(s, cid(2), left_service_on=date(2002, 1, 1))
        doc = add_document(s, archive.store, [held])
        add_document(s, archive.store, [other])
    order_id = approved_order(archive, as_of=AS_OF)
    # WHEN a hold is placed between the order and its execution
    with archive.catalog.session() as s:
        place_hold(s, citizen_id=cid(1), reason="ผู้ตรวจการแผ่นดินขอเอกสาร",
                   authority="สำนักงานผู้ตรวจการแผ่นดิน", actor=RECORDS_MANAGER)
    report = execute_order(archive, order_id, actor=OPERATOR, today=TODAY).as_dict()
    # THEN that owner is skipped, whole; the other is destroyed
    assert report["skipped"] == [{"citizen_id": cid(1), "reason": "legal_hold"}]
    assert [d["citizen_id"] for d in report["destroyed"]] == [cid(2)]
    assert person_exists(archive, cid(1)) and document_exists(archive, doc.id)
    assert all(archive.store.exists(o.key) for o in doc.objects)


def test_status_changed_since_the_order_is_re_checked(archive: Archive) -> None:
    with archive.catalog.session() as s:
        add_person(s, cid(1), left_service_on=date(2001, 1, 1))
        add_person(s, cid(2), left_service_on=date(2002, 1, 1))
        add_person(s, cid(3), left_service_on=date(2003, 1, 1))
    order_id = approved_order(archive, as_of=AS_OF)
    # WHEN one is reinstated, one turns out suspended, and one's date of leaving is corrected
    with archive.catalog.session() as s:
        for person in s.scalars(select(Person)):
            if person.citizen_id == cid(1):
                person.status, person.left_service_on = "active", None
            elif person.citizen_id == cid(2):
                person.status = "suspended"
            else:
                person.left_service_on = date(2020, 1, 1)
    report = execute_order(archive, order_id, actor=OPERATOR, today=TODAY).as_dict()
    assert report["skipped"] == [
        {"citizen_id": cid(1), "reason": "not_left_service"},
        {"citizen_id": cid(2), "reason": "suspended"},
        {"citizen_id": cid(3), "reason": "not_yet_eligible"},
    ]
    assert report["destroyed"] == []
    assert all(person_exists(archive, cid(n)) for n in (1, 2, 3))


def test_struck_owners_are_not_destroyed(archive: Archive) -> None:
    with archive.catalog.session() as s:
        add_person(s, cid(1), left_service_on=date(2001, 1, 1))
        add_person(s, cid(2), left_service_on=date(2002, 1, 1))
    order_id = approved_order(archive, as_of=AS_OF, strikes={cid(1): "ทายาทยื่นขอสำเนา"})
    report = execute_order(archive, order_id, actor=OPERATOR, today=TODAY).as_dict()
    assert [d["citizen_id"] for d in report["destroyed"]] == [cid(2)]
    assert person_exists(archive, cid(1))


def test_a_group_order_shared_with_a_remaining_owner_is_only_unlinked(archive: Archive) -> None:
    # GIVEN a group order filed for A (left 2001) and B (in service), and A's own document
    with archive.catalog.session() as s:
        a = add_person(s, cid(1), left_service_on=date(2001, 1, 1))
        b = add_person(s, cid(2), status="active", left_service_on=None)
        group = add_document(s, archive.store, [a, b], size=500)
        own = add_document(s, archive.store, [a], size=5)
        add_entry(s, a, "A-1", effective_on=date(1995, 1, 1), documents=[group])
        add_entry(s, b, "B-1", effective_on=date(1995, 1, 1), documents=[group])
    order_id = approved_order(archive, as_of=AS_OF)
    report = execute_order(archive, order_id, actor=OPERATOR, today=TODAY).as_dict()
    # THEN A's record is gone, the group order stays whole for B, only unlinked from A
    assert (report["documents_destroyed"], report["documents_unlinked"], report["bytes"]) == (
        1, 1, 15)
    assert not document_exists(archive, own.id)
    assert document_exists(archive, group.id)
    assert all(archive.store.exists(o.key) for o in group.objects)
    with archive.catalog.session() as s:
        owners = s.scalars(select(DocumentPerson.person_id)
                           .where(DocumentPerson.document_id == group.id)).all()
        assert owners == [b.id]
        assert s.scalar(select(func.count()).select_from(DocumentEntry)) == 1  # B's entry
        assert s.scalars(select(SearchOutbox.op).where(SearchOutbox.document_id == group.id)
                         ).all() == ["upsert"]
    assert verify_objects(archive).problems == []


def test_a_shared_document_goes_with_its_last_owner(archive: Archive) -> None:
    # GIVEN a group order of A (left 2001) and B (left 2003); B is struck from the first order
    with archive.catalog.session() as s:
        a = add_person(s, cid(1), left_service_on=date(2001, 1, 1))
        b = add_person(s, cid(2), left_service_on=date(2003, 1, 1))
        group = add_document(s, archive.store, [a, b], size=100)
    first = approved_order(archive, as_of=AS_OF, strikes={cid(2): "รอตรวจสอบ"})
    execute_order(archive, first, actor=OPERATOR, today=TODAY)
    assert document_exists(archive, group.id)
    # WHEN a later order destroys B
    second = approved_order(archive, as_of=AS_OF)
    report = execute_order(archive, second, actor=OPERATOR, today=TODAY).as_dict()
    # THEN the group order, with no owner left, is destroyed with all its objects
    assert report["documents_destroyed"] == 1 and report["bytes"] == 300
    assert not document_exists(archive, group.id)
    assert stored_keys(archive.store) == []


def test_review_and_execution_agree_on_bytes(archive: Archive) -> None:
    from retention import run_review

    with archive.catalog.session() as s:
        a = add_person(s, cid(1), left_service_on=date(2001, 1, 1))
        b = add_person(s, cid(2), left_service_on=date(2003, 1, 1))
        c = add_person(s, cid(3), status="active", left_service_on=None)
        add_document(s, archive.store, [a, b], size=100)
        add_document(s, archive.store, [a, c], size=1000)
        add_document(s, archive.store, [b], size=7)
        review = run_review(s, as_of=AS_OF).as_dict()
    order_id = approved_order(archive, as_of=AS_OF)
    report = execute_order(archive, order_id, actor=OPERATOR, today=TODAY).as_dict()
    assert [(e["citizen_id"], e["bytes"]) for e in review["eligible"]] == [
        (d["citizen_id"], d["bytes"]) for d in report["destroyed"]]


def test_running_an_executed_order_again_changes_nothing(archive: Archive) -> None:
    with archive.catalog.session() as s:
        add_document(s, archive.store, [add_person(s, cid(1), left_service_on=date(2001, 1, 1))])
    order_id = approved_order(archive, as_of=AS_OF)
    first = execute_order(archive, order_id, actor=OPERATOR, today=TODAY).as_dict()
    events = _count(archive, AuditEvent)
    again = execute_order(archive, order_id, actor=OPERATOR, today=TODAY).as_dict()
    assert again == first
    assert _count(archive, AuditEvent) == events
    assert _count(archive, Document) == 0


def test_an_owner_on_two_orders_is_destroyed_once(archive: Archive) -> None:
    with archive.catalog.session() as s:
        add_document(s, archive.store, [add_person(s, cid(1), left_service_on=date(2001, 1, 1))])
    first, second = (approved_order(archive, as_of=AS_OF) for _ in range(2))
    execute_order(archive, first, actor=OPERATOR, today=TODAY)
    report = execute_order(archive, second, actor=OPERATOR, today=TODAY).as_dict()
    assert report["skipped"] == [{"citizen_id": cid(1), "reason": "already_destroyed"}]
    assert _count(archive, Tombstone) == 1


def test_a_destroyed_record_is_not_silently_re_created_by_an_import(
    archive: Archive, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    from archive import registry

    # GIVEN a record destroyed under an order
    with archive.catalog.session() as s:
        add_person(s, cid(1), left_service_on=date(2001, 3, 1))
    order_id = approved_order(archive, as_of=AS_OF)
    execute_order(archive, order_id, actor=OPERATOR, today=TODAY)
    csv_file = tmp_path / "persons.csv"
    csv_file.write_text(
        "citizen_id,prefix,first_name,last_name,birth_date,appointed_on,unit,status,"
        "left_service_on,left_reason\n"
        f"{cid(1)},นาย,สมชาย,ใจดี,1950-05-01,,หน่วย ก,left_service,2001-03-01,retired\n"
        f"{cid(3)},นาย,สมหมาย,ใจงาม,1960-05-01,,หน่วย ก,active,,\n",
        encoding="utf-8")
    # WHEN an HR file that still lists the person is imported
    with archive.catalog.session() as s:
        report = registry.import_persons(s, csv_file)
    # THEN that row is rejected naming the order, the others import
    assert report.imported == 1
    assert report.rejected[0].line == 2 and order_id in report.rejected[0].error
    assert not person_exists(archive, cid(1))
    # AND an explicit re-opening (the person re-entered service) is possible
    with archive.catalog.session() as s:
        again = registry.import_persons(s, csv_file, reopen_destroyed=True)
    assert again.imported == 1 and person_exists(archive, cid(1))


def test_correction_requests_and_their_evidence_go_with_the_record(archive: Archive) -> None:
    import hashlib
    from datetime import UTC, datetime

    from archive.catalog import CorrectionRequest, User

    # GIVEN an owner who asked for a correction with an evidence file, and one who stays
    # and attached the very same file
    evidence = b"%PDF-1.4 evidence"
    key = f"corrections/{hashlib.sha256(evidence).hexdigest()}"
    own_key = "corrections/" + hashlib.sha256(b"%PDF-1.4 mine").hexdigest()
    archive.store.put_bytes(key, evidence)
    archive.store.put_bytes(own_key, b"%PDF-1.4 mine")
    now = datetime.now(UTC)
    with archive.catalog.session() as s:
        gone = add_person(s, cid(1), left_service_on=date(2001, 3, 1))
        kept = add_person(s, cid(2), status="active", left_service_on=None)
        user = User(username="owner", display_name="owner", active=True, created_at=now,
                    updated_at=now)
        s.add(user)
        s.flush()

        def ev(k: str, data: bytes) -> dict[str, object]:
            return {"name": "e.pdf", "key": k, "size": len(data),
                    "sha256": hashlib.sha256(data).hexdigest(), "media_type": "application/pdf"}

        for person, files in ((gone, [ev(key, evidence), ev(own_key, b"%PDF-1.4 mine")]),
                              (kept, [ev(key, evidence)])):
            s.add(CorrectionRequest(person_id=person.id, requested_by=user.id, kind="correction",
                                    subject="ชื่อ", description="แก้ชื่อ", evidence=files,
                                    status="pending", created_at=now))
    order_id = approved_order(archive, as_of=AS_OF)
    # WHEN the order is executed
    execute_order(archive, order_id, actor=OPERATOR, today=TODAY)
    # THEN the destroyed owner's request and its own evidence are gone; the shared file stays
    with archive.catalog.session() as s:
        owners = {r.person_id for r in s.scalars(select(CorrectionRequest))}
        assert owners == {s.scalar(select(Person.id).where(Person.citizen_id == cid(2)))}
    assert not archive.store.exists(own_key)
    assert archive.store.exists(key)
