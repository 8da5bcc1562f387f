"""The digit reader where tesseract's words leave gaps: rows it returned no line for, marks of
neighbouring lines, letters it read, digits of a word the model left to tesseract."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from fixtures.scans.fonts import get_font
from fixtures.scans.splits import HELDOUT_FONTS
from ingest.digits import DigitReader
from ingest.digits.locate import find_runs
from ingest.digits.model import CLASS_INDEX, CLASSES, REJECT
from ingest.digits.segment import Glyph, LineMetrics, is_noise, line_metrics, segment
from ingest.digits.synth import render_line
from ingest.textlayer import Word

X_HEIGHT = 30.0
PITCH = 95  # pixels from one baseline to the next, as on the fixtures' A4 pages at 300 dpi


@pytest.fixture(scope="module")
def reader() -> DigitReader:
    return DigitReader.load()


def _font(family: str) -> ImageFont.FreeTypeFont:
    face = get_font(family)
    return face.load(round(X_HEIGHT / face.consonant_ratio()))


def render_page(rows: list[str], family: str, *, returned: set[int]
                ) -> tuple[Image.Image, list[Word]]:
    """A page of `rows` of text, and the words tesseract would give for the rows in
    `returned` (read right, boxed as drawn), numbered as its lines."""
    font = _font(family)
    image = Image.new("RGB", (1800, 160 + PITCH * len(rows)), (248, 246, 240))
    draw = ImageDraw.Draw(image)
    words: list[Word] = []
    for index, row in enumerate(rows):
        x, baseline = 120.0, 120.0 + PITCH * index
        for text in row.split(" "):
            box = draw.textbbox((x, baseline), text, font=font, anchor="ls")
            draw.text((x, baseline), text, font=font, fill=(30, 30, 30), anchor="ls")
            if index in returned:
                line = sorted(returned).index(index)
                words.append(Word(text, tuple(map(float, box)), line, 0.9))  # type: ignore[arg-type]
            x = box[2] + font.getlength(" ")
    return image, words


def _lines(words: list[Word]) -> list[list[str]]:
    return [[w.text for w in words if w.line == line] for line in sorted({w.line for w in words})]


@pytest.mark.parametrize("family", ["Kinnari", "Waree"])
def test_a_row_tesseract_left_out_gets_its_numbers_read(reader: DigitReader, family: str
                                                        ) -> None:
    # GIVEN a page whose middle row tesseract returned no line for (as next to a stamp)
    rows = ["ให้ดำรงตำแหน่งครู โรงเรียนบ้านหนองแวง",
            "ทั้งนี้ ตั้งแต่วันที่ ๒ กุมภาพันธ์ พ.ศ. ๒๕๖๖ เป็นต้นไป",
            "สั่ง ณ วันที่ ๑๘ มกราคม"]
    image, words = render_page(rows, family, returned={0, 2})
    # WHEN the words are corrected
    fixed = reader.correct_words(image, words)
    # THEN the row's numbers come back, after the line above them, and nothing else changes
    assert _lines(fixed) == [["ให้ดำรงตำแหน่งครู", "โรงเรียนบ้านหนองแวง", "๒", "๒๕๖๖"],
                             ["สั่ง", "ณ", "วันที่", "๑๘", "มกราคม"]]
    recovered = [w for w in fixed if w.text == "๒๕๖๖"][0]
    assert 120 + PITCH - 40 < recovered.bbox[1] < recovered.bbox[3] < 120 + PITCH + 5


@pytest.mark.parametrize("family", ["Kinnari", "Waree"])
def test_a_row_above_every_line_goes_before_the_first(reader: DigitReader, family: str) -> None:
    # GIVEN a form code at the head of the page that tesseract skipped
    image, words = render_page(["ท.ร.๑๔/๑", "สำเนาทะเบียนบ้าน ฉบับพิมพ์"], family, returned={1})
    # WHEN the words are corrected, THEN its number opens the first line
    assert _lines(reader.correct_words(image, words)) == [["๑๔/๑", "สำเนาทะเบียนบ้าน",
                                                           "ฉบับพิมพ์"]]


@pytest.mark.parametrize("family", HELDOUT_FONTS)
def test_a_letters_only_row_tesseract_left_out_yields_no_digits(reader: DigitReader,
                                                                family: str) -> None:
    # GIVEN a skipped row of letters, the consonants most like digits among them
    rows = ["เรียน ผู้อำนวยการโรงเรียน",
            "ขอแสดงความนับถือ ดตฆอฒญผจธลคซร กรรมการ บรรจุ",
            "เรื่อง รับรองการปฏิบัติหน้าที่"]
    image, words = render_page(rows, family, returned={0, 2})
    # WHEN the words are corrected, THEN no word is added
    assert _lines(reader.correct_words(image, words)) == _lines(words)


def test_a_mark_of_the_line_below_does_not_make_a_digit_a_letter(reader: DigitReader) -> None:
    # GIVEN a number with an upper vowel of the next line's word just under its first digit
    face = get_font("Waree")
    font = face.load(round(X_HEIGHT / face.consonant_ratio()))
    tokens = [t for part in ["ประชาชน", "๓", "๔๘๗๘", "๙๖๙๔"] for t in (part, " ")][:-1]
    line, _ = render_line(tokens, font, x_height=X_HEIGHT)
    ink = np.asarray(line) < 128
    glyphs = segment(np.asarray(line))
    metrics = line_metrics(glyphs)
    assert metrics is not None
    first = max((g for g in glyphs if not is_noise(g, metrics)), key=lambda g: g.right)
    nine = [g for g in glyphs if g.height > 0.6 * X_HEIGHT and g.right <= first.right][-4]
    below = round(metrics.baseline + 0.95 * X_HEIGHT)
    ink[below : below + 10, nine.left + 4 : nine.right - 4] = True  # ี of "ที่" on the next row
    glyphs = [g for g in segment(np.where(ink, 0, 255).astype(np.uint8))
              if not is_noise(g, metrics)]
    # WHEN the line is read, THEN the whole number comes back
    runs = find_runs(glyphs, metrics, reader.classify)
    assert [r.text.replace(" ", "") for r in runs] == ["๓๔๘๗๘๙๖๙๔"]


def test_a_glyph_tesseract_read_as_a_letter_needs_a_sure_model() -> None:
    # GIVEN three glyphs the model reads as ๑๒๓, the first only 99 % sure of being a digit
    glyphs = [Glyph(40 * i, 0, 40 * i + 30, 30, np.ones((30, 30), bool)) for i in range(3)]
    metrics = LineMetrics(x_height=30.0, baseline=30.0)

    def classify(items: list[Glyph], _: LineMetrics) -> np.ndarray:
        probs = np.full((len(items), len(CLASSES)), 1e-6)
        for row, g in enumerate(items):
            probs[row, CLASS_INDEX["๑๒๓"[g.left // 40]]] = 1.0
        probs[[row for row, g in enumerate(items) if g.left == 0], CLASS_INDEX[REJECT]] = 0.01
        return probs / probs.sum(axis=1, keepdims=True)

    # WHEN tesseract read a letter (ร) for the first, THEN the number starts after it
    (run,) = find_runs(glyphs, metrics, classify, letters={id(glyphs[0])})
    assert run.text == "๒๓"
    # and where it read nothing there, the model's reading stands
    (run,) = find_runs(glyphs, metrics, classify)
    assert run.text == "๑๒๓"


def test_digits_the_model_left_to_tesseract_stay_in_the_word(reader: DigitReader) -> None:
    # GIVEN "04009/ว" read right by tesseract, and a model that cannot tell the 9 at all
    image, words = render_page(["ที่ ศธ 04009/ว 4766"], "Waree", returned={0})
    font = _font("Waree")
    start = words[2].bbox[0]
    nine = (start + font.getlength("0400"), start + font.getlength("04009"))

    class Unsure(DigitReader):
        def classify(self, glyphs: list[Glyph], metrics: LineMetrics) -> np.ndarray:
            probs = super().classify(glyphs, metrics)
            for row, g in enumerate(glyphs):
                if nine[0] <= g.x_center <= nine[1]:
                    probs[row] = np.eye(len(CLASSES))[CLASS_INDEX[REJECT]]
            return probs

    # WHEN the words are corrected, THEN tesseract's 9 is not lost with the number's end
    fixed = Unsure(reader.classifier).correct_words(image, words)
    assert [w.text for w in fixed] == ["ที่", "ศธ", "04009/ว", "4766"]
