"""The embedded object store: a folder tree with atomic, fsynced writes."""

from __future__ import annotations

import contextlib
import errno
import hashlib
import logging
import os
import time
import uuid
from collections.abc import Callable, Generator, Iterator
from pathlib import Path
from stat import S_ISREG
from typing import BinaryIO

from archive.objectstore.base import (
    CHUNK_SIZE,
    RESERVED_PREFIX,
    ObjectInfo,
    ObjectNotFound,
    ObjectStore,
    ObjectStoreError,
    check_sha256,
    fsync_dir,
    normalise_sha256,
    validate_key,
    validate_prefix,
)

log = logging.getLogger(__name__)

# A path component that is a file where a folder is expected (or the reverse) means "no such
# object" for a key, not a failing disk.
_NOT_FOUND_ERRNOS = {errno.ENOENT, errno.ENOTDIR, errno.EISDIR}
# A concurrent delete may prune the folder between our mkdir and our rename; retry that often.
_INSTALL_ATTEMPTS = 5


class DirectoryStore(ObjectStore):
    """Objects as files under `root`; the key is the relative path.

    A write goes to a temp file in `root/.tmp/` (same filesystem), is fsynced, then renamed into
    place with `os.replace` and the folder fsynced, so a reader sees the old object or the new
    one, never a part. A crashed writer leaves only a temp file, which `cleanup_temp` removes.

    Unlike S3, a key cannot also be a folder of other keys (`a/b` and `a/b/c`): the second
    write fails with ObjectStoreError. The object layout never nests objects that way.
    """

    def __init__(self, root: Path) -> None:
        self.root = Path(root).resolve()
        self._tmp = self.root / RESERVED_PREFIX
        try:
            self._tmp.mkdir(parents=True, exist_ok=True)
        except OSError as e:
            raise ObjectStoreError(f"object store folder {self.root} is not usable: {e}") from e

    def __repr__(self) -> str:
        return f"DirectoryStore({str(self.root)!r})"

    # --- writing ------------------------------------------------------------------------------

    def put_bytes(self, key: str, data: bytes, *, sha256: str | None = None) -> ObjectInfo:
        def fill(out: BinaryIO) -> tuple[str, int]:
            out.write(data)
            return hashlib.sha256(data).hexdigest(), len(data)

        return self._write(key, fill, sha256)

    def put_file(self, key: str, path: Path, *, sha256: str | None = None) -> ObjectInfo:
        # Opened before any store work so a missing source file surfaces as the caller's own
        # FileNotFoundError, not as a store failure.
        with Path(path).open("rb") as src:

            def fill(out: BinaryIO) -> tuple[str, int]:
                hasher = hashlib.sha256()
                size = 0
                while chunk := src.read(CHUNK_SIZE):
                    hasher.update(chunk)
                    out.write(chunk)
                    size += len(chunk)
                return hasher.hexdigest(), size

            return self._write(key, fill, sha256)

    def _write(
        self,
        key: str,
        fill: Callable[[BinaryIO], tuple[str, int]],
        sha256: str | None,
    ) -> ObjectInfo:
        target = self._path(key)
        expected = normalise_sha256(sha256)
        tmp = self._tmp / f"{uuid.uuid4().hex}.part"
        try:
            with self._errors("write", key), tmp.open("xb") as out:
                digest, size = fill(out)
                out.flush()
                os.fsync(out.fileno())
            check_sha256(key, expected, digest)
            with self._errors("write", key):
                self._install(tmp, target)
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise
        log.debug("stored %s (%d bytes, sha256 %s)", key, size, digest)
        return ObjectInfo(key=key, size=size, sha256=digest)

    def _install(self, tmp: Path, target: Path) -> None:
        for attempt in range(_INSTALL_ATTEMPTS):
            self._make_dirs(target.parent)
            try:
                tmp.replace(target)
            except FileNotFoundError:
                if not tmp.exists() or attempt == _INSTALL_ATTEMPTS - 1:
                    raise
                continue
            fsync_dir(target.parent)
            return

    def _make_dirs(self, folder: Path) -> None:
        """Create missing folders up from root, fsyncing each new entry's parent for durability."""
        missing: list[Path] = []
        current = folder
        while current != self.root and not current.is_dir():
            missing.append(current)
            current = current.parent
        for path in reversed(missing):
            with contextlib.suppress(FileExistsError):
                path.mkdir()
            fsync_dir(path.parent)

    # --- reading ------------------------------------------------------------------------------

    def open_stream(self, key: str) -> Generator[bytes, None, None]:
        path = self._path(key)
        with self._errors("read", key):
            f = path.open("rb")
        return self._chunks(key, f)

    def _chunks(self, key: str, f: BinaryIO) -> Generator[bytes, None, None]:
        try:
            while True:
                with self._errors("read", key):
                    chunk = f.read(CHUNK_SIZE)
                if not chunk:
                    return
                yield chunk
        finally:
            f.close()

    def stat(self, key: str) -> ObjectInfo:
        path = self._path(key)
        with self._errors("stat", key):
            st = path.stat()
        if not S_ISREG(st.st_mode):
            raise ObjectNotFound(key)
        # The directory store keeps no sidecar checksum: the catalog holds it; checksum()
        # recomputes it from the bytes.
        return ObjectInfo(key=key, size=st.st_size, sha256=None)

    def iter_keys(self, prefix: str = "") -> Iterator[str]:
        validate_prefix(prefix)
        folder, _, _ = prefix.rpartition("/")
        start = self.root / folder if folder else self.root
        if not start.is_dir():
            return
        for key in self._walk(start, folder):
            if key.startswith(prefix):
                yield key

    def _walk(self, folder: Path, key_prefix: str) -> Iterator[str]:
        try:
            entries = list(os.scandir(folder))
        except FileNotFoundError:
            return  # pruned by a concurrent delete
        except OSError as e:
            raise ObjectStoreError(f"object store at {self.root}: cannot list {folder}: {e}") from e
        # Sorting a folder as "name/" makes the depth-first walk yield keys in plain string order,
        # the same order S3 lists in.
        named = []
        for entry in entries:
            if not key_prefix and entry.name == RESERVED_PREFIX:
                continue
            if entry.is_dir(follow_symlinks=False):
                named.append((entry.name + "/", entry))
            elif entry.is_file(follow_symlinks=False):
                named.append((entry.name, entry))
        for name, entry in sorted(named, key=lambda item: item[0]):
            key = f"{key_prefix}/{entry.name}" if key_prefix else entry.name
            if name.endswith("/"):
                yield from self._walk(Path(entry.path), key)
            else:
                yield key

    # --- removing -----------------------------------------------------------------------------

    def delete(self, key: str) -> None:
        path = self._path(key)
        try:
            path.unlink()
        except FileNotFoundError:
            return
        except OSError as e:
            if e.errno in _NOT_FOUND_ERRNOS:
                return
            raise ObjectStoreError(
                f"object store at {self.root}: cannot delete {key!r}: {e}"
            ) from e
        # A file has one copy here; the folder entry's removal is made durable before returning,
        # because destruction must not come back after a crash.
        fsync_dir(path.parent)
        self._prune_empty(path.parent)
        log.debug("deleted %s", key)

    def _prune_empty(self, folder: Path) -> None:
        while folder != self.root:
            try:
                folder.rmdir()
            except OSError:
                return  # not empty (or already gone): stop climbing
            folder = folder.parent

    def cleanup_temp(self, older_than_s: float = 3600.0) -> int:
        """Remove temp files left by crashed writers, older than `older_than_s`; return the count.

        Young files are kept: they may belong to a write still in progress.
        """
        cutoff = time.time() - older_than_s
        removed = 0
        for entry in os.scandir(self._tmp):
            try:
                if entry.stat(follow_symlinks=False).st_mtime <= cutoff:
                    Path(entry.path).unlink()
                    removed += 1
            except FileNotFoundError:
                continue  # its writer finished or another cleaner got there first
        if removed:
            log.info("removed %d stale temp file(s) from %s", removed, self._tmp)
        return removed

    def close(self) -> None:
        """Nothing to release: every handle is closed when its call returns."""

    # --- helpers ------------------------------------------------------------------------------

    def _path(self, key: str) -> Path:
        return self.root.joinpath(*validate_key(key).split("/"))

    @contextlib.contextmanager
    def _errors(self, action: str, key: str) -> Iterator[None]:
        try:
            yield
        except OSError as e:
            if e.errno in _NOT_FOUND_ERRNOS and action in ("read", "stat"):
                raise ObjectNotFound(key) from e
            raise ObjectStoreError(
                f"object store at {self.root}: cannot {action} {key!r}: {e}"
            ) from e
