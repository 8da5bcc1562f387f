"""Train the digit glyph classifier: python -m ingest.digits.train [--lines N] [--seed S]."""

from __future__ import annotations

import argparse
import functools
import logging
import random
import sys
import time
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import ImageFont

from archive.thai import THAI_DIGITS, THAI_MONTHS, THAI_MONTHS_ABBR
from ingest.digits.model import (
    CLASS_INDEX,
    CLASSES,
    MODEL_PATH,
    REJECT,
    GlyphClassifier,
    Network,
)
from ingest.digits.segment import (
    FEATURES,
    Glyph,
    cut_candidates,
    features,
    is_noise,
    line_metrics,
    segment,
    split_at,
)
from ingest.digits.synth import Token, damage, glyph_labels, random_scan, render_line

log = logging.getLogger(__name__)

CONSONANTS = "กขฃคฅฆงจฉชซฌญฎฏฐฑฒณดตถทธนบปผฝพฟภมยรฤลฦวศษสหฬอฮ"
FINALS = "กงดนบมยวรลสต"
WORDS = (
    "ที่", "เลขประจำตัวประชาชน", "บาท", "วันที่", "ตำแหน่ง", "คำสั่ง", "เรื่อง", "ข้าราชการ",
    "โรงเรียน", "จังหวัด", "อำเภอ", "ตำบล", "นาย", "นาง", "นางสาว", "เงินเดือน", "อัตรา", "เลขที่",
    "ลงวันที่", "สำนักงาน", "เขต", "ครู", "ผู้อำนวยการ", "หมู่ที่", "บ้านเลขที่", "ถนน", "ฉบับ",
    "หน้า", "เล่ม", "ตอน", "ประกาศ", "ให้", "ตั้งแต่", "ถึง", "ปี", "เดือน", "วัน", "ครั้ง", "ชั้น",
    "ระดับ", "คศ", "ลำดับ", "จำนวน", "รวม", "ฯลฯ", "ๆ", "ฯ", "ศธ", "นร", "อว", "มท", "กค", "ก.พ.",
    "ก.ค.ศ.", "สด.", "พ.ศ.", "ค.ศ.", "น.", "ร.ศ.", *THAI_MONTHS, *THAI_MONTHS_ABBR,
)
LATIN = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
# Thai letters and signs whose shapes come nearest a digit's in some face (ด ค ต like ๑ ๓, ว ล
# like ๖, ๆ like ๔ ๕, ฯ like ๙, ผ พ like ๘, อ like ๐ ...): drawn alone and beside numbers, so
# the reject class learns them where they stand apart from a word's context.
LOOKALIKES = "ดตคถลญๆฯวอฮรธจผฝพฟฒณฉฐบปซนมยหฬงศษสฅฆกโฤฦ"
PUNCTUATION = ("(", ")", ":", '"', "'", "%", "*", "+", "=", "_", "!", "?", ";", "[", "]", "|")
TLWG_DIR = Path("/usr/share/fonts/truetype/tlwg")
FONT_DIRS = tuple(Path("/usr/share/fonts/truetype") / d for d in ("noto", "arundina", "dejavu"))
# Where scripts/fetch_digit_fonts.sh puts the npm @fontsource faces
FONTSOURCE_DIR = Path(__file__).resolve().parents[2] / ".cache" / "digit-fonts"
# (family, weight, Thai-only); loopless Noto Sans Thai is drawn most: it alone shows that style
# among the Debian faces
THAI_FAMILIES = (
    ("ArundinaSans", 1.0, False), ("ArundinaSansMono", 1.0, False),
    ("ArundinaSerif", 1.0, False), ("NotoSansThai", 3.0, True), ("NotoSerifThai", 1.5, True),
    ("NotoLoopedThai", 1.5, True),
)
# Google Fonts' builds of Thai faces, as npm @fontsource packages (Thai subset, weights 300 to
# 700, upright): the national fonts of the 2010 Cabinet resolution that government papers are
# set in (Sarabun, the standard, drawn most; Chakra Petch, Bai Jamjuree, Charm, Charmonman,
# Fahkwang, K2D, Kodchasan, KoHo, Krub, Mali, Niramit), modern loopless faces seen on forms and
# certificates (Kanit, Prompt, Mitr, IBM Plex Sans Thai) and looped text faces (Athiti, Pridi,
# Taviraj, Trirong, IBM Plex Sans Thai Looped). (npm slug, weight)
FONTSOURCE_FAMILIES = (
    ("sarabun", 2.0), ("chakra-petch", 0.5), ("bai-jamjuree", 0.5), ("charm", 0.3),
    ("charmonman", 0.3), ("fahkwang", 0.5), ("k2d", 0.5), ("kodchasan", 0.5), ("koho", 0.5),
    ("krub", 0.5), ("mali", 0.5), ("niramit", 0.5), ("kanit", 0.6), ("prompt", 0.6),
    ("mitr", 0.5), ("ibm-plex-sans-thai", 0.6), ("athiti", 0.5), ("pridi", 0.5),
    ("taviraj", 0.5), ("trirong", 0.5), ("ibm-plex-sans-thai-looped", 0.5),
)
FONTSOURCE_WEIGHTS = ("300", "400", "500", "600", "700")
LATIN_FAMILIES = (
    "DejaVuSans", "DejaVuSansCondensed", "DejaVuSerif", "DejaVuSerifCondensed", "DejaVuSansMono",
    "NotoSans", "NotoSerif", "NotoSansDisplay", "NotoSerifDisplay",
)
LATIN_SHARE = 0.35  # lines whose Arabic digits and Latin come from a Latin face
DEFAULT_LINES = 4000
FRAGMENT_SHARE = 0.3  # of wide letter glyphs also given as two pieces, labelled reject
DEFAULT_SEED = 20260126
DEFAULT_EPOCHS = 8
HIDDEN = (256, 128)
# What kind of line each member draws, and how often
KINDS = (("number", "word", "syllables", "latin", "punct"), (0.38, 0.2, 0.27, 0.07, 0.08))
KINDS_HARD = ((*KINDS[0], "lookalike"), (*KINDS[1], 0.12))


