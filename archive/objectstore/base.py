"""The object store interface: errors, object info, key rules and shared streaming helpers."""

from __future__ import annotations

import hashlib
import logging
import os
import re
import uuid
from abc import ABC, abstractmethod
from collections.abc import Generator, Iterator
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import BinaryIO

log = logging.getLogger(__name__)

CHUNK_SIZE = 1024 * 1024
# A reserved top-level folder: the directory store keeps its in-flight temp files there.
RESERVED_PREFIX = ".tmp"
_SHA256_HEX = re.compile(r"[0-9a-f]{64}")


class ObjectStoreError(Exception):
    """The store itself failed (unreachable, refused, disk error): a system failure."""


class ObjectNotFound(ObjectStoreError):
    """No object is stored under the key."""

    def __init__(self, key: str) -> None:
        super().__init__(f"no object stored under {key!r}")
        self.key = key


class ChecksumMismatch(ObjectStoreError):
    """The bytes' sha256 is not the one expected: corruption, or a caller's wrong checksum."""

    def __init__(self, key: str, expected: str, actual: str) -> None:
        super().__init__(f"sha256 mismatch for {key!r}: expected {expected}, got {actual}")
        self.key = key
        self.expected = expected
        self.actual = actual


@dataclass(frozen=True)
class ObjectInfo:
    """What the store knows about one stored object; sha256 is None where it keeps none."""

    key: str
    size: int
    sha256: str | None


def validate_key(key: str) -> str:
    """Return key unchanged if it is a safe '/'-separated relative path, else raise ValueError."""
    if not isinstance(key, str) or not key:
        raise ValueError("object key must be a non-empty string")
    if key.startswith("/"):
        raise ValueError(f"object key must be relative, not {key!r}")
    if "\\" in key:
        raise ValueError(f"object key must use '/', not backslashes: {key!r}")
    if any(ord(ch) < 0x20 or ch == "\x7f" for ch in key):
        raise ValueError(f"object key must not contain control characters: {key!r}")
    parts = key.split("/")
    if any(part == "" for part in parts):
        raise ValueError(f"object key has an empty part: {key!r}")
    if any(part in (".", "..") for part in parts):
        raise ValueError(f"object key must not contain '.' or '..' parts: {key!r}")
    if parts[0] == RESERVED_PREFIX:
        raise ValueError(f"object key must not start with the reserved {RESERVED_PREFIX!r}")
    return key


def validate_prefix(prefix: str) -> str:
    """A listing prefix: like a key, but may be empty or end in '/'."""
    if prefix == "":
        return prefix
    validate_key(prefix[:-1] if prefix.endswith("/") else prefix)
    return prefix


def normalise_sha256(sha256: str | None) -> str | None:
    """Lower-case a caller's hex digest; reject anything that is not one (a bug, not data)."""
    if sha256 is None:
        return None
    digest = sha256.strip().lower()
    if not _SHA256_HEX.fullmatch(digest):
        raise ValueError(f"not a sha256 hex digest: {sha256!r}")
    return digest


def sha256_of_file(path: Path) -> tuple[str, int]:
    """Stream a file through sha256; return (hex digest, size)."""
    hasher = hashlib.sha256()
    size = 0
    with path.open("rb") as f:
        while chunk := f.read(CHUNK_SIZE):
            hasher.update(chunk)
            size += len(chunk)
    return hasher.hexdigest(), size


def check_sha256(key: str, expected: str | None, actual: str) -> None:
    if expected is not None and expected != actual:
        raise ChecksumMismatch(key, expected, actual)


class HashingReader:
    """A read-only file wrapper that hashes exactly the bytes handed to the reader."""

    def __init__(self, raw: BinaryIO) -> None:
        self._raw = raw
        self._hasher = hashlib.sha256()
        self.size = 0

    def read(self, size: int = -1) -> bytes:
        data = self._raw.read(size)
        self._hasher.update(data)
        self.size += len(data)
        return data

    def hexdigest(self) -> str:
        return self._hasher.hexdigest()


def fsync_dir(path: Path) -> None:
    """Make a rename or a new entry in `path` durable."""
    fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


class ObjectStore(ABC):
    """Byte objects under '/'-separated keys; every write and checked read goes through sha256.

    Implementations: `DirectoryStore` (a folder tree, the embedded default) and `S3Store`
    (an S3 bucket with versioning, e.g. MinIO).
    """

    @abstractmethod
    def put_bytes(self, key: str, data: bytes, *, sha256: str | None = None) -> ObjectInfo:
        """Store data atomically; if sha256 is given and differs, raise ChecksumMismatch."""

    @abstractmethod
    def put_file(self, key: str, path: Path, *, sha256: str | None = None) -> ObjectInfo:
        """Store a file's bytes atomically, streaming it (never whole in memory)."""

    @abstractmethod
    def open_stream(self, key: str) -> Generator[bytes, None, None]:
        """Open the object now (ObjectNotFound raised here) and return its chunks.

        Call `.close()` on the generator if it is not read to the end, to free the handle.
        """

    @abstractmethod
    def stat(self, key: str) -> ObjectInfo:
        """Size (and sha256 where the store keeps it) without reading the bytes."""

    @abstractmethod
    def delete(self, key: str) -> None:
        """Remove the object and every stored version of it; absent is not an error."""

    @abstractmethod
    def iter_keys(self, prefix: str = "") -> Iterator[str]:
        """Every stored key starting with prefix, in sorted order."""

    @abstractmethod
    def close(self) -> None:
        """Release connections and handles."""

    def get_bytes(self, key: str, *, sha256: str | None = None) -> bytes:
        """Return the object's bytes; if sha256 is given, verify them first."""
        expected = normalise_sha256(sha256)
        stream = self.open_stream(key)
        try:
            data = b"".join(stream)
        finally:
            stream.close()
        check_sha256(key, expected, hashlib.sha256(data).hexdigest())
        return data

    def get_file(self, key: str, dest: Path, *, sha256: str | None = None) -> None:
        """Write the object to dest atomically: dest appears whole and verified, or not at all.

        The bytes land in a temp file beside dest (same filesystem, so the rename is atomic)
        and replace dest only once their sha256 has been checked.
        """
        expected = normalise_sha256(sha256)
        dest = Path(dest)
        dest.parent.mkdir(parents=True, exist_ok=True)
        stream = self.open_stream(key)
        tmp = dest.parent / f".{dest.name}.{uuid.uuid4().hex}.part"
        try:
            hasher = hashlib.sha256()
            with tmp.open("xb") as out:
                for chunk in stream:
                    hasher.update(chunk)
                    out.write(chunk)
                out.flush()
                os.fsync(out.fileno())
            check_sha256(key, expected, hasher.hexdigest())
            tmp.replace(dest)
            fsync_dir(dest.parent)
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise
        finally:
            stream.close()

    def checksum(self, key: str) -> str:
        """Recompute the stored bytes' sha256 by streaming them."""
        hasher = hashlib.sha256()
        stream = self.open_stream(key)
        try:
            for chunk in stream:
                hasher.update(chunk)
        finally:
            stream.close()
        return hasher.hexdigest()

    def exists(self, key: str) -> bool:
        try:
            self.stat(key)
        except ObjectNotFound:
            return False
        return True

    def __enter__(self) -> ObjectStore:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()
