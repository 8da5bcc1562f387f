"""Ruled tables: found, their ruling erased for OCR, read row by row; other pages untouched."""

from __future__ import annotations

import io
from pathlib import Path

import img2pdf
import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from ingest import ocrplugin
from ingest.ruling import erase_ruling, find_ruling

FONT = "/usr/share/fonts/truetype/tlwg/Garuda.ttf"
PAPER = (250, 247, 238)
INK = (30, 30, 35)
RULE = (90, 90, 95)  # table borders are often printed grey
DPI = 300
ROWS = [("1", "25/9/2554", "30/9/2554", "จังหวัดนราธิวาส"),
        ("2", "1/10/2554", "30/9/2555", "จังหวัดปัตตานี"),
        ("3", "1/10/2555", "30/9/2556", "จังหวัดยะลา")]
THAI_ROWS = [("๑", "๒๕/๙/๒๕๕๔", "๓๐/๙/๒๕๕๔", "จังหวัดนราธิวาส"),
             ("๒", "๑/๑๐/๒๕๕๔", "๓๐/๙/๒๕๕๕", "จังหวัดปัตตานี"),
             ("๓", "๑/๑๐/๒๕๕๕", "๓๐/๙/๒๕๕๖", "จังหวัดยะลา")]
COLUMNS = (60, 200, 560, 920, 1500)  # x of each column's left border, and the right border


def _table_page(*, skew: float = 0.0, thai: bool = False
                ) -> tuple[Image.Image, list[tuple[int, int, int, int]]]:
    """A ruled table of three rows as a service-period list prints it, and the boxes of its
    cell texts."""
    rows = THAI_ROWS if thai else ROWS
    top, row_h = 80, 130
    page = Image.new("RGB", (1560, top + row_h * len(rows) + 80), PAPER)
    draw = ImageDraw.Draw(page)
    font = ImageFont.truetype(FONT, round(DPI * 16 / 72))
    boxes = []
    for r, row in enumerate(rows):
        y = top + r * row_h
        for c, cell in enumerate(row):
            at = (COLUMNS[c] + 20, y + 18)
            draw.text(at, cell, font=font, fill=INK)
            boxes.append(draw.textbbox(at, cell, font=font))
    bottom = top + row_h * len(ROWS)
    for r in range(len(ROWS) + 1):
        draw.line([(COLUMNS[0], top + r * row_h), (COLUMNS[-1], top + r * row_h)], fill=RULE,
                  width=3)
    for x in COLUMNS:
        draw.line([(x, top), (x, bottom)], fill=RULE, width=3)
    if skew:
        page = page.rotate(skew, resample=Image.Resampling.BILINEAR, fillcolor=PAPER)
    return page, boxes


def _ink(image: Image.Image, box: tuple[int, int, int, int] | None = None) -> int:
    gray = np.asarray(image.convert("L").crop(box) if box else image.convert("L"))
    return int((gray < 128).sum())


def test_table_borders_are_erased_and_the_cell_text_stays() -> None:
    # GIVEN a ruled table
    page, cells = _table_page()
    border = (COLUMNS[0] + 5, 79, COLUMNS[-1] - 5, 82)  # a stretch of the top border
    assert _ink(page, border) > 1000

    # WHEN its ruling is found and erased
    ruling = find_ruling(page, DPI)
    out = erase_ruling(page, ruling)

    # THEN it is a table (four rules across, five down); the borders are paper, every cell
    # keeps (nearly) all its ink, the size stays
    assert ruling.has_table
    assert np.array_equal(find_ruling(page, DPI, tables_only=True).mask, ruling.mask)
    assert len(ruling.horizontal) == len(ROWS) + 1
    assert len(ruling.vertical) == len(COLUMNS)
    assert _ink(out, border) == 0
    assert _ink(out, (COLUMNS[2] - 3, 90, COLUMNS[2] + 4, 450)) == 0  # a column border
    for cell in cells:
        assert _ink(out, cell) >= 0.97 * _ink(page, cell)
    assert out.size == page.size


def test_a_skewed_table_loses_its_borders_too() -> None:
    # GIVEN the table scanned 1 degree askew
    page, _ = _table_page(skew=1.0)

    # WHEN its ruling is erased
    ruling = find_ruling(page, DPI)
    out = erase_ruling(page, ruling)

    # THEN it is still a table, and almost no long straight ink is left: under 5 % of the
    # ruling's pixels
    assert ruling.has_table
    mask = ruling.mask
    gray = np.asarray(out.convert("L"))
    assert (gray[mask] < 160).sum() < 0.05 * mask.sum()
    assert mask.sum() > 5000  # the borders were found at all