@dataclass(frozen=True)
class Member:
    """One network of the ensemble: its seed (added to --seed), the share of its lines bent
    elastically, and whether it also sees digit-like letters and letter pieces (hard)."""

    seed: int
    warp_share: float
    hard: bool
    lines: int | None = None  # rendered lines and epochs for this member: None, --lines/--epochs
    epochs: int | None = None


# Every member bends some lines elastically: members that never did were far worse on unseen
# faces (held-out Sawasdee glyph error 13% against 1.7%). Held-out benchmark, Thai digits: the
# four hard members alone 97.27%, with the two plain ones (the 0.5-warp members of the previous
# four-member model, reproduced here) 97.85%.
MEMBERS = (
    Member(1000, 0.5, False), Member(3000, 0.5, False),
    Member(0, 0.6, True), Member(1000, 0.6, True), Member(2000, 0.6, True),
    Member(3000, 0.6, True),
)


@dataclass(frozen=True)
class TrainFamily:
    """A family drawn for training lines: all its style files, and how often it is drawn."""

    name: str
    files: tuple[str, ...]
    weight: float = 1.0
    thai_only: bool = False  # no Latin glyphs: Arabic digits and Latin come from a Latin face


def _family_files(name: str, dirs: Sequence[Path]) -> tuple[str, ...]:
    return tuple(sorted({str(p) for d in dirs if d.is_dir() for p in d.glob(f"{name}*.ttf")
                         if p.stem.partition("-")[0] == name}))


def _fontsource_files(slug: str, dirs: Sequence[Path]) -> tuple[str, ...]:
    """An @fontsource package's upright Thai-subset files, wherever the package was unpacked
    below one of `dirs` (its files/ folder)."""
    return tuple(sorted({str(p) for d in dirs if d.is_dir()
                         for p in d.glob(f"**/{slug}-thai-*-normal.woff")
                         if p.stem.split("-")[-2] in FONTSOURCE_WEIGHTS}))


