"""Public verification of printed records: the QR code on a ก.ค.ศ.๑๖ printout leads here.
No sign-in: it says whether the printout was issued by Tabian, when and by whom, and the PDF's
sha256 (the owner's name partly masked); an uploaded PDF is checked byte for byte."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, Path, UploadFile

from api.http.app_prefix import API_PREFIX
from api.http.deps import DbDep
from api.http.errors import ERROR_RESPONSES, ApiError
from api.services import printout
from api.services.documents_service import CHUNK

router = APIRouter(prefix=API_PREFIX, tags=["verify"], responses=ERROR_RESPONSES)

MAX_PDF = 50 * 1024 * 1024
PrintoutId = Annotated[str, Path(max_length=64, pattern=r"^[A-Za-z0-9_-]+$")]


def read_limited(upload: UploadFile, limit: int = MAX_PDF) -> bytes:
    buf = bytearray()
    while chunk := upload.file.read(CHUNK):
        buf.extend(chunk)
        if len(buf) > limit:
            raise ApiError(413, "too_large", "ไฟล์ใหญ่เกินกำหนด (๕๐ เมกะไบต์)")
    return bytes(buf)


@router.get("/verify/{printout_id}", summary="Is this printout genuine? (public, no sign-in)")
def verify(printout_id: PrintoutId, db: DbDep) -> printout.Verification:
    return printout.verify(db, printout_id)


@router.post("/verify/{printout_id}",
             summary="Check an uploaded PDF against the printout issued (public, no sign-in)")
def verify_upload(printout_id: PrintoutId, db: DbDep,
                  file: Annotated[UploadFile, File(description="the PDF in hand")]
                  ) -> printout.UploadCheck:
    return printout.check_upload(db, printout_id, read_limited(file))
