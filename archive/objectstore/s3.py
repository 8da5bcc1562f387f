"""The object store on an S3 server (MinIO, SeaweedFS, ...) with a versioned bucket."""

from __future__ import annotations

import contextlib
import hashlib
import io
import logging
import os
from collections.abc import Generator, Iterator
from pathlib import Path
from typing import BinaryIO

import certifi
import urllib3
from minio import Minio
from minio.error import MinioException, S3Error
from minio.versioningconfig import ENABLED, VersioningConfig

from archive.objectstore.base import (
    CHUNK_SIZE,
    ChecksumMismatch,
    HashingReader,
    ObjectInfo,
    ObjectNotFound,
    ObjectStore,
    ObjectStoreError,
    check_sha256,
    normalise_sha256,
    sha256_of_file,
    validate_key,
    validate_prefix,
)

log = logging.getLogger(__name__)

SHA256_METADATA = "sha256"  # sent as the user metadata header x-amz-meta-sha256
_NOT_FOUND_CODES = {"NoSuchKey", "NoSuchObject", "NoSuchVersion", "ResourceNotFound"}
_UNSUPPORTED_CODES = {"NotImplemented", "MethodNotAllowed"}
# Rounds of "list every version, delete each" before destruction is declared failed; more than
# one is only needed when a writer races the delete.
_DELETE_ROUNDS = 5


