"""The digit reader: Thai and Arabic digits read from pixels, letters never taken for digits."""

from __future__ import annotations

import io
import random
import subprocess
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageDraw

from archive.thai import THAI_DIGITS, format_citizen_id, is_valid_citizen_id, parse_citizen_id
from fixtures.scans.fonts import get_font
from fixtures.scans.splits import HELDOUT_FONTS
from ingest.digits import MODEL_PATH, DigitReader, GlyphClassifier, ModelError, read_page_text
from ingest.digits.locate import Run, find_runs
from ingest.digits.model import CLASS_INDEX, CLASSES, REJECT
from ingest.digits.segment import Glyph, LineMetrics, is_noise, line_metrics, segment
from ingest.digits.synth import Scan, damage, render_line
from ingest.textlayer import Word

# A scan a little worse than a good office scanner: blur, grain, JPEG, a slight skew.
SCAN = Scan(rotate_deg=0.7, ink=40, paper=235, blur_sigma=0.9, noise_sigma=4.0,
            jpeg_quality=60, seed=7)
CITIZEN_ID = "3648344978695"  # valid check digit, every digit 3-9 in it
# The held-out faces (Sawasdee the loopless one among them) are never drawn in training; the
# model learns the loopless style from Noto Sans Thai and Google Fonts' Thai faces (Kanit,
# Prompt, IBM Plex Sans Thai, ...; ingest.digits.train).


@pytest.fixture(scope="module")
def reader() -> DigitReader:
    return DigitReader.load()


def read_line(reader: DigitReader, text: str, family: str, *, x_height: float = 30.0,
              scan: Scan = SCAN) -> list[Run]:
    """Render `text` in a held-out face, damage it like a scan, and read its numbers."""
    face = get_font(family)
    font = face.load(round(x_height / face.consonant_ratio()))
    tokens = [t for part in text.split(" ") for t in (part, " ")][:-1]
    image, labels = render_line(tokens, font, x_height=x_height)
    image, _ = damage(image, labels, scan)
    glyphs = segment(np.asarray(image))
    metrics = line_metrics(glyphs)
    assert metrics is not None
    glyphs = [g for g in glyphs if not is_noise(g, metrics)]
    return find_runs(glyphs, metrics, reader.classify)


@pytest.mark.parametrize("family", HELDOUT_FONTS)
def test_every_thai_digit_is_read_in_fonts_the_model_never_saw(reader: DigitReader,
                                                               family: str) -> None:
    # GIVEN every Thai digit, in two orders, in a held-out face
    text = f"เลขที่ {THAI_DIGITS} และ {THAI_DIGITS[::-1]}"
    # WHEN the line is read
    runs = read_line(reader, text, family)
    # THEN each digit comes back as itself
    assert [r.text for r in runs] == [THAI_DIGITS, THAI_DIGITS[::-1]]


@pytest.mark.parametrize("family", ["Kinnari", "Waree"])
def test_arabic_digits_stay_arabic(reader: DigitReader, family: str) -> None:
    runs = read_line(reader, "โทร 0-2281-3579 ลงวันที่ 14/6/2567", family)
    assert [r.text for r in runs] == ["0-2281-3579", "14/6/2567"]


@pytest.mark.parametrize("family", HELDOUT_FONTS)
def test_numbers_as_documents_print_them(reader: DigitReader, family: str) -> None:
    # GIVEN an order number, an amount with a thousands separator and a dashed citizen ID
    cid = format_citizen_id(CITIZEN_ID, thai_digits=True)
    text = f"ที่ ๔๕๖/๒๕๖๗ อัตรา ๒๘,๓๙๐ บาท เลขประจำตัวประชาชน {cid}"
    # WHEN the line is read, THEN each number is read whole and exactly
    assert [r.text for r in read_line(reader, text, family)] == ["๔๕๖/๒๕๖๗", "๒๘,๓๙๐", cid]


@pytest.mark.parametrize("family", HELDOUT_FONTS)
def test_thai_letters_are_never_read_as_digits(reader: DigitReader, family: str) -> None:
    # GIVEN every Thai consonant, the letters tesseract writes for missing digits, and words
    text = ("กขฃคฅฆงจฉชซฌญฎฏฐฑฒณดตถทธนบปผฝพฟภมยรฤลฦวศษสหฬอฮ ฒญฆอดตจผ "
            "คำสั่ง เรื่อง แต่งตั้ง ข้าราชการ โรงเรียน จังหวัด ๆ ฯ")
    # WHEN the line is read, THEN no number is found in it
    assert read_line(reader, text, family) == []


