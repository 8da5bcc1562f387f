"""The archival PDF/A's text layer keeps Thai words whole, where the stored text has them."""

from __future__ import annotations

import re
import subprocess
import unicodedata
from collections import Counter
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import pikepdf
import pytest
from ocrmypdf.hocrtransform import HocrParser, OcrElement
from PIL import Image

from archive.thai import clean_ocr_text, to_thai_digits
from ingest.ocrplugin import PLUGIN
from ingest.textlayer import Word, build_text_layer
from tests.ingest.pages import write_scan_pdf

THAI = re.compile("[\u0e00-\u0e7f]")
PT_PER_INCH = 72

# --- the words, from a hand-made hOCR page like tesseract's -------------------------------------

# (text, left, right) of each hOCR word on a line; tesseract splits Thai into letters and marks.
Piece = tuple[str, int, int]


def _hocr(tmp_path: Path, lines: list[list[Piece]], rows: list[int] | None = None,
          paragraphs: list[int] | None = None) -> OcrElement:
    """The page; line n lies on row n unless `rows` says which row each line is on, and all
    lines are one paragraph unless `paragraphs` gives each line's (in the hOCR's order)."""
    spans: list[str] = []
    pars: list[list[str]] = []
    for number, pieces in enumerate(lines):
        row = number if rows is None else rows[number]
        top, bottom = 100 + 80 * row, 150 + 80 * row
        words = "".join(
            f"<span class='ocrx_word' title='bbox {left} {top} {right} {bottom}; x_wconf 90'>"
            f"{text}</span>"
            for text, left, right in pieces
        )
        spans.append(
            f"<span class='ocr_line' title='bbox {pieces[0][1]} {top} {pieces[-1][2]} {bottom};"
            f" baseline 0 -5'>{words}</span>"
        )
        index = 0 if paragraphs is None else paragraphs[number]
        if index == len(pars):
            pars.append([])
        pars[index].append(spans[-1])
    blocks = "".join(
        f"<div class='ocr_carea'><p class='ocr_par' lang='tha' title='bbox {_par_box(par)}'>"
        f"{''.join(par)}</p></div>" for par in pars)
    path = tmp_path / "page.hocr"
    path.write_text(
        "<html xmlns='http://www.w3.org/1999/xhtml'><body>"
        "<div class='ocr_page' title='bbox 0 0 1200 600; scan_res 300 300'>"
        f"{blocks}</div></body></html>",
        encoding="utf-8",
    )
    return HocrParser(path).parse()


def _par_box(spans: list[str]) -> str:
    """The bbox of a paragraph: the union of its lines' bboxes."""
    boxes = [[int(v) for v in re.search(r"bbox (\d+) (\d+) (\d+) (\d+);", span).groups()]
             for span in spans]  # type: ignore[union-attr]
    return " ".join(str(f(b[i] for b in boxes)) for i, f in enumerate((min, min, max, max)))


def _spelled(word: str, left: int, width: int = 20, gap: int = 4) -> list[Piece]:
    """A word as tesseract gives Thai: every letter or mark its own hOCR word, close together."""
    return [(ch, left + i * (width + gap), left + i * (width + gap) + width)
            for i, ch in enumerate(word)]


def _words(page: OcrElement) -> list[str]:
    return [w.text for w in page.words]


def test_thai_letters_become_the_words_of_tesseracts_text(tmp_path: Path) -> None:
    # GIVEN "คำสั่ง ที่ ๑๒๓/๒๕๖๗" split into letters; tesseract's text output knows the spaces
    pieces = _spelled("คำสั่ง", 100) + _spelled("ที่", 300) + _spelled("๑๒๓/๒๕๖๗", 400)
    page = _hocr(tmp_path, [pieces])
    # WHEN the text layer is built
    layer = build_text_layer(page, "คำสั่ง ที่ ๑๒๓/๒๕๖๗\n")
    # THEN each Thai word is one word, spelt as tesseract wrote it (ำ, not ocrmypdf's NFKC ํา)
    assert _words(layer.page) == ["คำสั่ง", "ที่", "๑๒๓/๒๕๖๗"]
    assert layer.text == "คำสั่ง ที่ ๑๒๓/๒๕๖๗\n"
    # AND a word's box covers all its letters
    first = layer.page.words[0].bbox
    assert first is not None
    assert (first.left, first.right) == (100, 100 + 5 * 24 + 20)
    # AND the parsed tree handed in is left as it was
    assert len(page.words) == len(pieces)


