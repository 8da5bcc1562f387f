"""Search quality on fixture queries: Tabian's embedded search beside naive tokenisers.

Run: .venv/bin/python benchmarks/bench_search_quality.py [--docs 2000] [--per-kind 60]

The documents are synthetic scans' text (fixtures.scans templates, 1-3 pages) as OCR reads
it: tone marks dropped, ำ split, lines read glyph by glyph, stray spaces, ๓/๕/๘ confused
(benchmarks/search_corpus.py). They go through the real archive: catalog rows, text objects,
outbox, indexer. Relevance is judged on the printed ground truth, so a document whose OCR
text lost the match still counts as relevant.

Query kinds: document-type phrases (the subject lines of the papers), full names (with or
without title; relevant: documents that write the name, or are filed under that person),
order references (Arabic and Thai digits, two queries per order), and
multi-word phrases (2-3 words from a line of prose, typed with spaces). recall@10 is |relevant in
the top 10| / min(|relevant|, 10); MRR is 1 / rank of the first relevant hit (0 past 10).

The baselines index the same stored text as generic tools do: split on whitespace, or on
non-word characters (\\w, as SQLite's unicode61 or a default regex tokenizer: Thai vowel and
tone marks are not word characters, so words fall apart at them); all query tokens must
match; BM25 ranks.
"""

from __future__ import annotations

import argparse
import math
import random
import re
import sys
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
for path in (REPO_ROOT, REPO_ROOT / "benchmarks"):
    if str(path) not in sys.path:
        sys.path.insert(0, str(path))

from search_corpus import SyntheticDocument, make_corpus, make_persons, plain  # noqa: E402

from archive.archive import Archive, open_archive  # noqa: E402
from archive.config import load_settings  # noqa: E402
from archive.thai import clean_ocr_text  # noqa: E402
from fixtures.scans.thai import thai_digits  # noqa: E402
from search import Scope, SearchQuery, drain, open_index  # noqa: E402
from tests.search.archive_docs import add_person, store_document  # noqa: E402

K = 10


@dataclass(frozen=True)
class FixtureQuery:
    kind: str
    text: str
    relevant: frozenset[str]


# --- the fixture queries ---------------------------------------------------------------------

def _relevant(docs: Sequence[SyntheticDocument], needle: str) -> frozenset[str]:
    key = plain(needle)
    return frozenset(d.document_id for d in docs if key in plain(d.truth))


def _ref_relevant(docs: Sequence[SyntheticDocument], ref: str) -> frozenset[str]:
    pattern = re.compile(rf"(?<![0-9]){re.escape(ref)}(?![0-9])")
    return frozenset(d.document_id for d in docs if pattern.search(plain(d.truth)))


def _subjects(docs: Sequence[SyntheticDocument]) -> list[str]:
    found: Counter[str] = Counter()
    for d in docs:
        for line in d.truth.split("\n"):
            if m := re.match(r"\s*เรื่อง\s+(\S.+)", line):
                found[m.group(1).strip()] += 1
    return [s for s, n in found.most_common() if n >= 2]


