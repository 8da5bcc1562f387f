"""Choosing the backend the settings name: the embedded SQLite file or Elasticsearch."""

from __future__ import annotations

from archive.config import Settings
from search.base import SearchIndex
from search.embedded import FILE_NAME, EmbeddedIndex

__all__ = ["index_exists", "open_index"]


def _make(settings: Settings) -> SearchIndex:
    if settings.search == "elasticsearch":
        from search.elastic import ElasticIndex

        assert settings.elasticsearch_url is not None  # Settings.check refuses it unset
        return ElasticIndex(settings.elasticsearch_url, settings.elasticsearch_index)
    return EmbeddedIndex(settings.data_dir / FILE_NAME)


def open_index(settings: Settings) -> SearchIndex:
    """The configured index, opened (and created when it does not exist yet)."""
    index = _make(settings)
    index.open()
    return index


def index_exists(settings: Settings) -> bool:
    """Whether the configured index has been created, without creating it."""
    return _make(settings).exists()
