"""`tabian retention ...` and `tabian holds ...` as a user runs them: the CONTRACT.md shapes."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select

from archive.catalog.models import AuditEvent
from archive.catalog.outbox import SearchOutbox
from archive.catalog.retention import DestructionOrder, LegalHold
from tests.cli import tabian
from tests.retention.records import add_document, add_person, cid, data_dir_archive


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    """Four owners: two destroyable (with documents), one suspended, one in service."""
    data_dir = tmp_path / "data"
    archive = data_dir_archive(data_dir)
    try:
        with archive.catalog.session() as s:
            a = add_person(s, cid(1), left_service_on=date(2003, 4, 1))
            b = add_person(s, cid(2), left_service_on=date(2001, 9, 30))
            add_person(s, cid(3), status="suspended", left_service_on=date(2002, 1, 1))
            add_person(s, cid(4), status="active", left_service_on=None)
            add_document(s, archive.store, [a], size=1000)
            add_document(s, archive.store, [b], size=10)
    finally:
        archive.close()
    return data_dir


def _count(data_dir: Path, model: type) -> int:
    archive = data_dir_archive(data_dir)
    try:
        with archive.catalog.session() as s:
            return s.scalar(select(func.count()).select_from(model)) or 0
    finally:
        archive.close()


def test_review_prints_the_contract_json(data_dir: Path) -> None:
    result = tabian("retention", "review", "--as-of", "2026-01-26", "--json", data_dir=data_dir)
    assert result.code == 0, result.stderr
    body = result.json
    assert body["as_of"] == "2026-01-26"
    assert [{k: e[k] for k in ("citizen_id", "left_service_on", "documents", "bytes")}
            for e in body["eligible"]] == [
        {"citizen_id": cid(2), "left_service_on": "2001-09-30", "documents": 1, "bytes": 30},
        {"citizen_id": cid(1), "left_service_on": "2003-04-01", "documents": 1, "bytes": 3000},
    ]
    assert body["excluded"] == [{"citizen_id": cid(3), "reason": "suspended"}]
    # WITH --free-bytes: the shortest oldest-first prefix that frees at least N bytes
    result = tabian("retention", "review", "--as-of", "2026-01-26", "--free-bytes", "30",
                    "--json", data_dir=data_dir)
    assert [e["citizen_id"] for e in result.json["eligible"]] == [cid(2)]


def test_a_hold_placed_from_the_command_line_excludes_the_owner(data_dir: Path) -> None:
    placed = tabian("holds", "place", cid(1), "--reason", "คดีอาญาอยู่ระหว่างพิจารณา",
                    "--authority", "พนักงานสอบสวน สภ.เมืองเชียงใหม่", "--json", data_dir=data_dir)
    assert placed.code == 0, placed.stderr
    review = tabian("retention", "review", "--as-of", "2026-01-26", "--json", data_dir=data_dir)
    assert {"citizen_id": cid(1), "reason": "legal_hold"} in review.json["excluded"]
    assert [e["citizen_id"] for e in review.json["eligible"]] == [cid(2)]
    listed = tabian("holds", "list", "--json", data_dir=data_dir).json["holds"]
    assert [(h["citizen_id"], h["authority"]) for h in listed] == [
        (cid(1), "พนักงานสอบสวน สภ.เมืองเชียงใหม่")]


@pytest.mark.parametrize("args", [
    ("retention", "review", "--as-of", "26 Jan 2026", "--json"),
    ("retention", "review", "--as-of", "2026-02-30", "--json"),
    ("retention", "review", "--as-of", "2026-01-26", "--free-bytes", "-1", "--json"),
    ("retention", "review", "--as-of", "2026-01-26", "--free-bytes", "lots", "--json"),
    ("retention", "review", "--json"),
    ("holds", "place", "1234567890123", "--reason", "x", "--authority", "y", "--json"),
    ("holds", "place", cid(1), "--reason", " ", "--authority", "ศาล", "--json"),
    ("holds", "release", "42", "--reason", "x", "--authority", "y", "--json"),
    ("retention", "propose", "no-such-review", "--json"),
    ("retention", "execute", "no-such-order", "--json"),
    ("retention", "certificate", "no-such-order", "--json"),
])
def test_bad_input_is_exit_2_with_a_reason_and_changes_nothing(
    data_dir: Path, args: tuple[str, ...]
) -> None:
    events = _count(data_dir, AuditEvent)
    result = tabian(*args, data_dir=data_dir)
    assert result.code == 2
    assert result.stdout == ""
    assert result.stderr.strip()
    assert _count(data_dir, AuditEvent) == events
    assert _count(data_dir, LegalHold) == 0


def test_the_whole_workflow_with_separation_of_duties(data_dir: Path, tmp_path: Path) -> None:
    manager, controller = {"TABIAN_ACTOR": "rm:somsri"}, {"TABIAN_ACTOR": "dc:prasert"}
    saved = tabian("retention", "review", "--as-of", "2026-01-26", "--save", "--json",
                   data_dir=data_dir, env=manager).json
    proposed = tabian("retention", "propose", saved["review_id"], "--strike",
                      f"{cid(1)}=ทายาทขอคัดสำเนาเอกสาร", "--json", data_dir=data_dir, env=manager)
    assert proposed.code == 0, proposed.stderr
    proposal_id = proposed.json["proposal_id"]
    # WHEN the records manager tries to approve their own proposal THEN it is refused
    own = tabian("retention", "approve", proposal_id, "--necessity", "space", "--reason",
                 "พื้นที่เต็ม", "--json", data_dir=data_dir, env=manager)
    assert own.code == 2 and "separation of duties" in own.stderr
    assert _count(data_dir, DestructionOrder) == 0
    # WHEN the data controller approves THEN an order exists, and executing it destroys B only
    order = tabian("retention", "approve", proposal_id, "--necessity", "other", "--reason",
                   "ย้ายข้อมูลเข้าระบบใหม่", "--order-ref", "๑๒/๒๕๖๙", "--json",
                   data_dir=data_dir, env=controller)
    assert order.code == 0, order.stderr
    executed = tabian("retention", "execute", order.json["order_id"], "--json",
                      data_dir=data_dir, env={"TABIAN_ACTOR": "op:tabian"})
    assert executed.code == 0, executed.stderr
    assert [d["citizen_id"] for d in executed.json["destroyed"]] == [cid(2)]
    assert "destroying" in executed.stderr  # progress goes to stderr, JSON alone to stdout
    out = tmp_path / "cert"
    cert = tabian("retention", "certificate", order.json["order_id"], "--out", out, "--json",
                  data_dir=data_dir)
    assert cert.code == 0
    assert cert.json["certificate"]["struck"] == [
        {"citizen_id": cid(1), "reason": "ทายาทขอคัดสำเนาเอกสาร"}]
    assert sorted(p.suffix for p in out.iterdir()) == [".json", ".pdf"]
    assert tabian("verify", "--json", data_dir=data_dir).code == 0
    assert tabian("audit", "verify", data_dir=data_dir).code == 0


def test_reminders_photos_and_certifications_from_the_command_line(data_dir: Path) -> None:
    assert tabian("photos", "record", cid(4), "--taken-on", "2019-05-01", "--json",
                  data_dir=data_dir).code == 0
    assert tabian("records", "certify", cid(4), "--on", "2026-01-10", "--json",
                  data_dir=data_dir).code == 0
    (data_dir / "holidays.csv").write_text("date,name\n2026-03-03,วันมาฆบูชา\n", encoding="utf-8")
    result = tabian("reminders", "list", "--as-of", "2026-01-26", "--json", data_dir=data_dir)
    assert result.code == 0, result.stderr
    assert result.json["holidays_file"].endswith("holidays.csv")
    assert [(r["kind"], r["citizen_id"]) for r in result.json["reminders"]] == [
        ("photo_outdated", cid(4))]
    bad = tabian("reminders", "list", "--kind", "parking", "--json", data_dir=data_dir)
    assert bad.code == 2 and bad.stdout == ""


def test_paper_list_from_the_command_line(data_dir: Path, tmp_path: Path) -> None:
    from archive.catalog.models import Document

    archive = data_dir_archive(data_dir)
    try:
        with archive.catalog.session() as s:
            from tests.retention.records import add_batch

            batch_id = add_batch(s, list(s.scalars(select(Document))))
    finally:
        archive.close()
    made = tabian("paper-list", "make", batch_id, "--out", tmp_path, "--json", data_dir=data_dir)
    assert made.code == 0, made.stderr
    assert len(made.json["items"]) == 2 and Path(made.json["pdf"]).is_file()
    few = tabian("paper-list", "decide", made.json["list_id"], "--committee", "นายก", "--json",
                 data_dir=data_dir)
    assert few.code == 2
    decided = tabian("paper-list", "decide", made.json["list_id"], "--committee", "นายก",
                     "--committee", "นางข", "--committee", "นายค", "--keep", "1=ยังใช้งาน",
                     "--json", data_dir=data_dir)
    assert decided.code == 0, decided.stderr
    assert [i["decision"] for i in decided.json["items"]] == ["keep", "destroy"]


def test_execution_empties_the_search_index_of_destroyed_documents(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    archive = data_dir_archive(data_dir)
    try:
        with archive.catalog.session() as s:
            p = add_person(s, cid(1), left_service_on=date(2001, 1, 1))
            add_document(s, archive.store, [p], text="คำสั่งแต่งตั้งครูผู้ช่วยโรงเรียนบ้านหนองบัว")
        from tests.retention.records import approved_order

        order_id = approved_order(archive, as_of=date(2026, 1, 26))
    finally:
        archive.close()
    before = tabian("search", "หนองบัว", "--json", data_dir=data_dir)  # builds the index
    assert before.code == 0, before.stderr
    assert before.json["total"] == 1
    assert tabian("retention", "execute", order_id, "--json", data_dir=data_dir).code == 0
    assert _count(data_dir, SearchOutbox) == 0  # drained by the execution itself
    after = tabian("search", "หนองบัว", "--json", data_dir=data_dir)
    assert after.json["total"] == 0
