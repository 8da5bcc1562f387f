"""Thai digits in OCR: plain tesseract against tesseract + the digit reader, on held-out scans.

Run: .venv/bin/python benchmarks/bench_digits.py [--pages 80] [--seed 1] [--jobs 2]
                                                  [--languages tha] [--model PATH]
Pages come from fixtures.scans' held-out split: held-out template variants, fonts (Kinnari,
Waree, Sawasdee, TlwgTypist) and degradation ranges, none of which the digit model saw. Each page
is read by tesseract (hOCR + text) as it is; "tesseract" is that text as is, "+ clean" is it
after archive.thai.clean_ocr_text, "+ digits" is the text ingest.textlayer (which cleans too,
and puts back lines tesseract split in two) makes from the same run with the digit reader as its
corrector. "+ tables" is what ingest stores: a page with a ruled table read with its ruling
erased and as one block of lines (ingest.ruling: tesseract's layout analysis drops such tables
or reads them column by column), then textlayer and the digit reader as before; other pages as
"+ digits".

Figures: accuracy per digit (Levenshtein alignment of the whole page against its ground truth,
whitespace collapsed; a digit is right when aligned to itself), the same counting only digits
on lines tesseract returned at all (a digit deleted with the text around it was never given to
the reader), citizen IDs found with all 13 digits anywhere in the page's text (valid IDs of the
ground truth only), Thai letters turned into digits, CER, and the time ingest adds as a share
of plain tesseract's (one thread each): looking for tables, erasing their ruling, tesseract's
extra time on those pages, and the reader.
"""

from __future__ import annotations

import argparse
import functools
import json
import logging
import multiprocessing
import os
import random
import re
import sys
import tempfile
import time
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

# Run as a plain script from anywhere: make the repository's packages importable.
REPO_ROOT = Path(__file__).resolve().parent.parent
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

from archive.thai import (  # noqa: E402
    THAI_DIGITS,
    clean_ocr_text,
    fold_digits,
    is_valid_citizen_id,
)
from ingest.digits import MODEL_PATH, DigitReader  # noqa: E402

if TYPE_CHECKING:
    from collections.abc import Callable

    from ocrmypdf.hocrtransform import OcrElement
    from PIL import Image

    from fixtures.scans.render import Page

log = logging.getLogger(__name__)

ARABIC_DIGITS = "0123456789"
SYSTEMS = ("tesseract", "+ clean", "+ digits", "+ tables")
# A citizen ID as documents print it: 13 digits, run together or grouped 1-4-5-2-1 by dashes
# or spaces; in what OCR read, any grouping.
_D = "[0-9๐-๙]"
_ID = re.compile(rf"(?<!{_D})(?:{_D}{{13}}|{_D}[- ]{_D}{{4}}[- ]{_D}{{5}}[- ]{_D}{{2}}[- ]{_D})"
                 rf"(?!{_D})")
_ANY_ID = re.compile(rf"(?<!{_D}){_D}(?:[- ]?{_D}){{12}}(?!{_D})")
_THAI_LETTER = re.compile("[\u0e01-\u0e2e]")


@dataclass(frozen=True)
class PageResult:
    font: str
    counts: dict[str, Counter[str]]  # per system
    tesseract_s: float
    digits_s: float  # the digit reader on the plain reading ("+ digits")
    extra_s: float  # all that ingest adds ("+ tables"): erasing, tesseract's extra, the reader


