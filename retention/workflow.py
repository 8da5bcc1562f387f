"""Review -> proposal -> order: who may do which step (separation of duties), all audited."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from datetime import UTC, date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from archive import audit
from archive.catalog.retention import (
    DestructionOrder,
    DestructionProposal,
    ProposalItem,
    RetentionReview,
)
from retention.errors import RetentionError
from retention.review import Review


class Necessity(StrEnum):
    """Why the data controller orders destruction (clause 5.6.2)."""

    SPACE = "space"  # storage space is needed
    OTHER = "other"  # another necessity, stated in words


def _text(value: str | None) -> str:
    return " ".join((value or "").split())


def save_review(session: Session, review: Review, *, actor: str) -> RetentionReview:
    """Keep a review as the records manager saw it, so a proposal can be made from it."""
    row = RetentionReview(
        id=uuid.uuid4().hex, as_of=review.as_of, free_bytes=review.free_bytes,
        created_by=actor, created_at=datetime.now(UTC), result=review.as_dict(),
    )
    session.add(row)
    audit.append(
        session, action="retention.review.save", subject=f"retention_review:{row.id}",
        actor=actor,
        details={"as_of": review.as_of.isoformat(), "eligible": len(review.eligible),
                 "excluded": len(review.excluded), "bytes": review.bytes},
    )
    return row


def propose(
    session: Session, *, review_id: str, actor: str, strikes: Mapping[str, str] | None = None,
    note: str | None = None,
) -> DestructionProposal:
    """A destruction list from a saved review; struck names stay on it with their reasons."""
    review = session.get(RetentionReview, review_id)
    if review is None:
        raise RetentionError(
            f"no saved review {review_id}; save one with: tabian retention review --as-of DATE "
            "--save"
        )
    eligible: list[dict[str, Any]] = list(review.result.get("eligible", []))
    listed = {item["citizen_id"] for item in eligible}
    strikes = {cid: _text(reason) for cid, reason in (strikes or {}).items()}
    unknown = sorted(set(strikes) - listed)
    if unknown:
        raise RetentionError(f"cannot strike {', '.join(unknown)}: not on review {review_id}")
    unreasoned = sorted(cid for cid, reason in strikes.items() if not reason)
    if unreasoned:
        raise RetentionError(f"striking {', '.join(unreasoned)} needs a reason")
    if not eligible or len(strikes) == len(eligible):
        raise RetentionError(f"review {review_id} leaves nobody to propose for destruction")
    proposal = DestructionProposal(
        id=uuid.uuid4().hex, review_id=review.id, proposed_by=actor,
        proposed_at=datetime.now(UTC), note=_text(note) or None, state="proposed",
    )
    session.add(proposal)
    session.flush()
    session.add_all(
        ProposalItem(
            proposal_id=proposal.id, position=i, citizen_id=item["citizen_id"],
            left_service_on=date.fromisoformat(item["left_service_on"]),
            documents=item["documents"], bytes=item["bytes"],
            struck=item["citizen_id"] in strikes, strike_reason=strikes.get(item["citizen_id"]),
        )
        for i, item in enumerate(eligible, start=1)
    )
    audit.append(
        session, action="retention.propose", subject=f"destruction_proposal:{proposal.id}",
        actor=actor,
        details={"review_id": review.id, "persons": len(eligible) - len(strikes),
                 "struck": [{"citizen_id": c, "reason": r} for c, r in sorted(strikes.items())]},
    )
    return proposal


def _proposal_for_decision(session: Session, proposal_id: str) -> DestructionProposal:
    proposal = session.execute(
        select(DestructionProposal).where(DestructionProposal.id == proposal_id).with_for_update()
    ).scalar_one_or_none()
    if proposal is None:
        raise RetentionError(f"no destruction proposal {proposal_id}")
    if proposal.state != "proposed":
        raise RetentionError(f"proposal {proposal_id} is already {proposal.state}")
    return proposal


def approve(
    session: Session, *, proposal_id: str, actor: str, necessity: str, detail: str,
    order_ref: str | None = None,
) -> DestructionOrder:
    """The data controller's destruction order; never for their own proposal."""
    proposal = _proposal_for_decision(session, proposal_id)
    if actor == proposal.proposed_by:
        raise RetentionError(
            f"separation of duties: {actor} proposed {proposal_id} and cannot also approve it; "
            "the data controller (another person) must"
        )
    if necessity not in {n.value for n in Necessity}:
        raise RetentionError(f"necessity must be one of: {', '.join(n.value for n in Necessity)}")
    detail = _text(detail)
    if not detail:
        raise RetentionError("an order must cite the necessity in words (--reason)")
    now = datetime.now(UTC)
    order = DestructionOrder(
        id=uuid.uuid4().hex, proposal_id=proposal.id, approved_by=actor, approved_at=now,
        necessity=necessity, necessity_detail=detail, order_ref=_text(order_ref) or None,
        state="approved",
    )
    proposal.state, proposal.decided_by, proposal.decided_at = "approved", actor, now
    proposal.decision_reason = detail
    session.add(order)
    audit.append(
        session, action="retention.order.approve", subject=f"destruction_order:{order.id}",
        actor=actor,
        details={"proposal_id": proposal.id, "proposed_by": proposal.proposed_by,
                 "necessity": necessity, "detail": detail, "order_ref": order.order_ref},
    )
    return order


def reject(session: Session, *, proposal_id: str, actor: str, reason: str) -> DestructionProposal:
    """Turn a proposal down (or withdraw it, if its proposer does), with the reason."""
    proposal = _proposal_for_decision(session, proposal_id)
    reason = _text(reason)
    if not reason:
        raise RetentionError("a rejection needs a reason")
    proposal.state, proposal.decided_by = "rejected", actor
    proposal.decided_at, proposal.decision_reason = datetime.now(UTC), reason
    audit.append(
        session, action="retention.propose.reject", subject=f"destruction_proposal:{proposal.id}",
        actor=actor, details={"reason": reason},
    )
    return proposal


def proposal_as_dict(session: Session, proposal: DestructionProposal) -> dict[str, Any]:
    items = session.scalars(
        select(ProposalItem).where(ProposalItem.proposal_id == proposal.id)
        .order_by(ProposalItem.position)
    )
    return {
        "proposal_id": proposal.id,
        "review_id": proposal.review_id,
        "state": proposal.state,
        "proposed_by": proposal.proposed_by,
        "proposed_at": proposal.proposed_at.isoformat(),
        "items": [
            {"citizen_id": i.citizen_id, "left_service_on": i.left_service_on.isoformat(),
             "documents": i.documents, "bytes": i.bytes, "struck": i.struck,
             "strike_reason": i.strike_reason}
            for i in items
        ],
    }


def order_as_dict(order: DestructionOrder) -> dict[str, Any]:
    return {
        "order_id": order.id,
        "proposal_id": order.proposal_id,
        "state": order.state,
        "approved_by": order.approved_by,
        "approved_at": order.approved_at.isoformat(),
        "necessity": order.necessity,
        "necessity_detail": order.necessity_detail,
        "order_ref": order.order_ref,
    }
