"""Schemathesis against the app's own OpenAPI: no operation answers 5xx, whatever it is sent.

GIVEN the real app in-process (ASGI) on the authorization matrix's world (the sample registry,
real PDFs, entries, drafts, review items, corrections, holds, printouts, users, grants and the
destruction trail), WHEN schemathesis sends every documented operation generated input (valid
and invalid; examples and fuzzing phases; derandomized, so CI runs the same calls every time)
as a user holding every right over every top-level unit, THEN no answer is a server error,
every status is one the operation documents, and every JSON body matches its schema. Half the
generated path ids are swapped for real ones, so calls get past their 404s into the handlers.

Also: the same operations without credentials (401, never 5xx), and the Thai web pages, from
an OpenAPI document made for them here (they are left out of /docs), with every right.

Kept bounded: a few examples per operation, no shrinking, no coverage phase; the ingest runner
(a child process running OCR) is replaced by a recorder, so fuzzed uploads exercise the upload
handling (spooling, zip checks, refusals) and real ingest of junk is left to test_ingest_api.
"""

from __future__ import annotations

import copy
import importlib
import pkgutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from fastapi.openapi.utils import get_openapi
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, Phase, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.python import asgi
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)
from sqlalchemy import select

import api.web.pages
from api.access import Role
from api.access.accounts import create_user, grant
from api.access.sessions import create_token
from api.http import create_app
from api.services import ingest_runner
from archive.archive import Archive
from archive.catalog import Grant, Unit
from archive.config import load_settings
from tests.http.authz_world import build_world
from tests.http.conftest import PASSWORD, Callers, sample_units
from tests.http.record_docs import OWNER
from tests.http.retention_records import A_OLDEST

EXAMPLES = 10  # per API operation (the examples phase adds the schema's own examples)
UNAUTHENTICATED_EXAMPLES = 3
PAGE_EXAMPLES = 6

CONFIG = schemathesis.Config.from_dict({
    "seed": 20260101,
    # The coverage phase sends every boundary of every parameter: thousands of calls, too many
    # for CI (run by hand with it on, it found nothing the fuzzing phase does not).
    "phases": {"coverage": {"enabled": False}, "stateful": {"enabled": False}},
})
HYPOTHESIS = settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
                      phases=[Phase.explicit, Phase.generate],  # no shrinking: report as found
                      suppress_health_check=list(HealthCheck))
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance,
          response_schema_conformance]


def _pages_openapi() -> dict[str, Any]:
    """An OpenAPI document for the web pages (each page router is left out of /docs)."""
    routes = []
    for info in sorted(pkgutil.iter_modules(api.web.pages.__path__), key=lambda i: i.name):
        router = getattr(importlib.import_module(f"api.web.pages.{info.name}"), "router", None)
        for route in router.routes if router is not None else []:
            shown = copy.copy(route)
            shown.include_in_schema = True
            routes.append(shown)
    return get_openapi(title="Tabian web pages", version="1.0", routes=routes)


# Only the schemas are needed to generate the tests; this app never opens its (absent) archive.
SCHEMA = schemathesis.openapi.from_dict(
    create_app(load_settings(Path("/nonexistent-tabian-fuzz"))).openapi(), config=CONFIG)
PAGES = schemathesis.openapi.from_dict(_pages_openapi(), config=CONFIG)


@dataclass
class FuzzArchive:
    """The app under test, its all-rights caller, and the ids generation may borrow."""

    app: Any
    headers: dict[str, str]
    protected: dict[str, set[int]]  # path parameter -> ids the fuzzer must not revoke/disable
    known: dict[str, list[Any]] = field(default_factory=dict)  # path parameter -> real ids
    uploads: list[ingest_runner.BatchJob] = field(default_factory=list)


FUZZ: FuzzArchive | None = None  # set by the module fixture; read by the generation hook


@pytest.fixture(scope="module")
def fuzz(tmp_path_factory: pytest.TempPathFactory) -> Iterator[FuzzArchive]:
    """The authorization matrix's world plus a caller holding every right over every
    top-level unit, who also owns a record (OWNER)."""
    global FUZZ
    with pytest.MonkeyPatch.context() as mp, build_world(tmp_path_factory.mktemp("fuzz")) as w:
        uploads: list[ingest_runner.BatchJob] = []
        mp.setattr(ingest_runner.RUNNER, "submit", uploads.append)  # recorded, never run
        with w.archive.catalog.session() as s:
            tops = [p for p in s.scalars(select(Unit.path)) if " > " not in p]
            admin = create_user(s, username="fuzz-admin", display_name="ผู้ทดสอบ", actor="test",
                                password=PASSWORD, citizen_id=OWNER, unit_path=w.a.unit)
            for unit in tops:
                for role in Role:
                    if role is not Role.OWNER:
                        grant(s, user=admin, role=role, actor="test", unit_path=unit)
            token, token_row = create_token(s, admin, name="fuzz", actor="test")
            s.flush()
            protected = {"user_id": {admin.id}, "token_id": {token_row.id},
                         "grant_id": set(s.scalars(select(Grant.id)
                                                   .where(Grant.user_id == admin.id)))}
        a, b = w.a, w.b
        known: dict[str, list[Any]] = {
            "citizen_id": [a.cid, b.cid, A_OLDEST, OWNER], "document_id": [a.doc, b.doc],
            "entry_id": [a.entry, a.draft, b.draft], "item_id": [a.review_item, b.review_item],
            "batch_id": [a.batch], "request_id": [a.correction], "index": [0],
            "hold_id": [a.hold, b.hold], "printout_id": [a.printout],
            "user_id": [a.target_user], "grant_id": [a.grant, b.grant],
            "token_id": [a.owner_token], "review_id": [a.review],
            "proposal_id": [a.proposal, b.proposal], "order_id": [a.order],
            "list_id": [a.paper_list, a.gone_list], "page": [1],
        }
        FUZZ = FuzzArchive(w.client.app, {"Authorization": f"Bearer {token}"}, protected,
                           known, uploads)
        try:
            yield FUZZ
        finally:
            FUZZ = None
            asgi.shutdown_lifespans()