def test_the_reject_class_takes_the_letters(reader: DigitReader) -> None:
    # GIVEN consonants that look most like digits (ด/๑, ต/๓, ฆ/๗, อ/๐ ...) in a held-out face
    face = get_font("Waree")
    font = face.load(round(30 / face.consonant_ratio()))
    tokens = list("ดตฆอฒญผจธลคซ")
    image, labels = render_line(tokens, font, x_height=30)
    image, _ = damage(image, labels, SCAN)
    glyphs = segment(np.asarray(image))
    metrics = line_metrics(glyphs)
    assert metrics is not None
    glyphs = [g for g in glyphs if not is_noise(g, metrics)]
    # WHEN each glyph is classified, THEN every one is rejected
    best = reader.classify(glyphs, metrics).argmax(axis=1)
    assert [CLASSES[i] for i in best] == [REJECT] * len(glyphs)


def test_the_check_digit_repairs_one_unclear_digit_of_a_citizen_id() -> None:
    # GIVEN 13 glyphs the classifier reads as an ID with one wrong digit, the right one its
    # second guess
    wrong = CITIZEN_ID[:6] + "1" + CITIZEN_ID[7:]
    glyphs = [Glyph(40 * i, 0, 40 * i + 30, 30, np.ones((30, 30), bool)) for i in range(13)]
    metrics = LineMetrics(x_height=30.0, baseline=30.0)

    def classify(items: list[Glyph], _: LineMetrics) -> np.ndarray:
        probs = np.full((len(items), len(CLASSES)), 1e-4)
        for row, g in enumerate(items):
            k = g.left // 40
            probs[row, CLASS_INDEX[THAI_DIGITS[int(wrong[k])]]] = 0.7
            if k == 6:
                probs[row, CLASS_INDEX[THAI_DIGITS[int(CITIZEN_ID[6])]]] = 0.29
        return probs / probs.sum(axis=1, keepdims=True)

    # WHEN the run is read, THEN the ID comes back valid and right
    (run,) = find_runs(glyphs, metrics, classify)
    assert parse_citizen_id(run.text) == CITIZEN_ID


def test_words_from_tesseract_get_the_numbers_read_from_the_pixels(reader: DigitReader) -> None:
    # GIVEN a rendered line and tesseract-like words: garbled digits, a number glued to letters
    face = get_font("Waree")
    font = face.load(round(30 / face.consonant_ratio()))
    image = Image.new("RGB", (1400, 120), (250, 248, 240))
    draw = ImageDraw.Draw(image)
    pieces = [("ที่", "ที่"), ("๔๕๖/๒๕๖๗", "๕๕๒/๒๕๒๓"), ("ก.พ.๗", "ก.พ.ฆ"), ("เขต", "เขต")]
    words, x = [], 40.0
    for index, (printed, misread) in enumerate(pieces):
        draw.text((x, 80), printed, font=font, fill=(30, 30, 30), anchor="ls")
        box = draw.textbbox((x, 80), printed, font=font, anchor="ls")
        words.append(Word(misread, tuple(map(float, box)), 0, 0.5))  # type: ignore[arg-type]
        x = box[2] + font.getlength(" ") + 10 * index
    # WHEN the words are corrected
    fixed = reader.correct_words(image, words)
    # THEN the numbers are right and the letters untouched
    assert [w.text for w in fixed] == ["ที่", "๔๕๖/๒๕๖๗", "ก.พ.๗", "เขต"]


def test_the_shipped_model_is_small_and_loads_offline() -> None:
    assert MODEL_PATH.stat().st_size < 2_000_000
    model = GlyphClassifier.load()
    assert all(m.weights[-1].shape[1] == len(CLASSES) for m in model.members)


def test_a_model_for_other_classes_is_refused(tmp_path: Path) -> None:
    # GIVEN a model file whose class list differs from this code's
    path = tmp_path / "old.npz"
    data = dict(np.load(MODEL_PATH, allow_pickle=False))
    data["classes"] = np.array(CLASSES[:-1])
    np.savez(path, **data)
    # WHEN it is loaded, THEN the error says to retrain
    with pytest.raises(ModelError, match="retrain"):
        GlyphClassifier.load(path)


