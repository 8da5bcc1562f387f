"""The catalog on SQLite and PostgreSQL: migrations, reference data, models and constraints."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from archive.catalog import (
    Base,
    Catalog,
    CatalogError,
    Document,
    DocumentObject,
    DocumentPerson,
    EvidenceCategoryRow,
    Person,
    Unit,
)


def _person(cid: str = "1101700203450") -> Person:
    now = datetime.now(UTC)
    return Person(
        citizen_id=cid,
        prefix="นาย",
        first_name="สมชาย",
        last_name="ใจดี",
        birth_date=date(1987, 3, 27),
        status="active",
        created_at=now,
        updated_at=now,
    )


def test_migrations_create_the_schema_the_models_describe(catalog: Catalog) -> None:
    # GIVEN a migrated catalog WHEN the live schema is compared with the models THEN they agree
    with catalog.engine.connect() as conn:
        diffs = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    assert diffs == []
    assert catalog.is_current()


def test_migrate_is_idempotent_and_seeds_the_16_categories(catalog: Catalog) -> None:
    catalog.migrate()
    with catalog.session() as s:
        slugs = s.scalars(select(EvidenceCategoryRow.slug).order_by(EvidenceCategoryRow.code))
        assert list(slugs)[:2] == ["appointment", "qualification"]
        assert s.query(EvidenceCategoryRow).count() == 16


def test_citizen_id_is_unique(catalog: Catalog) -> None:
    with catalog.session() as s:
        s.add(_person())
    with pytest.raises(IntegrityError), catalog.session() as s:
        s.add(_person())


def test_failed_transaction_leaves_nothing_behind(catalog: Catalog) -> None:
    # GIVEN a transaction that adds a person and then fails
    with pytest.raises(RuntimeError), catalog.session() as s:
        s.add(_person("3100600123450"))
        s.flush()
        raise RuntimeError("boom")
    # THEN the person is not there
    with catalog.session() as s:
        assert s.scalar(select(Person).where(Person.citizen_id == "3100600123450")) is None


def test_document_with_objects_and_links_round_trips(catalog: Catalog) -> None:
    now = datetime.now(UTC)
    with catalog.session() as s:
        unit = Unit(name="โรงเรียนบ้านหนองบัว", path="โรงเรียนบ้านหนองบัว")
        person = _person()
        person.unit = unit
        doc = Document(
            id="d" * 32,
            sha256="a" * 64,
            size=123,
            pages=2,
            original_name="คำสั่ง.pdf",
            media_type="application/pdf",
            category="appointment",
            category_confidence=0.97,
            link="linked",
            warnings=["blurry"],
            created_at=now,
        )
        doc.objects.append(
            DocumentObject(
                kind="original", key="documents/aa/x/original.pdf", sha256="a" * 64, size=123
            )
        )
        doc.persons.append(
            DocumentPerson(
                person=person,
                state="linked",
                confidence=0.99,
                reasons=["citizen_id", "folder_hint"],
            )
        )
        s.add(doc)
    with catalog.session() as s:
        got = s.get(Document, "d" * 32)
        assert got is not None
        assert got.warnings == ["blurry"]
        assert got.persons[0].person.citizen_id == "1101700203450"
        assert got.persons[0].reasons == ["citizen_id", "folder_hint"]
        assert got.persons[0].person.unit is not None
        assert got.objects[0].kind == "original"


def test_unknown_category_is_refused(catalog: Catalog) -> None:
    with pytest.raises(IntegrityError), catalog.session() as s:
        s.add(
            Document(
                id="e" * 32,
                sha256="b" * 64,
                size=1,
                pages=1,
                original_name="x.pdf",
                media_type="application/pdf",
                category="no_such_category",
                link="unlinked",
                warnings=[],
                created_at=datetime.now(UTC),
            )
        )


def test_unreachable_database_is_a_clear_catalog_error() -> None:
    catalog = Catalog("postgresql+psycopg://nobody@127.0.0.1:1/none")
    with pytest.raises(CatalogError, match="unreachable"):
        catalog.migrate()
