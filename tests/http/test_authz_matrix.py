"""The authorization matrix (issue 8, "Must show"): every role × every operation of the API, as
clause 6.1 of the handbook and `api.access.roles.ROLE_ACTIONS` say; the same operations on
unit B's objects (outside every caller's scope) are denied; lists and search never show unit B;
the main web pages follow the same rules; reads of records are audited.

The callers are all scoped to unit A: the owner of P, a recorder assigned P, and a registrar,
certifier, access controller, data controller, digitizer and records manager of unit A.
Allowed means the access check let the call through (any status but 401/403/404, never 5xx; a
400/409/422 after the check still counts, though the bodies are valid so most answer 2xx).
Denied means 401 for the anonymous caller and 403 or 404 (existence hidden) for the others.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from archive.catalog import AuditEvent
from tests.http.authz_world import (
    API,
    ORDER_NO,
    P2,
    PHRASE,
    ROLES,
    Side,
    World,
    build_world,
    fresh_correction,
    fresh_draft,
    fresh_grant,
    fresh_hold,
    fresh_paper_list,
    fresh_proposal,
    fresh_review_item,
    fresh_token,
    tiny_pdf,
    unattributed_scan,
)
from tests.http.conftest import PASSWORD, Caller
from tests.http.record_docs import OUTSIDER
from tests.http.retention_records import AS_OF, B_PERSON, UNIT_B

# --- who may: clause 6.1 (owner: own record only; recorder, registrar: assigned persons; the
# others: their unit) and ROLE_ACTIONS ------------------------------------------------------

STAFF = frozenset(ROLES) - {"anonymous"}
PUBLIC = frozenset(ROLES)
SIGNED_IN = STAFF
READERS = frozenset({"owner", "recorder", "registrar", "certifier", "data_controller"})
WRITERS = frozenset({"recorder", "registrar"})
OWNER = frozenset({"owner"})
REGISTRAR = frozenset({"registrar"})
OWNER_OR_DECIDER = frozenset({"owner", "registrar"})
DIGITIZER = frozenset({"digitizer"})
RECORDS_MANAGER = frozenset({"records_manager"})
DATA_CONTROLLER = frozenset({"data_controller"})
RETENTION_READERS = frozenset({"records_manager", "data_controller"})
ACCESS_CONTROLLER = frozenset({"access_controller"})
RIGHTS_READERS = frozenset({"access_controller", "data_controller"})


@dataclass(frozen=True)
class Call:
    url: str
    kwargs: dict[str, Any] = field(default_factory=dict)


Build = Callable[[World, Side, Caller | None], Call]


@dataclass(frozen=True)
class Op:
    method: str
    path: str  # as the OpenAPI names it, less the API prefix
    allowed: frozenset[str]
    build: Build
    target: bool = True  # names one side's object, so it is also tried on unit B's

    @property
    def key(self) -> str:
        return f"{self.method} {API}{self.path}"


def at(url: str, **kwargs: Any) -> Build:
    """A call to `url`, formatted with the side (`{s.cid}`, `{s.doc}`, ...)."""
    return lambda w, s, c: Call(API + url.format(s=s), kwargs)


def fresh(url: str, make: Callable[[World, Side], Any], standing: str, **kwargs: Any) -> Build:
    """A mutating call on a new object of side A each time (unit B's standing one otherwise:
    no one may change it, so it stays as it is)."""

    def build(w: World, s: Side, c: Caller | None) -> Call:
        target = make(w, s) if s.name == "A" else getattr(s, standing)
        return Call(API + url.format(target), kwargs)

    return build


def own_token(w: World, s: Side, c: Caller | None) -> Call:
    """Revoke one's own new token on side A; on side B, the token of Q's owner."""
    if s.name == "B":
        return Call(f"{API}/tokens/{s.owner_token}")
    return Call(f"{API}/tokens/{fresh_token(w, c) if c is not None else 1}")


def login(w: World, s: Side, c: Caller | None) -> Call:
    user = w.callers["digitizer"]
    assert user is not None
    return Call(f"{API}/auth/login", {"json": {"login": user.username, "password": PASSWORD}})


def verify_upload(w: World, s: Side, c: Caller | None) -> Call:
    return Call(f"{API}/verify/{s.printout}",
                {"files": {"file": ("record.pdf", tiny_pdf("x"), "application/pdf")}})


def correction_request(w: World, s: Side, c: Caller | None) -> Call:
    return Call(f"{API}/me/corrections", {
        "data": {"kind": "addition", "subject": "การฝึกอบรม", "description": "เพิ่มวุฒิบัตร"},
        "files": [("files", ("วุฒิบัตร.pdf", tiny_pdf("certificate"), "application/pdf"))]})


def new_user(w: World, s: Side, c: Caller | None) -> Call:
    return Call(f"{API}/users", {"json": {"username": f"new-{uuid.uuid4().hex[:12]}",
                                          "display_name": "ผู้ใช้ใหม่", "unit": s.unit}})


ENTRY = {"section": "position_salary", "title": "เลื่อนเงินเดือน", "effective_on": "2025-10-01",
         "order_ref": "15/2569"}
APPROVE = {"necessity": "space", "reason": "พื้นที่จัดเก็บเต็ม", "order_ref": "10/2569"}
COMMITTEE = {"committee": ["นายประธาน กรรมการ", "นางกรรมการ หนึ่ง", "นายกรรมการ สอง"]}
HOLD = {"reason": "อยู่ระหว่างการสอบสวน", "authority": "คำสั่งศาลปกครอง ที่ 2/2569"}
RELEASE = {"reason": "คดีถึงที่สุด", "authority": "คำพิพากษาศาลปกครองสูงสุด"}

OPS: tuple[Op, ...] = (
    # system, sign-in, tokens, public verification
    Op("GET", "/health", PUBLIC, at("/health"), target=False),
    Op("GET", "/me", SIGNED_IN, at("/me"), target=False),
    Op("POST", "/auth/login", PUBLIC, login, target=False),
    Op("POST", "/auth/logout", PUBLIC, at("/auth/logout"), target=False),
    Op("GET", "/tokens", SIGNED_IN, at("/tokens"), target=False),
    Op("POST", "/tokens", SIGNED_IN, at("/tokens", json={"name": "สคริปต์"}), target=False),
    Op("DELETE", "/tokens/{token_id}", SIGNED_IN, own_token),
    Op("GET", "/verify/{printout_id}", PUBLIC, at("/verify/{s.printout}"), target=False),
    Op("POST", "/verify/{printout_id}", PUBLIC, verify_upload, target=False),
    # persons and records
    Op("GET", "/persons", READERS, at("/persons"), target=False),
    Op("GET", "/persons/{citizen_id}", READERS, at("/persons/{s.cid}")),
    Op("GET", "/persons/{citizen_id}/record.pdf", READERS, at("/persons/{s.cid}/record.pdf")),
    Op("GET", "/me/record", OWNER, at("/me/record"), target=False),
    Op("POST", "/persons/{citizen_id}/certifications", frozenset({"certifier"}),
       at("/persons/{s.cid}/certifications", json={"certified_on": "2026-01-15"})),
    Op("POST", "/persons/{citizen_id}/photos", WRITERS,
       at("/persons/{s.cid}/photos", json={"taken_on": "2025-06-01"})),
    Op("POST", "/persons/{citizen_id}/entries", WRITERS,
       at("/persons/{s.cid}/entries", json=ENTRY)),
    Op("PATCH", "/entries/{entry_id}", WRITERS,
       at("/entries/{s.entry}", json={"title": "แต่งตั้ง (แก้ไข)"})),
    Op("GET", "/drafts", WRITERS, at("/drafts"), target=False),
    Op("POST", "/drafts/{entry_id}/confirm", WRITERS,
       fresh("/drafts/{}/confirm", fresh_draft, "draft")),
    Op("POST", "/drafts/{entry_id}/discard", WRITERS,
       fresh("/drafts/{}/discard", fresh_draft, "draft")),
    # documents and search
    Op("GET", "/documents/{document_id}", READERS, at("/documents/{s.doc}")),
    Op("GET", "/documents/{document_id}/{kind}", READERS, at("/documents/{s.doc}/archive")),
    Op("GET", "/documents/{document_id}/pages/{page}.png", READERS,
       at("/documents/{s.doc}/pages/1.png")),
    Op("GET", "/search", READERS, at("/search", params={"q": ORDER_NO["A"]}), target=False),
    # owners' correction requests
    Op("GET", "/me/corrections", OWNER, at("/me/corrections"), target=False),
    Op("POST", "/me/corrections", OWNER, correction_request, target=False),
    Op("GET", "/corrections", REGISTRAR, at("/corrections"), target=False),
    Op("GET", "/corrections/{request_id}", OWNER_OR_DECIDER, at("/corrections/{s.correction}")),
    Op("GET", "/corrections/{request_id}/evidence/{index}", OWNER_OR_DECIDER,
       at("/corrections/{s.correction}/evidence/0")),
    Op("POST", "/corrections/{request_id}/approve", REGISTRAR,
       fresh("/corrections/{}/approve", fresh_correction, "correction", json={})),
    Op("POST", "/corrections/{request_id}/reject", REGISTRAR,
       fresh("/corrections/{}/reject", fresh_correction, "correction",
             json={"reason": "หลักฐานไม่ตรงกับรายการที่ขอแก้ไข"})),
    # the review queue
    Op("GET", "/review", REGISTRAR, at("/review"), target=False),
    Op("GET", "/review/{item_id}", REGISTRAR, at("/review/{s.review_item}")),
    Op("POST", "/review/{item_id}/accept", REGISTRAR,
       fresh("/review/{}/accept", fresh_review_item, "review_item")),
    Op("POST", "/review/{item_id}/correct", REGISTRAR,
       lambda w, s, c: Call(
           API + f"/review/{fresh_review_item(w, s) if s.name == 'A' else s.review_item}"
           "/correct", {"json": {"category": "other", "citizen_ids": [s.cid]}})),
    Op("POST", "/review/{item_id}/reject", REGISTRAR,
       fresh("/review/{}/reject", fresh_review_item, "review_item",
             json={"note": "ไม่ใช่ของผู้ที่ระบบเสนอ"})),
    # ingest (the digitizer sees batch reports, never record contents)
    Op("POST", "/ingest", DIGITIZER, at("/ingest", files=[
        ("files", ("บันทึก.txt", b"not a scan", "text/plain"))]), target=False),
    Op("GET", "/batches", DIGITIZER, at("/batches"), target=False),
    Op("GET", "/batches/{batch_id}", DIGITIZER, at("/batches/{s.batch}")),
    Op("GET", "/batches/{batch_id}/events", DIGITIZER, at("/batches/{s.batch}/events")),
    # retention: the records manager reviews and proposes, the data controller orders
    Op("GET", "/reminders", RECORDS_MANAGER, at("/reminders", params={"as_of": AS_OF}),
       target=False),
    Op("GET", "/retention/reviews", RETENTION_READERS, at("/retention/reviews"), target=False),
    Op("POST", "/retention/reviews", RECORDS_MANAGER,
       at("/retention/reviews", json={"as_of": AS_OF}), target=False),
    Op("GET", "/retention/reviews/{review_id}", RETENTION_READERS,
       at("/retention/reviews/{s.review}")),
    Op("GET", "/retention/proposals", RETENTION_READERS, at("/retention/proposals"),
       target=False),
    Op("POST", "/retention/proposals", RECORDS_MANAGER,
       lambda w, s, c: Call(f"{API}/retention/proposals", {"json": {"review_id": s.review}})),
    Op("GET", "/retention/proposals/{proposal_id}", RETENTION_READERS,
       at("/retention/proposals/{s.proposal}")),
    Op("POST", "/retention/proposals/{proposal_id}/approve", DATA_CONTROLLER,
       fresh("/retention/proposals/{}/approve", fresh_proposal, "proposal", json=APPROVE)),
    Op("POST", "/retention/proposals/{proposal_id}/reject", DATA_CONTROLLER,
       fresh("/retention/proposals/{}/reject", fresh_proposal, "proposal",
             json={"reason": "ยังต้องใช้อ้างอิง"})),
    Op("GET", "/retention/orders", RETENTION_READERS, at("/retention/orders"), target=False),
    Op("GET", "/retention/orders/{order_id}", RETENTION_READERS,
       at("/retention/orders/{s.order}")),
    Op("POST", "/retention/orders/{order_id}/execute", DATA_CONTROLLER,
       at("/retention/orders/{s.order}/execute")),  # executed already: idempotent
    Op("GET", "/retention/certificates", DATA_CONTROLLER, at("/retention/certificates"),
       target=False),
    Op("GET", "/retention/certificates/{order_id}", DATA_CONTROLLER,
       at("/retention/certificates/{s.order}")),
    Op("GET", "/retention/certificates/{order_id}.pdf", DATA_CONTROLLER,
       at("/retention/certificates/{s.order}.pdf")),
    Op("GET", "/retention/paper-lists", RETENTION_READERS, at("/retention/paper-lists"),
       target=False),
    Op("POST", "/retention/paper-lists", RECORDS_MANAGER,
       lambda w, s, c: Call(f"{API}/retention/paper-lists", {"json": {"batch_id": s.batch}})),
    Op("GET", "/retention/paper-lists/{list_id}", RETENTION_READERS,
       at("/retention/paper-lists/{s.paper_list}")),
    Op("GET", "/retention/paper-lists/{list_id}.pdf", RETENTION_READERS,
       at("/retention/paper-lists/{s.paper_list}.pdf")),
    Op("GET", "/retention/paper-lists/{list_id}.csv", RETENTION_READERS,
       at("/retention/paper-lists/{s.paper_list}.csv")),
    Op("POST", "/retention/paper-lists/{list_id}/decide", RECORDS_MANAGER,
       fresh("/retention/paper-lists/{}/decide", fresh_paper_list, "paper_list",
             json=COMMITTEE)),
    # legal holds and the audit log: the data controller
    Op("GET", "/holds", DATA_CONTROLLER, at("/holds"), target=False),
    Op("POST", "/holds", DATA_CONTROLLER,
       lambda w, s, c: Call(f"{API}/holds", {"json": {"citizen_id": s.cid, **HOLD}})),
    Op("POST", "/holds/{hold_id}/release", DATA_CONTROLLER,
       fresh("/holds/{}/release", fresh_hold, "hold", json=RELEASE)),
    Op("GET", "/audit", DATA_CONTROLLER, at("/audit"), target=False),
    Op("GET", "/audit/verify", DATA_CONTROLLER, at("/audit/verify"), target=False),
    # users and rights: the access controller manages, the data controller sees
    Op("GET", "/users", RIGHTS_READERS, at("/users"), target=False),
    Op("POST", "/users", ACCESS_CONTROLLER, new_user),
    Op("GET", "/users/{user_id}", RIGHTS_READERS, at("/users/{s.target_user}")),
    Op("PATCH", "/users/{user_id}", ACCESS_CONTROLLER,
       at("/users/{s.target_user}", json={"display_name": "ผู้ใช้ทดสอบ (แก้ไข)"})),
    Op("POST", "/users/{user_id}/grants", ACCESS_CONTROLLER,
       lambda w, s, c: Call(f"{API}/users/{s.target_user}/grants",
                            {"json": {"role": "digitizer", "unit": s.unit}})),
    Op("DELETE", "/grants/{grant_id}", ACCESS_CONTROLLER,
       fresh("/grants/{}", fresh_grant, "grant", params={"reason": "ย้ายหน่วยงาน"})),
    Op("GET", "/rights/review", RIGHTS_READERS, at("/rights/review"), target=False),
    Op("POST", "/rights/review/{grant_id}", ACCESS_CONTROLLER,
       fresh("/rights/review/{}", fresh_grant, "grant", json={"decision": "confirm"})),
)
OPS_BY_KEY = {op.key: op for op in OPS}
TARGETED = tuple(op for op in OPS if op.target)
DENIED = {401, 403, 404}


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    with build_world(Path(tmp_path_factory.mktemp("authz"))) as w:
        yield w


def send(w: World, method: str, call: Call, caller: Caller | None) -> Any:
    return w.call(method, call.url, caller, **call.kwargs)


def verdict(role: str, status: int) -> str:
    """'allowed', 'denied' or 'wrong' (a server error, or a denial of the wrong kind)."""
    if status >= 500:
        return "wrong"
    if status not in DENIED:
        return "allowed"
    if role == "anonymous":
        return "denied" if status == 401 else "wrong"
    return "denied" if status in (403, 404) else "wrong"


def run_roles(w: World, op: Op, side: Side, roles: list[str]) -> dict[str, tuple[int, str]]:
    """Each role's status and the start of the answer; denied roles go first, so no allowed
    change of state can hide a denial."""
    seen: dict[str, tuple[int, str]] = {}
    for role in sorted(roles, key=lambda r: (side.name == "A" and r in op.allowed, r)):
        caller = w.callers[role]
        r = send(w, op.method, op.build(w, side, caller), caller)
        seen[role] = (r.status_code, r.text[:160] if r.status_code >= 300 else "")
    return seen


# --- every operation is in the matrix -------------------------------------------------------


def test_every_operation_of_the_api_is_in_the_matrix(world: World) -> None:
    paths = world.client.app.openapi()["paths"]  # type: ignore[attr-defined]
    published = {f"{method.upper()} {path}" for path, ops in paths.items() for method in ops}
    assert published - set(OPS_BY_KEY) == set(), "operations missing from the matrix"
    assert set(OPS_BY_KEY) - published == set(), "matrix rows for operations that are gone"
    assert len(OPS) == len(OPS_BY_KEY)


# --- unit A: each role allowed or denied as clause 6.1 says ----------------------------------


@pytest.mark.parametrize("op", OPS, ids=lambda op: op.key)
def test_in_scope(world: World, op: Op) -> None:
    seen = run_roles(world, op, world.a, list(ROLES))
    wrong = {role: seen[role] for role in ROLES
             if verdict(role, seen[role][0]) != ("allowed" if role in op.allowed else "denied")}
    assert not wrong, f"{op.key}: expected allowed {sorted(op.allowed)}; wrong: {wrong}"


# --- unit B: everything outside the callers' scope is denied ---------------------------------


@pytest.mark.parametrize("op", TARGETED, ids=lambda op: op.key)
def test_out_of_scope(world: World, op: Op) -> None:
    seen = run_roles(world, op, world.b, list(ROLES))
    wrong = {role: status for role, status in seen.items() if verdict(role, status[0]) != "denied"}
    assert not wrong, f"{op.key} on unit B's object: not denied for {wrong}"


def test_search_never_finds_the_other_units_documents(world: World) -> None:
    b = world.b
    # the phrase and the order number are indexed: B's registrar finds them
    for q in (PHRASE["B"], ORDER_NO["B"]):
        r = world.call("GET", f"{API}/search", b.staff["registrar"], expect=200,
                       params={"q": q})
        assert [h["document_id"] for h in r.json()["hits"]] == [b.doc], q
    asks = [{"q": PHRASE["B"]}, {"q": f'"{PHRASE["B"]}"'}, {"q": ORDER_NO["B"]},
            {"q": b.cid}, {"q": b.doc}, {"q": "คำสั่งแต่งตั้ง", "citizen_id": b.cid},
            {"q": "คำสั่งแต่งตั้ง", "unit": UNIT_B}]
    for role in sorted(READERS):
        caller = world.callers[role]
        mine = world.call("GET", f"{API}/search", caller, expect=200,
                          params={"q": ORDER_NO["A"]}).json()
        assert [h["document_id"] for h in mine["hits"]] == [world.a.doc], role
        for params in asks:
            r = world.call("GET", f"{API}/search", caller, expect=200, params=params)
            assert r.json()["hits"] == [] and r.json()["total"] == 0, (role, params)
        r = world.call("GET", f"{API}/persons", caller, expect=200, params={"q": b.cid})
        assert r.json()["persons"] == [], role


# --- lists never name unit B's persons or objects ---------------------------------------------


def b_markers(w: World) -> list[str]:
    b = w.b
    return [b.cid, B_PERSON, b.doc, b.batch, b.review, b.proposal, b.order, b.paper_list,
            UNIT_B, PHRASE["B"], ORDER_NO["B"], b.owner.username,
            *(c.username for c in b.staff.values())]


LISTS = tuple(op for op in OPS if op.method == "GET" and not op.target
              and op.path not in {"/health", "/verify/{printout_id}"})


@pytest.mark.parametrize("op", LISTS, ids=lambda op: op.key)
def test_lists_show_nothing_of_the_other_unit(world: World, op: Op) -> None:
    for role in sorted(op.allowed - {"anonymous"}):
        caller = world.callers[role]
        assert caller is not None
        r = send(world, op.method, op.build(world, world.a, caller), caller)
        assert r.status_code == 200, (op.key, role, r.text[:300])
        if r.headers["content-type"].startswith("application/json"):
            body = r.json()
            if op.path == "/audit":  # one's own events may name what one asked for
                body["events"] = [e for e in body["events"]
                                  if e["actor"] != f"user:{caller.username}"]
            text = json.dumps(body, ensure_ascii=False)
        else:
            text = r.text
        leaked = [m for m in b_markers(world) if m and m in text]
        assert not leaked, f"{op.key} as {role} shows unit B: {leaked}"


# --- web pages --------------------------------------------------------------------------------

PAGES: tuple[tuple[str, frozenset[str]], ...] = (
    ("/persons/{s.cid}", READERS),
    ("/documents/{s.doc}", READERS),
    ("/review", REGISTRAR),
    ("/upload", DIGITIZER),
    ("/retention", RETENTION_READERS),
    ("/audit", DATA_CONTROLLER),
    ("/users", RIGHTS_READERS),
)


def page_verdict(role: str, r: Any) -> str:
    if role == "anonymous":
        if r.status_code == 303 and r.headers["location"].startswith("/login"):
            return "denied"
        return "wrong"
    if r.status_code == 200 and r.headers["content-type"].startswith("text/html"):
        return "allowed"
    return "denied" if r.status_code in (403, 404) else "wrong"


@pytest.mark.parametrize(("path", "allowed"), PAGES, ids=[p for p, _ in PAGES])
def test_web_pages(world: World, path: str, allowed: frozenset[str]) -> None:
    wrong = {}
    for role in ROLES:
        r = world.call("GET", path.format(s=world.a), world.callers[role])
        if page_verdict(role, r) != ("allowed" if role in allowed else "denied"):
            wrong[role] = r.status_code
    assert not wrong, f"page {path}: expected allowed {sorted(allowed)}; wrong: {wrong}"


@pytest.mark.parametrize("path", ["/persons/{s.cid}", "/documents/{s.doc}"])
def test_web_pages_of_the_other_unit(world: World, path: str) -> None:
    for role in ROLES:
        r = world.call("GET", path.format(s=world.b), world.callers[role])
        assert page_verdict(role, r) == "denied", (path, role, r.status_code)
        assert world.b.cid not in r.text and PHRASE["B"] not in r.text


# --- reads are audited ------------------------------------------------------------------------


def test_reads_are_audited(world: World) -> None:
    a = world.a
    with world.archive.catalog.session() as s:
        start = s.scalar(select(func.max(AuditEvent.seq))) or 0
    for role in sorted(READERS):
        caller = world.callers[role]
        assert caller is not None
        world.call("GET", f"{API}/persons/{a.cid}", caller, expect=200)
        world.call("GET", f"{API}/documents/{a.doc}", caller, expect=200)
        world.call("GET", f"{API}/documents/{a.doc}/original", caller, expect=200)
        world.call("GET", f"{API}/search", caller, expect=200, params={"q": ORDER_NO["A"]})
        with world.archive.catalog.session() as s:
            events = s.scalars(select(AuditEvent).where(
                AuditEvent.seq > start, AuditEvent.actor == f"user:{caller.username}")).all()
            seen = {(e.action, e.subject) for e in events}
            searches = [json.loads(e.details) for e in events if e.action == "search"]
        assert ("record.read", f"person:{a.cid}") in seen, role
        assert ("document.read", f"document:{a.doc}") in seen, role
        assert ("document.download", f"document:{a.doc}") in seen, role
        assert any(a.doc in d["documents"] and d["query"] for d in searches), role



def test_an_unattributed_scan_uploaded_in_the_other_unit_stays_there(world: World) -> None:
    """A scan that names no one yet is reviewed in the unit tree that uploaded it."""
    doc_id, item_id = unattributed_scan(world, world.b)
    registrar_a, registrar_b = world.callers["registrar"], world.b.staff["registrar"]
    for url in (f"{API}/review/{item_id}", f"{API}/documents/{doc_id}/pages/1.png"):
        world.call("GET", url, registrar_b, expect=200)
        world.call("GET", url, registrar_a, expect=404)
    queue = world.call("GET", f"{API}/review", registrar_a, expect=200).json()["items"]
    assert item_id not in [i["item"] for i in queue]
    world.call("POST", f"{API}/review/{item_id}/correct", registrar_a, expect=404,
               json={"category": "other", "citizen_ids": [world.a.cid]})


def test_a_paper_list_of_destroyed_owners_stays_in_its_unit(world: World) -> None:
    """Once its owners are destroyed the list still names them (file codes): it stays with
    the unit their destruction review noted."""
    lists = f"{API}/retention/paper-lists"
    for side, other in ((world.a, world.b), (world.b, world.a)):
        for role in ("records_manager", "data_controller"):
            mine, theirs = side.staff[role], other.staff[role]
            for suffix in ("", ".pdf", ".csv"):
                world.call("GET", f"{lists}/{side.gone_list}{suffix}", mine, expect=200)
                world.call("GET", f"{lists}/{side.gone_list}{suffix}", theirs, expect=404)
            shown = world.call("GET", lists, theirs, expect=200).json()
            assert side.gone_list not in [x["list_id"] for x in shown]
        world.call("POST", f"{lists}/{side.gone_list}/decide", other.staff["records_manager"],
                   expect=404, json=COMMITTEE)



def test_an_owner_account_is_made_only_for_a_person_of_ones_units(world: World) -> None:
    """A user with a citizen ID owns that person's record (6.1.1): the access controller of
    unit A may not open a record elsewhere by making its owner's account."""
    ac = world.callers["access_controller"]
    body = {"display_name": "เจ้าของประวัติ", "unit": world.a.unit, "password": PASSWORD}
    r = world.call("POST", f"{API}/users", ac, expect=403,
                   json={**body, "username": "owner-elsewhere", "citizen_id": OUTSIDER})
    assert r.json()["error"]["code"] == "outside_scope"
    world.call("POST", f"{API}/auth/login", None, expect=401,
               json={"login": "owner-elsewhere", "password": PASSWORD})
    world.call("POST", f"{API}/users", ac, expect=201,
               json={**body, "username": "owner-p2", "citizen_id": P2})


def test_nothing_is_filed_into_the_other_units_records(world: World) -> None:
    """A's registrar may not file a scan to Q, nor cite Q's document in P's entries."""
    registrar = world.callers["registrar"]
    item = fresh_review_item(world, world.a)
    r = world.call("POST", f"{API}/review/{item}/correct", registrar, expect=403,
                   json={"category": "other", "citizen_ids": [world.b.cid]})
    assert r.json()["error"]["code"] == "person_out_of_scope"
    r = world.call("POST", f"{API}/persons/{world.a.cid}/entries", registrar, expect=400,
                   json={**ENTRY, "documents": [world.b.doc]})
    assert r.json()["error"]["code"] == "document_not_in_record"
    world.call("GET", f"{API}/review/{item}", registrar, expect=200)  # still open, unfiled