@pytest.mark.ocr
def test_a_scanned_citizen_id_is_read_exactly_end_to_end() -> None:
    # GIVEN a small scanned page, held-out face, with a Thai-digit ID tesseract cannot read
    face = get_font("Kinnari")
    font = face.load(face.body_size_px(300))
    cid = format_citizen_id(CITIZEN_ID, thai_digits=True)
    image = Image.new("RGB", (1600, 330), (250, 248, 240))
    draw = ImageDraw.Draw(image)
    draw.text((60, 110), f"นายสมชาย ใจดี เลขประจำตัวประชาชน {cid}", font=font, fill=(25, 25, 25))
    draw.text((60, 210), "คำสั่งที่ ๔๗๘/๒๕๖๙ ลงวันที่ ๒๖ มกราคม ๒๕๖๙", font=font, fill=(25, 25, 25))
    rng = random.Random(3)
    noisy = np.asarray(image, dtype=np.int16) + rng.randint(-3, 3)
    image = Image.fromarray(np.clip(noisy, 0, 255).astype(np.uint8))
    # WHEN the page is read
    text = read_page_text(image)
    # THEN the ID is there, digit for digit, with a valid check digit; so are the order and date
    assert cid in text
    assert is_valid_citizen_id(cid)
    assert "๔๗๘/๒๕๖๙" in text
    assert "๒๖ มกราคม ๒๕๖๙" in text


def _scan_pdf(path: Path, lines: list[str], family: str) -> Path:
    """A colour 300-DPI scan (JPEG page image) of `lines` in a face the model never saw."""
    import img2pdf

    face = get_font(family)
    font = face.load(face.body_size_px(300))
    image = Image.new("RGB", (2000, 140 + 110 * len(lines)), (250, 248, 240))
    draw = ImageDraw.Draw(image)
    for index, line in enumerate(lines):
        draw.text((80, 80 + 110 * index), line, font=font, fill=(25, 25, 25))
    buf = io.BytesIO()
    image.save(buf, format="JPEG", quality=85, dpi=(300, 300))
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(img2pdf.convert(buf.getvalue()))
    return path


@pytest.mark.ocr
def test_ingest_stores_and_archives_the_thai_digits_read_from_the_scan(tmp_path: Path) -> None:
    from archive.archive import open_archive
    from archive.config import load_settings
    from archive.documents import object_key
    from tests.cli import tabian

    # GIVEN a scan whose citizen ID and order number are printed in Thai digits (tesseract's
    # Thai model has no ๔ ๖ ๗ ๘ ๙), in a held-out face
    cid = format_citizen_id(CITIZEN_ID, thai_digits=True)
    _scan_pdf(tmp_path / "inbox" / "order.pdf",
              ["คำสั่งที่ ๔๗๘/๒๕๖๙ เรื่อง แต่งตั้งข้าราชการ",
               f"นายสมชาย ใจดี เลขประจำตัวประชาชน {cid}"], "Waree")
    # WHEN it is ingested
    data_dir = tmp_path / "data"
    result = tabian("ingest", tmp_path / "inbox", "--json", "--quiet", data_dir=data_dir)
    assert result.code == 0, result.stderr
    (outcome,) = result.json_lines
    assert outcome["status"] == "stored", outcome
    archive = open_archive(load_settings(data_dir))
    try:
        stored = archive.store.get_bytes(object_key(outcome["sha256"], "text")).decode()
        pdf = tmp_path / "archive.pdf"
        pdf.write_bytes(archive.store.get_bytes(object_key(outcome["sha256"], "archive")))
    finally:
        archive.close()
    extracted = subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdf), "-"], check=True,
                               capture_output=True, text=True, timeout=60).stdout
    # THEN the stored text and the PDF/A's text layer both carry the ID and the order number
    # digit for digit, as the same words
    for text in (stored, extracted):
        words = text.split()
        assert "๔๗๘/๒๕๖๙" in words, text
        assert cid in text, text
    assert extracted.split() == stored.split()


def test_a_reader_that_fails_leaves_tesseracts_words(monkeypatch: pytest.MonkeyPatch) -> None:
    # GIVEN a digit reader that breaks (a damaged model file, a bug on an odd page)
    from ingest.digits import reader as reader_module

    def broken() -> DigitReader:
        raise ModelError("cannot read the digit model")

    monkeypatch.setattr(reader_module, "default_reader", broken)
    words = [Word("ที่", (10.0, 10.0, 60.0, 40.0), 0),
             Word("๕๑๕/๒๕๒๕", (80.0, 10.0, 200.0, 40.0), 0)]
    # WHEN the page's words are corrected, THEN they come back as tesseract read them
    assert reader_module.correct_page(words, Image.new("RGB", (300, 60), "white")) == words