def test_mixed_thai_english_and_digits_keep_their_spaces(tmp_path: Path) -> None:
    # GIVEN a line of Thai, English, Arabic and Thai digits, as tesseract splits it
    line = (_spelled("นาย", 100) + [("Senior", 200, 300), ("Officer", 320, 440)]
            + [("15", 460, 500)] + _spelled("มกราคม", 520) + [("๒๕๖๗", 700, 780)])
    page = _hocr(tmp_path, [line])
    # WHEN the text layer is built
    layer = build_text_layer(page, "นาย Senior Officer 15 มกราคม ๒๕๖๗\n")
    # THEN it has the text's words, and the stored text's cleaning changes nothing here
    assert _words(layer.page) == ["นาย", "Senior", "Officer", "15", "มกราคม", "๒๕๖๗"]
    assert layer.text == clean_ocr_text("นาย Senior Officer 15 มกราคม ๒๕๖๗\n")


def test_spaced_out_text_is_cleaned_as_the_stored_text_is(tmp_path: Path) -> None:
    # GIVEN tesseract's text with a space between nearly every Thai letter (and ํา for ำ)
    pieces = _spelled("คําสั่ง", 100) + _spelled("กรมการปกครอง", 300)
    spaced = "ค ํา สั่ ง ก ร ม ก า ร ป ก ค ร อ ง"
    page = _hocr(tmp_path, [pieces])
    # WHEN the text layer is built
    layer = build_text_layer(page, spaced + "\n")
    # THEN the layer holds exactly the stored text's words, with ำ folded
    stored = clean_ocr_text(spaced)
    assert " ".join(_words(layer.page)) == stored
    assert "คำสั่ง" in stored


def test_without_tesseracts_text_the_gaps_decide(tmp_path: Path) -> None:
    # GIVEN letters 4 px apart inside words and 60 px between words, and no text output
    page = _hocr(tmp_path, [_spelled("สมชาย", 100) + _spelled("ใจดี", 280) + [("Officer", 400, 500)]])
    # WHEN the text layer is built from the hOCR alone
    layer = build_text_layer(page, None)
    # THEN the words still come out whole
    assert _words(layer.page) == ["สมชาย", "ใจดี", "Officer"]


def test_a_corrector_changes_the_words_of_layer_and_text(tmp_path: Path) -> None:
    # GIVEN a corrector that writes Arabic digits as Thai digits
    page = _hocr(tmp_path, [_spelled("ที่", 100) + [("123", 200, 260)]])

    def thai_digits(words: list[Word]) -> list[Word]:
        return [Word(to_thai_digits(w.text), w.bbox, w.line, w.confidence) for w in words]

    # WHEN the text layer is built with it
    layer = build_text_layer(page, "ที่ 123\n", correct=thai_digits)
    # THEN both the rendered words and the page text carry the correction
    assert _words(layer.page) == ["ที่", "๑๒๓"]
    assert layer.text == "ที่ ๑๒๓\n"
    # AND the parsed tree handed in keeps its words, pieces and texts as tesseract gave them
    assert _words(page) == ["ท", "ี", "่", "123"]


def test_a_line_tesseract_split_in_two_is_one_line_again(tmp_path: Path) -> None:
    # GIVEN a skewed line tesseract ended early ("... ประ") and whose rest ("ชาชน ๑๒๓") it gave
    # as a line of its own after the next one, the cut falling inside a word
    first = _spelled("เลขประ", 100)
    second = _spelled("ตำแหน่ง", 100)
    rest = _spelled("ชาชน", first[-1][2] + 4) + [("๑๒๓", 500, 560)]
    page = _hocr(tmp_path, [first, second, rest], rows=[0, 1, 0])
    # WHEN the text layer is built
    layer = build_text_layer(page, "เลขประ\nตำแหน่ง\nชาชน ๑๒๓\n")
    # THEN the rest is back on its line, the word whole, and the text reads in order
    assert layer.text == "เลขประชาชน ๑๒๓\nตำแหน่ง\n"
    assert _words(layer.page) == ["เลขประชาชน", "๑๒๓", "ตำแหน่ง"]


def test_a_line_to_the_right_on_another_row_is_left_alone(tmp_path: Path) -> None:
    # GIVEN two lines, the second starting where the first ends but a line lower
    page = _hocr(tmp_path, [_spelled("ที่", 100), [("๑๒๓", 180, 240)]])
    # WHEN the text layer is built, THEN both lines stay
    assert build_text_layer(page, "ที่\n๑๒๓\n").text == "ที่\n๑๒๓\n"


