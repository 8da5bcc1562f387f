"""The archive as one object: settings, catalog and object store opened together."""

from __future__ import annotations

from dataclasses import dataclass

from archive.catalog import Catalog
from archive.config import Settings
from archive.objectstore import DirectoryStore, ObjectStore, S3Store


def open_store(settings: Settings) -> ObjectStore:
    if settings.store == "minio":
        assert settings.minio_endpoint and settings.minio_access_key and settings.minio_secret_key
        return S3Store(
            settings.minio_endpoint,
            settings.minio_access_key,
            settings.minio_secret_key,
            settings.minio_bucket,
            secure=settings.minio_secure,
        )
    return DirectoryStore(settings.objects_dir)


@dataclass
class Archive:
    """What every command works on. Open with `open_archive`, close when done."""

    settings: Settings
    catalog: Catalog
    store: ObjectStore

    def close(self) -> None:
        self.store.close()
        self.catalog.close()


def open_archive(settings: Settings, *, migrate: bool = True) -> Archive:
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    catalog = Catalog(settings.catalog_url)
    if migrate:
        catalog.migrate()
    return Archive(settings=settings, catalog=catalog, store=open_store(settings))