def train_families(font_dirs: Sequence[Path] = ()) -> tuple[list[TrainFamily], list[TrainFamily]]:
    """(Thai faces, Latin faces) to draw. Thai: the fixtures' training faces and Purisa
    (fonts-thai-tlwg), Arundina (fonts-arundina), Noto Thai in every weight and width
    (fonts-noto-core, fonts-noto-extra), whose loopless Noto Sans Thai is the modern style, and
    the @fontsource faces of FONTSOURCE_FAMILIES (scripts/fetch_digit_fonts.sh). Latin faces
    (DejaVu, Noto) widen the shapes of Arabic digits. Held-out faces never."""
    from fixtures.scans.splits import HELDOUT_FONTS, TRAIN_FONTS

    dirs = (*font_dirs, *FONT_DIRS)
    thai = [TrainFamily(name, _family_files(name, (TLWG_DIR,))) for name in (*TRAIN_FONTS,
                                                                             "Purisa")]
    thai += [TrainFamily(name, _family_files(name, dirs), weight, thai_only)
             for name, weight, thai_only in THAI_FAMILIES]
    thai += [TrainFamily(slug, _fontsource_files(slug, (*font_dirs, FONTSOURCE_DIR)), weight,
                         True) for slug, weight in FONTSOURCE_FAMILIES]
    latin = [TrainFamily(name, _family_files(name, dirs)) for name in LATIN_FAMILIES]
    missing = [f.name for f in (*thai, *latin) if not f.files]
    if missing:
        raise SystemExit("training fonts missing: " + ", ".join(missing) + "; run "
                         "scripts/fetch_digit_fonts.sh (as root: it installs the Debian "
                         "packages fonts-thai-tlwg fonts-arundina fonts-noto-core "
                         "fonts-noto-extra fonts-dejavu-core and unpacks the @fontsource "
                         f"faces into {FONTSOURCE_DIR}), or pass --font-dir")
    held_out = {name.lower() for name in HELDOUT_FONTS}
    assert not {f.name.lower().replace("-", "") for f in thai} & held_out
    return thai, latin


# -- text ------------------------------------------------------------------------------------


def _syllable(rng: random.Random) -> str:
    text = rng.choice(("", "", "", "เ", "แ", "โ", "ใ", "ไ")) + rng.choice(CONSONANTS)
    if rng.random() < 0.1:
        text += rng.choice("รลว")
    above = rng.choice(("", "", "", "ิ", "ี", "ึ", "ื", "ุ", "ู", "ั", "็"))
    text += above
    if above != "็":
        text += rng.choice(("", "", "", "่", "้", "๊", "๋"))
    if not above:
        text += rng.choice(("", "", "า", "ะ", "ำ"))
    if rng.random() < 0.45:
        text += rng.choice(FINALS) + ("์" if rng.random() < 0.05 else "")
    return text


def _split_dots(text: str) -> list[Token]:
    """Abbreviations (ม.ค.) as separate tokens, so each full stop is labelled a full stop."""
    out: list[Token] = []
    for i, part in enumerate(text.split(".")):
        if i:
            out.append(".")
        if part:
            out.append(part)
    return out


def _number(rng: random.Random, thai: bool, hard: bool) -> list[Token]:
    def digits(n: int) -> str:
        return "".join(str(rng.randint(0, 9)) for _ in range(n))

    kind = rng.choices(
        ("id", "slash_date", "ref", "money", "decimal", "plain", "phone", "listing"),
        (0.22, 0.15, 0.15, 0.12, 0.06, 0.2, 0.05, 0.05),
    )[0]
    if kind == "id":
        d = digits(13)
        parts = (d[0], d[1:5], d[5:10], d[10:12], d[12])
        text = rng.choice(("-".join(parts), " ".join(parts), d))
    elif kind == "slash_date":
        text = f"{rng.randint(1, 31)}/{rng.randint(1, 12)}/{rng.randint(2480, 2570)}"
    elif kind == "ref":
        text = f"{rng.randint(1, 9999)}/{rng.randint(2480, 2570)}"
    elif kind == "money":
        text = f"{rng.randint(1000, 999999):,}" + (f".{digits(2)}" if rng.random() < 0.2 else "")
    elif kind == "decimal":
        text = f"{rng.randint(0, 999)}.{digits(rng.randint(1, 2))}"
    elif kind == "phone":
        text = f"0-{digits(4)}-{digits(4)}"
    elif kind == "listing":
        text = f"{rng.randint(1, 30)}."
    else:
        text = digits(rng.choice((1, 1, 2, 2, 3, 4, 5)))
    if thai:
        text = text.translate(str.maketrans("0123456789", THAI_DIGITS))
    tokens = list(text)
    if hard and thai and rng.random() < 0.15:  # a letter standing in a number: "๑ด๒", "ค.๒๕"
        tokens.insert(rng.randint(0, len(tokens)), rng.choice(LOOKALIKES))
    return tokens


