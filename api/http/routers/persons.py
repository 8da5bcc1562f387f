"""Persons and their records (ก.ค.ศ.๑๖ / ก.พ.๗): list in scope, read one record, print it
with a QR code, write entries, settle draft entries; the owner's own record."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response
from pydantic import BaseModel, Field

from api.access import Action, Principal
from api.http.app_prefix import API_PREFIX
from api.http.deps import ArchiveDep, CurrentPrincipal, DbDep, requires
from api.http.errors import ERROR_RESPONSES
from api.services import entries, printout, records
from api.services.documents_service import content_disposition
from archive.domain import EntrySection, ServiceStatus

router = APIRouter(prefix=API_PREFIX, tags=["persons"], responses=ERROR_RESPONSES)

PDF_RESPONSE: dict[int | str, dict[str, Any]] = {200: {"content": {"application/pdf": {}},
                      "description": "The record as a PDF in the layout of ก.ค.ศ.๑๖"}}


@router.get("/persons", summary="Persons whose record the caller may read (search, page)")
def list_persons(
    principal: Annotated[Principal, requires(Action.READ_RECORD)], db: DbDep,
    q: Annotated[str, Query(max_length=200, description="name or citizen ID (part)")] = "",
    unit: Annotated[str | None, Query(max_length=2000, description="unit path, subtree")] = None,
    status: ServiceStatus | None = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0,
) -> records.PersonPage:
    return records.list_persons(db, principal, q=q, unit=unit,
                                 status=status.value if status else None,
                                 limit=limit, offset=offset)


@router.get("/persons/{citizen_id}", summary="A person's record (audited as record.read)")
def read_record(citizen_id: str, principal: CurrentPrincipal, db: DbDep) -> records.RecordOut:
    person = records.person_for(db, principal, citizen_id)
    return records.record_of(db, principal, person)


@router.get("/me/record", summary="The signed-in owner's own record (audited)")
def my_record(principal: CurrentPrincipal, db: DbDep) -> records.RecordOut:
    return records.record_of(db, principal, records.own_person(db, principal))


def base_url(request: Request, archive_public_url: str | None) -> str:
    return archive_public_url or str(request.base_url)


@router.get("/persons/{citizen_id}/record.pdf", response_class=Response,
            responses=PDF_RESPONSE,
            summary="Print the record as a PDF with a verification QR code (audited record.print)")
def record_pdf(citizen_id: str, request: Request, principal: CurrentPrincipal, db: DbDep,
               archive: ArchiveDep) -> Response:
    person = records.person_for(db, principal, citizen_id)
    issued = printout.issue(db, principal, person,
                            base_url=base_url(request, archive.settings.public_url))
    return pdf_response(issued)


def pdf_response(issued: printout.Issued) -> Response:
    return Response(issued.pdf, media_type="application/pdf", headers={
        "Content-Disposition": content_disposition(issued.filename, "inline"),
        "X-Tabian-Printout": issued.printout_id, "X-Tabian-SHA256": issued.sha256,
    })


class EntryIn(BaseModel):
    """A record entry (clause 4.4) and its reference documents (already in the record)."""

    section: EntrySection
    title: str = Field(min_length=1, max_length=2000)
    effective_on: date | None = None
    order_ref: str | None = Field(default=None, max_length=64, examples=["๑๒๓/๒๕๖๗"])
    entry_id: str | None = Field(default=None, pattern=r"^[A-Za-z0-9._-]{1,64}$")
    documents: list[str] = Field(default_factory=list, max_length=50)


class EntryPatch(BaseModel):
    """Fields to change; those left out stay as they are."""

    section: EntrySection | None = None
    title: str | None = Field(default=None, min_length=1, max_length=2000)
    effective_on: date | None = None
    order_ref: str | None = Field(default=None, max_length=64)
    documents: list[str] | None = Field(default=None, max_length=50)


@router.post("/persons/{citizen_id}/entries", status_code=201,
             summary="Record an entry (recorder/registrar, section-checked; audited)")
def create_entry(citizen_id: str, body: EntryIn, principal: CurrentPrincipal,
                 db: DbDep) -> entries.EntryDetail:
    return entries.create_entry(
        db, principal, citizen_id=citizen_id, section=body.section.value,
        effective_on=body.effective_on, order_ref=body.order_ref, title=body.title,
        entry_id=body.entry_id, documents=body.documents)


@router.patch("/entries/{entry_id}", summary="Change an entry (section-checked; audited)")
def update_entry(entry_id: str, body: EntryPatch, principal: CurrentPrincipal,
                 db: DbDep) -> entries.EntryDetail:
    changes = {name: getattr(body, name) for name in body.model_fields_set}
    if isinstance(changes.get("section"), EntrySection):
        changes["section"] = changes["section"].value
    return entries.update_entry(db, principal, entry_id=entry_id, changes=changes)


@router.get("/drafts", summary="Draft entries proposed from scanned orders, in the caller's scope")
def list_drafts(
    principal: Annotated[Principal, requires(Action.WRITE_ENTRY)], db: DbDep,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
    offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0,
) -> dict[str, list[entries.DraftOut]]:
    return {"drafts": entries.list_drafts(db, principal, limit=limit, offset=offset)}


@router.post("/drafts/{entry_id}/confirm",
             summary="Record a draft entry; its scans become its reference documents")
def confirm_draft(entry_id: str, principal: CurrentPrincipal,
                  db: DbDep) -> entries.EntryDetail:
    return entries.decide_draft(db, principal, entry_id=entry_id, confirm=True)


@router.post("/drafts/{entry_id}/discard", summary="Drop a draft entry")
def discard_draft(entry_id: str, principal: CurrentPrincipal,
                  db: DbDep) -> entries.EntryDetail:
    return entries.decide_draft(db, principal, entry_id=entry_id, confirm=False)