def test_a_form_code_above_the_heading_is_read_first(tmp_path: Path) -> None:
    # GIVEN tesseract's paragraphs: the heading, then the form code printed above it at the
    # top right, then the body
    page = _hocr(tmp_path, [_spelled("สำเนา", 400), _spelled("ท.ร.๑๔/๑", 900),
                            _spelled("ชื่อ", 100)], rows=[1, 0, 2], paragraphs=[0, 1, 2])
    # WHEN the text layer is built
    layer = build_text_layer(page, "สำเนา\n\nท.ร.๑๔/๑\n\nชื่อ\n")
    # THEN the form code is read first, as it is printed
    assert layer.text.split() == ["ท.ร.๑๔/๑", "สำเนา", "ชื่อ"]


def test_a_letters_header_is_read_row_by_row(tmp_path: Path) -> None:
    # GIVEN tesseract's paragraphs of a letter's header: the sender's address on the right
    # (two rows), then the letter's number printed on the left of the address's first row
    page = _hocr(tmp_path, [_spelled("สำนักงาน", 700), _spelled("ถนน", 700),
                            _spelled("ที่", 100)], rows=[0, 1, 0], paragraphs=[0, 1, 2])
    # WHEN the text layer is built
    layer = build_text_layer(page, "สำนักงาน\n\nถนน\n\nที่\n")
    # THEN it reads as printed: the number, the address's first row, then its second
    assert layer.text.split() == ["ที่", "สำนักงาน", "ถนน"]


def test_a_paragraph_keeps_its_lines_together(tmp_path: Path) -> None:
    # GIVEN a paragraph of three rows on the left, and one on the right beside its second row
    page = _hocr(tmp_path, [_spelled("ชื่อ", 100), _spelled("เพศ", 100), _spelled("อายุ", 100),
                            _spelled("ที่อยู่", 700)], rows=[0, 1, 2, 1],
                 paragraphs=[0, 0, 0, 1])
    # WHEN the text layer is built
    layer = build_text_layer(page, "ชื่อ\nเพศ\nอายุ\n\nที่อยู่\n")
    # THEN the left paragraph is read whole before the one that starts lower
    assert layer.text.split() == ["ชื่อ", "เพศ", "อายุ", "ที่อยู่"]


def test_a_citizen_id_cut_beside_a_dash_is_one_word_again(tmp_path: Path) -> None:
    # GIVEN tesseract's words of an ID cut after a dash, of one cut before a dash, and a range
    page = _hocr(tmp_path, [[("3-", 100, 140), ("4928-20544-75-5", 160, 500)],
                            [("๑-๒๓๔๕", 100, 300), ("-๖๗๘๙๐-๑๒-๑", 320, 600)],
                            [("๑๐", 100, 140), ("-", 160, 180), ("๒๐", 200, 240)]])
    # WHEN the text layer is built
    layer = build_text_layer(page, "3- 4928-20544-75-5\n๑-๒๓๔๕ -๖๗๘๙๐-๑๒-๑\n๑๐ - ๒๐\n")
    # THEN each ID is one word in the text and the layer, and the range keeps its spaces
    assert layer.text == "3-4928-20544-75-5\n๑-๒๓๔๕-๖๗๘๙๐-๑๒-๑\n๑๐ - ๒๐\n"
    assert _words(layer.page)[:2] == ["3-4928-20544-75-5", "๑-๒๓๔๕-๖๗๘๙๐-๑๒-๑"]
    assert layer.page.words[0].bbox is not None and layer.page.words[0].bbox.right == 500


def test_words_that_touch_are_drawn_apart(tmp_path: Path) -> None:
    # GIVEN two words whose boxes touch (a narrow space in the print)
    page = _hocr(tmp_path, [_spelled("ที่", 100) + [("๑๒๓", 170, 240)]])
    # WHEN the text layer is built
    layer = build_text_layer(page, "ที่ ๑๒๓\n")
    # THEN their rendered boxes stand apart, so a viewer sees the space the text has
    a, b = (w.bbox for w in layer.page.words)
    assert a is not None and b is not None
    assert b.left - a.right >= 0.2 * 50 - 1e-6
    assert (a.left, b.right) == (100, 240)


def test_a_corrector_that_invents_a_line_is_refused(tmp_path: Path) -> None:
    # GIVEN a one-line page
    page = _hocr(tmp_path, [_spelled("ที่", 100)])
    # WHEN a corrector puts a word on line 5 THEN the page is refused, not silently shortened
    with pytest.raises(ValueError, match="line 5"):
        build_text_layer(page, "ที่\n", correct=lambda ws: [Word("x", ws[0].bbox, 5)])


