"""The scan fixture generator: deterministic, truthful about its files, and OCR-readable."""

from __future__ import annotations

import csv
import io
import json
import random
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pikepdf
import pytest
from PIL import Image, ImageFilter, ImageStat

from fixtures.scans import (
    CATEGORIES,
    FRESH,
    FRESH2,
    FRESH3,
    FRESH4,
    FRESH5,
    HELDOUT,
    TEMPLATES,
    TRAIN,
    Options,
    available_fonts,
    build_document,
    cer,
    generate,
    get_template,
    levenshtein,
    make_person,
    person_from_mapping,
    render,
    render_clean,
    templates_for,
)
from fixtures.scans.pdf import USER_PASSWORD
from fixtures.scans.people import CSV_FIELDS
from fixtures.scans.splits import (
    FRESH6,
    FRESH7,
    FRESH8,
    FRESH9,
    FRESH10,
    FRESH11,
    FRESH12,
    FRESH13,
)
from fixtures.scans.thai import arabic_digits, citizen_id_check_digit
from fixtures.scans.wrap import can_break_before, wrap

HANDBOOK_DAY = "D:20260126"


def _manifest(out: Path) -> list[dict[str, Any]]:
    lines = (out / "manifest.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines]


def _by_case(records: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {r["case"]: r for r in records if r["kind"] == "case"}


def _people(n: int = 4, seed: int = 3) -> list[Any]:
    rng = random.Random(seed)
    return [make_person(rng) for _ in range(n)]


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One generated tree with regular documents, an unsorted and a misfiled one, and every
    odd case."""
    out = tmp_path_factory.mktemp("scans")
    generate(Options(out=out, count=4, seed=11, bad_cases=True, unsorted=1, misfiled=1))
    return out


def test_same_seed_gives_the_same_manifest_and_pixels(tmp_path: Path) -> None:
    # GIVEN two runs with the same seed and one with another seed
    for name, seed in (("a", 5), ("b", 5), ("c", 6)):
        generate(Options(out=tmp_path / name, count=2, seed=seed))
    # THEN the same seed reproduces manifest bytes (file hashes, page pixel hashes included)
    first = (tmp_path / "a" / "manifest.jsonl").read_bytes()
    assert first == (tmp_path / "b" / "manifest.jsonl").read_bytes()
    assert first != (tmp_path / "c" / "manifest.jsonl").read_bytes()
    for record in _manifest(tmp_path / "a"):
        assert (tmp_path / "a" / record["path"]).read_bytes() == \
            (tmp_path / "b" / record["path"]).read_bytes()
    # AND rendering a page twice gives identical pixels
    spec = build_document(get_template("appointment/order_table"), *_split_people(), seed=1)
    first_page = render(spec, degradation=TRAIN.degradation(random.Random(2)), seed=1)[0]
    again = render(spec, degradation=TRAIN.degradation(random.Random(2)), seed=1)[0]
    assert first_page.pixel_hash() == again.pixel_hash()


def _split_people() -> tuple[Any, list[Any]]:
    owner, *others = _people()
    return owner, others


def test_every_category_has_three_templates_and_a_held_out_one() -> None:
    for category in CATEGORIES:
        assert len(templates_for(category)) >= 3, category
        assert templates_for(category, split="heldout"), category
        assert len(templates_for(category, split="train")) >= 2, category
    variants = [t.variant for t in TEMPLATES]
    assert len(variants) == len(set(variants))


def test_every_category_has_fresh_templates_nothing_trains_on() -> None:
    # GIVEN the fresh splits (written after the classifier) and the extra training templates
    train = {t.variant for t in templates_for(split="train")} | \
        {t.variant for t in templates_for(split="train_extra")}
    for split in ("fresh", "fresh2", "fresh3", "fresh4", "fresh5", "fresh6", "fresh7", "fresh8",
                  "fresh9", "fresh10", "fresh11", "fresh12", "fresh13"):
        fresh = templates_for(split=split)
        # THEN every category has one, none is a training or held-out variant, and they stay
        # out of "all" (what other benchmarks draw from) and out of the generator's train split
        assert {t.category for t in fresh} == set(CATEGORIES), split
        variants = {t.variant for t in fresh}
        assert not variants & train, split
        assert not variants & {t.variant for t in templates_for(split="heldout")}, split
        assert not variants & {t.variant for t in templates_for()}, split
        assert all(get_template(v).variant == v for v in variants)
    fresh_sets = [{t.variant for t in templates_for(split=s)}
                  for s in ("fresh", "fresh2", "fresh3", "fresh4", "fresh5", "fresh6", "fresh7",
                            "fresh8", "fresh9", "fresh10", "fresh11", "fresh12", "fresh13")]
    assert sum(map(len, fresh_sets)) == len(set().union(*fresh_sets))
    # AND the fresh scans use no face the training scans use
    assert not set(FRESH.fonts) & set(TRAIN.fonts)
    assert FRESH2.fonts == FRESH.fonts == FRESH3.fonts == FRESH4.fonts == FRESH5.fonts \
        == FRESH6.fonts == FRESH7.fonts == FRESH8.fonts == FRESH9.fonts == FRESH10.fonts \
        == FRESH11.fonts == FRESH12.fonts == FRESH13.fonts
    assert set(FRESH.fonts) <= set(available_fonts())


def _all_splits(category: str) -> list[Any]:
    return [*templates_for(category), *templates_for(category, split="fresh"),
            *templates_for(category, split="fresh2"),
            *templates_for(category, split="fresh3"),
            *templates_for(category, split="fresh4"),
            *templates_for(category, split="fresh5"),
            *templates_for(category, split="fresh6"),
            *templates_for(category, split="fresh7"),
            *templates_for(category, split="fresh8"),
            *templates_for(category, split="fresh9"),
            *templates_for(category, split="fresh10"),
            *templates_for(category, split="fresh11"),
            *templates_for(category, split="fresh12"),
            *templates_for(category, split="fresh13"),
            *templates_for(category, split="train_extra")]


WRAPPED_CELLS = 12  # the other cells' words a wrapped name's next piece may stand after


def _wrapped_in(word: str, tokens: list[str], after: int = -1, pieces: int = 3) -> bool:
    """Whether the word is printed from token `after` on (within WRAPPED_CELLS words), as a
    word's end and then, a line further down its cell, the start of another (up to `pieces`
    pieces: a name a narrow table cell wrapped, "นายสม" ... "ชาย ขันติ")."""
    window = range(after + 1, min(len(tokens), after + 1 + WRAPPED_CELLS)) if after >= 0 \
        else range(len(tokens))
    for t in window:
        token = tokens[t]
        if (token.startswith(word) if after >= 0 else word in token):
            return True
        if pieces > 1:
            for k in range(1, len(word)):
                head = word[:k]
                if (token == head if after >= 0 else token.endswith(head)) and \
                        _wrapped_in(word[k:], tokens, t, pieces - 1):
                    return True
    return False


@pytest.mark.parametrize("category", CATEGORIES)
def test_every_category_renders_with_truthful_persons(category: str) -> None:
    # GIVEN every template of the category (every split), with a man and a woman as owner
    people = _people(6)
    men = [p for p in people if p.male] or people
    women = [p for p in people if not p.male] or people
    fonts = sorted(available_fonts())
    for i, template in enumerate(_all_splits(category)):
        for owner in (men[0], women[0]):
            if not template.applies(owner):
                continue
            others = [p for p in people if p is not owner]
            spec = build_document(template, owner, others, seed=i)
            # WHEN it is rendered (low DPI keeps the test fast)
            pages = render_clean(spec, font=fonts[i % len(fonts)], dpi=100, seed=i)
            text = "".join(p.ground_truth for p in pages)
            digits = re.sub(r"\D", "", arabic_digits(text))
            # THEN the owner is named (on the page, in order, though a narrow table cell in a
            # wide font may wrap the name over lines that interleave with the next cells'),
            # and exactly the IDs it claims to print are printed
            assert spec.category == category and spec.persons[0] == owner.citizen_id
            assert owner.first_name in re.sub(r"\s", "", spec.text), template.variant
            assert _wrapped_in(owner.first_name, text.split()), (template.variant,
                                                                  owner.first_name)
            for cid in spec.ids_printed:
                assert cid in digits, (template.variant, cid)
            for cid in set(spec.persons) - set(spec.ids_printed):
                assert cid not in digits, (template.variant, cid)


def test_splits_are_disjoint() -> None:
    assert not set(TRAIN.fonts) & set(HELDOUT.fonts)
    assert set(TRAIN.fonts) | set(HELDOUT.fonts) <= set(available_fonts())
    train = {t.variant for t in templates_for(split="train")}
    heldout = {t.variant for t in templates_for(split="heldout")}
    assert not train & heldout
    for name in ("skew", "blur", "noise", "fade", "artefact", "jpeg"):
        low, high = sorted((getattr(TRAIN, name), getattr(HELDOUT, name)))
        assert low[1] <= high[0], name


def test_generated_pdfs_have_the_intended_effective_dpi(sample: Path) -> None:
    checked = 0
    for record in _manifest(sample):
        path = sample / record["path"]
        if path.suffix != ".pdf" or record["effective_dpi"] is None or record["case"] in (
                "encrypted", "unreadable_damaged_image"):
            continue
        with pikepdf.open(path) as pdf:
            for page in pdf.pages:
                image = next(iter(page.Resources.XObject.values()))
                width_in = float(page.MediaBox[2] - page.MediaBox[0]) / 72
                assert int(image.Width) / width_in == pytest.approx(record["effective_dpi"],
                                                                    abs=0.5)
                checked += 1
    assert checked >= 8


def test_regular_scans_are_colour_and_linkable(sample: Path) -> None:
    records = [r for r in _manifest(sample) if r["kind"] == "scan"]
    assert len(records) == 4
    for record in records:
        with pikepdf.open(sample / record["path"]) as pdf:
            image = next(iter(pdf.pages[0].Resources.XObject.values()))
            assert image.ColorSpace == "/DeviceRGB" and image.Filter == "/DCTDecode"
        assert record["expected"]["status"] == "stored"
        assert record["expected"]["category"] == record["category"]
        assert record["ground_truth"].strip()


def test_unsorted_and_misfiled_documents(sample: Path) -> None:
    scans = [r for r in _manifest(sample) if r["kind"] == "scan"]
    unsorted = [r for r in scans if r["folder_citizen_id"] is None]
    assert len(unsorted) == 1 and unsorted[0]["path"].startswith("unsorted/")
    misfiled = [r for r in scans if r["misfiled"]]
    assert len(misfiled) == 1
    record = misfiled[0]
    assert record["folder_citizen_id"] not in record["persons"]
    assert record["path"].startswith(record["folder_citizen_id"] + "/")
    assert record["expected"]["link"] == "needs_review"


def test_persons_csv_follows_the_contract(sample: Path) -> None:
    with (sample / "persons.csv").open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        assert tuple(reader.fieldnames or ()) == CSV_FIELDS
        rows = list(reader)
    ids = {row["citizen_id"] for row in rows}
    for row in rows:
        cid = row["citizen_id"]
        assert re.fullmatch(r"\d{13}", cid) and int(cid[12]) == citizen_id_check_digit(cid[:12])
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", row["birth_date"])
        assert row["status"] in ("active", "suspended", "ordered_out_pending",
                                 "transferred_out", "left_service")
        assert bool(row["left_service_on"]) == (row["status"] == "left_service")
    for record in _manifest(sample):
        assert set(record["persons"]) <= ids


def test_encrypted_case_opens_only_with_the_password(sample: Path) -> None:
    record = _by_case(_manifest(sample))["encrypted"]
    with pytest.raises(pikepdf.PasswordError):
        pikepdf.open(sample / record["path"])
    with pikepdf.open(sample / record["path"], password=USER_PASSWORD) as pdf:
        assert pdf.is_encrypted and len(pdf.pages) == record["pages"]
    assert record["expected"] == {"status": "rejected", "reasons": ["encrypted"], "warnings": [],
                                  "category": None, "citizen_ids": [], "link": "unlinked"}


def test_broken_files_are_broken(sample: Path) -> None:
    cases = _by_case(_manifest(sample))
    with pytest.raises(pikepdf.PdfError):
        pikepdf.open(sample / cases["unreadable_truncated"]["path"])
    # A file cut in its image still opens, but qpdf says it is damaged and the scan is gone.
    with pikepdf.open(sample / cases["unreadable_damaged_image"]["path"]) as pdf:
        assert any("damaged" in w for w in pdf.get_warnings())
        assert not list(pdf.pages[0].Resources.get("/XObject", {}).keys())
    assert (sample / cases["empty"]["path"]).stat().st_size == 0
    assert (sample / cases["not_pdf_docx"]["path"]).read_bytes()[:2] == b"PK"
    text = (sample / cases["not_pdf_text"]["path"]).read_bytes()
    assert not text.startswith(b"%PDF") and text.decode("utf-8").strip()
    for name in ("unreadable_truncated", "unreadable_damaged_image", "empty"):
        assert cases[name]["expected"]["reasons"] == ["unreadable"]


@pytest.mark.parametrize(("case", "space", "bits"), [
    ("not_color_gray", "/DeviceGray", 8),
    ("not_color_bilevel", "/DeviceGray", 1),
    ("not_color_gray_as_rgb", "/DeviceRGB", 8),
    ("legacy_bw_scan", "/DeviceGray", 8),
    ("legacy_bw_bilevel", "/DeviceGray", 1),
])
def test_black_and_white_cases(sample: Path, case: str, space: str, bits: int) -> None:
    record = _by_case(_manifest(sample))[case]
    with pikepdf.open(sample / record["path"]) as pdf:
        image = next(iter(pdf.pages[0].Resources.XObject.values()))
        assert image.ColorSpace == space and int(image.BitsPerComponent) == bits
        created = str(pdf.docinfo["/CreationDate"])
        pixels = pikepdf.PdfImage(image).as_pil_image()
    if case == "not_color_gray_as_rgb":  # grey content in an RGB container
        bands = [ImageStat.Stat(b).mean[0] for b in pixels.convert("RGB").split()]
        assert max(bands) - min(bands) < 1.0
    legacy = case.startswith("legacy")
    assert (created < HANDBOOK_DAY) == legacy
    expected = record["expected"]
    if legacy:
        assert expected["status"] == "stored" and expected["warnings"] == ["legacy_bw_scan"]
    else:
        assert expected["status"] == "rejected" and expected["reasons"] == ["not_color"]


def test_resolution_cases(sample: Path) -> None:
    cases = _by_case(_manifest(sample))
    lies = cases["metadata_lies_pdf"]
    with pikepdf.open(sample / lies["path"]) as pdf:
        image = next(iter(pdf.pages[0].Resources.XObject.values()))
        jpeg = Image.open(io.BytesIO(image.read_raw_bytes()))
        assert jpeg.info["dpi"][0] == pytest.approx(300)
        assert int(image.Width) == 1240  # A4 width at 150 DPI
    png = Image.open(sample / cases["metadata_lies_png"]["path"])
    assert png.info["dpi"][0] == pytest.approx(300, abs=1) and png.width == 1240
    for name in ("scanner_jpeg", "scanner_png", "scanner_tiff"):
        image = Image.open(sample / cases[name]["path"])
        assert image.info["dpi"][0] == pytest.approx(300, abs=1) and image.width == 2480
    for name in ("low_resolution", "metadata_lies_pdf"):
        assert cases[name]["expected"]["reasons"] == ["low_resolution"]
    # a bare image's DPI tag is its only size: ingest trusts it
    assert cases["metadata_lies_png"]["expected"]["status"] == "stored"


def test_blurry_case_is_blurrier_than_its_sharp_twin(sample: Path) -> None:
    cases = _by_case(_manifest(sample))

    def edge_energy(image: Image.Image) -> float:
        return ImageStat.Stat(image.convert("L").filter(ImageFilter.FIND_EDGES)).var[0]

    with pikepdf.open(sample / cases["blurry"]["path"]) as pdf:
        image = next(iter(pdf.pages[0].Resources.XObject.values()))
        blurry = pikepdf.PdfImage(image).as_pil_image()
    sharp = Image.open(sample / cases["scanner_jpeg"]["path"])
    assert blurry.size == sharp.size and blurry.mode == "RGB"
    assert edge_energy(blurry) < edge_energy(sharp) / 3
    assert cases["blurry"]["expected"]["warnings"] == ["blurry"]


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")
def test_born_digital_pdf_has_a_text_layer_and_no_images(sample: Path) -> None:
    record = _by_case(_manifest(sample))["born_digital"]
    path = sample / record["path"]
    with pikepdf.open(path) as pdf:
        xobjects = pdf.pages[0].Resources.get("/XObject", {})
        assert not [x for x in xobjects.values() if x.get("/Subtype") == "/Image"]
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True,
                          timeout=60, check=True).stdout
    assert cer(record["ground_truth"], text, drop_spaces=True) < 0.2


def test_levenshtein_matches_the_textbook_definition() -> None:
    def slow(a: str, b: str) -> int:
        prev = list(range(len(b) + 1))
        for i, ca in enumerate(a, 1):
            cur = [i]
            for j, cb in enumerate(b, 1):
                cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
            prev = cur
        return prev[-1]

    rng = random.Random(0)
    for _ in range(300):
        a = "".join(rng.choice("กขำ่้ ab") for _ in range(rng.randint(0, 70)))
        b = "".join(rng.choice("กขำ่้ ab") for _ in range(rng.randint(0, 70)))
        assert levenshtein(a, b) == slow(a, b)
    assert cer("คำสั่ง ที่ ๑", "คำสั่ง\n ที่  ๑") == 0.0
    assert cer("ก ข", "กข", drop_spaces=True) == 0.0


def test_thai_lines_never_start_with_a_mark() -> None:
    text = ("อาศัยอำนาจตามความในมาตรา๕๓แห่งพระราชบัญญัติระเบียบข้าราชการครูและบุคลากรทางการศึกษา"
            "จึงบรรจุและแต่งตั้งผู้สอบแข่งขันได้เข้ารับราชการเป็นข้าราชการครู")
    for width in (120, 333, 800):
        lines = wrap(text, width, lambda s: 10.0 * len(s))
        assert "".join(lines) == text
        offset = 0
        for line in lines[:-1]:
            offset += len(line)
            assert can_break_before(text, offset), line


@pytest.mark.ocr
@pytest.mark.skipif(shutil.which("tesseract") is None, reason="tesseract not installed")
def test_tesseract_reads_a_clean_page(tmp_path: Path) -> None:
    langs = subprocess.run(["tesseract", "--list-langs"], capture_output=True, text=True,
                           timeout=60, check=False).stdout.split()
    if "tha" not in langs:
        pytest.skip("tesseract-ocr-tha not installed")
    # GIVEN a clean rendered memo in the government's standard face
    owner, others = _split_people()
    spec = build_document(get_template("appointment/report_for_duty"), owner, others, seed=0)
    page = render_clean(spec, seed=0)[0]
    image = tmp_path / "page.png"
    page.image.save(image, dpi=(300, 300))
    # WHEN tesseract reads it
    text = subprocess.run(["tesseract", str(image), "-", "-l", "tha"], capture_output=True,
                          text=True, timeout=300, check=True).stdout
    # THEN the character error rate against the ground truth is low
    assert cer(page.ground_truth, text) < 0.3


def test_documents_can_be_made_for_a_registry_row() -> None:
    # GIVEN a persons.csv row, as other tests hold them
    row = {"citizen_id": "1101700203451", "prefix": "นางสาว", "first_name": "สุดา",
           "last_name": "ทองดี", "birth_date": "1990-05-01", "appointed_on": "2015-06-01",
           "unit": "โรงเรียนบ้านนาคำ"}
    person = person_from_mapping(row)
    # WHEN a licence is made for her twice
    spec = build_document(get_template("professional_license/teacher_licence"), person, [],
                          seed=0)
    again = build_document(get_template("professional_license/teacher_licence"),
                           person_from_mapping(row), [], seed=0)
    # THEN it names her, prints her ID, and does not change between calls
    assert spec.text == again.text
    assert "นางสาวสุดา ทองดี" in spec.text and spec.ids_printed == ("1101700203451",)
    assert person.father.endswith("ทองดี") and not person.male