class S3Store(ObjectStore):
    """Objects in one S3 bucket; versioning is enabled so overwrites never lose data silently.

    Each object carries its sha256 as user metadata (`x-amz-meta-sha256`). A PUT is atomic on
    S3: the object becomes visible only when complete, multipart uploads included. `delete`
    removes every version and delete marker of the key, so destruction reaches all copies.
    """

    def __init__(
        self,
        endpoint: str,
        access_key: str,
        secret_key: str,
        bucket: str,
        *,
        secure: bool = False,
        region: str | None = None,
        connect_timeout_s: float = 5.0,
        read_timeout_s: float = 120.0,
    ) -> None:
        self.endpoint = endpoint
        self.bucket = bucket
        self._url = f"{'https' if secure else 'http'}://{endpoint}"
        # Our own pool: few quick retries and a connect timeout, so "storage down" is reported
        # in seconds rather than after minio's default back-off.
        self._http = urllib3.PoolManager(
            timeout=urllib3.Timeout(connect=connect_timeout_s, read=read_timeout_s),
            maxsize=16,
            retries=urllib3.Retry(
                total=2,
                backoff_factor=0.2,
                status_forcelist=[500, 502, 503, 504],
            ),
            cert_reqs="CERT_REQUIRED",
            ca_certs=os.environ.get("SSL_CERT_FILE") or certifi.where(),
        )
        self._client = Minio(
            endpoint,
            access_key=access_key,
            secret_key=secret_key,
            secure=secure,
            region=region,
            http_client=self._http,
        )
        self.versioned = False
        self._prepare_bucket()

    def __repr__(self) -> str:
        return f"S3Store({self._url!r}, bucket={self.bucket!r})"

    def _prepare_bucket(self) -> None:
        with self._errors("open bucket", self.bucket):
            if not self._client.bucket_exists(self.bucket):
                try:
                    self._client.make_bucket(self.bucket)
                    log.info("created bucket %s at %s", self.bucket, self._url)
                except S3Error as e:
                    # Another process created it between our check and our request.
                    if e.code not in ("BucketAlreadyOwnedByYou", "BucketAlreadyExists"):
                        raise
        try:
            with self._errors("enable versioning on", self.bucket):
                status = self._client.get_bucket_versioning(self.bucket).status
                if status != ENABLED:
                    self._client.set_bucket_versioning(self.bucket, VersioningConfig(ENABLED))
            self.versioned = True
        except ObjectStoreError as e:
            cause = e.__cause__
            if isinstance(cause, S3Error) and cause.code in _UNSUPPORTED_CODES:
                # Without versioning an overwrite replaces the only copy; still usable, and
                # delete then has only that one copy to remove.
                log.warning("bucket versioning unsupported by %s: %s", self._url, cause.code)
                return
            raise

    # --- writing ------------------------------------------------------------------------------

    def put_bytes(self, key: str, data: bytes, *, sha256: str | None = None) -> ObjectInfo:
        validate_key(key)
        expected = normalise_sha256(sha256)
        digest = hashlib.sha256(data).hexdigest()
        check_sha256(key, expected, digest)
        return self._upload(key, io.BytesIO(data), len(data), digest)

    def put_file(self, key: str, path: Path, *, sha256: str | None = None) -> ObjectInfo:
        """Stream a file up; memory holds at most one upload part (>= 5 MiB) at a time."""
        validate_key(key)
        expected = normalise_sha256(sha256)
        path = Path(path)
        # The digest must be known before the PUT (it travels as a header), so the file is read
        # twice: once to hash it, once streamed into the upload and hashed again there.
        digest, size = sha256_of_file(path)
        check_sha256(key, expected, digest)
        with path.open("rb") as src:
            return self._upload(key, src, size, digest)

    def _upload(self, key: str, src: BinaryIO, size: int, digest: str) -> ObjectInfo:
        reader = HashingReader(src)
        with self._errors("write", key):
            result = self._client.put_object(
                self.bucket,
                key,
                reader,  # type: ignore[arg-type]  # minio wants BinaryIO; only read() is used
                size,
                metadata={SHA256_METADATA: digest},
            )
        uploaded = reader.hexdigest()
        if uploaded != digest or reader.size != size:
            # The source changed under us: what was sent is not what the header claims.
            self._remove_versions(key, [result.version_id])
            raise ChecksumMismatch(key, digest, uploaded)
        log.debug("stored %s (%d bytes, sha256 %s)", key, size, digest)
        return ObjectInfo(key=key, size=size, sha256=digest)

    # --- reading ------------------------------------------------------------------------------

    def open_stream(self, key: str) -> Generator[bytes, None, None]:
        validate_key(key)
        with self._errors("read", key):
            response = self._client.get_object(self.bucket, key)
        return self._chunks(key, response)

    def _chunks(self, key: str, response: urllib3.BaseHTTPResponse) -> Generator[bytes, None, None]:
        try:
            with self._errors("read", key):
                yield from response.stream(CHUNK_SIZE)
        finally:
            response.close()
            response.release_conn()

    def stat(self, key: str) -> ObjectInfo:
        validate_key(key)
        with self._errors("stat", key):
            st = self._client.stat_object(self.bucket, key)
        sha256 = st.metadata.get(f"x-amz-meta-{SHA256_METADATA}") if st.metadata else None
        return ObjectInfo(key=key, size=st.size or 0, sha256=sha256 or None)

    def iter_keys(self, prefix: str = "") -> Iterator[str]:
        validate_prefix(prefix)
        with self._errors("list", prefix or "/"):
            for obj in self._client.list_objects(
                self.bucket, prefix=prefix or None, recursive=True
            ):
                if obj.object_name and not obj.is_dir:
                    yield obj.object_name

    # --- removing -----------------------------------------------------------------------------

    def delete(self, key: str) -> None:
        validate_key(key)
        for _ in range(_DELETE_ROUNDS):
            versions = self._versions_of(key)
            if not versions:
                log.debug("deleted every version of %s", key)
                return
            self._remove_versions(key, versions)
        raise ObjectStoreError(
            f"object store at {self._url}: versions of {key!r} remain after "
            f"{_DELETE_ROUNDS} delete rounds (a writer keeps re-creating it?)"
        )

    def _versions_of(self, key: str) -> list[str | None]:
        """Version ids (delete markers included) stored under exactly this key."""
        if not self.versioned:
            return [None] if self.exists(key) else []
        with self._errors("list versions of", key):
            return [
                obj.version_id
                for obj in self._client.list_objects(
                    self.bucket, prefix=key, recursive=True, include_version=True
                )
                if obj.object_name == key
            ]

    def _remove_versions(self, key: str, version_ids: list[str | None]) -> None:
        with self._errors("delete", key):
            for version_id in version_ids:
                self._client.remove_object(self.bucket, key, version_id=version_id)

    def close(self) -> None:
        self._http.clear()

    # --- helpers ------------------------------------------------------------------------------

    @contextlib.contextmanager
    def _errors(self, action: str, key: str) -> Iterator[None]:
        try:
            yield
        except S3Error as e:
            if e.code in _NOT_FOUND_CODES and action in ("read", "stat"):
                raise ObjectNotFound(key) from e
            raise ObjectStoreError(
                f"object store at {self._url} refused to {action} {key!r} "
                f"in bucket {self.bucket!r}: {e.code}: {e.message}"
            ) from e
        except (MinioException, urllib3.exceptions.HTTPError, OSError) as e:
            raise ObjectStoreError(
                f"object store unreachable at {self._url} (bucket {self.bucket!r}) "
                f"while trying to {action} {key!r}: {_reason(e)}"
            ) from e


def _reason(error: BaseException) -> str:
    """The innermost useful reason: urllib3 wraps "connection refused" in MaxRetryError."""
    reason = getattr(error, "reason", None)
    return str(reason) if reason is not None else str(error)
