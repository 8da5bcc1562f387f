"""Object store throughput: put and get of many 1 MB objects on the directory and S3 stores.

Run: .venv/bin/python benchmarks/bench_store.py [--count 200] [--size-kb 1024] [--dir PATH]
The S3 figures are against a real throwaway SeaweedFS server started by tests/servers.py.
"""

from __future__ import annotations

import argparse
import hashlib
import logging
import os
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

# Run as a plain script from anywhere: make the repository's packages importable.
REPO_ROOT = Path(__file__).resolve().parent.parent
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

from archive.objectstore import DirectoryStore, ObjectStore, S3Store  # noqa: E402
from tests.servers import s3_server  # noqa: E402

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Figure:
    store: str
    operation: str
    objects: int
    total_bytes: int
    seconds: float

    def line(self) -> str:
        mb_s = (
            f"{self.total_bytes / 1e6 / self.seconds:8.1f} MB/s" if self.total_bytes else " " * 13
        )
        return (
            f"{self.store:<10} {self.operation:<10} {self.objects:>5} objects "
            f"{self.seconds:>7.2f} s {mb_s} {self.objects / self.seconds:>8.1f} obj/s"
        )


def timed(run: Callable[[], None]) -> float:
    started = time.perf_counter()
    run()
    return time.perf_counter() - started


def bench(name: str, store: ObjectStore, payloads: list[bytes], work: Path) -> list[Figure]:
    """Put every payload, read each back checked, then via get_file; verify, then delete."""
    keys = [
        f"documents/{hashlib.sha256(p).hexdigest()[:2]}/{i:05d}/original.pdf"
        for i, p in enumerate(payloads)
    ]
    digests = [hashlib.sha256(p).hexdigest() for p in payloads]
    total = sum(len(p) for p in payloads)
    n = len(payloads)

    def put() -> None:
        for key, data, digest in zip(keys, payloads, digests, strict=True):
            store.put_bytes(key, data, sha256=digest)

    def get() -> None:
        for key, digest in zip(keys, digests, strict=True):
            store.get_bytes(key, sha256=digest)

    def get_file() -> None:
        dest = work / "download.pdf"
        for key, digest in zip(keys, digests, strict=True):
            store.get_file(key, dest, sha256=digest)

    def checksum() -> None:
        for key, digest in zip(keys, digests, strict=True):
            assert store.checksum(key) == digest

    def delete() -> None:
        for key in keys:
            store.delete(key)

    figures = [
        Figure(name, "put_bytes", n, total, timed(put)),
        Figure(name, "get_bytes", n, total, timed(get)),
        Figure(name, "get_file", n, total, timed(get_file)),
        Figure(name, "checksum", n, total, timed(checksum)),
        Figure(name, "delete", n, 0, timed(delete)),
    ]
    assert list(store.iter_keys("documents/")) == []
    return figures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--count", type=int, default=200)
    parser.add_argument("--size-kb", type=int, default=1024)
    parser.add_argument("--dir", type=Path, default=None, help="where the directory store lives")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING)

    payloads = [os.urandom(args.size_kb * 1024) for _ in range(args.count)]
    figures: list[Figure] = []
    with tempfile.TemporaryDirectory(prefix="tabian-bench-", dir=args.dir) as tmp:
        work = Path(tmp)
        directory = DirectoryStore(work / "objects")
        figures += bench("directory", directory, payloads, work)
        directory.close()

        with s3_server() as (endpoint, access_key, secret_key):
            s3 = S3Store(endpoint, access_key, secret_key, f"bench-{uuid.uuid4().hex[:8]}")
            figures += bench("s3", s3, payloads, work)
            s3.close()

    print(f"{args.count} objects of {args.size_kb} KiB; directory store under {work}")
    for figure in figures:
        print(figure.line())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
