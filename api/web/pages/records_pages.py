"""/persons and /persons/{citizen_id}: the persons in scope and one record laid out like
ก.ค.ศ.๑๖, its printable PDF, and a form to record an entry; server-rendered from the services."""

from __future__ import annotations

from datetime import date
from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from api.access import Action, Principal, Target, allows
from api.http.deps import ArchiveDep, CurrentPrincipal, DbDep, requires
from api.http.errors import ApiError
from api.http.routers.persons import base_url, pdf_response
from api.services import entries, printout, records, upkeep
from api.web.render import page
from archive.catalog import Person
from archive.domain import ServiceStatus

router = APIRouter(include_in_schema=False)
PAGE_SIZE = 50


@router.get("/persons", response_class=HTMLResponse, summary="Persons page")
def persons_page(
    request: Request, db: DbDep,
    principal: Annotated[Principal, requires(Action.READ_RECORD)],
    q: Annotated[str, Query(max_length=200)] = "",
    unit: Annotated[str, Query(max_length=2000)] = "",
    status: Annotated[str, Query(max_length=32)] = "",
    page_no: Annotated[int, Query(alias="page", ge=1, le=100_000)] = 1,
) -> HTMLResponse:
    status_ok = status if status in {s.value for s in ServiceStatus} else ""
    result = records.list_persons(db, principal, q=q.strip(), unit=unit or None,
                                  status=status_ok or None, limit=PAGE_SIZE,
                                  offset=(page_no - 1) * PAGE_SIZE)
    params = {k: v for k, v in (("q", q), ("unit", unit), ("status", status_ok)) if v}
    return page(request, "person_list.html", principal, result=result, q=q, unit=unit,
                status=status_ok, statuses=records.STATUS_TH, page_no=page_no,
                page_size=PAGE_SIZE, params=params)


def writable_sections(principal: Principal, person: Person) -> list[records.SectionInfo]:
    return [s for s in records.SECTIONS
            if allows(principal, Action.WRITE_ENTRY, Target.of(person, section=s.slug))]


@router.get("/persons/{citizen_id}", response_class=HTMLResponse, summary="Record page")
def record_page(citizen_id: str, request: Request, principal: CurrentPrincipal, db: DbDep,
                saved: str = "", certified: str = "") -> HTMLResponse:
    person = records.person_for(db, principal, citizen_id)
    record = records.record_of(db, principal, person)
    return page(request, "record.html", principal, r=record, own=False,
                writable=writable_sections(principal, person), saved=saved[:64],
                entry_error=None, certified=bool(certified),
                can_certify=allows(principal, Action.CERTIFY, Target.of(person)))


@router.post("/persons/{citizen_id}/certify", summary="Certify the record (form)")
def certify_form(citizen_id: str, principal: CurrentPrincipal, db: DbDep,
                 certified_on: Annotated[date, Form()]) -> Response:
    cid = upkeep.certify(db, principal, citizen_id, certified_on)
    return RedirectResponse(f"/persons/{cid}?certified=1", status_code=303)


@router.get("/persons/{citizen_id}/record.pdf", summary="Printable record (PDF)")
def record_pdf_page(citizen_id: str, request: Request, principal: CurrentPrincipal,
                    db: DbDep, archive: ArchiveDep) -> Response:
    person = records.person_for(db, principal, citizen_id)
    issued = printout.issue(db, principal, person,
                            base_url=base_url(request, archive.settings.public_url))
    return pdf_response(issued)


@router.post("/persons/{citizen_id}/entries", response_class=HTMLResponse,
             summary="Record an entry (form)")
def add_entry_form(
    citizen_id: str, request: Request, principal: CurrentPrincipal, db: DbDep,
    section: Annotated[str, Form(max_length=32)],
    title: Annotated[str, Form(max_length=2000)] = "",
    effective_on: Annotated[str, Form(max_length=10)] = "",
    order_ref: Annotated[str, Form(max_length=64)] = "",
) -> Response:
    person = records.person_for(db, principal, citizen_id)
    try:
        if section not in records.SECTION_BY_SLUG:
            raise ApiError(400, "bad_section", "กรุณาเลือกหมวดรายการ")
        try:
            effective = date.fromisoformat(effective_on) if effective_on else None
        except ValueError as exc:
            raise ApiError(400, "bad_date", "วันที่ไม่ถูกต้อง") from exc
        made = entries.create_entry(db, principal, citizen_id=person.citizen_id,
                                    section=section, effective_on=effective,
                                    order_ref=order_ref or None, title=title)
    except ApiError as exc:
        if exc.status not in (400, 409):
            raise
        record = records.record_of(db, principal, person)
        return page(request, "record.html", principal, status_code=exc.status, r=record,
                    own=False, writable=writable_sections(principal, person), saved="",
                    entry_error=exc.message)
    return RedirectResponse(
        f"/persons/{person.citizen_id}?saved={quote(made['entry_id'])}#s-{section}",
        status_code=303)
