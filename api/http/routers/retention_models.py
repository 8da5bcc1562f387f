"""Request and response bodies of the retention, holds, reminders and audit API (for OpenAPI).

Responses allow extra fields: the services add Thai labels and names beside the CONTRACT's keys.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

BIG = 2**62


def _text() -> Any:
    return Field(min_length=1, max_length=2000)


class Open(BaseModel):
    model_config = ConfigDict(extra="allow")


# --- requests --------------------------------------------------------------------------------

class ReviewIn(BaseModel):
    as_of: str = Field(max_length=40, description="YYYY-MM-DD, or a Thai date with a B.E. year",
                       examples=["2026-06-01"])
    free_bytes: int | None = Field(None, ge=0, le=BIG,
                                   description="only the shortest oldest-first prefix freeing "
                                               "at least this many bytes")


class ProposalIn(BaseModel):
    review_id: str = Field(max_length=64)
    citizen_ids: list[str] | None = Field(
        None, max_length=100_000, description="whom to propose; the rest of the review's "
                                              "eligible owners are struck (with `strikes` reasons)")
    strikes: dict[str, str] | None = Field(None, description="citizen ID -> reason to strike")
    strike_reason: str | None = Field(None, max_length=2000,
                                      description="reason for those left out of `citizen_ids`")
    note: str | None = Field(None, max_length=2000)


class ApproveIn(BaseModel):
    necessity: Literal["space", "other"] = Field(
        description="space: storage is needed; other: another necessity (say which)")
    reason: str = Field(min_length=1, max_length=2000, description="the necessity, in words")
    order_ref: str | None = Field(None, max_length=100, description="order number, e.g. 12/2569")


class RejectIn(BaseModel):
    reason: str = _text()


class PaperListIn(BaseModel):
    batch_id: str = Field(max_length=64)


class DecideIn(BaseModel):
    committee: list[str] = Field(min_length=1, max_length=50,
                                 description="the chair and members who signed (3 or more)")
    meeting_ref: str | None = Field(None, max_length=200)
    keep: dict[str, str] | None = Field(None, description="item number (ลำดับที่) -> reason")
    note: str | None = Field(None, max_length=2000)


class HoldIn(BaseModel):
    citizen_id: str = Field(max_length=40)
    reason: str = _text()
    authority: str = Field(min_length=1, max_length=2000,
                           description="who or what requires the hold (court, order, agency)")


class ReleaseIn(BaseModel):
    reason: str = _text()
    authority: str = _text()


# --- responses -------------------------------------------------------------------------------

class EligibleOut(Open):
    citizen_id: str
    left_service_on: str
    documents: int
    bytes: int


class ExcludedOut(Open):
    citizen_id: str
    reason: str
    reason_th: str


class ReviewOut(Open):
    review_id: str
    as_of: str
    eligible: list[EligibleOut]
    excluded: list[ExcludedOut]
    bytes: int
    free_bytes: int | None = None
    target_met: bool | None = None


class ReviewSummary(Open):
    review_id: str
    as_of: str
    eligible: int
    excluded: int


class OrderOut(Open):
    order_id: str
    proposal_id: str
    state: str
    approved_by: str
    necessity: str
    necessity_detail: str
    order_ref: str | None = None
    certificate: bool = False
    execution: dict[str, Any] | None = None


class ProposalItemOut(Open):
    citizen_id: str
    left_service_on: str
    documents: int
    bytes: int
    struck: bool
    strike_reason: str | None = None


class ProposalOut(Open):
    proposal_id: str
    review_id: str
    state: str
    proposed_by: str
    items: list[ProposalItemOut]
    order: OrderOut | None = None


class ProposalSummary(Open):
    proposal_id: str
    state: str
    persons: int
    struck: int


class CertificateSummary(Open):
    order_id: str
    json_sha256: str
    pdf_sha256: str


class CertificateOut(Open):
    order_id: str
    json_sha256: str
    pdf_sha256: str
    audit_seq: int
    certificate: dict[str, Any]


class PaperListOut(Open):
    list_id: str
    batch_id: str
    state: str
    items: list[dict[str, Any]] | int
    excluded: list[dict[str, Any]] | int


class HoldOut(Open):
    hold_id: int
    citizen_id: str
    reason: str
    authority: str
    active: bool


class RemindersOut(Open):
    as_of: str
    fiscal_year: int
    reminders: list[dict[str, Any]]


class AuditEventOut(BaseModel):
    seq: int
    at: str
    actor: str
    action: str
    subject: str
    outcome: str
    details: Any


class AuditPage(BaseModel):
    total: int
    limit: int
    offset: int
    events: list[AuditEventOut]


class ChainProblemOut(BaseModel):
    seq: int | None
    kind: str
    kind_th: str


class ChainOut(BaseModel):
    ok: bool
    status: Literal["intact", "tampered"]
    status_th: str
    events: int
    problems: list[ChainProblemOut]
