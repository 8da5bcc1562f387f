"""Taking uploads in: files and zips of the folder-per-person layout, saved under the data dir.

Nothing an upload names may land outside its spool folder: absolute paths, `..`, drive
letters and links are refused (zip-slip), and a zip must stay within a file count and an
uncompressed size, counted while it is written, not taken from its own header (zip bombs).
Files of any kind are kept: ingest itself rejects what is not a PDF or a scanner image, with
its reasons in the batch report.
"""

from __future__ import annotations

import shutil
import stat
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import IO

from api.http.errors import ApiError

CHUNK = 1 << 20
# Limits of one upload (all its files and zips together). Module constants, so a deployment
# (or a test) can change them.
MAX_FILES = 10_000
MAX_BYTES = 8 << 30
MAX_RATIO = 200  # a zip entry may not expand more than this (above 1 MiB)
SKIPPED_DIRS = {"__MACOSX"}
HERE = PurePosixPath()
MAX_NAME_BYTES = 200  # a file or folder name (file systems allow 255; " (2)" may be added)


class UploadRefused(ApiError):
    """The upload as a whole is refused (400); nothing was kept."""

    def __init__(self, code: str, message: str, detail: object = None) -> None:
        super().__init__(400, code, message, detail)


def safe_relpath(name: str) -> PurePosixPath | None:
    """The relative path an upload names, or None when it would leave its folder."""
    if not name or "\x00" in name or any(ord(c) < 32 for c in name):
        return None
    text = name.replace("\\", "/")
    if text.startswith("/") or (len(text) > 1 and text[1] == ":"):
        return None
    parts = [p for p in text.split("/") if p not in ("", ".")]
    if not parts or any(p == ".." or len(p.encode()) > MAX_NAME_BYTES for p in parts):
        return None
    return PurePosixPath(*parts)


