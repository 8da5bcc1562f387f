"""GET /api/v1/search: Thai full text within the caller's scope, with filters and snippets."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import BaseModel

from api.access import Action, Principal
from api.http.app_prefix import API_PREFIX
from api.http.deps import ArchiveDep, DbDep, requires
from api.http.errors import ERROR_RESPONSES
from api.services import search_service
from api.services.search_service import MAX_LIMIT, MAX_OFFSET, SearchForm

router = APIRouter(prefix=API_PREFIX, tags=["search"], responses=ERROR_RESPONSES)


class SearchHitOut(BaseModel):
    document_id: str
    original_name: str
    citizen_ids: list[str]
    category: str | None
    score: float
    snippet: str


class SearchOut(BaseModel):
    total: int
    total_exact: bool
    hits: list[SearchHitOut]


@router.get(
    "/search", summary="Search documents by content within the caller's scope",
    description="Names, order numbers (`๑๒๓/๒๕๖๗` ≡ `123/2567`), phrases; Thai needs no "
                "spaces. Only documents linked to persons the caller may read (clause 6.1) are "
                "searched. Snippets mark matches with « ». The search is audited.",
    response_model=SearchOut,
)
def search(
    archive: ArchiveDep, db: DbDep,
    principal: Annotated[Principal, requires(Action.READ_RECORD)],
    q: Annotated[str, Query(max_length=500, description="the words to find")] = "",
    category: Annotated[str | None, Query(description="evidence category slug")] = None,
    citizen_id: Annotated[str | None, Query(description="one person's documents")] = None,
    unit: Annotated[str | None, Query(description="unit path ('A > B'), with sub-units")] = None,
    date_from: Annotated[str | None, Query(alias="from", description="document date on or "
                                           "after (YYYY-MM-DD, or D/M/YYYY B.E.)")] = None,
    date_to: Annotated[str | None, Query(alias="to", description="document date on or "
                                         "before")] = None,
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = 10,
    offset: Annotated[int, Query(ge=0, le=MAX_OFFSET)] = 0,
) -> dict[str, object]:
    form = SearchForm(q=q, category=category, citizen_id=citizen_id, unit=unit,
                      date_from=date_from, date_to=date_to, limit=limit, offset=offset)
    return search_service.search(archive, db, principal, form)
