"""The registry of known persons as understanding needs it: names and IDs in fast lookup
forms, built once per process and rebuilt when the persons table changes."""

from __future__ import annotations

import functools
import re
import threading
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

import numpy as np
from rapidfuzz import fuzz, process
from rapidfuzz.distance import Levenshtein
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from archive.catalog.models import Person, Unit
from ingest.understand import idmatch
from ingest.understand.normal import match_key

SHORTLIST = 20
NAME_CUTOFF = 85.0  # rapidfuzz ratio on name keys


@dataclass(frozen=True)
class Known:
    pk: int
    citizen_id: str
    prefix: str
    first_name: str
    last_name: str
    unit: str = ""  # the name of the person's unit (a school, an office), "" if none
    birth: date | None = None  # registered date of birth

    @property
    def full_name(self) -> str:
        sep = " " if self.prefix.startswith("ว่าที่") else ""
        return f"{self.prefix}{sep}{self.first_name} {self.last_name}"


# The namesake share a registry is taken to have before its own names are counted, and how
# many persons' worth of weight that guess carries (RegistryIndex.namesake_share).
NAMESAKE_PRIOR, NAMESAKE_PRIOR_WEIGHT = 0.1, 10


# How papers print a registered title: in full or abbreviated (as match keys, the same
# either way for the rest: ว่าที่ ร.ต.หญิง is ว่าที่ร้อยตรีหญิง).
_TITLE_FORMS = (("นางสาว", "น.ส."), ("ว่าที่ร้อยตรีหญิง", "ว่าที่ ร.ต.หญิง"),
                ("ว่าที่ร้อยตรี", "ว่าที่ ร.ต."), ("ว่าที่ร้อยโท", "ว่าที่ ร.ท."),
                ("ว่าที่ร้อยเอก", "ว่าที่ ร.อ."))


def title_forms(prefix: str) -> tuple[str, ...]:
    """The ways a paper may print a registered person's title (prefix): as registered, and
    the other of its full and abbreviated forms."""
    key = match_key(prefix)
    for forms in _TITLE_FORMS:
        if key in (match_key(f) for f in forms):
            return (prefix, *(f for f in forms if match_key(f) != key))
    return (prefix,)


