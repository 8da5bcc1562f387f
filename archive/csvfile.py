"""Reading registry CSV files line by line, so one bad line never costs the good ones."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class RowError:
    line: int
    error: str

    def as_dict(self) -> dict[str, object]:
        return {"line": self.line, "error": self.error}


@dataclass(frozen=True)
class CsvRow:
    line: int
    values: dict[str, str]


class CsvFileError(Exception):
    """The file as a whole cannot be read (missing, or a header that lacks required columns)."""


def _looks_like_tis620(raw: bytes) -> bool:
    # TIS-620 / cp874 put Thai letters at 0xA1-0xFB; decoding as cp874 then yields Thai text.
    try:
        text = raw.decode("cp874")
    except UnicodeDecodeError:
        return False
    return any("\u0e01" <= ch <= "\u0e5b" for ch in text)


def _decoded_lines(raw: bytes, errors: list[RowError]) -> list[str]:
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    lines: list[str] = []
    for number, chunk in enumerate(raw.split(b"\n"), start=1):
        try:
            lines.append(chunk.decode("utf-8").rstrip("\r") + "\n")
        except UnicodeDecodeError:
            hint = (
                "it looks like TIS-620/cp874 Thai; save the file as UTF-8 and import it again"
                if _looks_like_tis620(chunk)
                else "save the file as UTF-8 and import it again"
            )
            errors.append(RowError(number, f"line is not valid UTF-8: {hint}"))
            lines.append("\n")  # keeps csv line numbers aligned with the file
    if lines and lines[-1] == "\n":
        lines.pop()
    return lines


def read_rows(
    path: Path,
    required: tuple[str, ...],
    errors: list[RowError],
    optional: tuple[str, ...] = (),
) -> Iterator[CsvRow]:
    """Yield data rows with stripped values; append a RowError for each line that is unusable.

    Optional columns missing from the header read as empty strings.

    Raises CsvFileError when the file cannot be opened or the header lacks required columns:
    then no row can be read with certainty.
    """
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise CsvFileError(f"cannot read {path}: {exc.strerror}") from exc
    lines = _decoded_lines(raw, errors)
    if not lines or not lines[0].strip():
        raise CsvFileError(
            f"{path} has no header line; expected: {','.join(required + optional)}"
        )
    reader = csv.reader(lines)
    header = [h.strip().lstrip("\ufeff").lower() for h in next(reader)]
    missing = [name for name in required if name not in header]
    if missing:
        raise CsvFileError(
            f"line 1: missing column(s) {', '.join(missing)}; "
            f"expected header: {','.join(required + optional)}"
        )
    absent = {name: "" for name in optional if name not in header}
    for fields in reader:
        line = reader.line_num
        if not fields or all(not f.strip() for f in fields):
            continue
        if len(fields) != len(header):
            errors.append(RowError(
                line,
                f"expected {len(header)} fields as in the header, found {len(fields)} "
                "(check for a missing or extra comma, or an unquoted comma in a name)",
            ))
            continue
        values = {h: v.strip() for h, v in zip(header, fields, strict=True)}
        yield CsvRow(line, {**absent, **values})
