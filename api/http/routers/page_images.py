"""GET /api/v1/documents/{id}/pages/{n}.png: a page of the archive PDF as an image."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import FileResponse

from api.http.app_prefix import API_PREFIX
from api.http.deps import ArchiveDep, CurrentPrincipal, DbDep
from api.http.errors import ERROR_RESPONSES
from api.services import page_images

router = APIRouter(prefix=API_PREFIX, tags=["documents"], responses=ERROR_RESPONSES)


@router.get(
    "/documents/{document_id}/pages/{page}.png", response_class=FileResponse,
    summary="A page of a document as a PNG image (100 DPI)",
    description="For readers of a linked owner's record (READ_RECORD) and for reviewers of "
                "the document's review item (RESOLVE_REVIEW). Pages count from 1. Audited as "
                "`document.view_page`.",
    responses={200: {"content": {"image/png": {}}}},
)
def page_image(archive: ArchiveDep, db: DbDep, principal: CurrentPrincipal,
               document_id: str, page: int) -> FileResponse:
    path = page_images.page_png(archive, db, principal, document_id, page)
    return FileResponse(path, media_type="image/png")