def normalise(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def align(ref: str, hyp: str) -> tuple[int, list[int]]:
    """Levenshtein distance and, per reference character, the index of the hypothesis
    character it was matched to (-1 when deleted, -2 - j when substituted by hyp[j])."""
    a = np.frombuffer(ref.encode("utf-32-le"), dtype=np.uint32)
    b = np.frombuffer(hyp.encode("utf-32-le"), dtype=np.uint32)
    n, m = len(a), len(b)
    table = np.zeros((n + 1, m + 1), dtype=np.int32)
    table[0] = np.arange(m + 1)
    steps = np.arange(m + 1, dtype=np.int32)
    for i in range(1, n + 1):
        row = np.empty(m + 1, dtype=np.int32)
        row[0] = i
        row[1:] = np.minimum(table[i - 1, 1:] + 1, table[i - 1, :-1] + (b != a[i - 1]))
        # insertions run left to right: a running minimum does them all at once
        table[i] = np.minimum.accumulate(row - steps) + steps
    matched = [-1] * n
    i, j = n, m
    while i > 0 and j > 0:
        same = a[i - 1] == b[j - 1]
        if table[i, j] == table[i - 1, j - 1] + (0 if same else 1):
            matched[i - 1] = j - 1 if same else -2 - (j - 1)
            i, j = i - 1, j - 1
        elif table[i, j] == table[i - 1, j] + 1:
            i -= 1
        else:
            j -= 1
    return int(table[n, m]), matched


def score(truth: str, read: str, counts: Counter[str]) -> None:
    ref, hyp = normalise(truth), normalise(read)
    distance, matched = align(ref, hyp)
    counts["edits"] += distance
    counts["chars"] += len(ref)
    counts["edits_nospace"] += align(ref.replace(" ", ""), hyp.replace(" ", ""))[0]
    counts["chars_nospace"] += len(ref.replace(" ", ""))
    for k, ch in enumerate(ref):
        j = matched[k]
        got = hyp[j] if j >= 0 else hyp[-2 - j] if j < -1 else ""
        if ch in THAI_DIGITS or ch in ARABIC_DIGITS:
            counts[f"n:{ch}"] += 1
            counts[f"ok:{ch}"] += j >= 0
            # a digit lost together with the text around it: tesseract returned no line there
            around = matched[max(0, k - 8) : k + 9]
            counts[f"lost:{ch}"] += j == -1 and sum(m == -1 for m in around) >= 0.75 * len(around)
        elif _THAI_LETTER.match(ch) and got and (got in THAI_DIGITS or got in ARABIC_DIGITS):
            counts["letter_as_digit"] += 1
        if _THAI_LETTER.match(ch):
            counts["letters"] += 1
    # An ID counts as read when the page's text has it, all 13 digits, wherever tesseract put
    # its line (it reorders lines of skewed scans); each reading is used once.
    read_ids = Counter(re.sub(r"\D", "", fold_digits(m.group())) for m in _ANY_ID.finditer(hyp))
    for found in _ID.finditer(ref):
        digits = re.sub(r"\D", "", fold_digits(found.group()))
        if not is_valid_citizen_id(digits):
            continue  # thirteen digits of something else (a table row)
        counts["ids"] += 1
        if read_ids[digits] > 0:
            read_ids[digits] -= 1
            counts["ids_exact"] += 1


def held_out_pages(count: int, seed: int) -> list[tuple[int, str, str]]:
    """(page number, template variant, font) for `count` held-out pages, deterministic."""
    from fixtures.scans.splits import HELDOUT
    from fixtures.scans.templates import templates_for

    templates = templates_for(split="heldout")
    rng = random.Random(f"bench-digits:{seed}")
    return [(i, templates[i % len(templates)].variant, rng.choice(HELDOUT.fonts))
            for i in range(count)]


def _render_page(index: int, variant: str, font: str, seed: int) -> Page:
    from fixtures.scans.people import make_person
    from fixtures.scans.render import render
    from fixtures.scans.splits import HELDOUT
    from fixtures.scans.templates import build_document, get_template

    rng = random.Random(f"bench-digits:{seed}:{index}")
    template = get_template(variant)
    owner = make_person(rng)
    while not template.applies(owner):  # e.g. military papers name men only
        owner = make_person(rng)
    others = [make_person(rng) for _ in range(template.group)]
    spec = build_document(template, owner, others, seed=f"{seed}:{index}")
    return render(spec, font=font, degradation=HELDOUT.degradation(rng), seed=seed)[0]


@functools.lru_cache(maxsize=2)
def _reader(model: str) -> DigitReader:
    return DigitReader.load(Path(model))


def _read(image: Image.Image, stem: Path | None, languages: str, pagesegmode: int | None = None
          ) -> tuple[OcrElement, str, float]:
    """Tesseract's hOCR tree, text and seconds for `image`, kept under `stem` when given."""
    from ocrmypdf.hocrtransform import HocrParser

    from ingest.digits.page import tesseract_hocr

    if stem is not None and stem.with_suffix(".hocr").exists():
        saved = json.loads(stem.with_suffix(".json").read_text(encoding="utf-8"))
        return HocrParser(stem.with_suffix(".hocr")).parse(), saved["text"], saved["tesseract_s"]
    with tempfile.TemporaryDirectory(prefix="bench-digits-") as tmp:
        path = Path(tmp) / "page.png"
        image.save(path)
        started = time.perf_counter()
        hocr, text = tesseract_hocr(path, Path(tmp) / "page", languages=languages.split("+"),
                                    pagesegmode=pagesegmode)
        seconds = time.perf_counter() - started
        tree = HocrParser(hocr).parse()
        if stem is not None:
            stem.parent.mkdir(parents=True, exist_ok=True)
            stem.with_suffix(".hocr").write_bytes(Path(hocr).read_bytes())
            stem.with_suffix(".json").write_text(json.dumps(
                {"text": text, "tesseract_s": seconds}, ensure_ascii=False), encoding="utf-8")
    return tree, text, seconds


def run_page(job: tuple[int, str, str, int, str, str, str]) -> PageResult:
    index, variant, font, seed, languages, model, cache = job
    from PIL import Image

    from ingest.ruling import TABLE_PAGE_SEGMENTATION, erase_ruling, find_ruling
    from ingest.textlayer import Word, build_text_layer

    # --cache keeps each page's image, ground truth and tesseract readings (with their times),
    # so that comparing digit models does not run tesseract again; the key names all inputs.
    stem = Path(cache) / f"{seed}-{index}-{variant}-{font}-{languages}" if cache else None
    if stem is not None and stem.with_suffix(".png").exists():
        image: Image.Image = Image.open(stem.with_suffix(".png"))
        image.load()
        truth = json.loads(stem.with_suffix(".json").read_text(encoding="utf-8"))["truth"]
    else:
        page = _render_page(index, variant, font, seed)
        image, truth = page.image, page.ground_truth
    tree, text, tesseract_s = _read(image, stem, languages)
    if stem is not None and not stem.with_suffix(".png").exists():
        image.save(stem.with_suffix(".png"))
    if stem is not None:  # the truth beside the plain reading, as older caches have it
        saved = json.loads(stem.with_suffix(".json").read_text(encoding="utf-8"))
        if "truth" not in saved:
            stem.with_suffix(".json").write_text(json.dumps(
                {**saved, "truth": truth}, ensure_ascii=False), encoding="utf-8")
    # what ingest does: a page with a ruled table is read with its ruling erased and as one
    # block of lines (ingest.ruling, ingest.ocrplugin); any other page as it is
    started = time.perf_counter()
    ruling = find_ruling(image, 300.0, tables_only=True)
    table = erase_ruling(image, ruling) if ruling.has_table else None
    find_s = time.perf_counter() - started
    table_stem = stem.with_name(stem.name + "-table") if stem is not None else None
    ruled, (ruled_tree, ruled_text, ruled_s) = (
        (image, (tree, text, tesseract_s)) if table is None
        else (table, _read(table, table_stem, languages, TABLE_PAGE_SEGMENTATION)))
    reader = _reader(model)
    digits_s = 0.0

    def corrector(on: Image.Image) -> Callable[[list[Word]], list[Word]]:
        def correct(words: list[Word]) -> list[Word]:
            nonlocal digits_s
            started = time.perf_counter()
            out = reader.correct_words(on, words)
            digits_s += time.perf_counter() - started
            return out
        return correct

    corrected = build_text_layer(tree, text, correct=corrector(image)).text
    digits_s, plain_digits_s = 0.0, digits_s
    product = build_text_layer(ruled_tree, ruled_text, correct=corrector(ruled)).text
    counts = {name: Counter[str]() for name in SYSTEMS}
    for name, read in zip(SYSTEMS, (text, clean_ocr_text(text), corrected, product),
                          strict=True):
        score(truth, read, counts[name])
    return PageResult(font, counts, tesseract_s, plain_digits_s,
                      find_s + (ruled_s - tesseract_s) + digits_s)


def share(counts: Counter[str], hit: str, total: str) -> str:
    return f"{counts[hit] / counts[total]:7.2%}" if counts[total] else "     - "


def report(results: list[PageResult], args: argparse.Namespace, seconds: float) -> None:
    totals = {name: sum((r.counts[name] for r in results), Counter[str]()) for name in SYSTEMS}
    out = sys.stdout
    out.write(f"{len(results)} held-out pages, seed {args.seed}, tesseract -l {args.languages}, "
              f"{seconds:.0f} s wall\n\n")
    out.write(f"{'':34}" + "".join(f"{name:>12}" for name in SYSTEMS) + "\n")
    for label, digits in (("Thai digits", THAI_DIGITS), ("Arabic digits", ARABIC_DIGITS)):
        for name in SYSTEMS:
            c = totals[name]
            c[f"ok:{label}"] = sum(c[f"ok:{d}"] for d in digits)
            c[f"n:{label}"] = sum(c[f"n:{d}"] for d in digits)
            c[f"n:{label} read"] = c[f"n:{label}"] - sum(c[f"lost:{d}"] for d in digits)
        n = totals[SYSTEMS[0]][f"n:{label}"]
        out.write(f"{label + f' ({n})':34}" + "".join(
            f"{share(totals[s], f'ok:{label}', f'n:{label}'):>12}" for s in SYSTEMS) + "\n")
        for d in digits:
            n = totals[SYSTEMS[0]][f"n:{d}"]
            out.write(f"{f'  {d} ({n})':34}" + "".join(
                f"{share(totals[s], f'ok:{d}', f'n:{d}'):>12}" for s in SYSTEMS) + "\n")
    for label in ("Thai digits", "Arabic digits"):
        out.write(f"{label + ' on lines tesseract gave':34}" + "".join(
            f"{share(totals[s], f'ok:{label}', f'n:{label} read'):>12}" for s in SYSTEMS) + "\n")
    n = totals[SYSTEMS[0]]["ids"]
    out.write(f"{f'citizen IDs exact ({n})':34}" + "".join(
        f"{share(totals[s], 'ids_exact', 'ids'):>12}" for s in SYSTEMS) + "\n")
    out.write(f"{'letters read as digits':34}" + "".join(
        f"{totals[s]['letter_as_digit']:>12}" for s in SYSTEMS) + "\n")
    out.write(f"{'CER':34}" + "".join(
        f"{share(totals[s], 'edits', 'chars'):>12}" for s in SYSTEMS) + "\n")
    out.write(f"{'CER, spaces ignored':34}" + "".join(
        f"{share(totals[s], 'edits_nospace', 'chars_nospace'):>12}" for s in SYSTEMS) + "\n")
    out.write("\nper face (tesseract -> + tables): Thai digits, citizen IDs exact, CER\n")
    for font in sorted({r.font for r in results}):
        mine = [r for r in results if r.font == font]
        before, after = (sum((r.counts[s] for r in mine), Counter[str]()) for s in
                         (SYSTEMS[0], SYSTEMS[-1]))
        for c in (before, after):
            c["ok:th"] = sum(c[f"ok:{d}"] for d in THAI_DIGITS)
            c["n:th"] = sum(c[f"n:{d}"] for d in THAI_DIGITS)
        out.write(f"  {font:12} {len(mine):3} pages  {share(before, 'ok:th', 'n:th')} -> "
                  f"{share(after, 'ok:th', 'n:th')}   {share(before, 'ids_exact', 'ids')} -> "
                  f"{share(after, 'ids_exact', 'ids')}   {share(before, 'edits', 'chars')} -> "
                  f"{share(after, 'edits', 'chars')}\n")
    tess = sum(r.tesseract_s for r in results)
    reader = sum(r.digits_s for r in results)
    extra = sum(r.extra_s for r in results)
    out.write(f"\ntime per page: tesseract {tess / len(results):.2f} s; digit reader alone "
              f"{reader / len(results):.3f} s = {reader / tess:.1%} of tesseract's time; all "
              f"ingest adds (tables found and read, the reader) "
              f"{extra / len(results):.3f} s = {extra / tess:.1%}\n")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pages", type=int, default=80)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--jobs", type=int, default=2, help="pages read in parallel")
    parser.add_argument("--languages", default="tha", help="tesseract -l value (tha+eng: "
                        "as ingest.ocr runs it)")
    parser.add_argument("--model", type=Path, default=MODEL_PATH, help="digit model to use")
    parser.add_argument("--cache", type=Path, default=None, help="folder keeping pages and "
                        "tesseract's readings between runs (same seed: same pages)")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(message)s", stream=sys.stderr)
    # One thread per page for tesseract (OpenMP) and numpy (OpenBLAS), pages in parallel:
    # timings then do not depend on how many cores the thread pools happen to find free.
    # The workers are spawned, so they start with these settings.
    os.environ["OMP_THREAD_LIMIT"] = "1"
    os.environ["OPENBLAS_NUM_THREADS"] = "1"
    cache = str(args.cache) if args.cache else ""
    jobs = [(i, variant, font, args.seed, args.languages, str(args.model), cache)
            for i, variant, font in held_out_pages(args.pages, args.seed)]
    started = time.perf_counter()
    with ProcessPoolExecutor(args.jobs, mp_context=multiprocessing.get_context("spawn")) as pool:
        results = list(pool.map(run_page, jobs))
    report(results, args, time.perf_counter() - started)
    return 0


if __name__ == "__main__":
    sys.exit(main())