def _lookalikes(rng: random.Random) -> list[Token]:
    """Single letters that look like digits, each its own glyph, spaced or set together."""
    out: list[Token] = []
    for _ in range(rng.randint(1, 4)):
        if out and rng.random() < 0.5:
            out.append(" ")
        out.append(rng.choice(LOOKALIKES))
    return out


def random_line(rng: random.Random, hard: bool = True) -> list[Token]:
    """A line of an official paper's kind: Thai words, numbers in Thai or Arabic digits, Latin;
    `hard` adds letters that look like digits, alone and inside numbers."""
    thai = rng.random() < 0.65
    tokens: list[Token] = []
    numbers_only = rng.random() < 0.15
    for _ in range(rng.randint(3, 9)):
        kind = "number" if numbers_only else rng.choices(*(KINDS_HARD if hard else KINDS))[0]
        if kind == "number":
            item = _number(rng, thai, hard)
        elif kind == "lookalike":
            item = _lookalikes(rng)
        elif kind == "word":
            item = _split_dots(rng.choice(WORDS))
        elif kind == "syllables":
            item = ["".join(_syllable(rng) for _ in range(rng.randint(1, 3)))]
        elif kind == "latin":
            item = _split_dots("".join(rng.choice(LATIN) for _ in range(rng.randint(1, 7))))
        else:
            item = [rng.choice(PUNCTUATION)]
        if tokens and (numbers_only or rng.random() < 0.65):
            tokens.append(" ")
        tokens += item
    return tokens


# -- samples ---------------------------------------------------------------------------------


@functools.lru_cache(maxsize=512)
def _font(path: str, size: int) -> ImageFont.FreeTypeFont:
    from fixtures.scans.fonts import layout_engine

    return ImageFont.truetype(path, size, layout_engine=layout_engine())


@functools.lru_cache(maxsize=1024)
def _consonant_ratio(path: str) -> float:
    box = _font(path, 200).getbbox("ก")
    return (box[3] - box[1]) / 200


@functools.lru_cache(maxsize=1024)
def _x_ratio(path: str) -> float:
    box = _font(path, 200).getbbox("x")
    return (box[3] - box[1]) / 200