@dataclass
class Spool:
    """One upload's folder: `files/` holds what ingest will walk."""

    root: Path
    files: int = 0
    size: int = 0
    names: list[str] = field(default_factory=list)

    @property
    def files_dir(self) -> Path:
        return self.root / "files"

    def _target(self, rel: PurePosixPath) -> Path:
        """A free path for `rel` under files/ ("name (2).pdf" when taken)."""
        target = self.files_dir.joinpath(*rel.parts)
        n = 2
        while target.exists():
            target = target.with_name(f"{Path(rel.name).stem} ({n}){Path(rel.name).suffix}")
            n += 1
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
        except (FileExistsError, NotADirectoryError) as exc:  # "a.pdf" then "a.pdf/b.pdf"
            raise UploadRefused("name_conflict", "ชื่อไฟล์ซ้ำกับชื่อโฟลเดอร์ในการอัปโหลดเดียวกัน "
                                "กรุณาเปลี่ยนชื่อแล้วส่งใหม่", {"name": str(rel)}) from exc
        return target

    def _count(self, size: int, *, new_file: bool) -> None:
        self.files += int(new_file)
        self.size += size
        if self.files > MAX_FILES:
            raise UploadRefused("too_many_files", f"อัปโหลดได้ไม่เกิน {MAX_FILES:,} ไฟล์ต่อครั้ง",
                                {"max_files": MAX_FILES})
        if self.size > MAX_BYTES:
            raise UploadRefused("upload_too_large", "ขนาดไฟล์รวมเกินกำหนด "
                                f"({MAX_BYTES // 2**30} GiB) กรุณาแบ่งส่งหลายครั้ง",
                                {"max_bytes": MAX_BYTES})

    def _write(self, source: IO[bytes], rel: PurePosixPath, limit: int | None = None) -> None:
        self._count(0, new_file=True)
        target = self._target(rel)
        written = 0
        with target.open("wb") as out:
            while chunk := source.read(CHUNK):
                written += len(chunk)
                if limit is not None and written > limit:
                    raise UploadRefused("zip_too_large", "ไฟล์ ZIP ขยายตัวเกินขนาดที่ระบุไว้ "
                                        "(อาจเป็น zip bomb) จึงไม่รับไฟล์นี้", {"entry": str(rel)})
                self._count(len(chunk), new_file=False)
                out.write(chunk)
        self.names.append(str(rel))

    def add_file(self, name: str, source: IO[bytes]) -> None:
        """One uploaded file; a .zip is unpacked (its folders kept), anything else kept as is."""
        rel = safe_relpath(name)
        if rel is None:
            raise UploadRefused("unsafe_name", "ชื่อไฟล์ไม่ปลอดภัย (มี .. หรือเป็นเส้นทางเต็ม)",
                                {"name": name})
        if rel.suffix.lower() == ".zip":
            holding = self.root / "zips" / f"{len(self.names)}.zip"
            holding.parent.mkdir(parents=True, exist_ok=True)
            with holding.open("wb") as out:
                shutil.copyfileobj(source, out, CHUNK)
            try:
                self.add_zip(holding, under=rel.parent)
            finally:
                holding.unlink(missing_ok=True)
            return
        self._write(source, rel)

    def add_zip(self, path: Path, *, under: PurePosixPath = HERE) -> None:
        try:
            archive = zipfile.ZipFile(path)
        except (zipfile.BadZipFile, OSError) as exc:
            raise UploadRefused("bad_zip", "เปิดไฟล์ ZIP ไม่ได้ (ไฟล์เสียหรือไม่ใช่ ZIP)") from exc
        with archive:
            members = [m for m in archive.infolist() if not m.is_dir()]
            unsafe = [m.filename for m in members if _unsafe(m)]
            if unsafe:
                raise UploadRefused("unsafe_zip_entry", "ไฟล์ ZIP มีรายการที่ชี้ออกนอกโฟลเดอร์ "
                                    "(เช่น ../ หรือเส้นทางเต็ม หรือลิงก์) จึงไม่รับทั้งไฟล์",
                                    {"entries": unsafe[:20]})
            members = [m for m in members if not _skipped(m)]
            if self.files + len(members) > MAX_FILES:
                raise UploadRefused("too_many_files", f"ไฟล์ ZIP มีไฟล์เกิน {MAX_FILES:,} ไฟล์",
                                    {"max_files": MAX_FILES})
            declared = sum(m.file_size for m in members)
            if self.size + declared > MAX_BYTES or any(_bomb(m) for m in members):
                raise UploadRefused("zip_too_large", "ไฟล์ ZIP ขยายแล้วใหญ่เกินกำหนด "
                                    "(อาจเป็น zip bomb) จึงไม่รับไฟล์นี้",
                                    {"max_bytes": MAX_BYTES})
            for member in members:
                if member.flag_bits & 0x1:
                    raise UploadRefused("zip_encrypted", "ไฟล์ ZIP มีรหัสผ่าน กรุณาส่งแบบไม่มี"
                                        "รหัสผ่าน", {"entry": _name(member)})
                rel = safe_relpath(_name(member))
                assert rel is not None  # _unsafe checked it
                try:
                    with archive.open(member) as source:
                        self._write(source, under / rel, limit=member.file_size)
                except (zipfile.BadZipFile, OSError, EOFError) as exc:
                    raise UploadRefused("bad_zip", "ไฟล์ ZIP เสียหาย อ่านรายการ "
                                        f"{_name(member)} ไม่ได้") from exc


def _name(member: zipfile.ZipInfo) -> str:
    """The entry's name; zips made on Thai Windows name entries in TIS-620 without saying so."""
    if member.flag_bits & 0x800:
        return member.filename
    raw = member.filename.encode("cp437", errors="replace")
    for encoding in ("utf-8", "cp874"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    return member.filename


def _unsafe(member: zipfile.ZipInfo) -> bool:
    mode = member.external_attr >> 16
    return safe_relpath(_name(member)) is None or stat.S_ISLNK(mode)


def _skipped(member: zipfile.ZipInfo) -> bool:
    rel = safe_relpath(_name(member))
    return rel is None or any(p in SKIPPED_DIRS for p in rel.parts)


def _bomb(member: zipfile.ZipInfo) -> bool:
    return member.file_size > CHUNK and member.file_size > MAX_RATIO * max(member.compress_size, 1)


def remove(root: Path) -> None:
    shutil.rmtree(root, ignore_errors=True)
