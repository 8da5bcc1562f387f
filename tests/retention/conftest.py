"""Retention fixtures: an archive (catalog on SQLite and PostgreSQL, folder store) and actors."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from archive.archive import Archive
from archive.catalog import Catalog
from archive.config import Settings
from archive.objectstore import DirectoryStore
from tests.archive.conftest import catalog, catalog_url  # noqa: F401  (fixtures)

RECORDS_MANAGER = "rm:somsri"
DATA_CONTROLLER = "dc:prasert"
OPERATOR = "op:tabian"


@pytest.fixture
def archive(catalog: Catalog, tmp_path: Path) -> Iterator[Archive]:  # noqa: F811
    data_dir = tmp_path / "data"
    store = DirectoryStore(data_dir / "objects")
    yield Archive(settings=Settings(data_dir=data_dir), catalog=catalog, store=store)
    store.close()
