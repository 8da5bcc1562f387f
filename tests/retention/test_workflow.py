"""Review -> proposal -> order: separation of duties, strikes with reasons, the necessity."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from archive.archive import Archive
from archive.catalog.models import AuditEvent
from archive.catalog.retention import DestructionOrder, DestructionProposal, ProposalItem
from retention import RetentionError, approve, propose, reject, run_review, save_review
from tests.retention.conftest import DATA_CONTROLLER, RECORDS_MANAGER
from tests.retention.records import add_person, cid

AS_OF = date(2026, 1, 26)


@pytest.fixture
def review_id(archive: Archive) -> str:
    with archive.catalog.session() as s:
        add_person(s, cid(1), left_service_on=date(2001, 1, 1))
        add_person(s, cid(2), left_service_on=date(2002, 1, 1))
        return save_review(s, run_review(s, as_of=AS_OF), actor=RECORDS_MANAGER).id


def _proposal(archive: Archive, review_id: str, **kw: object) -> str:
    with archive.catalog.session() as s:
        return propose(s, review_id=review_id, actor=RECORDS_MANAGER, **kw).id  # type: ignore[arg-type]


def _count(archive: Archive, model: type) -> int:
    with archive.catalog.session() as s:
        return s.scalar(select(func.count()).select_from(model)) or 0


def test_the_proposer_cannot_approve_their_own_proposal(archive: Archive, review_id: str) -> None:
    proposal_id = _proposal(archive, review_id)
    events_before = _count(archive, AuditEvent)
    # WHEN the records manager tries to approve what they proposed
    with pytest.raises(RetentionError, match="separation of duties"), \
            archive.catalog.session() as s:
        approve(s, proposal_id=proposal_id, actor=RECORDS_MANAGER, necessity="space",
                detail="พื้นที่เต็ม")
    # THEN nothing is stored: no order, the proposal still waits, no audit event
    assert _count(archive, DestructionOrder) == 0
    assert _count(archive, AuditEvent) == events_before
    # AND the data controller can
    with archive.catalog.session() as s:
        order = approve(s, proposal_id=proposal_id, actor=DATA_CONTROLLER, necessity="other",
                        detail="ย้ายระบบจัดเก็บตามมติคณะกรรมการ", order_ref="12/2569")
        assert (order.necessity, order.approved_by, order.state) == (
            "other", DATA_CONTROLLER, "approved")
        assert s.get(DestructionProposal, proposal_id).state == "approved"  # type: ignore[union-attr]


def test_an_order_cites_the_necessity_and_is_given_once(archive: Archive, review_id: str) -> None:
    proposal_id = _proposal(archive, review_id)
    for necessity, detail, message in [("storage", "เต็ม", "necessity must be"),
                                       ("space", "   ", "cite the necessity")]:
        with pytest.raises(RetentionError, match=message), archive.catalog.session() as s:
            approve(s, proposal_id=proposal_id, actor=DATA_CONTROLLER, necessity=necessity,
                    detail=detail)
    with archive.catalog.session() as s:
        approve(s, proposal_id=proposal_id, actor=DATA_CONTROLLER, necessity="space",
                detail="เต็ม")
    with pytest.raises(RetentionError, match="already approved"), archive.catalog.session() as s:
        approve(s, proposal_id=proposal_id, actor="dc:other", necessity="space", detail="เต็ม")


def test_struck_names_stay_on_the_proposal_with_their_reasons(
    archive: Archive, review_id: str
) -> None:
    proposal_id = _proposal(archive, review_id, strikes={cid(2): "ทายาทขอสำเนาเอกสาร"})
    with archive.catalog.session() as s:
        items = s.scalars(select(ProposalItem).where(ProposalItem.proposal_id == proposal_id)
                          .order_by(ProposalItem.position)).all()
        assert [(i.citizen_id, i.struck, i.strike_reason) for i in items] == [
            (cid(1), False, None), (cid(2), True, "ทายาทขอสำเนาเอกสาร")]
        event = s.scalars(select(AuditEvent).where(AuditEvent.action == "retention.propose")).one()
        assert "ทายาทขอสำเนาเอกสาร" in event.details


@pytest.mark.parametrize(("strikes", "message"), [
    ({"1101700203450": "ไม่อยู่ในบัญชี"}, "not on review"),
    ({"3000000000013": " "}, "needs a reason"),
    ({"3000000000013": "ก", "3000000000021": "ข"}, "leaves nobody"),
])
def test_bad_strikes_are_refused_and_store_nothing(
    archive: Archive, review_id: str, strikes: dict[str, str], message: str
) -> None:
    with pytest.raises(RetentionError, match=message), archive.catalog.session() as s:
        propose(s, review_id=review_id, actor=RECORDS_MANAGER, strikes=strikes)
    assert _count(archive, DestructionProposal) == 0


def test_a_rejected_proposal_cannot_be_approved(archive: Archive, review_id: str) -> None:
    proposal_id = _proposal(archive, review_id)
    with archive.catalog.session() as s:
        reject(s, proposal_id=proposal_id, actor=DATA_CONTROLLER, reason="ยังไม่จำเป็น")
    with pytest.raises(RetentionError, match="already rejected"), archive.catalog.session() as s:
        approve(s, proposal_id=proposal_id, actor=DATA_CONTROLLER, necessity="space",
                detail="เต็ม")
