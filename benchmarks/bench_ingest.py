"""Ingest figures: throughput against plain ocrmypdf, peak memory by batch size, OCR error rates.

Usage (each prints its figures; nothing is asserted):
  .venv/bin/python benchmarks/bench_ingest.py throughput [--files 20]
  .venv/bin/python benchmarks/bench_ingest.py memory [--small 200 --large 2000]
  .venv/bin/python benchmarks/bench_ingest.py cer [--files 24] [--split heldout]
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import random
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

import psutil  # noqa: E402

from archive.thai import normalize_for_search  # noqa: E402
from fixtures.scans.digital import write_digital_pdf  # noqa: E402
from fixtures.scans.generate import Options, generate, make_persons  # noqa: E402
from fixtures.scans.metrics import cer  # noqa: E402
from fixtures.scans.templates import build_document, templates_for  # noqa: E402

TABIAN = [sys.executable, "-m", "api.cli"]


def _scans(out: Path, count: int, seed: int, split: str = "train") -> list[dict]:
    records = generate(Options(out=out, count=count, seed=seed, split=split))
    return [r for r in records if r["expected"]["status"] == "stored"]


class PeakRss:
    """Polls a process tree; keeps the peak RSS of the root and of any single descendant."""

    def __init__(self, pid: int, every_s: float = 0.1) -> None:
        self.root = psutil.Process(pid)
        self.every_s = every_s
        self.root_peak = self.child_peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                self.root_peak = max(self.root_peak, self.root.memory_info().rss)
                for child in self.root.children(recursive=True):
                    with contextlib.suppress(psutil.Error):
                        self.child_peak = max(self.child_peak, child.memory_info().rss)
            except psutil.Error:
                return
            time.sleep(self.every_s)

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()


def _ingest(paths: list[Path], data_dir: Path, jobs: int) -> tuple[float, list[dict], PeakRss]:
    started = time.perf_counter()
    proc = subprocess.Popen(
        [*TABIAN, "--data-dir", str(data_dir), "ingest", *map(str, paths), "--json", "--quiet",
         "--jobs", str(jobs)],
        stdout=subprocess.PIPE, text=True, cwd=REPO,
    )
    rss = PeakRss(proc.pid)
    out, _ = proc.communicate()
    rss.stop()
    if proc.returncode != 0:
        raise SystemExit(f"tabian ingest failed with {proc.returncode}")
    return time.perf_counter() - started, [json.loads(x) for x in out.splitlines()], rss


def throughput(args: argparse.Namespace) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        records = _scans(root / "scans", args.files, seed=11)
        files = [root / "scans" / r["path"] for r in records]
        pages = sum(r["pages"] for r in records)

        def plain(path: Path) -> None:
            subprocess.run(["ocrmypdf", "-q", "-l", "tha+eng", "-j", "1", str(path),
                            str(root / "plain" / path.name)], check=True)

        (root / "plain").mkdir()
        ocrmypdf_bin = Path(sys.executable).parent / "ocrmypdf"
        os.environ["PATH"] = f"{ocrmypdf_bin.parent}:{os.environ['PATH']}"
        started = time.perf_counter()
        with ThreadPoolExecutor(max_workers=2) as pool:
            list(pool.map(plain, files))
        plain_s = time.perf_counter() - started
        tabian_s, outcomes, _ = _ingest(files, root / "data", jobs=2)
    stored = sum(1 for o in outcomes if o["status"] == "stored")
    print(f"{len(files)} scans, {pages} pages; tabian stored {stored}")
    print(f"plain ocrmypdf -l tha+eng, 2 files at a time: {plain_s:7.1f} s  "
          f"{pages / plain_s * 60:6.1f} pages/min")
    print(f"tabian ingest --jobs 2:                       {tabian_s:7.1f} s  "
          f"{pages / tabian_s * 60:6.1f} pages/min")
    print(f"tabian time / plain time: {tabian_s / plain_s:.3f} "
          f"(overhead {100 * (tabian_s / plain_s - 1):+.1f} %)")


def _digital_tree(out: Path, n: int, scans: int) -> list[Path]:
    """n documents, one folder per person: the same `scans` real scans, the rest born-digital.

    Both batch sizes get the very same scans, so the peak of a worker (set by the heaviest
    document it meets) compares like with like and only the batch length differs.
    """
    rng = random.Random(5)
    persons = make_persons(rng, max(2, n // 10))
    templates = templates_for(split="train")
    scan_records = _scans(out / "_scans", scans, seed=3) if scans else []
    paths = [out / "_scans" / rec["path"] for rec in scan_records]
    for i in range(n - len(paths)):
        owner = persons[i % len(persons)]
        spec = build_document(templates[i % len(templates)], owner, persons[:3], seed=i)
        paths.append(write_digital_pdf(out / owner.citizen_id / f"doc{i:05d}.pdf", spec))
    return paths


def memory(args: argparse.Namespace) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        for n in (args.small, args.large):
            paths = _digital_tree(root / f"in{n}", n, scans=args.scans)
            seconds, outcomes, rss = _ingest([root / f"in{n}"], root / f"data{n}", jobs=2)
            stored = sum(1 for o in outcomes if o["status"] == "stored")
            print(f"{n:5d} files ({len(paths)} written, {stored} stored) in {seconds:6.1f} s: "
                  f"peak RSS coordinator {rss.root_peak / 2**20:6.1f} MiB, "
                  f"largest worker {rss.child_peak / 2**20:6.1f} MiB")


def _digits_only(text: str) -> str:
    return "".join(ch for ch in normalize_for_search(text) if ch.isdigit())


def cer_figures(args: argparse.Namespace) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        records = _scans(root / "scans", args.files, seed=21, split=args.split)
        files = [root / "scans" / r["path"] for r in records]
        _, outcomes, _ = _ingest(files, root / "data", jobs=2)
        truth = {str(root / "scans" / r["path"]): r for r in records}
        errors = chars = d_errors = d_chars = 0.0
        for o in outcomes:
            if o["status"] != "stored":
                continue
            shown = subprocess.run(
                [*TABIAN, "--data-dir", str(root / "data"), "documents", "show",
                 o["document_id"], "--json"], capture_output=True, text=True, check=True, cwd=REPO,
            )
            hyp = json.loads(shown.stdout)["text"]
            ref = truth[o["file"]]["ground_truth"]
            ref_n = "".join(normalize_for_search(ref).split())
            hyp_n = "".join(normalize_for_search(hyp).split())
            errors += cer(ref_n, hyp_n) * len(ref_n)
            chars += len(ref_n)
            ref_d, hyp_d = _digits_only(ref), _digits_only(hyp)
            d_errors += cer(ref_d, hyp_d) * len(ref_d)
            d_chars += len(ref_d)
    print(f"{len(outcomes)} scans ({args.split}): CER overall {errors / chars:.3f} "
          f"over {int(chars)} characters; CER on digits {d_errors / max(d_chars, 1):.3f} "
          f"over {int(d_chars)} digits (normalised: Thai digits folded to Arabic, ำ fixed, "
          "whitespace removed, since Thai writes no spaces between words)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="what", required=True)
    p = sub.add_parser("throughput")
    p.add_argument("--files", type=int, default=20)
    p.set_defaults(run=throughput)
    p = sub.add_parser("memory")
    p.add_argument("--small", type=int, default=200)
    p.add_argument("--large", type=int, default=2000)
    p.add_argument("--scans", type=int, default=4, help="real scans among the files")
    p.set_defaults(run=memory)
    p = sub.add_parser("cer")
    p.add_argument("--files", type=int, default=24)
    p.add_argument("--split", default="heldout", choices=("train", "heldout"))
    p.set_defaults(run=cer_figures)
    args = parser.parse_args()
    args.run(args)


if __name__ == "__main__":
    main()
