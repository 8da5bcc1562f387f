"""HTTP fixtures: an app on a fresh archive holding the sample registry, and callers by role.

GIVEN-style helpers: `callers.make(Role.REGISTRAR, unit=...)` gives a user holding that one
right and an API token for it; `callers.login(client, user)` signs a browser-like client in.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from api.access import Role
from api.access.accounts import create_user, grant
from api.access.sessions import create_token
from api.http import create_app
from archive import registry
from archive.archive import Archive, open_archive
from archive.catalog import Person, Unit
from archive.config import load_settings

SAMPLE = Path(__file__).resolve().parents[2] / "fixtures" / "sample"
PASSWORD = "correct-horse-battery"


@dataclass
class Caller:
    username: str
    token: str
    citizen_id: str | None = None
    roles: tuple[str, ...] = ()

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}


@dataclass
class Callers:
    archive: Archive
    made: list[Caller] = field(default_factory=list)

    def make(self, role: Role | None = None, *, unit: str | None = None,
             person: str | None = None, section: str | None = None,
             owner_of: str | None = None, username: str | None = None,
             user_unit: str | None = None) -> Caller:
        """A user with one right (`role` over `unit` or `person`), or an owner (`owner_of`)."""
        name = username or f"u{len(self.made) + 1}-{role.value if role else 'owner'}"
        with self.archive.catalog.session() as s:
            user = create_user(s, username=name, display_name=name, actor="test",
                               password=PASSWORD, citizen_id=owner_of,
                               unit_path=user_unit or unit)
            if role is not None:
                grant(s, user=user, role=role, actor="test", unit_path=unit,
                      citizen_id=person, section=section)
            token, _ = create_token(s, user, name="test", actor="test")
        caller = Caller(name, token, owner_of, (role.value,) if role else ("owner",))
        self.made.append(caller)
        return caller


def sample_units(archive: Archive) -> list[str]:
    with archive.catalog.session() as s:
        return list(s.scalars(select(Unit.path).order_by(Unit.path)))


def person_in(archive: Archive, unit_path: str) -> str:
    """A citizen ID of someone in the unit `unit_path` (or below it)."""
    with archive.catalog.session() as s:
        return s.scalars(
            select(Person.citizen_id).join(Unit, Unit.id == Person.unit_id)
            .where((Unit.path == unit_path) | Unit.path.startswith(unit_path + " > "))
            .order_by(Person.citizen_id)
        ).first() or ""


@pytest.fixture
def archive(tmp_path: Path) -> Iterator[Archive]:
    settings = load_settings(tmp_path / "data")
    arch = open_archive(settings)
    with arch.catalog.session() as s:
        registry.import_persons(s, SAMPLE / "persons.csv")
    with arch.catalog.session() as s:
        registry.import_entries(s, SAMPLE / "entries.csv")
    yield arch
    arch.close()


@pytest.fixture
def app(archive: Archive):  # type: ignore[no-untyped-def]
    return create_app(archive.settings, archive=archive)


@pytest.fixture
def client(app) -> Iterator[TestClient]:  # type: ignore[no-untyped-def]
    with TestClient(app) as c:
        yield c


@pytest.fixture
def callers(archive: Archive) -> Callers:
    return Callers(archive)


@pytest.fixture
def filed(archive: Archive):  # type: ignore[no-untyped-def]
    """Documents filed to the record_docs owners (see tests/http/record_docs.py)."""
    from tests.http.record_docs import file_documents

    return file_documents(archive)