def flatmap_path_parameters(context: schemathesis.HookContext,
                            path_parameters: dict[str, Any] | None) -> st.SearchStrategy[Any]:
    """Half the time, swap generated ids for real ones, so handlers go past their 404s."""
    known = FUZZ.known if FUZZ is not None else {}
    real = {name: st.sampled_from(known[name]) for name in path_parameters or {} if name in known}
    if not real or path_parameters is None:
        return st.just(path_parameters)
    return st.one_of(st.just(path_parameters),
                     st.fixed_dictionaries(real).map(lambda ids: {**path_parameters, **ids}))


SCHEMA.hook(flatmap_path_parameters)
PAGES.hook(flatmap_path_parameters)


def _as_id(value: Any) -> int | None:
    """The row id FastAPI would read from a path segment (`1`, `"01"`, `" 1"`)."""
    try:
        return int(str(value).strip())
    except ValueError:
        return None


def _spare_protected(case: schemathesis.Case, fuzz: FuzzArchive) -> None:
    """Keep the fuzzer from revoking the caller's own token or rights mid-run."""
    params = case.path_parameters or {}
    for name, ids in fuzz.protected.items():
        if case.method != "GET" and _as_id(params.get(name)) in ids:
            params[name] = 2**31 - 1


@SCHEMA.parametrize()
@HYPOTHESIS
def test_api_never_answers_5xx_to_a_caller_with_every_right(
        case: schemathesis.Case, fuzz: FuzzArchive) -> None:
    _spare_protected(case, fuzz)
    response = case.call(app=fuzz.app, headers=fuzz.headers)
    case.validate_response(response, checks=CHECKS, headers=fuzz.headers)


@SCHEMA.parametrize()
@settings(HYPOTHESIS, max_examples=UNAUTHENTICATED_EXAMPLES)
def test_api_never_answers_5xx_without_credentials(
        case: schemathesis.Case, fuzz: FuzzArchive) -> None:
    response = case.call(app=fuzz.app)
    case.validate_response(response, checks=CHECKS)


@PAGES.parametrize()
@settings(HYPOTHESIS, max_examples=PAGE_EXAMPLES)
def test_web_pages_never_answer_5xx(case: schemathesis.Case, fuzz: FuzzArchive) -> None:
    # Pages answer HTML, redirects and Thai error pages; only "no server error" is theirs.
    _spare_protected(case, fuzz)
    response = case.call(app=fuzz.app, headers=fuzz.headers, allow_redirects=False)
    case.validate_response(response, checks=[not_a_server_error], headers=fuzz.headers)


# --- what fuzzing and probing found: each is a 4xx with a code and a Thai message now -------


@pytest.mark.parametrize("authorization", [
    "Bearer tbn_99999999999999999999999_x",  # an id past SQLite's integers
    "Bearer tbn_\u00b2_x",  # "²" (latin-1 0xB2): a digit to str.isdigit, not to int()
])
def test_a_malformed_token_id_is_401_not_500(app: Any, authorization: str) -> None:
    # Through schemathesis' ASGI client: it sends header bytes as latin-1, as a real client
    # may; the test client would re-encode them as UTF-8.
    with asgi.get_client(app) as client:
        r = client.get("/api/v1/me", headers={"Authorization": authorization})
    assert r.status_code == 401 and r.json()["error"]["code"] == "bad_token"


@pytest.mark.parametrize("names", [
    ["a.pdf", "a.pdf/b.pdf"],  # a file, then a folder of the same name
    ["a.pdf", "a.pdf/c/d.pdf"],
])
def test_an_upload_naming_a_file_as_a_folder_is_refused(
        client: TestClient, callers: Callers, archive: Archive, names: list[str]) -> None:
    digitizer = callers.make(Role.DIGITIZER, unit=sample_units(archive)[0])
    r = client.post("/api/v1/ingest", headers=digitizer.headers,
                    files=[("files", (name, b"%PDF-1.4 junk")) for name in names])
    assert r.status_code == 400
    assert r.json()["error"]["code"] == "name_conflict"
    assert "โฟลเดอร์" in r.json()["error"]["message"]
    assert not list((archive.settings.data_dir / "uploads").glob("*/files"))  # nothing kept


@pytest.mark.parametrize("free_bytes", ["²", "9" * 30])
def test_the_review_form_refuses_a_byte_count_it_cannot_keep(
        client: TestClient, callers: Callers, archive: Archive, free_bytes: str) -> None:
    manager = callers.make(Role.RECORDS_MANAGER, unit=sample_units(archive)[0])
    r = client.post("/retention/reviews", headers=manager.headers,
                    data={"as_of": "2026-06-01", "free_bytes": free_bytes})
    assert r.status_code == 400
    assert "จำนวนไบต์ต้องเป็นตัวเลข" in r.text
