"""Object storage for archived files: one interface, a directory tree and an S3 bucket."""

from __future__ import annotations

from archive.objectstore.base import (
    ChecksumMismatch,
    ObjectInfo,
    ObjectNotFound,
    ObjectStore,
    ObjectStoreError,
    validate_key,
)
from archive.objectstore.directory import DirectoryStore
from archive.objectstore.s3 import S3Store

__all__ = [
    "ChecksumMismatch",
    "DirectoryStore",
    "ObjectInfo",
    "ObjectNotFound",
    "ObjectStore",
    "ObjectStoreError",
    "S3Store",
    "validate_key",
]
