"""/retention: review -> proposal -> order -> execution -> certificate, as Thai pages.

The records manager runs a review (as-of date, optional bytes to free) and proposes whom to
destroy; the data controller approves (the destruction order) or rejects with a reason, carries
the order out, and downloads the certificate. Pages call `api.services.retention_service`.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Form, Path, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session

from api.access import Action, Principal
from api.http.deps import ArchiveDep, CurrentPrincipal, DbDep, requires
from api.http.errors import ApiError
from api.http.routers.retention_models import BIG
from api.services import retention_service as svc
from api.services.retention_scope import day_of, require_retention_reader
from api.web.pages import retention_filters  # noqa: F401  (registers the Thai filters)
from api.web.render import page
from archive.archive import Archive

router = APIRouter(include_in_schema=False)

Manager = Annotated[Principal, requires(Action.RETENTION_REVIEW)]
Controller = Annotated[Principal, requires(Action.RETENTION_ORDER)]
Id = Annotated[str, Path(max_length=64)]
Text = Annotated[str, Form(max_length=2000)]
FORM_ERRORS = (400, 404, 409)


def _reader(principal: CurrentPrincipal) -> Principal:
    require_retention_reader(principal)
    return principal


Reader = Annotated[Principal, Depends(_reader)]


def _rights(principal: Principal) -> dict[str, bool]:
    return {"can_review": principal.can_at_all(Action.RETENTION_REVIEW),
            "can_order": principal.can_at_all(Action.RETENTION_ORDER),
            "can_hold": principal.can_at_all(Action.LEGAL_HOLD)}


def _home(request: Request, db: Session, principal: Principal, *, status_code: int = 200,
          error: str | None = None, form: dict[str, Any] | None = None) -> HTMLResponse:
    rights = _rights(principal)
    return page(request, "retention.html", principal, status_code=status_code, error=error,
                form=form or {}, reviews=svc.list_reviews(db, principal),
                proposals=svc.list_proposals(db, principal),
                certificates=svc.list_certificates(db, principal) if rights["can_order"]
                else [], **rights)


@router.get("/retention", response_class=HTMLResponse, summary="Retention page")
def retention_home(request: Request, db: DbDep, principal: Reader) -> HTMLResponse:
    return _home(request, db, principal)


@router.post("/retention/reviews", summary="Run a review (form)")
def review_form(request: Request, db: DbDep, principal: Manager,
                as_of: Annotated[str, Form(max_length=40)],
                free_bytes: Annotated[str, Form(max_length=30)] = "") -> Response:
    form = {"as_of": as_of, "free_bytes": free_bytes}
    try:
        wanted = free_bytes.replace(",", "").strip()
        # Decimal digits, Thai ones too ("²" is a digit to str.isdigit but not to int()),
        # and small enough for the catalog.
        if wanted and not (wanted.isdecimal() and int(wanted) <= BIG):
            raise ApiError(400, "bad_free_bytes", "จำนวนไบต์ต้องเป็นตัวเลขจำนวนเต็มไม่ติดลบ")
        review = svc.create_review(db, principal, as_of=day_of(as_of, "as_of"),
                                   free_bytes=int(wanted) if wanted else None)
    except ApiError as exc:
        if exc.status not in FORM_ERRORS:
            raise
        return _home(request, db, principal, status_code=exc.status, error=exc.message, form=form)
    return RedirectResponse(f"/retention/reviews/{review['review_id']}", status_code=303)


def _review_page(request: Request, db: Session, principal: Principal, review_id: str, *,
                 status_code: int = 200, error: str | None = None) -> HTMLResponse:
    review = svc.get_review(db, principal, review_id)
    return page(request, "retention_review.html", principal, status_code=status_code,
                review=review, error=error, **_rights(principal))


@router.get("/retention/reviews/{review_id}", response_class=HTMLResponse,
            summary="A saved review")
def review_page(review_id: Id, request: Request, db: DbDep, principal: Reader) -> HTMLResponse:
    return _review_page(request, db, principal, review_id)


@router.post("/retention/proposals", summary="Propose from a review (form)")
def proposal_form(request: Request, db: DbDep, principal: Manager,
                  review_id: Annotated[str, Form(max_length=64)],
                  citizen_ids: Annotated[list[str] | None, Form()] = None,
                  strike_reason: Text = "", note: Text = "") -> Response:
    try:
        proposal = svc.create_proposal(db, principal, review_id=review_id,
                                       citizen_ids=citizen_ids or [], note=note or None,
                                       strike_reason=strike_reason)
    except ApiError as exc:
        if exc.status not in FORM_ERRORS:
            raise
        return _review_page(request, db, principal, review_id, status_code=exc.status,
                            error=exc.message)
    return RedirectResponse(f"/retention/proposals/{proposal['proposal_id']}", status_code=303)


def _proposal_page(request: Request, db: Session, archive: Archive, principal: Principal,
                   proposal_id: str, *, status_code: int = 200,
                   error: str | None = None) -> HTMLResponse:
    proposal = svc.get_proposal(db, principal, proposal_id)
    order = proposal["order"]
    execution = None
    if order is not None and order["state"] != "approved":
        execution = svc.get_order(db, archive, principal, order["order_id"])["execution"]
    return page(request, "retention_proposal.html", principal, status_code=status_code,
                proposal=proposal, execution=execution,
                is_proposer=proposal["proposed_by"] == principal.actor, error=error,
                **_rights(principal))


@router.get("/retention/proposals/{proposal_id}", response_class=HTMLResponse,
            summary="A proposal, its order and certificate")
def proposal_page(proposal_id: Id, request: Request, db: DbDep, archive: ArchiveDep,
                  principal: Reader) -> HTMLResponse:
    return _proposal_page(request, db, archive, principal, proposal_id)


@router.post("/retention/proposals/{proposal_id}/{verdict}", summary="Approve or reject (form)")
def decide_form(proposal_id: Id, verdict: Literal["approve", "reject"], request: Request,
                db: DbDep, archive: ArchiveDep, principal: Controller, reason: Text = "",
                necessity: Annotated[str, Form(max_length=10)] = "space",
                order_ref: Annotated[str, Form(max_length=100)] = "") -> Response:
    try:
        if verdict == "approve":
            if necessity not in svc.NECESSITY_TH:
                raise ApiError(400, "bad_necessity", "กรุณาเลือกความจำเป็นที่ต้องทำลาย")
            svc.approve_proposal(db, principal, proposal_id, necessity=necessity,
                                 reason=reason, order_ref=order_ref or None)
        else:
            svc.reject_proposal(db, principal, proposal_id, reason=reason)
    except ApiError as exc:
        if exc.status not in FORM_ERRORS:
            raise
        return _proposal_page(request, db, archive, principal, proposal_id,
                              status_code=exc.status, error=exc.message)
    return RedirectResponse(f"/retention/proposals/{proposal_id}", status_code=303)


@router.post("/retention/orders/{order_id}/execute", summary="Carry out an order (form)")
def execute_form(order_id: Id, request: Request, db: DbDep, archive: ArchiveDep,
                 principal: Controller) -> Response:
    done = svc.execute(db, archive, principal, order_id)  # errors: the Thai error page
    return RedirectResponse(f"/retention/proposals/{done['proposal_id']}#order", status_code=303)


@router.get("/retention/certificates/{order_id}.pdf", summary="Certificate PDF")
def certificate_pdf(order_id: Id, db: DbDep, archive: ArchiveDep,
                    principal: Controller) -> Response:
    _info, _json, pdf = svc.load(db, archive, principal, order_id, what="download")
    return Response(pdf, media_type="application/pdf", headers={
        "Content-Disposition": f'inline; filename="certificate-{order_id}.pdf"'})
