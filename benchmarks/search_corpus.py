"""Synthetic evidence documents for the search benchmarks: real template wording, OCR damage."""

from __future__ import annotations

import random
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from fixtures.scans.people import Person, make_person
from fixtures.scans.spec import DocumentSpec
from fixtures.scans.templates import TEMPLATES, build_document
from fixtures.scans.thai import arabic_digits, baht, format_citizen_id, num
from fixtures.scans.tpl.common import Template
from fixtures.scans.wrap import can_break_before

TONE_MARKS = "\u0e48\u0e49\u0e4a\u0e4b"
# The confusions DOMAIN.md names: ๓/๕/๘/๙ and ๒/๖/๐.
DIGIT_CONFUSIONS = {"๓": "๕๘", "๕": "๓๘", "๘": "๓๕๙", "๙": "๘", "๒": "๖", "๖": "๐๒", "๐": "๖"}


@dataclass(frozen=True)
class OcrNoise:
    """How badly one scan was read; rates are per character (or per line for spacing)."""

    name: str
    tone_drop: float = 0.0
    sara_am_split: float = 0.0
    digit_confusion: float = 0.0
    spaced_line: float = 0.0
    stray_space: float = 0.0


CLEAN = OcrNoise("clean")
LIGHT = OcrNoise("light", tone_drop=0.03, sara_am_split=0.3, digit_confusion=0.01,
                 spaced_line=0.03, stray_space=0.005)
HEAVY = OcrNoise("heavy", tone_drop=0.12, sara_am_split=0.7, digit_confusion=0.04,
                 spaced_line=0.12, stray_space=0.02)
NOISE_MIX = ((CLEAN, 0.3), (LIGHT, 0.5), (HEAVY, 0.2))


@dataclass
class SyntheticDocument:
    """One stored document as ingest would leave it, with its ground truth for judging."""

    document_id: str
    original_name: str
    category: str
    variant: str
    truth: str  # the text as printed, pages joined by form feeds
    text: str  # the text as OCR read it
    owner: Person
    named: tuple[str, ...]  # citizen IDs of everyone the document names
    order_ref: str | None
    created_at: datetime
    noise: str


def wrap_lines(paragraph: str, rng: random.Random) -> list[str]:
    """Break a paragraph into printed lines of 55-90 characters, never inside a cluster."""
    lines: list[str] = []
    rest = paragraph
    while len(rest) > 90:
        cut = rng.randint(55, 90)
        while cut < len(rest) and not can_break_before(rest, cut) and rest[cut - 1] != " ":
            cut += 1
        lines.append(rest[:cut].rstrip())
        rest = rest[cut:].lstrip()
    lines.append(rest)
    return lines


def damage(text: str, noise: OcrNoise, rng: random.Random) -> str:
    """What a Thai OCR engine makes of clean text: the error kinds of DOMAIN.md."""
    if noise is CLEAN:
        return text
    out_lines = []
    for line in text.split("\n"):
        chars: list[str] = []
        for ch in line:
            r = rng.random()
            if ch in TONE_MARKS and r < noise.tone_drop:
                continue
            if ch == "\u0e33" and r < noise.sara_am_split:
                chars.append("\u0e4d\u0e32")
                continue
            if ch in DIGIT_CONFUSIONS and r < noise.digit_confusion:
                chars.append(rng.choice(DIGIT_CONFUSIONS[ch]))
                continue
            chars.append(ch)
            if r > 1 - noise.stray_space and "\u0e01" <= ch <= "\u0e2e":
                chars.append(" ")
        out = "".join(chars)
        if rng.random() < noise.spaced_line:
            out = " ".join(out)  # a line read glyph by glyph
        out_lines.append(out)
    return "\n".join(out_lines)


def _pick(rng: random.Random, owner: Person, category: str | None = None) -> Template:
    pool = [t for t in TEMPLATES
            if t.applies(owner) and (category is None or t.category == category)]
    return rng.choice(pool)