def test_text_photos_and_solid_bars_are_not_ruling() -> None:
    # GIVEN a page of plain Thai text, a solid photo and a thick black bar, nothing thin
    page = Image.new("RGB", (1400, 500), PAPER)
    draw = ImageDraw.Draw(page)
    font = ImageFont.truetype(FONT, round(DPI * 16 / 72))
    draw.text((40, 30), "คำสั่งโรงเรียนบ้านท่าช้าง ที่ ๑๒๓/๒๕๖๗ เรื่อง แต่งตั้งข้าราชการครู",
              font=font, fill=INK)
    draw.rectangle((40, 150, 400, 450), fill=(60, 50, 45))  # a photo
    draw.rectangle((500, 200, 1300, 260), fill=INK)  # a redaction bar

    # WHEN the ruling is looked for
    ruling = find_ruling(page, DPI)

    # THEN nothing is found and the very same image comes back
    assert not ruling.mask.any()
    assert erase_ruling(page, ruling) is page


def test_a_stamp_box_and_signature_lines_are_no_table() -> None:
    # GIVEN a copy stamp's box and two signature lines, as a certified copy has them
    page = Image.new("RGB", (1800, 900), PAPER)
    draw = ImageDraw.Draw(page)
    draw.rectangle((100, 100, 700, 300), outline=INK, width=4)
    draw.line([(900, 500), (1600, 500)], fill=INK, width=3)
    draw.line([(900, 750), (1600, 750)], fill=INK, width=3)

    # WHEN the ruling is looked for
    ruling = find_ruling(page, DPI)

    # THEN the rules are found (and would be erased), but the page is no table: two rules
    # over one stretch at most
    assert len(ruling.horizontal) == 4
    assert not ruling.has_table
    # and as ingest asks for every page, only the horizontal rules are looked for
    quick = find_ruling(page, DPI, tables_only=True)
    assert quick.horizontal == ruling.horizontal and not quick.vertical and not quick.mask.any()


def test_only_a_page_with_a_table_gets_an_erased_image(tmp_path: Path) -> None:
    # GIVEN a table page and a plain page, as ocrmypdf writes the images it OCRs
    table, plain = tmp_path / "000001_ocr.png", tmp_path / "000002_ocr.png"
    _table_page()[0].save(table, dpi=(DPI, DPI))
    Image.new("RGB", (300, 200), PAPER).save(plain, dpi=(DPI, DPI))

    # WHEN the OCR engine looks at them
    with Image.open(table) as page:
        found = ocrplugin._table_page(table, page)
    erased = found[0] if found else None

    # THEN the table page is read from an erased copy beside it, with its DPI; the plain one
    # from its own file
    assert erased is not None and erased.parent == tmp_path
    with Image.open(erased) as image:
        assert _ink(image, (COLUMNS[0] + 5, 79, COLUMNS[-1] - 5, 82)) == 0
        assert round(image.info["dpi"][0]) == DPI
    with Image.open(plain) as page:
        assert ocrplugin._table_page(plain, page) is None


def test_a_failing_table_search_leaves_the_page_as_it_is(tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    # GIVEN a table page, and a table search that breaks on it
    path = tmp_path / "000001_ocr.png"
    _table_page()[0].save(path, dpi=(DPI, DPI))

    def broken(*args: object, **kwargs: object) -> None:
        raise MemoryError("no room")

    monkeypatch.setattr(ocrplugin, "find_ruling", broken)

    # WHEN the OCR engine looks at it
    # THEN the page is read from its own file, not lost
    with Image.open(path) as page:
        assert ocrplugin._table_page(path, page) is None


@pytest.mark.ocr
def test_ingest_ocr_reads_a_ruled_table_row_by_row(tmp_path: Path) -> None:
    from ingest.ocr import ocr_document

    # GIVEN a scanned service-period list: a ruled table of dates in Thai digits, which
    # tesseract's own layout analysis returns no text for
    page, _ = _table_page(thai=True)
    buf = io.BytesIO()
    page.save(buf, format="JPEG", quality=90, dpi=(DPI, DPI))
    pdf = tmp_path / "periods.pdf"
    pdf.write_bytes(img2pdf.convert(buf.getvalue()))

    # WHEN ingest OCRs it
    result = ocr_document(pdf, tmp_path / "work", text_pages=[False])

    # THEN every row is a line of the stored text with its two dates, digit for digit, and its
    # province (the ruling's bars need not be words)
    lines = result.page_texts[0].splitlines()
    for _, start, end, province in THAI_ROWS:
        assert any(start in line and end in line and province in line for line in lines), lines