def make_queries(docs: Sequence[SyntheticDocument], per_kind: int, seed: int,
                 ) -> list[FixtureQuery]:
    rng = random.Random(f"queries:{seed}")
    queries: list[FixtureQuery] = []
    subjects = _subjects(docs)
    for text in rng.sample(subjects, min(per_kind, len(subjects))):
        queries.append(FixtureQuery("document type", text, _relevant(docs, text)))
    people = {p.citizen_id: p for d in docs for p in [d.owner]}
    for person in rng.sample(sorted(people.values(), key=lambda p: p.citizen_id),
                             min(per_kind, len(people))):
        bare = f"{person.first_name} {person.last_name}"
        text = person.full_name if rng.random() < 0.5 else bare
        # relevant: the name is written in it, or it is filed under that person (a birth
        # certificate writes "ชื่อ สุนิสา ชื่อสกุล นาคประเสริฐ", never the name in one piece)
        filed = frozenset(d.document_id for d in docs if d.owner.citizen_id == person.citizen_id)
        queries.append(FixtureQuery("full name", text, _relevant(docs, bare) | filed))
    with_refs = [d for d in docs if d.order_ref]
    for d in rng.sample(with_refs, min(per_kind // 2, len(with_refs))):
        assert d.order_ref is not None
        relevant = _ref_relevant(docs, d.order_ref)
        if not relevant:  # the template printed the ref differently (e.g. a letter number)
            continue
        queries.append(FixtureQuery("order ref (Arabic)", d.order_ref, relevant))
        queries.append(FixtureQuery("order ref (Thai)", thai_digits(d.order_ref), relevant))
    while sum(q.kind == "multi-word phrase" for q in queries) < per_kind:
        d = rng.choice(docs)
        # prose, not the rows of a table of names and numbers (names and refs have their kinds)
        lines = [ln for ln in d.truth.replace("\f", "\n").split("\n")
                 if len(ln.split()) >= 3 and not re.search(r"[0-9๐-๙]", ln)]
        if not lines:
            continue
        words = rng.choice(lines).split()
        n = rng.choice((2, 3))
        start = rng.randrange(len(words) - n + 1)
        picked = words[start:start + n]
        if any(len(w) < 2 for w in picked) or not any(len(w) >= 4 for w in picked):
            continue
        text = " ".join(picked)
        queries.append(FixtureQuery("multi-word phrase", text, _relevant(docs, text)))
    return [q for q in queries if q.relevant]


# --- naive baselines --------------------------------------------------------------------------

def whitespace_tokens(text: str) -> list[str]:
    return text.casefold().split()


def word_tokens(text: str) -> list[str]:
    return re.findall(r"\w+", text.casefold())


class NaiveIndex:
    """An inverted index with BM25, all query tokens required: what generic tools do."""

    def __init__(self, tokenize: Callable[[str], list[str]]) -> None:
        self.tokenize = tokenize
        self.postings: dict[str, dict[str, int]] = defaultdict(dict)
        self.lengths: dict[str, int] = {}

    def add(self, document_id: str, text: str) -> None:
        tokens = self.tokenize(text)
        self.lengths[document_id] = len(tokens)
        for token, n in Counter(tokens).items():
            self.postings[token][document_id] = n

    def search(self, text: str, k: int = K) -> list[str]:
        tokens = list(dict.fromkeys(self.tokenize(text)))
        if not tokens or any(t not in self.postings for t in tokens):
            return []
        docs = set.intersection(*(set(self.postings[t]) for t in tokens))
        n = len(self.lengths)
        avg = sum(self.lengths.values()) / max(n, 1)
        def score(d: str) -> float:
            total = 0.0
            for t in tokens:
                df, tf = len(self.postings[t]), self.postings[t][d]
                idf = math.log(1 + (n - df + 0.5) / (df + 0.5))
                total += idf * tf * 2.2 / (tf + 1.2 * (0.25 + 0.75 * self.lengths[d] / avg))
            return total
        return sorted(docs, key=score, reverse=True)[:k]


# --- measuring -------------------------------------------------------------------------------

def measure(run: Callable[[str], list[str]], queries: Sequence[FixtureQuery],
            ) -> dict[str, tuple[float, float, int]]:
    """kind -> (recall@10, MRR, queries), plus 'all'."""
    per_kind: dict[str, list[tuple[float, float]]] = defaultdict(list)
    for q in queries:
        top = run(q.text)[:K]
        found = sum(1 for d in top if d in q.relevant)
        recall = found / min(len(q.relevant), K)
        rank = next((i for i, d in enumerate(top, 1) if d in q.relevant), None)
        per_kind[q.kind].append((recall, 1 / rank if rank else 0.0))
        per_kind["all"].append((recall, 1 / rank if rank else 0.0))
    return {kind: (sum(r for r, _ in v) / len(v), sum(m for _, m in v) / len(v), len(v))
            for kind, v in per_kind.items()}


def load_archive(archive: Archive, docs: Sequence[SyntheticDocument]) -> None:
    """Persons, then each document as ingest stores it: cleaned text, owner linked, outbox."""
    seen: set[str] = set()
    for d in docs:
        if d.owner.citizen_id not in seen:
            seen.add(d.owner.citizen_id)
            o = d.owner
            add_person(archive, o.citizen_id, o.prefix, o.first_name, o.last_name, o.unit)
        store_document(archive, clean_ocr_text(d.text), name=d.original_name,
                       category=d.category, persons=[(d.owner.citizen_id, "linked")],
                       document_id=d.document_id, created_at=d.created_at)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--docs", type=int, default=2000)
    parser.add_argument("--persons", type=int, default=200)
    parser.add_argument("--per-kind", type=int, default=60)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)

    persons = make_persons(args.persons, args.seed)
    docs = list(make_corpus(args.docs, seed=args.seed, persons=persons))
    queries = make_queries(docs, args.per_kind, args.seed)
    noise = Counter(d.noise for d in docs)
    print(f"{len(docs)} documents ({', '.join(f'{n} {k}' for k, n in noise.items())} OCR), "
          f"{sum(len(d.text) for d in docs) // len(docs)} characters each on average; "
          f"{len(queries)} queries")

    baselines = {"whitespace": NaiveIndex(whitespace_tokens), r"\w tokens": NaiveIndex(word_tokens)}
    for d in docs:
        stored = clean_ocr_text(d.text)
        for naive in baselines.values():
            naive.add(d.document_id, stored)

    with tempfile.TemporaryDirectory(prefix="tabian-quality-") as tmp:
        archive = open_archive(load_settings(Path(tmp)))
        started = time.monotonic()
        load_archive(archive, docs)
        index = open_index(archive.settings)
        drain(archive, index)
        print(f"stored and indexed through the archive in {time.monotonic() - started:.0f} s")
        everyone = Scope.all_records()

        def tabian(text: str) -> list[str]:
            result = index.search(SearchQuery(text, everyone, limit=K))
            return [h.document_id for h in result.hits]

        systems = {"tabian embedded": tabian}
        systems.update({f"naive {name}": ix.search for name, ix in baselines.items()})
        results = {name: measure(run, queries) for name, run in systems.items()}
        index.close()
        archive.close()

    kinds = ["document type", "full name", "order ref (Arabic)", "order ref (Thai)",
             "multi-word phrase", "all"]
    header = f"{'query kind':<20} {'n':>4}" + "".join(f" | {name:^23}" for name in systems)
    print(header)
    print(f"{'':<25}" + "".join(f" | {'recall@10':>11} {'MRR':>11}" for _ in systems))
    for kind in kinds:
        n = results["tabian embedded"].get(kind, (0, 0, 0))[2]
        row = f"{kind:<20} {n:>4}"
        for name in systems:
            recall, mrr, _ = results[name].get(kind, (0.0, 0.0, 0))
            row += f" | {recall:>11.3f} {mrr:>11.3f}"
        print(row)
    return 0


if __name__ == "__main__":
    sys.exit(main())
