"""The search endpoint under load: GET /api/v1/search with N concurrent clients on 127.0.0.1.

Run: nice .venv/bin/python benchmarks/bench_http_search.py [--docs 100000] [--clients 20]
     [--seconds 60] [--dir PATH [--reuse]]

The data dir gets an embedded index of --docs synthetic OCR documents
(benchmarks/search_corpus.py, built as bench_search_latency.py builds it) whose owners sit in
the schools of one education office, and a registrar over that office with an API token: the
scope filter of clause 6.1 applies to every query and covers the whole corpus. `tabian serve`
runs in a subprocess on a free port; the clients (threads, one keep-alive connection each)
send the mixed queries of bench_search_latency.py (names, order refs in Thai and Arabic
digits, phrases, citizen IDs, filtered queries) for --seconds, and every request is timed end
to end: authentication, the outbox check, the index, the audit event, JSON. The load average
and the server's CPU time are printed beside the figures, since other work on the machine
shows in them.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter, defaultdict
from collections.abc import Iterator
from pathlib import Path

import httpx

REPO_ROOT = Path(__file__).resolve().parent.parent
for path in (REPO_ROOT, REPO_ROOT / "benchmarks"):
    if str(path) not in sys.path:
        sys.path.insert(0, str(path))

from bench_search_latency import BATCH, mixed_queries, percentile  # noqa: E402
from search_corpus import SyntheticDocument, make_corpus  # noqa: E402

from api.access import Role  # noqa: E402
from api.access.accounts import create_user, grant  # noqa: E402
from api.access.sessions import create_token  # noqa: E402
from archive.archive import Archive, open_archive  # noqa: E402
from archive.catalog import Unit, User  # noqa: E402
from archive.config import load_settings  # noqa: E402
from archive.thai import clean_ocr_text  # noqa: E402
from search import IndexDocument, IndexedPerson  # noqa: E402
from search.documents import DocumentFacts, build_document  # noqa: E402
from search.embedded import FILE_NAME, EmbeddedIndex  # noqa: E402

OFFICE = "สำนักงานเขตพื้นที่การศึกษาประถมศึกษาขอนแก่น เขต 1"
USERNAME = "bench-registrar"
MARKER = "bench_http_search.json"


def index_document(d: SyntheticDocument) -> IndexDocument:
    """What the indexer builds for this document: its owner linked, in a school of OFFICE."""
    o = d.owner
    facts = DocumentFacts(
        document_id=d.document_id, original_name=d.original_name, category=d.category,
        stored_on=d.created_at.date(), text_key=None, text_sha256=None,
        persons=(IndexedPerson(o.citizen_id, o.full_name, "linked", f"{OFFICE} > {o.unit}"),),
        entry_refs=(),
    )
    return build_document(facts, clean_ocr_text(d.text))


def build_index(data_dir: Path, docs: Iterator[SyntheticDocument], n: int,
                ) -> list[SyntheticDocument]:
    """Write the index the server will search; returns a sample of documents for queries."""
    index = EmbeddedIndex(data_dir / FILE_NAME)
    index.open()
    sample: list[SyntheticDocument] = []
    rng = random.Random("sample")
    started = time.perf_counter()
    pending: list[SyntheticDocument] = []
    for i, d in enumerate(docs, 1):
        if len(sample) < 2000:
            sample.append(d)
        elif rng.random() < 2000 / i:
            sample[rng.randrange(len(sample))] = d
        pending.append(d)
        if len(pending) == BATCH or i == n:
            with index.batch() as batch:
                for doc in pending:
                    batch.upsert(index_document(doc))
            pending = []
            if i % 10_000 == 0:
                print(f"  {i} documents indexed, {i / (time.perf_counter() - started):.0f}/s",
                      file=sys.stderr, flush=True)
    index.optimize()
    index.close()
    spent = time.perf_counter() - started
    print(f"index: {n} documents in {spent:.0f} s (generating, cleaning and indexing), "
          f"{(data_dir / FILE_NAME).stat().st_size / 2**20:.0f} MiB", file=sys.stderr)
    return sample


def caller_token(archive: Archive) -> str:
    """A registrar over OFFICE (made once) and a fresh API token for this run."""
    with archive.catalog.session() as s:
        if s.query(Unit).filter_by(path=OFFICE).one_or_none() is None:
            s.add(Unit(name=OFFICE, path=OFFICE, parent_id=None))
            s.flush()
        user = s.query(User).filter_by(username=USERNAME).one_or_none()
        if user is None:
            user = create_user(s, username=USERNAME, display_name="Benchmark registrar",
                               actor="bench", unit_path=OFFICE)
            grant(s, user=user, role=Role.REGISTRAR, actor="bench", unit_path=OFFICE)
        token, _ = create_token(s, user, name=f"bench {time.time():.0f}", actor="bench")
    return token


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_server(data_dir: Path, port: int) -> subprocess.Popen[bytes]:
    server = subprocess.Popen(
        [sys.executable, "-m", "api.cli", "--data-dir", str(data_dir), "serve",
         "--host", "127.0.0.1", "--port", str(port)],
        cwd=REPO_ROOT, stdout=subprocess.DEVNULL,
        env={**os.environ, "PYTHONPATH": str(REPO_ROOT)})
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"the server exited with status {server.returncode}")
        try:
            if httpx.get(f"http://127.0.0.1:{port}/api/v1/health", timeout=2).status_code == 200:
                return server
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    server.kill()
    raise SystemExit("the server did not answer within 120 s")


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def drive(base: str, token: str, queries: list[tuple[str, dict[str, str]]], clients: int,
          seconds: float) -> tuple[dict[str, list[float]], Counter[int], float]:
    """`clients` threads send queries for `seconds`; latencies (ms) by kind, statuses."""
    timings: dict[str, list[float]] = defaultdict(list)
    statuses: Counter[int] = Counter()
    lock = threading.Lock()
    start = threading.Barrier(clients + 1)
    stop_at = [0.0]

    def client(n: int) -> None:
        rng = random.Random(f"client:{n}")
        mine: list[tuple[str, float, int]] = []
        with httpx.Client(base_url=base, headers={"Authorization": f"Bearer {token}"},
                          timeout=60) as http:
            start.wait()
            while time.perf_counter() < stop_at[0]:
                kind, params = queries[rng.randrange(len(queries))]
                began = time.perf_counter()
                try:
                    status = http.get("/api/v1/search", params=params).status_code
                except httpx.HTTPError:
                    status = 0
                mine.append((kind, (time.perf_counter() - began) * 1000, status))
        with lock:
            for kind, ms, status in mine:
                statuses[status] += 1
                if status == 200:
                    timings[kind].append(ms)

    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    for t in threads:
        t.start()
    stop_at[0] = time.perf_counter() + seconds
    began = time.perf_counter()
    start.wait()
    for t in threads:
        t.join()
    return timings, statuses, time.perf_counter() - began


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--docs", type=int, default=100_000)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--queries", type=int, default=5000, help="distinct queries in the mix")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--dir", type=Path, help="work folder (default: a temp dir, removed)")
    parser.add_argument("--reuse", action="store_true",
                        help="reuse the data dir already built in --dir (same --docs, --seed)")
    args = parser.parse_args(argv)

    workdir = args.dir or Path(tempfile.mkdtemp(prefix="tabian-http-bench-"))
    data_dir = workdir / "data"
    marker = workdir / MARKER
    wanted = {"docs": args.docs, "seed": args.seed}
    reuse = args.reuse and marker.is_file() and json.loads(marker.read_text()) == wanted
    if reuse:
        print(f"reusing the data dir {data_dir}", file=sys.stderr)
        sample = list(make_corpus(2000, seed=args.seed))
    else:
        if data_dir.exists():
            import shutil

            shutil.rmtree(data_dir)
        data_dir.mkdir(parents=True)
        print(f"building {args.docs} documents into {data_dir}", file=sys.stderr)
        sample = build_index(data_dir, make_corpus(args.docs, seed=args.seed), args.docs)
        marker.write_text(json.dumps(wanted))
    archive = open_archive(load_settings(data_dir))
    token = caller_token(archive)
    archive.close()

    queries = [(kind, {k: v for k, v in (("q", q.text), ("category", q.category),
                                         ("citizen_id", q.citizen_id)) if v})
               for kind, q in mixed_queries(sample, args.queries, args.seed)]
    port = free_port()
    server = start_server(data_dir, port)
    base = f"http://127.0.0.1:{port}"
    try:
        drive(base, token, queries[:200], min(args.clients, 4), 5)  # warm caches
        load_before = os.getloadavg()[0]
        cpu_before = cpu_seconds(server.pid)
        timings, statuses, elapsed = drive(base, token, queries, args.clients, args.seconds)
        server_cpu = cpu_seconds(server.pid) - cpu_before
        load_after = os.getloadavg()[0]
    finally:
        server.terminate()
        server.wait(timeout=30)
    every = [t for ts in timings.values() for t in ts]
    done = sum(statuses.values())
    print(f"GET /api/v1/search, {args.docs} documents indexed, {args.clients} clients for "
          f"{elapsed:.0f} s on 127.0.0.1 (load average {load_before:.1f} -> {load_after:.1f} "
          f"on {os.cpu_count()} cores)")
    print(f"  requests {done}, ok {statuses.get(200, 0)}, other "
          f"{ {k: v for k, v in statuses.items() if k != 200} or 'none'}; throughput "
          f"{done / elapsed:.1f} requests/s; server CPU {server_cpu * 1000 / max(done, 1):.1f} "
          "ms per request")
    if every:
        print(f"  latency ms: p50 {percentile(every, 50):.1f}  p95 {percentile(every, 95):.1f}  "
              f"p99 {percentile(every, 99):.1f}  max {max(every):.1f}")
        for kind, ts in sorted(timings.items()):
            print(f"    {kind:<16} p50 {percentile(ts, 50):7.1f}  p95 {percentile(ts, 95):7.1f}"
                  f"  (n={len(ts)})")
    if not args.dir:
        import shutil

        shutil.rmtree(workdir, ignore_errors=True)
    return 0 if statuses.get(200, 0) == done and done else 1


if __name__ == "__main__":
    sys.exit(main())
