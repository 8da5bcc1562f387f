"""Keeping a record current: the head of office certifies it, and the photo's renewal date
(every 6 years, clause 3.2) is recorded — what the reminders count from."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter
from pydantic import BaseModel

from api.access import Action, Principal
from api.http.app_prefix import API_PREFIX
from api.http.deps import DbDep, requires
from api.http.errors import ERROR_RESPONSES
from api.services import upkeep

router = APIRouter(prefix=API_PREFIX, tags=["persons"], responses=ERROR_RESPONSES)


class CertifyIn(BaseModel):
    certified_on: date


class PhotoIn(BaseModel):
    taken_on: date


class Recorded(BaseModel):
    citizen_id: str
    on: date


@router.post("/persons/{citizen_id}/certifications",
             summary="The head of office certifies the record (ผู้รับรองทะเบียนประวัติ; audited)")
def certify(citizen_id: str, body: CertifyIn, db: DbDep,
            principal: Annotated[Principal, requires(Action.CERTIFY)]) -> Recorded:
    cid = upkeep.certify(db, principal, citizen_id, body.certified_on)
    return Recorded(citizen_id=cid, on=body.certified_on)


@router.post("/persons/{citizen_id}/photos",
             summary="Record when the owner's colour photo was taken (renewed every 6 years)")
def photo(citizen_id: str, body: PhotoIn, db: DbDep,
          principal: Annotated[Principal, requires(Action.WRITE_ENTRY)]) -> Recorded:
    cid = upkeep.photo_taken(db, principal, citizen_id, body.taken_on)
    return Recorded(citizen_id=cid, on=body.taken_on)
