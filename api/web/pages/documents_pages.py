"""/documents/{id}: a document's metadata, text and downloads (and its first page image)."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, StreamingResponse

from api.http.deps import ArchiveDep, CurrentPrincipal, DbDep
from api.http.routers.documents import streamed
from api.services import documents_service as documents
from api.web.render import page

router = APIRouter(include_in_schema=False)


@router.get("/documents/{document_id}", response_class=HTMLResponse, summary="Document page")
def document_page(document_id: str, request: Request, principal: CurrentPrincipal, db: DbDep,
                  archive: ArchiveDep) -> HTMLResponse:
    doc = documents.read(db, archive.store, principal, document_id)
    pages_text = doc["text"].split("\f") if doc["text"] else []
    return page(request, "document.html", principal, d=doc, pages_text=pages_text)


@router.get("/documents/{document_id}/{kind}", summary="Download (original or PDF/A)")
def document_download(document_id: str, kind: Literal["original", "archive"],
                      principal: CurrentPrincipal, db: DbDep,
                      archive: ArchiveDep) -> StreamingResponse:
    return streamed(documents.download(db, archive.store, principal, document_id, kind))
