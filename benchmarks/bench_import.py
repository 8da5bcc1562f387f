"""`tabian persons import` of a generated registry: wall time for new and for re-imported persons.

Usage: .venv/bin/python benchmarks/bench_import.py [--persons 10000] [--database-url URL]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from fixtures.registry import generate_persons, write_persons_csv  # noqa: E402


def _run_import(csv: Path, data_dir: Path, env: dict[str, str]) -> tuple[float, str]:
    started = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-m", "api.cli", "--data-dir", str(data_dir), "persons", "import",
         str(csv), "--json"],
        capture_output=True, text=True, env=env, cwd=REPO, check=True,
    )
    return time.perf_counter() - started, proc.stdout.strip()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--persons", type=int, default=10_000)
    parser.add_argument("--database-url", help="PostgreSQL URL (default: SQLite in a temp dir)")
    args = parser.parse_args()
    env = dict(os.environ)
    if args.database_url:
        env["TABIAN_DATABASE_URL"] = args.database_url
    with tempfile.TemporaryDirectory() as tmp:
        csv = Path(tmp) / "persons.csv"
        t0 = time.perf_counter()
        write_persons_csv(generate_persons(args.persons, seed=1), csv)
        gen_s = time.perf_counter() - t0
        data_dir = Path(tmp) / "data"
        first_s, first = _run_import(csv, data_dir, env)
        again_s, again = _run_import(csv, data_dir, env)
    backend = "postgresql" if args.database_url else "sqlite"
    print(f"registry: {args.persons} persons generated in {gen_s:.2f} s; catalog: {backend}")
    print(f"persons import, new:       {first_s:6.2f} s  ({args.persons / first_s:,.0f} persons/s)"
          f"  {first[:80]}")
    print(f"persons import, re-import: {again_s:6.2f} s  ({args.persons / again_s:,.0f} persons/s)"
          f"  {again[:80]}")
    print("(wall time of the whole command, process start and migrations included)")


if __name__ == "__main__":
    main()
