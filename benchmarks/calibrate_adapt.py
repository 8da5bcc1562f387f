"""Where ingest.digits.adapt's TYPICAL and APART come from: how far a digit glyph lies from
the page's other glyphs of the same digit, on training faces only.

Run: .venv/bin/python benchmarks/calibrate_adapt.py [--scans 4] [--seed 7]

Every style file of the fixtures' training faces and Purisa (fonts-thai-tlwg) is one "page"
per scan: four lines, each Thai digit six times and each Arabic digit twice, in random order,
damaged by one scan drawn as the digit model's training draws them (no elastic warp: one page
is one face). Each glyph's distance to the centre of the page's other glyphs of its digit
(ingest.digits.adapt.shape) is divided by the page's unit (ingest.digits.adapt.page_spread);
the printed quantiles are TYPICAL (99 %) and APART (99.9 %). Held-out faces are never drawn.
"""

from __future__ import annotations

import argparse
import random
import sys
from dataclasses import replace
from pathlib import Path

import numpy as np

REPO_ROOT = Path(__file__).resolve().parent.parent
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

from archive.thai import THAI_DIGITS  # noqa: E402
from fixtures.scans.splits import HELDOUT_FONTS, TRAIN_FONTS  # noqa: E402
from ingest.digits.adapt import page_spread, shape  # noqa: E402
from ingest.digits.model import ARABIC_DIGITS  # noqa: E402
from ingest.digits.segment import is_noise, line_metrics, segment  # noqa: E402
from ingest.digits.synth import damage, glyph_labels, random_scan, render_line  # noqa: E402
from ingest.digits.train import TLWG_DIR, _consonant_ratio, _family_files, _font  # noqa: E402


def page_distances(path: str, rng: random.Random) -> list[float]:
    """One page in one face file: each digit glyph's distance to its digit's other glyphs,
    in the page's unit."""
    scan = replace(random_scan(rng), warp=0.0)
    x_height = rng.uniform(24.0, 38.0)
    font = _font(path, max(8, round(x_height / _consonant_ratio(path))))
    found: list[tuple[np.ndarray, str]] = []
    for script in (THAI_DIGITS, THAI_DIGITS, THAI_DIGITS, ARABIC_DIGITS):
        digits = list(script * 2)
        rng.shuffle(digits)
        tokens = ["ที่", " "]
        for d in digits:
            tokens += [d, " "] if rng.random() < 0.5 else [d]
        image, labels = render_line(tokens, font, x_height=x_height)
        image, labels = damage(image, labels, replace(scan, seed=rng.getrandbits(32)),
                               x_height=x_height)
        glyphs = segment(np.asarray(image), threshold_scale=scan.threshold_scale)
        metrics = line_metrics(glyphs)
        if metrics is None:
            continue
        glyphs = [g for g in glyphs if not is_noise(g, metrics)]
        for glyph, label in zip(glyphs, glyph_labels(glyphs, labels, tokens), strict=True):
            if label is not None and (label in THAI_DIGITS or label in ARABIC_DIGITS):
                found.append((shape(glyph), label))
    out: list[float] = []
    for script in (THAI_DIGITS, ARABIC_DIGITS):
        mine = [(v, label) for v, label in found if label in script]
        if len(mine) < 10:
            continue
        views = np.array([v for v, _ in mine])
        labels = np.array([label for _, label in mine])
        unit = page_spread(views, labels)
        for i in range(len(mine)):
            mates = labels == labels[i]
            mates[i] = False
            if mates.any():
                out.append(float(np.linalg.norm(views[i] - views[mates].mean(axis=0))) / unit)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scans", type=int, default=4, help="pages per face file")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    families = (*TRAIN_FONTS, "Purisa")
    assert not set(families) & set(HELDOUT_FONTS)
    rng = random.Random(args.seed)
    ratios: list[float] = []
    files = [path for name in families for path in _family_files(name, (TLWG_DIR,))]
    for path in files:
        for _ in range(args.scans):
            ratios += page_distances(path, rng)
    r = np.array(ratios)
    sys.stdout.write(f"{len(files)} face files x {args.scans} scans, {len(r)} glyphs: distance "
                     "to the centre of the page's other glyphs of the digit, in page units\n")
    for q in (90.0, 99.0, 99.9):
        sys.stdout.write(f"  {q:5.1f} %  {np.percentile(r, q):.2f}\n")
    sys.stdout.write(f"  max      {r.max():.2f}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