def line_samples(seed: int, faces: tuple[list[TrainFamily], list[TrainFamily]],
                 warp_share: float = 0.5, hard: bool = True) -> tuple[np.ndarray, np.ndarray]:
    """Features and class indices of the glyphs of one rendered, damaged line (`hard`: with
    digit-like letters and pieces of letters for the reject class)."""
    thai, latin_faces = faces
    rng = random.Random(seed)
    family = rng.choices(thai, [f.weight for f in thai])[0]
    path = rng.choice(family.files)
    x_height = rng.uniform(20.0, 44.0)
    font = _font(path, max(8, round(x_height / _consonant_ratio(path))))
    latin = None
    if family.thai_only or rng.random() < LATIN_SHARE:
        latin_path = rng.choice(rng.choice(latin_faces).files)
        # Latin x-height is about a Thai consonant's height: size it the same way as "x"
        latin = _font(latin_path, max(8, round(x_height / _x_ratio(latin_path))))
    tokens = random_line(rng, hard)
    image, labels = render_line(tokens, font, x_height=x_height, latin=latin)
    scan = random_scan(rng, warp_share=warp_share)
    image, labels = damage(image, labels, scan, x_height=x_height)
    glyphs = segment(np.asarray(image), threshold_scale=scan.threshold_scale)
    metrics = line_metrics(glyphs)
    if metrics is None:
        return np.zeros((0, FEATURES), np.float32), np.zeros(0, np.int64)
    glyphs = [g for g in glyphs if not is_noise(g, metrics)]
    totals = np.bincount(labels.ravel(), minlength=len(tokens) + 1)
    kept: list[Glyph] = []
    classes: list[int] = []
    for glyph, label in zip(glyphs, glyph_labels(glyphs, labels, tokens, totals), strict=True):
        if label is not None:
            kept.append(glyph)
            classes.append(CLASS_INDEX[label])
        # Pieces of letters, as a bad cut or broken strokes leave them, are not digits.
        wide = 0.9 * metrics.x_height < glyph.width <= 1.4 * metrics.x_height
        if hard and label == REJECT and wide and rng.random() < FRAGMENT_SHARE:
            for part in split_at(glyph, cut_candidates(glyph, 2)):
                if not is_noise(part, metrics):
                    kept.append(part)
                    classes.append(CLASS_INDEX[REJECT])
        # The reader cuts wide blobs; teach it what the pieces of touching glyphs look like.
        if glyph.width > 1.4 * metrics.x_height:
            for pieces in (2, 3):
                parts = split_at(glyph, cut_candidates(glyph, pieces))
                part_labels = glyph_labels(parts, labels, tokens, totals)
                for part, part_label in zip(parts, part_labels, strict=True):
                    if part_label is not None and not is_noise(part, metrics):
                        kept.append(part)
                        classes.append(CLASS_INDEX[part_label])
    if not kept:
        return np.zeros((0, FEATURES), np.float32), np.zeros(0, np.int64)
    return features(kept, metrics), np.array(classes, dtype=np.int64)


Faces = tuple[list[TrainFamily], list[TrainFamily]]


def _chunk(job: tuple[list[int], Faces, float, bool]) -> tuple[np.ndarray, np.ndarray]:
    seeds, faces, warp_share, hard = job
    parts = [line_samples(s, faces, warp_share, hard) for s in seeds]
    return np.concatenate([p[0] for p in parts]), np.concatenate([p[1] for p in parts])


def build_dataset(lines: int, seed: int, workers: int, faces: Faces, warp_share: float,
                  hard: bool = True) -> tuple[np.ndarray, np.ndarray]:
    rng = random.Random(seed)
    seeds = [rng.getrandbits(48) for _ in range(lines)]
    chunks = [(seeds[i : i + 200], faces, warp_share, hard) for i in range(0, lines, 200)]
    if workers > 1:
        with ProcessPoolExecutor(workers) as pool:
            parts = list(pool.map(_chunk, chunks))
    else:
        parts = [_chunk(c) for c in chunks]
    return np.concatenate([p[0] for p in parts]), np.concatenate([p[1] for p in parts])


# -- the network -----------------------------------------------------------------------------


def fit(x: np.ndarray, y: np.ndarray, *, seed: int, epochs: int) -> Network:
    """Softmax MLP trained with Adam on minibatches (plain numpy, deterministic for a seed)."""
    rng = np.random.default_rng(seed)
    mean = x.mean(axis=0)
    scale = 1.0 / (x.std(axis=0) + 0.05)
    xs = ((x - mean) * scale).astype(np.float32)
    sizes = (x.shape[1], *HIDDEN, len(CLASSES))
    weights = [rng.normal(0, np.sqrt(2.0 / a), (a, b)).astype(np.float32)
               for a, b in zip(sizes, sizes[1:], strict=False)]
    biases = [np.zeros(b, np.float32) for b in sizes[1:]]
    params = [*weights, *biases]
    moment1 = [np.zeros_like(p) for p in params]
    moment2 = [np.zeros_like(p) for p in params]
    batch, step, decay = 256, 0, 1e-5
    for epoch in range(epochs):
        lr = 2e-3 * (0.5 ** (epoch / 4))
        order = rng.permutation(len(xs))
        loss_sum = 0.0
        for start in range(0, len(order), batch):
            idx = order[start : start + batch]
            acts = [xs[idx]]
            for i, (w, b) in enumerate(zip(weights, biases, strict=True)):
                h = acts[-1] @ w + b
                acts.append(np.maximum(h, 0) if i < len(weights) - 1 else h)
            logits = acts[-1] - acts[-1].max(axis=1, keepdims=True)
            prob = np.exp(logits)
            prob /= prob.sum(axis=1, keepdims=True)
            target = y[idx]
            loss_sum += float(-np.log(prob[np.arange(len(idx)), target] + 1e-9).sum())
            grad = prob
            grad[np.arange(len(idx)), target] -= 1
            grad /= len(idx)
            grads_w: list[np.ndarray] = []
            grads_b: list[np.ndarray] = []
            for i in range(len(weights) - 1, -1, -1):
                grads_w.insert(0, acts[i].T @ grad + decay * weights[i])
                grads_b.insert(0, grad.sum(axis=0))
                if i:
                    grad = (grad @ weights[i].T) * (acts[i] > 0)
            step += 1
            for p, g, m1, m2 in zip(params, [*grads_w, *grads_b], moment1, moment2,
                                    strict=True):
                m1 *= 0.9
                m1 += 0.1 * g
                m2 *= 0.999
                m2 += 0.001 * g * g
                p -= lr * (m1 / (1 - 0.9**step)) / (np.sqrt(m2 / (1 - 0.999**step)) + 1e-8)
        log.info("epoch %d: loss %.4f", epoch + 1, loss_sum / len(xs))
    return Network(mean.astype(np.float32), scale.astype(np.float32), tuple(weights),
                   tuple(biases))


