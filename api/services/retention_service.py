"""Destruction under clause 5.6.2 for signed-in callers: review -> proposal -> order -> certificate.

The `retention` package does the work and keeps the separation of duties; this module adds who
may ask (records manager: reviews and proposals; data controller: the order, its execution and
certificates) and over whom (`retention_scope`). Every read of a list naming owners is audited.

Execution and certificates run in the archive's own transactions (one per owner), so those
routes first end the request's transaction (`_release`): on SQLite it holds the write lock.
Execution runs synchronously: it is one catalog transaction and a few deletes per owner.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from api.access import Action, Principal, scope
from api.http.errors import ApiError, bad_request, conflict, not_found
from api.services.retention_scope import (
    all_in_scope,
    in_scope,
    iso_time,
    out_of_scope,
    owners_of,
    proposal_citizen_ids,
    proposal_in,
    proposal_owners,
    retention_scope,
    review_citizen_ids,
    review_owners,
    review_visible,
)
from archive import audit
from archive.archive import Archive
from archive.catalog.retention import (
    DestructionCertificate,
    DestructionOrder,
    DestructionProposal,
    RetentionReview,
)
from archive.thai import ThaiTextError, parse_citizen_id
from retention import (
    Candidate,
    RetentionError,
    Review,
    approve,
    attribute_documents,
    execute_order,
    execution_report,
    load_certificate,
    order_as_dict,
    proposal_as_dict,
    propose,
    reject,
    run_review,
    save_review,
    shortest_prefix,
)
from retention.certificate_pdf import NECESSITY_TH
from retention.certificate_pdf import REASON_TH as SKIP_TH
from retention.review import _document_shares  # the review's own byte attribution, rescoped

EXCLUDED_TH = {"suspended": "พักราชการ", "ordered_out_pending": "ให้ออกจากราชการไว้ก่อน",
               "legal_hold": "ถูกระงับการทำลายตามกฎหมาย"}
PROPOSAL_STATE_TH = {"proposed": "รอผู้ควบคุมข้อมูลพิจารณา", "approved": "อนุมัติเป็นคำสั่งทำลายแล้ว",
                     "rejected": "ไม่อนุมัติ"}
ORDER_STATE_TH = {"approved": "รอดำเนินการทำลาย", "executing": "กำลังทำลาย (ดำเนินการต่อได้)",
                  "executed": "ทำลายเสร็จสิ้น"}
NOT_LISTED_TH = "ไม่อยู่ในรายชื่อที่เลือกเสนอทำลาย"
_INTERNAL_KEYS = ("units",)


def refused(exc: RetentionError) -> ApiError:
    """A request the retention rules refuse; the package's English reason goes in `detail`."""
    return conflict("retention_refused", "ทำรายการนี้ไม่ได้ตามขั้นตอนการทำลายทะเบียนประวัติ",
                    str(exc))


def _release(db: Session) -> None:
    """End the request's transaction before the archive opens its own (see the module doc)."""
    db.commit()


# --- reviews ---------------------------------------------------------------------------------

def scoped_review(db: Session, principal: Principal, *, as_of: Any,
                  free_bytes: int | None) -> Review:
    """The rule over the caller's persons only: eligible oldest first, the excluded, and the
    bytes each frees when only these persons are destroyed (shared documents attributed anew)."""
    sc = scope(principal, Action.RETENTION_REVIEW)
    full = run_review(db, as_of=as_of)
    owners = owners_of(db, [c.citizen_id for c in full.eligible]
                       + [e.citizen_id for e in full.excluded])

    def mine(cid: str) -> bool:
        return in_scope(sc, cid, owners[cid].unit_path if cid in owners else None)

    eligible = [c for c in full.eligible if mine(c.citizen_id)]
    excluded = [e for e in full.excluded if mine(e.citizen_id)]
    if eligible and len(eligible) != len(full.eligible):
        figures = attribute_documents([c.person_id for c in eligible],
                                      _document_shares(db, as_of))
        eligible = [Candidate(c.person_id, c.citizen_id, c.left_service_on, *figures[c.person_id])
                    for c in eligible]
    review = Review(as_of=as_of, eligible=eligible, excluded=excluded, free_bytes=free_bytes,
                    all_eligible=len(eligible), all_bytes=sum(c.bytes for c in eligible))
    if free_bytes is not None:
        review.eligible = shortest_prefix(eligible, free_bytes)
    shown = [c.citizen_id for c in review.eligible] + [e.citizen_id for e in excluded]
    # Noted so that scope still holds for owners once destroyed (their rows are gone then).
    review.extra["units"] = {cid: owners[cid].unit_path for cid in shown if cid in owners}
    review.extra["all_eligible"], review.extra["all_bytes"] = review.all_eligible, review.all_bytes
    return review


