"""Suite-wide fixtures: throwaway PostgreSQL and S3 servers, and an object store per backend."""

from __future__ import annotations

import contextlib
import logging
import os
import uuid
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from pathlib import Path
from typing import NoReturn, TypeVar

import pytest

from archive.objectstore import DirectoryStore, ObjectStore, S3Store
from tests.servers import ServerUnavailable, postgres_cluster, s3_server

log = logging.getLogger(__name__)

T = TypeVar("T")

# Fixtures that need a server, and the marker their tests get, so `-m "not s3"` deselects them.
_SERVER_MARKERS = {"postgres_url": "postgres", "s3_endpoint": "s3"}


def _in_ci() -> bool:
    return os.environ.get("CI", "").lower() in ("1", "true", "yes")


def _unavailable(what: str, reason: ServerUnavailable) -> NoReturn:
    # In CI the environment is ours to fix: a server that cannot start is a failure there.
    message = f"{what} cannot run here: {reason}"
    if _in_ci():
        pytest.fail(message)
    pytest.skip(message)


def _serve(what: str, start: Callable[[], AbstractContextManager[T]]) -> Iterator[T]:
    with contextlib.ExitStack() as stack:
        try:
            value = stack.enter_context(start())
        except ServerUnavailable as e:
            _unavailable(what, e)
        yield value


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """SQLAlchemy URL of a throwaway PostgreSQL cluster's `tabian_test` database (superuser)."""
    yield from _serve("PostgreSQL", postgres_cluster)


@pytest.fixture(scope="session")
def s3_endpoint() -> Iterator[tuple[str, str, str]]:
    """(endpoint "127.0.0.1:PORT", access_key, secret_key) of a throwaway SeaweedFS S3 server."""
    yield from _serve("the SeaweedFS S3 server", s3_server)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        fixtures = getattr(item, "fixturenames", ())
        for fixture, marker in _SERVER_MARKERS.items():
            if fixture in fixtures and marker not in item.keywords:
                item.add_marker(getattr(pytest.mark, marker))


def _empty_bucket(store: S3Store) -> None:
    """Drop the test's bucket so the throwaway server does not pile up collections."""
    client = store._client  # a test-only reach into the store; the product never drops buckets
    with contextlib.suppress(Exception):
        for obj in client.list_objects(store.bucket, recursive=True, include_version=True):
            if obj.object_name:
                client.remove_object(store.bucket, obj.object_name, version_id=obj.version_id)
        client.remove_bucket(store.bucket)


@pytest.fixture(params=["directory", pytest.param("s3", marks=pytest.mark.s3)])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[ObjectStore]:
    """A fresh, empty object store: a folder tree, or a new versioned bucket on the S3 server."""
    if request.param == "directory":
        directory = DirectoryStore(tmp_path / "objects")
        yield directory
        directory.close()
        return
    endpoint, access_key, secret_key = request.getfixturevalue("s3_endpoint")
    s3 = S3Store(endpoint, access_key, secret_key, f"tabian-test-{uuid.uuid4().hex[:12]}")
    yield s3
    _empty_bucket(s3)
    s3.close()
