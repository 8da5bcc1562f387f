"""What OCR writes where a Thai digit is printed: python -m ingest.digits.confusion [--reader].

Renders pages of the fixtures' training split (training faces, templates and noise only), reads
them with tesseract -l tha, aligns its text with the ground truth and prints, for each character
tesseract wrote in place of a Thai digit, which digits it stood for. ingest.digits.locate's
TESSERACT_MEANS is this table, with every digit kept that got at least 2 % of its occurrences.

With --reader the text is the stored one (tesseract, then the digit reader) and the table is
printed the other way round too: for each printed digit, what the stored text has there, the
channel ingest.understand.idmatch scores damaged citizen IDs with (its _THAI_READINGS).
"""

from __future__ import annotations

import argparse
import random
import re
import sys
import tempfile
from collections import Counter, defaultdict
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from archive.thai import THAI_DIGITS

DEFAULT_PAGES = 60
DEFAULT_SEED = 7
MIN_SHARE = 0.02


def page_pairs(index: int, seed: int, reader: bool = False) -> list[tuple[str, str]]:
    """(printed Thai digit, what OCR wrote there) for one training-split page: tesseract's
    text, or with `reader` the stored text (tesseract's words with the digit reader's numbers);
    a digit OCR dropped is paired with ""."""
    from rapidfuzz.distance import Levenshtein

    from fixtures.scans.people import make_person
    from fixtures.scans.render import render
    from fixtures.scans.splits import TRAIN
    from fixtures.scans.templates import build_document, get_template, templates_for
    from ingest.digits.page import tesseract_hocr

    templates = templates_for(split="train")
    rng = random.Random(f"digit-confusion:{seed}:{index}")
    template = get_template(templates[index % len(templates)].variant)
    owner = make_person(rng)
    while not template.applies(owner):
        owner = make_person(rng)
    others = [make_person(rng) for _ in range(template.group)]
    spec = build_document(template, owner, others, seed=f"{seed}:{index}")
    page = render(spec, font=rng.choice(TRAIN.fonts), degradation=TRAIN.degradation(rng),
                  seed=seed)[0]
    with tempfile.TemporaryDirectory(prefix="tabian-confusion-") as tmp:
        path = Path(tmp) / "page.png"
        page.image.save(path)
        hocr, text = tesseract_hocr(path, Path(tmp) / "page", languages=("tha",))
        if reader:
            from ocrmypdf.hocrtransform import HocrParser

            from ingest.digits.reader import default_reader
            from ingest.textlayer import build_text_layer

            digits = default_reader()
            text = build_text_layer(HocrParser(hocr).parse(), text,
                                    correct=lambda ws: digits.correct_words(page.image, ws)).text
    truth = re.sub(r"\s+", " ", page.ground_truth).strip()
    read = re.sub(r"\s+", " ", text).strip()
    matched: dict[int, str] = {}
    for op in Levenshtein.opcodes(truth, read):
        if op.tag in ("equal", "replace") and op.src_end - op.src_start == (
            op.dest_end - op.dest_start
        ):
            for k in range(op.src_end - op.src_start):
                matched[op.src_start + k] = read[op.dest_start + k]
    return [(ch, matched.get(i, "")) for i, ch in enumerate(truth) if ch in THAI_DIGITS]


def _job(args: tuple[int, int, bool]) -> list[tuple[str, str]]:
    return page_pairs(*args)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m ingest.digits.confusion",
                                     description=__doc__)
    parser.add_argument("--pages", type=int, default=DEFAULT_PAGES)
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--reader", action="store_true",
                        help="the stored text (tesseract + digit reader), not tesseract's")
    args = parser.parse_args(argv)
    jobs = [(i, args.seed, args.reader) for i in range(args.pages)]
    with ProcessPoolExecutor(args.workers) as pool:
        pairs = [p for page in pool.map(_job, jobs) for p in page]
    printed = Counter(d for d, _ in pairs)
    stands_for: dict[str, Counter[str]] = defaultdict(Counter)
    read_as: dict[str, Counter[str]] = defaultdict(Counter)
    for digit, written in pairs:
        stands_for[written][digit] += 1
        read_as[digit][written] += 1
    out = sys.stdout
    if args.reader:
        out.write("printed -> what the stored text has there (share; '' = dropped)\n")
        for digit in THAI_DIGITS:
            total = printed[digit]
            detail = " ".join(f"{w or '∅'}:{n / total:.3f}" for w, n in
                              read_as[digit].most_common(6))
            out.write(f"{digit} ({total}) {detail}\n")
        out.write("\nwritten -> printed digits it stood for\n")
    for written, digits in sorted(stands_for.items(), key=lambda kv: -sum(kv[1].values())):
        kept = "".join(sorted(d for d, n in digits.items()
                              if n >= 2 and n >= MIN_SHARE * printed[d]))
        detail = " ".join(f"{d}:{n}/{printed[d]}" for d, n in digits.most_common())
        out.write(f"{written!r:6} -> {kept or '-':10} {detail}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