# --- the archival PDF/A from real OCR ----------------------------------------------------------

LINES = [
    "คำสั่งกรมการปกครอง ที่ ๑๒๓/๒๕๖๗",
    "เรื่อง แต่งตั้งข้าราชการให้ดำรงตำแหน่ง",
    "นายสมชาย ใจดี ตำแหน่ง Senior Officer",
    "วันที่ 15 มกราคม 2567 เลขที่ ๔๕๖",
]


def _line_top_pt(index: int) -> float:
    return (0.2 + 0.3 * index) * PT_PER_INCH  # where tests.ingest.pages draws line `index`


def thai_digit_numbers(words: list[Word], image: Image.Image) -> list[Word]:
    """A page corrector; ocrmypdf's workers import it by its name, "module:function"."""
    # The boxes are in the pixels of the image given; a digit reader would crop them from it.
    assert all(0 <= w.bbox[0] < w.bbox[2] <= image.width for w in words)
    assert all(0 <= w.bbox[1] < w.bbox[3] <= image.height for w in words)
    return [Word(to_thai_digits(w.text), w.bbox, w.line, w.confidence)
            if w.text.isascii() and w.text.isdigit() else w for w in words]


def _archive(scan: Path, out: Path, **plugin_options: Any) -> str:
    """OCR as ingest.ocr does, with the plugin; returns the sidecar text."""
    import ocrmypdf

    ocrmypdf.ocr(
        scan, out, language=["tha", "eng"], output_type="pdfa-2", pdfa_backend="internal",
        sidecar=out.with_suffix(".txt"), skip_text=True, rotate_pages=True, deskew=True,
        progress_bar=False, jobs=1, optimize=1, plugins=[PLUGIN], **plugin_options,
    )
    return out.with_suffix(".txt").read_text(encoding="utf-8")


def _pdftotext(pdf: Path, *args: str) -> str:
    return subprocess.run(["pdftotext", "-enc", "UTF-8", *args, str(pdf), "-"],
                          capture_output=True, text=True, check=True, timeout=60).stdout


Box = tuple[float, float, float, float]  # x0, y0, x1, y1 in points from the top left


def _word_boxes(pdf: Path) -> tuple[tuple[float, float], list[tuple[str, Box]]]:
    """Page size and each word with its box, as `pdftotext -bbox` reports them."""
    xhtml = _pdftotext(pdf, "-bbox")
    root = ElementTree.fromstring(re.sub(r"<!DOCTYPE[^>]*>", "", xhtml))
    ns = {"h": "http://www.w3.org/1999/xhtml"}
    page = root.find(".//h:page", ns)
    assert page is not None
    words = []
    for w in page.findall("h:word", ns):
        x0, y0, x1, y1 = (float(w.attrib[k]) for k in ("xMin", "yMin", "xMax", "yMax"))
        words.append((w.text or "", (x0, y0, x1, y1)))
    return (float(page.attrib["width"]), float(page.attrib["height"])), words


def _pdfa_problems(pdf_path: Path) -> list[str]:
    """PDF/A-2b essentials veraPDF would check first (veraPDF itself is not available here)."""
    problems = []
    with pikepdf.open(pdf_path) as pdf:
        meta = pdf.open_metadata()
        if (meta.get("pdfaid:part"), meta.get("pdfaid:conformance")) != ("2", "B"):
            problems.append("XMP does not declare PDF/A-2b")
        if pdf.is_encrypted:
            problems.append("encrypted")
        intents: Any = pdf.Root.get("/OutputIntents", [])
        if not any(i.get("/S") == "/GTS_PDFA1" and "/DestOutputProfile" in i for i in intents):
            problems.append("no PDF/A output intent")
        for page in pdf.pages:
            forms = [x for x in page.Resources.get("/XObject", {}).values()
                     if x.get("/Subtype") == "/Form"]
            resources: list[Any] = [page.Resources, *(f.get("/Resources", {}) for f in forms)]
            for res in resources:
                for font in res.get("/Font", {}).values():
                    cid_font = font.DescendantFonts[0] if font.Subtype == "/Type0" else font
                    desc: Any = cid_font.get("/FontDescriptor", {})
                    if not {"/FontFile", "/FontFile2", "/FontFile3"} & set(desc.keys()):
                        problems.append(f"font {font.get('/BaseFont')} is not embedded")
        problems += pdf.check_pdf_syntax()
    return [str(p) for p in problems]