def _wrapped(text: str, rng: random.Random) -> str:
    return "\n".join(ln for para in text.split("\n") for ln in wrap_lines(para, rng))


def attachment(spec: DocumentSpec, people: Sequence[Person], rng: random.Random) -> str:
    """A list page (บัญชีรายละเอียดแนบท้าย) of the kind group orders carry: 15-30 rows."""
    thai = rng.random() < 0.75
    ref = f" ที่ {num(spec.order_ref, thai=thai)}" if spec.order_ref else ""
    lines = [f"บัญชีรายละเอียดแนบท้าย{spec.title.split(' ')[0]}{ref}",
             "ลำดับ ชื่อ - สกุล เลขประจำตัวประชาชน ตำแหน่ง สถานศึกษา เงินเดือน หมายเหตุ"]
    for n, p in enumerate(rng.sample(list(people), min(len(people), rng.randint(15, 30))), 1):
        lines.append(" ".join((
            num(n, thai=thai), p.full_name, format_citizen_id(p.citizen_id, thai=thai),
            rng.choice(("ครู", "ครูผู้ช่วย", "ครูชำนาญการ", "ครูชำนาญการพิเศษ")), p.unit,
            baht(p.salary, thai=thai), rng.choice(("", "", "ย้ายตามคำร้องขอ", "ช่วยราชการ")),
        )).strip())
    return "\n".join(lines)


def make_persons(n: int, seed: int) -> list[Person]:
    rng = random.Random(f"persons:{seed}")
    persons: list[Person] = []
    seen: set[str] = set()
    while len(persons) < n:
        p = make_person(rng)
        if p.citizen_id not in seen:
            seen.add(p.citizen_id)
            persons.append(p)
    return persons


def make_corpus(n: int, *, seed: int = 1, persons: Sequence[Person] | None = None,
                noise_mix: Sequence[tuple[OcrNoise, float]] = NOISE_MIX,
                ) -> Iterator[SyntheticDocument]:
    """n documents of 1-3 pages, about ten per person, each read with some OCR damage."""
    people = list(persons) if persons is not None else make_persons(max(20, n // 10), seed)
    # Group orders list people from all over the service area, not only the owners here.
    listed = [*people, *make_persons(len(people) * 5, seed + 1)]
    rng = random.Random(f"corpus:{seed}")
    levels = [lvl for lvl, _ in noise_mix]
    weights = [w for _, w in noise_mix]
    start = datetime(2024, 1, 1, tzinfo=UTC)
    for i in range(n):
        owner = people[rng.randrange(len(people))]
        others = rng.sample(people, min(6, len(people)))
        others = [p for p in others if p.citizen_id != owner.citizen_id]
        template = _pick(rng, owner)
        spec = build_document(template, owner, others, seed=f"{seed}:{i}")
        # Pages scanned with the main paper: a list of names, or more of the person's file.
        pages = [_wrapped(spec.text, rng)]
        named = list(spec.persons)
        for k in range(rng.choices((0, 1, 2), (0.5, 0.3, 0.2))[0]):
            if rng.random() < 0.5:
                pages.append(attachment(spec, listed, rng))
                continue
            more = build_document(_pick(rng, owner, template.category), owner, others,
                                  seed=f"{seed}:{i}:{k}")
            pages.append(_wrapped(more.text, rng))
            named.extend(more.persons)
        truth = "\f".join(pages)
        noise = rng.choices(levels, weights)[0]
        yield SyntheticDocument(
            document_id=f"{seed:04d}{i:028d}",
            original_name=f"{template.variant.replace('/', '-')}-{i}.pdf",
            category=template.category, variant=template.variant, truth=truth,
            text=damage(truth, noise, rng), owner=owner, named=tuple(dict.fromkeys(named)),
            order_ref=spec.order_ref, created_at=start + timedelta(minutes=i),
            noise=noise.name,
        )


def plain(text: str) -> str:
    """Ground-truth matching form, independent of the product: Arabic digits, no whitespace."""
    return "".join(arabic_digits(text).split()).casefold()