def create_review(db: Session, principal: Principal, *, as_of: Any,
                  free_bytes: int | None) -> dict[str, Any]:
    if free_bytes is not None and free_bytes < 0:
        raise bad_request("bad_free_bytes", "จำนวนไบต์ที่ต้องการคืนพื้นที่ต้องไม่ติดลบ")
    review = scoped_review(db, principal, as_of=as_of, free_bytes=free_bytes)
    row = save_review(db, review, actor=principal.actor)
    db.flush()
    return review_view(db, row)


def review_view(db: Session, row: RetentionReview) -> dict[str, Any]:
    """The saved review as the CONTRACT's JSON, with names, units and Thai reasons added."""
    result = {k: v for k, v in row.result.items() if k not in _INTERNAL_KEYS}
    owners = review_owners(db, row.result, review_citizen_ids(row.result))
    result["eligible"] = [
        {**i, "full_name": owners[i["citizen_id"]].full_name if i["citizen_id"] in owners
         else None, "unit": owners[i["citizen_id"]].unit_path if i["citizen_id"] in owners
         else None}
        for i in result.get("eligible", [])
    ]
    result["excluded"] = [
        {**e, "reason_th": EXCLUDED_TH.get(e["reason"], e["reason"]),
         "full_name": owners[e["citizen_id"]].full_name if e["citizen_id"] in owners else None}
        for e in result.get("excluded", [])
    ]
    return {"review_id": row.id, "created_by": row.created_by,
            "created_at": iso_time(row.created_at), **result}


def _review(db: Session, principal: Principal, review_id: str) -> RetentionReview:
    row = db.get(RetentionReview, review_id)
    if row is None or not review_visible(db, retention_scope(principal), row):
        raise not_found("ผลการทบทวน")
    return row


def get_review(db: Session, principal: Principal, review_id: str) -> dict[str, Any]:
    row = _review(db, principal, review_id)
    audit.append(db, action="retention.review.read", subject=f"retention_review:{row.id}",
                 actor=principal.actor)
    return review_view(db, row)


def list_reviews(db: Session, principal: Principal) -> list[dict[str, Any]]:
    sc = retention_scope(principal)
    rows = db.scalars(select(RetentionReview).order_by(RetentionReview.created_at.desc()))
    return [
        {"review_id": r.id, "as_of": r.as_of.isoformat(), "free_bytes": r.free_bytes,
         "created_by": r.created_by, "created_at": iso_time(r.created_at),
         "eligible": len(r.result.get("eligible", [])),
         "excluded": len(r.result.get("excluded", [])), "bytes": r.result.get("bytes", 0)}
        for r in rows if review_visible(db, sc, r)
    ]


# --- proposals and orders --------------------------------------------------------------------

def create_proposal(db: Session, principal: Principal, *, review_id: str,
                    citizen_ids: list[str] | None = None, strikes: dict[str, str] | None = None,
                    note: str | None = None, strike_reason: str | None = None) -> dict[str, Any]:
    """บัญชีเสนอทำลาย from a saved review: `citizen_ids` picks whom to propose (the rest are
    struck, with `strikes[cid]`, else `strike_reason`, else a default reason); every owner must
    be the caller's."""
    row = _review(db, principal, review_id)
    listed = [i["citizen_id"] for i in row.result.get("eligible", [])]
    owners = review_owners(db, row.result, listed)
    if not all_in_scope(scope(principal, Action.RETENTION_REVIEW), owners, listed):
        raise out_of_scope()
    try:
        picked = None if citizen_ids is None else {parse_citizen_id(c) for c in citizen_ids}
        struck = {parse_citizen_id(c): r for c, r in (strikes or {}).items()}
    except ThaiTextError as exc:
        raise bad_request("bad_citizen_id", "เลขประจำตัวประชาชนไม่ถูกต้อง", str(exc)) from exc
    unknown = sorted((picked or set()) - set(listed))
    if unknown:
        raise bad_request("not_on_review", "มีเลขประจำตัวประชาชนที่ไม่อยู่ในผลการทบทวนนี้", unknown)
    if picked is not None:
        for cid in listed:
            if cid not in picked:
                struck[cid] = ((struck.get(cid) or "").strip() or (strike_reason or "").strip()
                               or NOT_LISTED_TH)
    try:
        proposal = propose(db, review_id=row.id, actor=principal.actor, strikes=struck,
                           note=note)
    except RetentionError as exc:
        raise refused(exc) from exc
    db.flush()
    return proposal_view(db, proposal)


