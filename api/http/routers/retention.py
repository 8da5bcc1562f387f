"""Retention API (clause 5.6.2): reviews, proposals, destruction orders, execution, certificates.

Records managers (RETENTION_REVIEW) run reviews and propose; data controllers (RETENTION_ORDER)
approve or reject (the order), execute, and fetch certificates; both follow the lists. Everything
is limited to the caller's persons (`api.services.retention_scope`).
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends
from fastapi.responses import Response

from api.access import Action, Principal
from api.http.app_prefix import API_PREFIX
from api.http.deps import ArchiveDep, CurrentPrincipal, DbDep, requires
from api.http.errors import ERROR_RESPONSES
from api.http.routers.retention_models import (
    ApproveIn,
    CertificateOut,
    CertificateSummary,
    OrderOut,
    ProposalIn,
    ProposalOut,
    ProposalSummary,
    RejectIn,
    ReviewIn,
    ReviewOut,
    ReviewSummary,
)
from api.services import retention_service as svc
from api.services.retention_scope import day_of, require_retention_reader

router = APIRouter(prefix=f"{API_PREFIX}/retention", tags=["retention"],
                   responses=ERROR_RESPONSES)

Manager = Annotated[Principal, requires(Action.RETENTION_REVIEW)]
Controller = Annotated[Principal, requires(Action.RETENTION_ORDER)]


def _reader(principal: CurrentPrincipal) -> Principal:
    require_retention_reader(principal)
    return principal


Reader = Annotated[Principal, Depends(_reader)]
PDF: dict[int | str, dict[str, Any]] = {
    200: {"content": {"application/pdf": {}}, "description": "The PDF"}}


def pdf_response(data: bytes, filename: str) -> Response:
    return Response(data, media_type="application/pdf",
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})


@router.post("/reviews", status_code=201, response_model=ReviewOut,
             summary="Run and save a destruction review of the caller's persons (records manager)")
def create_review(body: ReviewIn, db: DbDep, principal: Manager) -> dict[str, Any]:
    return svc.create_review(db, principal, as_of=day_of(body.as_of, "as_of"),
                             free_bytes=body.free_bytes)


@router.get("/reviews", response_model=list[ReviewSummary], summary="Saved reviews in scope")
def list_reviews(db: DbDep, principal: Reader) -> list[dict[str, Any]]:
    return svc.list_reviews(db, principal)


@router.get("/reviews/{review_id}", response_model=ReviewOut,
            summary="A saved review: eligible in destruction order, and the excluded (audited)")
def get_review(review_id: str, db: DbDep, principal: Reader) -> dict[str, Any]:
    return svc.get_review(db, principal, review_id)


@router.post("/proposals", status_code=201, response_model=ProposalOut,
             summary="Propose a destruction list from a saved review (records manager)")
def create_proposal(body: ProposalIn, db: DbDep, principal: Manager) -> dict[str, Any]:
    return svc.create_proposal(db, principal, review_id=body.review_id,
                               citizen_ids=body.citizen_ids, strikes=body.strikes,
                               note=body.note, strike_reason=body.strike_reason)


@router.get("/proposals", response_model=list[ProposalSummary], summary="Proposals in scope")
def list_proposals(db: DbDep, principal: Reader) -> list[dict[str, Any]]:
    return svc.list_proposals(db, principal)


@router.get("/proposals/{proposal_id}", response_model=ProposalOut,
            summary="A proposal with its items and order (audited)")
def get_proposal(proposal_id: str, db: DbDep, principal: Reader) -> dict[str, Any]:
    return svc.get_proposal(db, principal, proposal_id)


@router.post("/proposals/{proposal_id}/approve", response_model=ProposalOut,
             summary="Approve a proposal as a destruction order (data controller, not the "
                     "proposer: 409 proposer_cannot_approve)")
def approve(proposal_id: str, body: ApproveIn, db: DbDep,
            principal: Controller) -> dict[str, Any]:
    return svc.approve_proposal(db, principal, proposal_id, necessity=body.necessity,
                                reason=body.reason, order_ref=body.order_ref)


@router.post("/proposals/{proposal_id}/reject", response_model=ProposalOut,
             summary="Reject a proposal, with the reason (data controller)")
def reject(proposal_id: str, body: RejectIn, db: DbDep,
           principal: Controller) -> dict[str, Any]:
    return svc.reject_proposal(db, principal, proposal_id, reason=body.reason)


@router.get("/orders", response_model=list[OrderOut], summary="Destruction orders in scope")
def list_orders(db: DbDep, principal: Reader) -> list[dict[str, Any]]:
    return svc.list_orders(db, principal)


@router.get("/orders/{order_id}", response_model=OrderOut,
            summary="A destruction order with its execution so far (audited)")
def get_order(order_id: str, db: DbDep, archive: ArchiveDep,
              principal: Reader) -> dict[str, Any]:
    return svc.get_order(db, archive, principal, order_id)


@router.post("/orders/{order_id}/execute", response_model=OrderOut,
             summary="Carry out (or resume) an order; holds and statuses are re-checked per "
                     "owner, then the certificate is issued (data controller; synchronous)")
def execute(order_id: str, db: DbDep, archive: ArchiveDep,
            principal: Controller) -> dict[str, Any]:
    return svc.execute(db, archive, principal, order_id)


@router.get("/certificates", response_model=list[CertificateSummary],
            summary="Destruction certificates in scope (data controller)")
def list_certificates(db: DbDep, principal: Controller) -> list[dict[str, Any]]:
    return svc.list_certificates(db, principal)


@router.get("/certificates/{order_id}.pdf", response_class=Response, responses=PDF,
            summary="The certificate as a Thai PDF, checked against its sha256 (audited)")
def certificate_pdf(order_id: str, db: DbDep, archive: ArchiveDep,
                    principal: Controller) -> Response:
    _info, _json, pdf = svc.load(db, archive, principal, order_id, what="download")
    return pdf_response(pdf, f"certificate-{order_id}.pdf")


@router.get("/certificates/{order_id}", response_model=CertificateOut,
            summary="The certificate's record and JSON content (audited)")
def certificate(order_id: str, db: DbDep, archive: ArchiveDep,
                principal: Controller) -> dict[str, Any]:
    import json

    info, json_bytes, _pdf = svc.load(db, archive, principal, order_id, what="read")
    return {**info, "certificate": json.loads(json_bytes)}
