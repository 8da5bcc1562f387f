"""The review queue: GET /review[/{item}], POST /review/{item}/accept|correct|reject."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field

from api.access import Action, Principal
from api.http.app_prefix import API_PREFIX
from api.http.deps import DbDep, requires
from api.http.errors import ERROR_RESPONSES
from api.services import review_service

router = APIRouter(prefix=API_PREFIX, tags=["review"], responses=ERROR_RESPONSES)
Reviewer = Annotated[Principal, requires(Action.RESOLVE_REVIEW)]


class CandidateOut(BaseModel):
    citizen_id: str
    name: str | None
    confidence: float


class ItemSummary(BaseModel):
    item: int
    document_id: str
    state: str
    state_th: str
    original_name: str
    category: str | None
    category_confidence: float
    reasons: list[str]
    reasons_th: list[str]
    candidates: list[CandidateOut]
    created_at: str


class ItemList(BaseModel):
    items: list[ItemSummary]


class Decision(BaseModel):
    item: int
    document_id: str
    state: str
    decision: dict[str, Any]


class CorrectIn(BaseModel):
    category: str | None = Field(None, description="evidence category slug")
    citizen_ids: list[str] = Field(default_factory=list, max_length=200,
                                   description="the owners (replacing the proposal)")
    entry_ids: list[str] = Field(default_factory=list, max_length=200,
                                 description="record entries this document is evidence for")
    note: str | None = Field(None, max_length=2000)


class RejectIn(BaseModel):
    note: str | None = Field(None, max_length=2000)


@router.get("/review", response_model=ItemList,
            summary="The review queue: items concerning persons in the caller's scope")
def queue(db: DbDep, principal: Reviewer,
          state: Annotated[str, Query(description="open, accepted, corrected, rejected, all")
                           ] = "open",
          limit: Annotated[int, Query(ge=1, le=500)] = 50,
          offset: Annotated[int, Query(ge=0, le=100_000)] = 0) -> dict[str, Any]:
    return {"items": review_service.list_items(
        db, principal, state=None if state == "all" else state, limit=limit, offset=offset)}


@router.get("/review/{item_id}", summary="One review item: candidates, reasons, proposal "
            "(audited as a read of the document)")
def item(db: DbDep, principal: Reviewer, item_id: int) -> dict[str, Any]:
    found = review_service.get_item(db, principal, item_id)
    return review_service.detail(db, principal, found)


@router.post("/review/{item_id}/accept", response_model=Decision,
             summary="Accept the proposal: file the document to its candidates")
def accept(db: DbDep, principal: Reviewer, item_id: int) -> dict[str, Any]:
    found = review_service.get_item(db, principal, item_id)
    return review_service.accept(db, principal, found)


@router.post("/review/{item_id}/correct", response_model=Decision,
             summary="Correct the category and/or the owners (and link record entries)")
def correct(db: DbDep, principal: Reviewer, item_id: int, body: CorrectIn) -> dict[str, Any]:
    found = review_service.get_item(db, principal, item_id)
    return review_service.correct(db, principal, found, category=body.category,
                                  citizen_ids=body.citizen_ids, entry_ids=body.entry_ids,
                                  note=body.note)


@router.post("/review/{item_id}/reject", response_model=Decision,
             summary="Reject: no one proposed owns the document; it stays stored, unfiled")
def reject(db: DbDep, principal: Reviewer, item_id: int, body: RejectIn) -> dict[str, Any]:
    found = review_service.get_item(db, principal, item_id)
    return review_service.reject(db, principal, found, note=body.note)
