"""Embedded search at scale: indexing rate, index size, latency of mixed queries.

Run: .venv/bin/python benchmarks/bench_search_latency.py [--docs 100000] [--queries 1000]
     [--through-archive 2000] [--dir PATH [--reuse]]

Documents are synthetic OCR text of 1-3 pages (benchmarks/search_corpus.py). The index is
written as the indexer writes it (index document built, search keys, pairs, compressed
text), in batches of 500; the rate counts that work, not generating the text or the OCR
clean-up ingest does before storing it. --through-archive N also
times the whole way for N documents: catalog rows, text objects, outbox, drain.

The query mix: full names (with and without title), order refs (Thai and Arabic digits),
document-type phrases, multi-word phrases, citizen IDs, two-character Thai queries, and some
with a category or person filter. Latency is wall time of SearchIndex.search in this process
(query planning, FTS5, snippets), first page of 10; the load average is printed beside it
because other work on the machine shows in the figures.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Iterator, Sequence
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
for path in (REPO_ROOT, REPO_ROOT / "benchmarks"):
    if str(path) not in sys.path:
        sys.path.insert(0, str(path))

from bench_search_quality import load_archive  # noqa: E402
from search_corpus import SyntheticDocument, make_corpus, make_persons  # noqa: E402

from archive.archive import open_archive  # noqa: E402
from archive.config import load_settings  # noqa: E402
from archive.thai import clean_ocr_text, find_order_refs  # noqa: E402
from fixtures.scans.thai import thai_digits  # noqa: E402
from search import IndexDocument, IndexedPerson, Scope, SearchQuery, drain, open_index  # noqa: E402
from search.documents import DocumentFacts, build_document  # noqa: E402
from search.embedded import EmbeddedIndex  # noqa: E402

BATCH = 500
SUBJECTS = (
    "บรรจุและแต่งตั้งข้าราชการครู", "เลื่อนเงินเดือน", "ทะเบียนบ้าน", "ลงโทษภาคทัณฑ์",
    "ใบอนุญาตประกอบวิชาชีพครู", "รายงานตัวเข้าปฏิบัติหน้าที่", "ศึกษาดูงาน",
    "ตรวจสอบประวัติบุคคล", "เครื่องราชอิสริยาภรณ์", "ขอลาป่วย", "ย้ายข้าราชการครู",
    "ผู้อำนวยการโรงเรียน", "หนังสือรับรอง", "ความสามารถพิเศษ", "กฎอัยการศึก",
)


def index_document(d: SyntheticDocument, stored_text: str) -> IndexDocument:
    """What the indexer builds from the catalog for this document (owner linked)."""
    o = d.owner
    facts = DocumentFacts(
        document_id=d.document_id, original_name=d.original_name, category=d.category,
        stored_on=d.created_at.date(), text_key=None, text_sha256=None,
        persons=(IndexedPerson(o.citizen_id, o.full_name, "linked", o.unit),), entry_refs=(),
    )
    return build_document(facts, stored_text)


def build(index: EmbeddedIndex, docs: Iterator[SyntheticDocument], n: int,
          ) -> tuple[float, float, list[SyntheticDocument]]:
    """Index every document; return the wall and CPU seconds indexing took, and a sample."""
    sample: list[SyntheticDocument] = []
    rng = random.Random("sample")
    spent = spent_cpu = 0.0
    pending: list[SyntheticDocument] = []
    for i, d in enumerate(docs, 1):
        if len(sample) < 2000:
            sample.append(d)
        elif rng.random() < 2000 / i:
            sample[rng.randrange(len(sample))] = d
        pending.append(d)
        if len(pending) == BATCH or i == n:
            # the text as ingest stores it (its OCR clean-up is ingest's work, not timed here)
            stored = [clean_ocr_text(doc.text) for doc in pending]
            started, cpu = time.perf_counter(), time.process_time()
            with index.batch() as batch:
                for doc, text in zip(pending, stored, strict=True):
                    batch.upsert(index_document(doc, text))
            spent += time.perf_counter() - started
            spent_cpu += time.process_time() - cpu
            pending = []
            if i % 10_000 == 0:
                print(f"  {i} documents indexed, {i / spent:.0f}/s", file=sys.stderr, flush=True)
    return spent, spent_cpu, sample


def mixed_queries(sample: Sequence[SyntheticDocument], count: int, seed: int,
                  ) -> list[tuple[str, SearchQuery]]:
    rng = random.Random(f"mix:{seed}")
    everyone = Scope.all_records()
    out: list[tuple[str, SearchQuery]] = []
    kinds = (("full name", 25), ("order ref", 20), ("document type", 15), ("phrase", 15),
             ("citizen ID", 5), ("two characters", 5), ("filtered", 15))
    names = [k for k, _ in kinds]
    weights = [w for _, w in kinds]
    while len(out) < count:
        kind = rng.choices(names, weights)[0]
        d = rng.choice(sample)
        o = d.owner
        if kind == "full name":
            text = o.full_name if rng.random() < 0.5 else f"{o.first_name} {o.last_name}"
        elif kind == "order ref":
            refs = [str(r) for r in find_order_refs(d.truth)]
            if not refs:
                continue
            text = rng.choice(refs)
            text = thai_digits(text) if rng.random() < 0.5 else text
        elif kind == "document type":
            text = rng.choice(SUBJECTS)
        elif kind == "phrase":
            words = [w for w in rng.choice(d.truth.split("\n")).split()
                     if len(w) >= 3 and not any(c.isdigit() for c in w)]
            if len(words) < 2:
                continue
            start = rng.randrange(len(words) - 1)
            text = " ".join(words[start:start + rng.choice((2, 3))])
        elif kind == "citizen ID":
            text = o.citizen_id
        elif kind == "two characters":
            text = rng.choice(("นา", "ปู่", "ใจ", "ศรี", "ดี", "สุข", "ทอง", "บุญ"))[:3]
        else:
            text = rng.choice((o.first_name, rng.choice(SUBJECTS)))
            if rng.random() < 0.5:
                out.append((kind, SearchQuery(text, everyone, category=d.category)))
            else:
                out.append((kind, SearchQuery(text, everyone, citizen_id=o.citizen_id)))
            continue
        out.append((kind, SearchQuery(text, everyone)))
    return out


def percentile(values: Sequence[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def through_archive(n: int, seed: int) -> None:
    persons = make_persons(max(20, n // 10), seed + 7)
    docs = list(make_corpus(n, seed=seed + 7, persons=persons))
    with tempfile.TemporaryDirectory(prefix="tabian-drain-") as tmp:
        archive = open_archive(load_settings(Path(tmp)))
        index = open_index(archive.settings)
        drain(archive, index)  # a new index is built first (empty here)
        started = time.perf_counter()
        load_archive(archive, docs)
        stored = time.perf_counter() - started
        started, cpu = time.perf_counter(), time.process_time()
        report = drain(archive, index)
        drained, drained_cpu = time.perf_counter() - started, time.process_time() - cpu
        index.close()
        archive.close()
    print(f"through the archive, {n} documents: storing them (catalog rows, text objects, "
          f"outbox) {n / stored:.0f}/s; the indexer's drain {report.upserted} documents at "
          f"{n / drained:.0f}/s ({n / drained_cpu:.0f}/s of CPU time)")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--docs", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--through-archive", type=int, default=2000, metavar="N")
    parser.add_argument("--dir", type=Path, help="where to build the index (default: a temp dir)")
    parser.add_argument("--reuse", action="store_true",
                        help="query the index already in --dir (same --seed) instead of building")
    args = parser.parse_args(argv)

    workdir = args.dir or Path(tempfile.mkdtemp(prefix="tabian-latency-"))
    path = workdir / "search.sqlite3"
    index = EmbeddedIndex(path)
    if args.reuse and path.is_file():
        index.open()
        # the same seed makes the same documents: query the first ones
        sample = list(make_corpus(2000, seed=args.seed))
        print(f"reusing the index in {path}: {len(index.fingerprints())} documents")
    else:
        for old in workdir.glob("search.sqlite3*"):
            old.unlink()
        index.open()
        docs = make_corpus(args.docs, seed=args.seed)
        print(f"indexing {args.docs} synthetic documents into {path}", file=sys.stderr)
        spent, spent_cpu, sample = build(index, docs, args.docs)
        started = time.perf_counter()
        index.optimize()  # as `tabian reindex` leaves it
        optimized = time.perf_counter() - started
        chars = sum(len(d.text) for d in sample) / len(sample)
        pages = sum(d.text.count("\f") + 1 for d in sample) / len(sample)
        size = index.size_bytes()
        print(f"documents: {args.docs}, {pages:.2f} pages and {chars:.0f} characters each "
              "(sample)")
        print(f"indexing: {args.docs / spent:.0f} documents/s ({spent:.0f} s in batches of "
              f"{BATCH}; {args.docs / spent_cpu:.0f}/s of CPU time), then {optimized:.0f} s "
              "to merge the FTS segments")
        print(f"index size: {size / 2**20:.0f} MiB, {size / args.docs:.0f} bytes/document "
              f"({path.stat().st_size / args.docs:.0f} on disk with free pages)")

    queries = mixed_queries(sample, args.queries, args.seed)
    for _kind, q in queries[:20]:  # warm the page cache and compiled patterns
        index.search(q)
    timings: dict[str, list[float]] = defaultdict(list)
    cpu_times: list[float] = []
    slowest: list[tuple[float, str, SearchQuery]] = []
    load_before = os.getloadavg()[0]
    for kind, q in queries:
        started, cpu = time.perf_counter(), time.process_time()
        index.search(q)
        elapsed = (time.perf_counter() - started) * 1000
        timings[kind].append(elapsed)
        cpu_times.append((time.process_time() - cpu) * 1000)
        slowest = sorted([*slowest, (elapsed, kind, q)], key=lambda t: -t[0])[:5]
    load_after = os.getloadavg()[0]
    every = [t for ts in timings.values() for t in ts]
    print(f"latency of {len(every)} mixed queries (ms, load average {load_before:.1f} -> "
          f"{load_after:.1f} on {os.cpu_count()} cores):")
    print(f"  {'all':<16} p50 {percentile(every, 50):6.1f}  p95 {percentile(every, 95):6.1f}  "
          f"p99 {percentile(every, 99):6.1f}  max {max(every):6.1f}")
    print(f"  {'all, CPU time':<16} p50 {percentile(cpu_times, 50):6.1f}  "
          f"p95 {percentile(cpu_times, 95):6.1f}  p99 {percentile(cpu_times, 99):6.1f}")
    for kind, ts in sorted(timings.items()):
        print(f"  {kind:<16} p50 {percentile(ts, 50):6.1f}  p95 {percentile(ts, 95):6.1f}  "
              f"mean {statistics.fmean(ts):6.1f}  (n={len(ts)})")
    print("  slowest:")
    for elapsed, kind, q in slowest:
        filters = ", ".join(f"{k}={v}" for k, v in (("category", q.category),
                                                      ("citizen_id", q.citizen_id)) if v)
        print(f"    {elapsed:6.1f} ms  {kind}: {q.text!r} {filters}")
    index.close()
    if args.through_archive:
        through_archive(args.through_archive, args.seed)
    return 0


if __name__ == "__main__":
    sys.exit(main())
