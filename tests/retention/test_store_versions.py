"""Destruction reaches every stored version, on the folder store and on a versioned S3 bucket."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from archive.archive import Archive
from archive.catalog import Catalog
from archive.config import Settings
from archive.objectstore import ObjectStore, S3Store
from retention import execute_order
from tests.retention.records import add_document, add_person, approved_order, cid


def _versions(store: ObjectStore, prefix: str) -> list[str]:
    if isinstance(store, S3Store):
        client = store._client  # test-only look behind the interface, at every version
        return [o.object_name for o in client.list_objects(
            store.bucket, prefix=prefix, recursive=True, include_version=True) if o.object_name]
    return list(store.iter_keys(prefix))


def test_every_version_of_every_object_is_destroyed(store: ObjectStore, tmp_path: Path) -> None:
    catalog = Catalog(f"sqlite:///{tmp_path / 'catalog.sqlite3'}")
    catalog.migrate()
    archive = Archive(settings=Settings(data_dir=tmp_path), catalog=catalog, store=store)
    try:
        with catalog.session() as s:
            gone = add_person(s, cid(1), left_service_on=date(2001, 1, 1))
            kept = add_person(s, cid(2), status="active", left_service_on=None)
            doc = add_document(s, store, [gone])
            stays = add_document(s, store, [kept])
        # an object rewritten once has two versions on a versioned bucket
        text = next(o for o in doc.objects if o.kind == "text")
        store.put_bytes(text.key, store.get_bytes(text.key))
        order_id = approved_order(archive, as_of=date(2026, 1, 26))
        report = execute_order(archive, order_id, actor="op", today=date(2026, 2, 1))
        assert report.as_dict()["documents_destroyed"] == 1
        assert _versions(store, f"documents/{doc.sha256[:2]}/{doc.sha256}/") == []
        assert len(_versions(store, f"documents/{stays.sha256[:2]}/{stays.sha256}/")) == 3
    finally:
        catalog.close()