@dataclass
class RegistryIndex:
    persons: list[Known]
    by_id: dict[str, int] = field(default_factory=dict)
    by_name: dict[str, list[int]] = field(default_factory=dict)  # name key -> person indices
    by_first: dict[str, list[int]] = field(default_factory=dict)
    name_keys: list[str] = field(default_factory=list)
    ids: np.ndarray = field(default_factory=lambda: np.zeros((0, 13), dtype=np.int64))
    plain: list[str] = field(default_factory=list)
    expected: list[str] = field(default_factory=list)
    # Title, first name and surname run together as match keys ("นายสมชายใจดี"): a name OCR
    # broke with stray spaces or a line break is still one run of these letters.
    by_titled: dict[str, list[int]] = field(default_factory=dict)
    titled: re.Pattern[str] | None = None
    unit_keys: list[str] = field(default_factory=list)
    unit_names: list[str] = field(default_factory=list)  # distinct unit keys
    _expected_ids: np.ndarray | None = None

    @classmethod
    def build(cls, persons: list[Known]) -> RegistryIndex:
        index = cls(persons)
        by_name: dict[str, list[int]] = defaultdict(list)
        by_first: dict[str, list[int]] = defaultdict(list)
        by_titled: dict[str, list[int]] = defaultdict(list)
        for i, p in enumerate(persons):
            index.by_id[p.citizen_id] = i
            by_name[name_key(p.first_name, p.last_name)].append(i)
            by_first[match_key(p.first_name)].append(i)
            if len(match_key(p.first_name)) >= 2 and len(match_key(p.last_name)) >= 2:
                for title in title_forms(p.prefix):
                    by_titled[match_key(title + p.first_name + p.last_name)].append(i)
        index.by_name, index.by_first = dict(by_name), dict(by_first)
        index.by_titled = dict(by_titled)
        if by_titled:
            keys = sorted(by_titled, key=len, reverse=True)
            index.titled = re.compile("|".join(re.escape(k) for k in keys))
        index.unit_keys = [match_key(p.unit) for p in persons]
        index.unit_names = sorted({k for k in index.unit_keys if k})
        index.name_keys = list(index.by_name)
        index.plain = [p.citizen_id for p in persons]
        index.expected = [idmatch.expected_reading(c) for c in index.plain]
        index.ids = idmatch.id_matrix(index.plain)
        return index

    def __len__(self) -> int:
        return len(self.persons)

    @functools.cached_property
    def namesake_share(self) -> float:
        """How likely someone's full name is by chance a registry person's, estimated from the
        registry itself: the share of its persons who share their full name with another
        (each of n persons meets n-1 others' names, as an outsider meets n). Thai surnames are
        registered one per family, so in an agency's registry this is small; a registry drawn
        from few names shows it large. Smoothed towards NAMESAKE_PRIOR, so that a registry of
        a few persons does not pass for one of distinct names."""
        shared = sum(len(group) for group in self.by_name.values() if len(group) > 1)
        return (shared + NAMESAKE_PRIOR * NAMESAKE_PRIOR_WEIGHT) / \
            (len(self.persons) + NAMESAKE_PRIOR_WEIGHT)

    def names_like(self, first: str, last: str) -> list[tuple[int, float]]:
        """Registry persons whose name matches, with a similarity 0-100 (100 = same key)."""
        key = name_key(first, last)
        exact = self.by_name.get(key)
        if exact:
            return [(i, 100.0) for i in exact]
        out: list[tuple[int, float]] = []
        for match_name, score, _ in process.extract(key, self.name_keys, scorer=fuzz.ratio,
                                                    score_cutoff=NAME_CUTOFF, limit=5):
            out.extend((i, float(score)) for i in self.by_name[match_name])
        return out

    def _shortlist(self, symbols: str) -> set[int]:
        """Registry IDs closest to the reading as printed, or as Thai OCR usually misreads."""
        if self._expected_ids is None:
            self._expected_ids = idmatch.id_matrix(self.expected)
        return _closest(symbols, self.plain, self.ids) | _closest(
            idmatch.expected_reading(symbols), self.expected, self._expected_ids)

    def ids_like(self, symbols: str, *, arabic: bool) -> list[tuple[int, float, float]]:
        """(person index, posterior, log-likelihood ratio) for registry IDs near a reading."""
        if not len(self):
            return []
        if len(symbols) == 13 and symbols in self.by_id:
            # Read exactly as registered (the check digit held too): no doubt to weigh.
            return [(self.by_id[symbols], 1.0, 30.0)]
        shortlist = self._shortlist(symbols)
        picked = sorted(shortlist)
        scores, background = idmatch.score_registry(symbols, self.ids[picked], arabic=arabic)
        post = idmatch.posterior(scores, background, len(self),
                                 other_number=idmatch.not_an_id(symbols, arabic=arabic))
        return [(i, float(p), float(s - background))
                for i, p, s in zip(picked, post, scores, strict=True)]


def _closest(query: str, choices: list[str], matrix: np.ndarray) -> set[int]:
    if len(query) == 13:
        # Same length: count agreeing positions for every ID at once (numpy, no Python loop).
        read = np.array([int(c) if c.isdigit() else -1 for c in query])
        agree = (matrix == read).sum(axis=1)
        k = min(SHORTLIST, len(agree))
        return {int(i) for i in np.argpartition(-agree, k - 1)[:k]}
    return {int(i) for _c, _d, i in process.extract(query, choices, scorer=Levenshtein.distance,
                                                    limit=SHORTLIST)}


def name_key(first: str, last: str) -> str:
    return f"{match_key(first)} {match_key(last)}"


_lock = threading.Lock()
_cache: dict[str, tuple[tuple[object, ...], RegistryIndex]] = {}


def registry_index(session: Session) -> RegistryIndex:
    """The registry of the session's catalog; rebuilt only when persons changed."""
    bind = session.get_bind()
    url = str(bind.engine.url)
    stamp = tuple(session.execute(
        select(func.count(Person.id), func.max(Person.id), func.max(Person.updated_at))
    ).one())
    with _lock:
        cached = _cache.get(url)
        if cached is not None and cached[0] == stamp:
            return cached[1]
    rows = session.execute(
        select(Person.id, Person.citizen_id, Person.prefix, Person.first_name, Person.last_name,
               Unit.name, Person.birth_date)
        .outerjoin(Unit, Person.unit_id == Unit.id)
        .order_by(Person.id)
    ).all()
    index = RegistryIndex.build([Known(*row[:5], unit=row[5] or "", birth=row[6])
                                 for row in rows])
    with _lock:
        _cache[url] = (stamp, index)
    return index
