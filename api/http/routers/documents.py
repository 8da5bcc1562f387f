"""Documents of a record: metadata and text, and streamed downloads of the original and the
archive (PDF/A) copy. Allowed to one who may read a record the document is filed in; audited."""

from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter
from fastapi.responses import StreamingResponse

from api.http.app_prefix import API_PREFIX
from api.http.deps import ArchiveDep, CurrentPrincipal, DbDep
from api.http.errors import ERROR_RESPONSES
from api.services import documents_service as documents

router = APIRouter(prefix=API_PREFIX, tags=["documents"], responses=ERROR_RESPONSES)

FILE_RESPONSE: dict[int | str, dict[str, Any]] = {200: {
    "content": {"application/pdf": {}, "image/jpeg": {}, "image/png": {},
                "application/octet-stream": {}},
    "description": "The stored bytes, sha256-checked as they stream"}}


@router.get("/documents/{document_id}",
            summary="A document's metadata and text (audited as document.read)")
def read_document(document_id: str, principal: CurrentPrincipal, db: DbDep,
                  archive: ArchiveDep) -> documents.DocumentOut:
    return documents.read(db, archive.store, principal, document_id)


def streamed(download: documents.Download) -> StreamingResponse:
    return StreamingResponse(download.chunks, media_type=download.media_type, headers={
        "Content-Disposition": download.content_disposition,
        "Content-Length": str(download.size),
    })


@router.get("/documents/{document_id}/{kind}", response_class=StreamingResponse,
            responses=FILE_RESPONSE,
            summary="Download the original scan or the archive PDF/A (audited document.download)")
def download_document(document_id: str, kind: Literal["original", "archive"],
                      principal: CurrentPrincipal, db: DbDep,
                      archive: ArchiveDep) -> StreamingResponse:
    return streamed(documents.download(db, archive.store, principal, document_id, kind))