def test_the_check_digit_repairs_two_unclear_digits_together() -> None:
    # GIVEN an ID read with two wrong digits, each the classifier's close second guess
    wrong = CITIZEN_ID[:3] + "1" + CITIZEN_ID[4:9] + "0" + CITIZEN_ID[10:]
    assert not is_valid_citizen_id(wrong)
    glyphs = [Glyph(40 * i, 0, 40 * i + 30, 30, np.ones((30, 30), bool)) for i in range(13)]
    metrics = LineMetrics(x_height=30.0, baseline=30.0)

    def classify(items: list[Glyph], _: LineMetrics) -> np.ndarray:
        probs = np.full((len(items), len(CLASSES)), 1e-4)
        for row, g in enumerate(items):
            k = g.left // 40
            probs[row, CLASS_INDEX[THAI_DIGITS[int(wrong[k])]]] = 0.6
            if wrong[k] != CITIZEN_ID[k]:
                probs[row, CLASS_INDEX[THAI_DIGITS[int(CITIZEN_ID[k])]]] = 0.35
        return probs / probs.sum(axis=1, keepdims=True)

    # WHEN the run is read, THEN both are repaired
    (run,) = find_runs(glyphs, metrics, classify)
    assert parse_citizen_id(run.text) == CITIZEN_ID


def test_a_sure_reading_is_not_bent_to_fit_the_check_digit() -> None:
    # GIVEN thirteen digits the classifier is sure of, whose check digit fails
    wrong = CITIZEN_ID[:12] + str((int(CITIZEN_ID[12]) + 1) % 10)
    glyphs = [Glyph(40 * i, 0, 40 * i + 30, 30, np.ones((30, 30), bool)) for i in range(13)]
    metrics = LineMetrics(x_height=30.0, baseline=30.0)

    def classify(items: list[Glyph], _: LineMetrics) -> np.ndarray:
        probs = np.full((len(items), len(CLASSES)), 1e-6)
        for row, g in enumerate(items):
            probs[row, CLASS_INDEX[THAI_DIGITS[int(wrong[g.left // 40])]]] = 1.0
        return probs / probs.sum(axis=1, keepdims=True)

    # WHEN it is read, THEN it stays as printed (not every 13-digit number is an ID)
    (run,) = find_runs(glyphs, metrics, classify)
    assert run.text == "".join(THAI_DIGITS[int(d)] for d in wrong)


def test_a_glyph_is_scaled_by_the_share_of_ink_under_each_cell() -> None:
    from ingest.digits.segment import GLYPH_SIZE, _bitmap

    # GIVEN a glyph 33 px square (1.5 px per cell of the scaled square) striped column by
    # column, and one whose top half is ink
    striped = np.zeros((33, 33), dtype=bool)
    striped[:, ::2] = True
    half = np.zeros((44, 44), dtype=bool)
    half[:22] = True
    # WHEN each is scaled into the classifier's square
    small, halves = _bitmap(striped), _bitmap(half)
    # THEN the ink is kept: each cell holds the share of ink under it, so the total is the
    # glyph's ink scaled by the area ratio, and no cell is darker than ink or lighter than paper
    side = GLYPH_SIZE - 2
    assert small.sum() == pytest.approx(striped.sum() * (side / 33) ** 2, rel=1e-4)
    assert small.min() >= 0.0 and small.max() <= 1.0
    assert sorted({round(float(v), 3) for v in small[1:-1, 1:-1].ravel()}) == [0.333, 0.667]
    # AND a half-inked glyph is ink in its top half and paper below, with a paper border
    assert (halves[1:12, 1:-1] == 1.0).all() and (halves[12:, :] == 0.0).all()
    assert (halves[0] == 0.0).all() and (halves[:, 0] == 0.0).all()


def test_a_speck_between_two_digits_does_not_cut_the_number(reader: DigitReader) -> None:
    # GIVEN a citizen ID in a held-out face with a toner speck at mid-height between two of
    # its digits (where no full stop, dash or colon stands)
    face = get_font("TlwgTypist")
    x_height = 30.0
    font = face.load(round(x_height / face.consonant_ratio()))
    text = "๓-๘๔๖๗-๙๐๖๒๖-๙๔-๕"
    image, _ = render_line([text], font, x_height=x_height)
    at = round(24 + font.getlength(text[:11]))  # between ๒ and ๖
    ink = np.asarray(image)
    rows = np.flatnonzero((ink < 128).any(axis=1))
    middle = (rows[0] + rows[-1]) // 2
    ImageDraw.Draw(image).rectangle([at - 2, middle - 2, at + 2, middle + 2], fill=0)
    glyphs = segment(np.asarray(image))
    metrics = line_metrics(glyphs)
    assert metrics is not None
    glyphs = [g for g in glyphs if not is_noise(g, metrics)]
    assert any(g.width <= 6 and g.height <= 6 for g in glyphs)  # the speck is there
    # WHEN its numbers are read
    runs = find_runs(glyphs, metrics, reader.classify)
    # THEN the ID is one number, every digit kept
    assert [r.text for r in runs] == [text]
