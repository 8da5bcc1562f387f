"""Thai PDF documents for people (certificates, paper destruction lists) with fpdf2."""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from functools import cache
from pathlib import Path

from fpdf import FPDF
from fpdf.fonts import FontFace

from archive.thai import format_thai_date
from retention.errors import RetentionError

# fonts-thai-tlwg (Debian); TABIAN_THAI_FONT_DIR points elsewhere where it lives elsewhere.
FONT_DIRS = (Path("/usr/share/fonts/truetype/tlwg"), Path("/usr/share/fonts/opentype/tlwg"))
BODY_FONT = ("Garuda.ttf", "Garuda-Bold.ttf")
MONO_FONT = "TlwgMono.ttf"


@cache
def _font_dir() -> Path:
    env = os.environ.get("TABIAN_THAI_FONT_DIR")
    for folder in ([Path(env)] if env else []) + list(FONT_DIRS):
        if all((folder / name).is_file() for name in (*BODY_FONT, MONO_FONT)):
            return folder
    raise RetentionError(
        "no Thai font for PDFs: install fonts-thai-tlwg (Garuda, TlwgMono) or set "
        "TABIAN_THAI_FONT_DIR"
    )


def thai_date(d: date | datetime) -> str:
    return format_thai_date(d.date() if isinstance(d, datetime) else d, thai_digits=False)


class ThaiPdf(FPDF):
    """A4 pages in Garuda, hashes in TlwgMono, page numbers in the footer (หน้า n/N)."""

    def __init__(self, title: str, *, created: datetime, landscape: bool = False) -> None:
        super().__init__(orientation="L" if landscape else "P", format="A4")
        folder = _font_dir()
        self.add_font("thai", "", str(folder / BODY_FONT[0]))
        self.add_font("thai", "B", str(folder / BODY_FONT[1]))
        self.add_font("mono", "", str(folder / MONO_FONT))
        # No text shaping: the TLWG faces already place marks acceptably on their own, and
        # harfbuzz's mark offsets make text extraction (pdftotext, copy and paste, search)
        # split words ("ทำ ลาย"), while unshaped text extracts exactly as written.
        # A fixed creation date makes the file, and so its sha256, reproducible.
        self.set_creation_date(created)
        self.set_title(title)
        self.set_producer("Tabian")
        self.set_auto_page_break(auto=True, margin=15)
        self.set_margins(15, 15, 15)
        self.alias_nb_pages()
        self.add_page()

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font("thai", "", 8)
        self.cell(0, 6, f"หน้า {self.page_no()}/{{nb}}", align="C")

    def heading(self, text: str, size: int = 15) -> None:
        self.set_font("thai", "B", size)
        self.multi_cell(0, size * 0.55, text, align="C", new_x="LMARGIN", new_y="NEXT")
        self.ln(2)

    def fields(self, rows: Sequence[tuple[str, str]], size: int = 10) -> None:
        """Label: value lines."""
        self.set_font("thai", "B", size)
        width = max(self.get_string_width(label) for label, _ in rows) + 4
        for label, value in rows:
            self.set_font("thai", "B", size)
            self.cell(width, size * 0.6, label)
            self.set_font("thai", "", size)
            self.multi_cell(0, size * 0.6, value, new_x="LMARGIN", new_y="NEXT")
        self.ln(2)

    def paragraph(self, text: str, size: int = 10, *, mono: bool = False) -> None:
        self.set_font("mono" if mono else "thai", "", size)
        self.multi_cell(0, size * 0.55, text, new_x="LMARGIN", new_y="NEXT")

    def grid(
        self, headings: Sequence[str], rows: Sequence[Sequence[str]], widths: Sequence[float],
        *, size: int = 9, mono_columns: Sequence[int] = (),
    ) -> None:
        """A table with its heading row repeated on every page."""
        self.set_font("thai", "", size)
        bold = FontFace(emphasis="BOLD", fill_color=(230, 230, 230))
        with self.table(col_widths=tuple(widths), headings_style=bold, line_height=size * 0.55,
                        text_align="LEFT", repeat_headings=1) as table:
            head = table.row()
            for h in headings:
                head.cell(h)
            for values in rows:
                row = table.row()
                for i, value in enumerate(values):
                    if i in mono_columns:
                        row.cell(value, style=FontFace(family="mono", size_pt=size - 1))
                    else:
                        row.cell(value)
        self.ln(3)

    def rows(
        self, headings: Sequence[str], rows: Iterable[Sequence[str]], widths: Sequence[float],
        *, size: int = 8, mono_columns: Sequence[int] = (),
    ) -> None:
        """A one-line-per-row listing for long lists (every destroyed object of an order).

        Text is placed with `text()`, which skips fpdf2's line breaking: some 50 times faster
        than `grid`, so a certificate over thousands of objects takes seconds, not minutes.
        """
        height = size * 0.45
        lefts = [self.l_margin + sum(widths[:i]) for i in range(len(widths))]

        def head() -> None:
            self.set_font("thai", "B", size)
            self.set_fill_color(230, 230, 230)
            for heading, width in zip(headings, widths, strict=True):
                self.cell(width, height + 1.5, heading, fill=True)
            self.ln(height + 1.5)

        head()
        fonts = ["mono" if i in mono_columns else "thai" for i in range(len(widths))]
        for values in rows:
            if self.get_y() + height > self.page_break_trigger:
                self.add_page()
                head()
            baseline = self.get_y() + height * 0.8
            for i, value in enumerate(values):
                self.set_font(fonts[i], "", size)
                self.text(lefts[i] + 1, baseline, _fit(self, value, widths[i]))
            self.set_y(self.get_y() + height)
        self.line(self.l_margin, self.get_y(), self.l_margin + sum(widths), self.get_y())
        self.ln(3)

    def to_bytes(self) -> bytes:
        return bytes(self.output())


def _fit(pdf: FPDF, text: str, width: float) -> str:
    """Cut text that would overflow its column, marking the cut (short text is never measured:
    measuring is what costs)."""
    if len(text) * pdf.font_size * 0.6 <= width - 2 or pdf.get_string_width(text) <= width - 2:
        return text
    while text and pdf.get_string_width(text + "…") > width - 2:
        text = text[:-1]
    return text + "…"