def proposal_view(db: Session, proposal: DestructionProposal) -> dict[str, Any]:
    out = proposal_as_dict(db, proposal)
    owners = proposal_owners(db, proposal)
    for item in out["items"]:
        owner = owners.get(item["citizen_id"])
        item["full_name"] = owner.full_name if owner else None
        item["unit"] = owner.unit_path if owner else None
    order = db.scalar(select(DestructionOrder).where(DestructionOrder.proposal_id == proposal.id))
    out.update(
        proposed_at=iso_time(proposal.proposed_at),
        state_th=PROPOSAL_STATE_TH.get(proposal.state, proposal.state), note=proposal.note,
        decided_by=proposal.decided_by, decided_at=iso_time(proposal.decided_at),
        decision_reason=proposal.decision_reason,
        order=order_view(db, order) if order is not None else None,
    )
    return out


def order_view(db: Session, order: DestructionOrder) -> dict[str, Any]:
    out = order_as_dict(order)
    out.update(
        approved_at=iso_time(order.approved_at),
        state_th=ORDER_STATE_TH.get(order.state, order.state),
        necessity_th=NECESSITY_TH.get(order.necessity, order.necessity),
        executed_by=order.executed_by, started_at=iso_time(order.started_at),
        finished_at=iso_time(order.finished_at),
        certificate=db.get(DestructionCertificate, order.id) is not None,
    )
    return out


def _proposal(db: Session, principal: Principal, proposal_id: str) -> DestructionProposal:
    proposal = db.get(DestructionProposal, proposal_id)
    if proposal is None or not proposal_in(db, retention_scope(principal), proposal):
        raise not_found("บัญชีเสนอทำลาย")
    return proposal


def get_proposal(db: Session, principal: Principal, proposal_id: str) -> dict[str, Any]:
    proposal = _proposal(db, principal, proposal_id)
    audit.append(db, action="retention.propose.read",
                 subject=f"destruction_proposal:{proposal.id}", actor=principal.actor)
    return proposal_view(db, proposal)


def list_proposals(db: Session, principal: Principal) -> list[dict[str, Any]]:
    sc = retention_scope(principal)
    orders = {o.proposal_id: o for o in db.scalars(select(DestructionOrder))}
    out = []
    for p in db.scalars(select(DestructionProposal)
                        .order_by(DestructionProposal.proposed_at.desc())):
        if not proposal_in(db, sc, p):
            continue
        items = proposal_as_dict(db, p)["items"]
        order = orders.get(p.id)
        out.append({
            "proposal_id": p.id, "review_id": p.review_id, "state": p.state,
            "state_th": PROPOSAL_STATE_TH.get(p.state, p.state), "proposed_by": p.proposed_by,
            "proposed_at": iso_time(p.proposed_at),
            "persons": sum(1 for i in items if not i["struck"]),
            "struck": sum(1 for i in items if i["struck"]),
            "order_id": order.id if order else None,
            "order_state": order.state if order else None,
            "order_state_th": ORDER_STATE_TH.get(order.state, "") if order else None,
        })
    return out


def _decidable(db: Session, principal: Principal, proposal_id: str) -> DestructionProposal:
    proposal = _proposal(db, principal, proposal_id)
    if not all_in_scope(scope(principal, Action.RETENTION_ORDER), proposal_owners(db, proposal),
                        proposal_citizen_ids(db, proposal.id)):
        raise out_of_scope()
    if proposal.state != "proposed":
        raise conflict("already_decided", "บัญชีนี้ได้รับการพิจารณาไปแล้ว",
                       {"state": proposal.state})
    return proposal


def approve_proposal(db: Session, principal: Principal, proposal_id: str, *, necessity: str,
                     reason: str, order_ref: str | None = None) -> dict[str, Any]:
    """คำสั่งทำลาย: the data controller's order; never by whoever proposed the list."""
    proposal = _decidable(db, principal, proposal_id)
    if proposal.proposed_by == principal.actor:
        raise conflict("proposer_cannot_approve",
                       "ผู้เสนอบัญชีทำลายไม่อาจอนุมัติบัญชีของตนเองได้ ต้องเป็นผู้ควบคุมข้อมูลอีกคนหนึ่ง")
    if not reason.strip():
        raise bad_request("reason_required", "ต้องระบุความจำเป็นที่ต้องทำลาย")
    try:
        approve(db, proposal_id=proposal.id, actor=principal.actor, necessity=necessity,
                detail=reason, order_ref=order_ref)
    except RetentionError as exc:
        raise refused(exc) from exc
    db.flush()
    return proposal_view(db, proposal)