def _check(model: Network, x: np.ndarray, y: np.ndarray) -> None:
    wrong = model.probabilities(x).argmax(axis=1) != y
    rejected = y == CLASS_INDEX[REJECT]
    log.info("check: %.4f wrong (%d digits/separators misread, %d rejects taken as one)",
             wrong.mean(), np.sum(wrong & ~rejected), np.sum(wrong & rejected))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m ingest.digits.train", description=__doc__)
    parser.add_argument("--lines", type=int, default=DEFAULT_LINES,
                        help="rendered lines per member")
    parser.add_argument("--members", type=int, default=len(MEMBERS),
                        help="networks in the ensemble (the first of MEMBERS)")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--epochs", type=int, default=DEFAULT_EPOCHS)
    parser.add_argument("--hard-lines", type=int, default=None,
                        help="rendered lines per hard member (default: its recipe's, or --lines)")
    parser.add_argument("--hard-epochs", type=int, default=None,
                        help="epochs per hard member (default: its recipe's, or --epochs)")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--out", type=Path, default=MODEL_PATH)
    parser.add_argument("--font-dir", type=Path, action="append", default=[],
                        help="a folder with the Noto, Arundina and DejaVu files, if they are "
                        "not installed")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s", stream=sys.stderr)
    started = time.monotonic()
    faces = train_families(args.font_dir)
    log.info("training faces: %s", ", ".join(f"{f.name} ({len(f.files)})"
                                             for group in faces for f in group))
    members = []
    for k, recipe in enumerate(MEMBERS[: args.members]):
        # Each member renders its own lines: members that saw different things disagree where
        # a face is new, and their mean hedges.
        seed = args.seed + recipe.seed
        lines = (args.hard_lines if recipe.hard else None) or recipe.lines or args.lines
        epochs = (args.hard_epochs if recipe.hard else None) or recipe.epochs or args.epochs
        x, y = build_dataset(lines, seed, args.workers, faces, recipe.warp_share, recipe.hard)
        counts = np.bincount(y, minlength=len(CLASSES))
        log.info("member %d: %d glyphs from %d lines (%.0f s); per class: %s", k + 1, len(y),
                 lines, time.monotonic() - started,
                 " ".join(f"{c}:{n}" for c, n in zip(CLASSES, counts, strict=True)))
        cut = len(y) * 19 // 20  # the last lines check the fit (same faces: not the benchmark)
        member = fit(x[:cut], y[:cut], seed=seed, epochs=epochs)
        _check(member, x[cut:], y[cut:])
        members.append(member)
    model = GlyphClassifier(tuple(members))
    model.save(args.out)
    log.info("wrote %s (%d bytes) in %.0f s", args.out, args.out.stat().st_size,
             time.monotonic() - started)
    return 0


if __name__ == "__main__":
    sys.exit(main())