@pytest.mark.ocr
def test_pdftotext_of_the_pdfa_gives_the_stored_thai_words(tmp_path: Path) -> None:
    # GIVEN a colour 300-DPI scan with Thai, mixed Thai/English, Thai and Arabic digits
    scan = write_scan_pdf(tmp_path / "scan.pdf", LINES)
    # WHEN it is archived as PDF/A with the plugin
    stored = clean_ocr_text(_archive(scan, tmp_path / "archive.pdf"))
    extracted = _pdftotext(tmp_path / "archive.pdf")
    # THEN at least 90 % of the stored text's Thai words come out of the PDF/A whole
    stored_thai = Counter(w for w in stored.split() if THAI.search(w))
    found = Counter(extracted.split())
    intact = sum(min(n, found[w]) for w, n in stored_thai.items())
    assert intact >= 0.9 * sum(stored_thai.values()), (stored, extracted)
    # AND no Thai mark or vowel is left on its own, as ocrmypdf's own text layer leaves them
    assert not [w for w in found if unicodedata.category(w[0]) == "Mn" or w in ("า", "ำ")]
    # AND the mixed line and both kinds of digits read as on paper
    for word in ("ตำแหน่ง", "Senior", "Officer", "15", "มกราคม", "2567"):
        assert word in found, (word, extracted)


@pytest.mark.ocr
def test_the_words_are_where_they_are_printed_and_the_file_is_pdfa(tmp_path: Path) -> None:
    # GIVEN the scan archived with the plugin
    scan = write_scan_pdf(tmp_path / "scan.pdf", LINES)
    archive = tmp_path / "archive.pdf"
    _archive(scan, archive)
    # WHEN the words' boxes are read back
    (width, height), words = _word_boxes(archive)
    # THEN every box lies on the page, and a word sits on the line it was printed on
    assert words
    assert all(0 <= x0 < x1 <= width and 0 <= y0 < y1 <= height for _, (x0, y0, x1, y1) in words)
    boxes = dict(words)
    for text, line in (("เรื่อง", 1), ("ตำแหน่ง", 2), ("Senior", 2), ("มกราคม", 3)):
        x0, y0, x1, y1 = boxes[text]
        middle = (y0 + y1) / 2
        assert _line_top_pt(line) <= middle <= _line_top_pt(line) + 16 + 6, (text, y0, y1)
        assert x0 >= 0.2 * PT_PER_INCH - 2 and x1 - x0 < 0.75 * width
    # AND the file is still PDF/A-2b
    assert _pdfa_problems(archive) == []


@pytest.mark.ocr
def test_a_named_corrector_reaches_text_layer_and_sidecar(tmp_path: Path) -> None:
    # GIVEN a scan with Arabic digits and a corrector named as ocrmypdf's workers can import it
    scan = write_scan_pdf(tmp_path / "scan.pdf", ["วันที่ 15 มกราคม 2567"])
    # WHEN it is archived with the corrector
    sidecar = _archive(scan, tmp_path / "archive.pdf",
                       tabian_word_corrector=f"{__name__}:thai_digit_numbers")
    # THEN the corrected words are both what is stored and what a viewer finds
    for text in (sidecar, _pdftotext(tmp_path / "archive.pdf")):
        assert "๒๕๖๗" in text.split() and "2567" not in text, text


def failing_corrector(words: list[Word], image: Image.Image) -> list[Word]:
    raise RuntimeError("corrector broke on this page")


@pytest.mark.ocr
def test_a_corrector_that_fails_on_a_page_leaves_tesseracts_words(tmp_path: Path) -> None:
    # GIVEN a corrector that raises on every page
    scan = write_scan_pdf(tmp_path / "scan.pdf", ["วันที่ 15 มกราคม 2567"])
    # WHEN the scan is archived with it
    sidecar = _archive(scan, tmp_path / "archive.pdf",
                       tabian_word_corrector=f"{__name__}:failing_corrector")
    # THEN the file is still made, with tesseract's words in the text and the text layer
    for text in (sidecar, _pdftotext(tmp_path / "archive.pdf")):
        assert "2567" in text.split() and "มกราคม" in text.split(), text


def test_a_corrector_that_cannot_be_loaded_stops_the_run_before_ocr(tmp_path: Path) -> None:
    # GIVEN a corrector name that names nothing
    scan = write_scan_pdf(tmp_path / "scan.pdf", ["ที่"])
    # WHEN the file is archived with it THEN ocrmypdf refuses at once, with the name
    from ocrmypdf.exceptions import BadArgsError

    with pytest.raises(BadArgsError, match="no_such_function"):
        _archive(scan, tmp_path / "archive.pdf",
                 tabian_word_corrector="archive.thai:no_such_function")