def reject_proposal(db: Session, principal: Principal, proposal_id: str, *,
                    reason: str) -> dict[str, Any]:
    proposal = _decidable(db, principal, proposal_id)
    if not reason.strip():
        raise bad_request("reason_required", "ต้องระบุเหตุผลที่ไม่อนุมัติ")
    try:
        reject(db, proposal_id=proposal.id, actor=principal.actor, reason=reason)
    except RetentionError as exc:
        raise refused(exc) from exc
    db.flush()
    return proposal_view(db, proposal)


def _order(db: Session, principal: Principal, order_id: str) -> DestructionOrder:
    order = db.get(DestructionOrder, order_id)
    proposal = db.get(DestructionProposal, order.proposal_id) if order else None
    if order is None or proposal is None or not proposal_in(
            db, retention_scope(principal), proposal):
        raise not_found("คำสั่งทำลาย")
    return order


def list_orders(db: Session, principal: Principal) -> list[dict[str, Any]]:
    sc = retention_scope(principal)
    out = []
    for order in db.scalars(select(DestructionOrder).order_by(DestructionOrder.approved_at.desc())):
        proposal = db.get(DestructionProposal, order.proposal_id)
        if proposal is not None and proposal_in(db, sc, proposal):
            out.append(order_view(db, order))
    return out


def _with_report(archive: Archive, view: dict[str, Any]) -> dict[str, Any]:
    report = execution_report(archive, view["order_id"]).as_dict()
    for skip in report["skipped"]:
        skip["reason_th"] = SKIP_TH.get(skip["reason"] or "", skip["reason"])
    return {**view, "execution": report}


def get_order(db: Session, archive: Archive, principal: Principal,
              order_id: str) -> dict[str, Any]:
    order = _order(db, principal, order_id)
    audit.append(db, action="retention.order.read", subject=f"destruction_order:{order.id}",
                 actor=principal.actor)
    view = order_view(db, order)
    _release(db)
    return _with_report(archive, view)


def execute(db: Session, archive: Archive, principal: Principal,
            order_id: str) -> dict[str, Any]:
    """Carry out (or resume) the order; holds and statuses are re-checked per owner at run time
    by `retention.execute`, and the certificate is issued at the end. Idempotent."""
    order = _order(db, principal, order_id)
    proposal = db.get(DestructionProposal, order.proposal_id)
    assert proposal is not None
    if not all_in_scope(scope(principal, Action.RETENTION_ORDER), proposal_owners(db, proposal),
                        proposal_citizen_ids(db, proposal.id)):
        raise out_of_scope()
    _release(db)
    try:
        report = execute_order(archive, order.id, actor=principal.actor)
    except RetentionError as exc:
        raise refused(exc) from exc
    from api.retention_commands import _drain_search_index  # the CLI's own index catch-up

    index_problem = _drain_search_index(archive)
    with archive.catalog.session() as s:
        row = s.get(DestructionOrder, order.id)
        assert row is not None
        view = order_view(s, row)
    out = _with_report(archive, view)
    out["execution"]["certificate"] = report.certificate
    out["index_problem"] = index_problem
    return out


# --- certificates ----------------------------------------------------------------------------

def list_certificates(db: Session, principal: Principal) -> list[dict[str, Any]]:
    sc = retention_scope(principal)
    out = []
    for cert in db.scalars(select(DestructionCertificate)
                           .order_by(DestructionCertificate.created_at.desc())):
        order = db.get(DestructionOrder, cert.order_id)
        proposal = db.get(DestructionProposal, order.proposal_id) if order else None
        if order is None or proposal is None or not proposal_in(db, sc, proposal):
            continue
        out.append({"order_id": cert.order_id, "order_ref": order.order_ref,
                    "created_at": iso_time(cert.created_at), "json_sha256": cert.json_sha256,
                    "pdf_sha256": cert.pdf_sha256, "audit_seq": cert.audit_seq,
                    "approved_by": order.approved_by, "executed_by": order.executed_by})
    return out


def load(db: Session, archive: Archive, principal: Principal,
         order_id: str, *, what: str) -> tuple[dict[str, Any], bytes, bytes]:
    """The certificate's record and files (each checked against its sha256), audited."""
    order = _order(db, principal, order_id)
    if db.get(DestructionCertificate, order.id) is None:
        raise not_found("หนังสือรับรองการทำลาย")
    _release(db)
    try:
        info, json_bytes, pdf_bytes = load_certificate(archive, order.id)
    except RetentionError as exc:
        raise refused(exc) from exc
    audit.append(db, action=f"retention.certificate.{what}",
                 subject=f"destruction_order:{order.id}", actor=principal.actor)
    return info, json_bytes, pdf_bytes
