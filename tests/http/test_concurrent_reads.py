"""Reads side by side with writes on the embedded SQLite catalog, through a live server.

GIVEN `tabian`'s app served by uvicorn on 127.0.0.1 over a SQLite catalog (documents to find,
the sample registry), WHEN reader threads search, read person records and print them (GET)
while writer threads make API tokens and place and release legal holds (POST) for a few
seconds, THEN no request fails, every successful read left exactly one audit event (each read
is audited before its answer is sent, in its own short write after the read-only transaction),
and the audit hash chain verifies. Also: a GET still pushes a web session's idle deadline on and
marks a token used (those writes, too, go in a short write transaction of their own).
"""

from __future__ import annotations

import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from api.access import Role
from api.access.accounts import grant
from api.access.sessions import create_token
from archive.archive import Archive
from archive.audit import verify_chain
from archive.catalog import ApiToken, AuditEvent, User, WebSession
from tests.http.conftest import PASSWORD, Caller, Callers, person_in, sample_units
from tests.live_server import serving
from tests.search.archive_docs import store_document

READERS = 8
SECONDS = 4.0
ORDER = "คำสั่งแต่งตั้ง ที่ ๑๒๓/๒๕๖๗ ให้ข้าราชการครูไปช่วยราชการ โรงเรียนบ้านหนองบัว"


@pytest.fixture
def live_url(app: Any) -> Iterator[str]:
    with serving(app) as url:
        yield url


class Tally:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.statuses: Counter[tuple[str, int]] = Counter()
        self.reads = 0
        self.failures: list[str] = []

    def note(self, what: str, response: httpx.Response | None, ok: set[int],
             *, read: bool = False) -> bool:
        status = response.status_code if response is not None else 0
        with self.lock:
            self.statuses[(what, status)] += 1
            if status in ok:
                self.reads += read
                return True
            body = response.text[:300] if response is not None else "no answer"
            self.failures.append(f"{what}: {status} {body}")
            return False


def _loop(base: str, caller: Caller, stop: threading.Event, tally: Tally,
          step: Callable[[httpx.Client, int], None]) -> None:
    with httpx.Client(base_url=base, headers=caller.headers, timeout=60) as http:
        n = 0
        while not stop.is_set():
            try:
                step(http, n)
            except Exception as exc:  # noqa: BLE001 - the test reports it
                with tally.lock:
                    tally.failures.append(f"{step.__name__}: {exc!r}")
                return
            n += 1


def _get(http: httpx.Client, path: str, **params: str) -> httpx.Response | None:
    try:
        return http.get(path, params=params)
    except httpx.HTTPError:
        return None


def _post(http: httpx.Client, path: str, body: dict[str, Any]) -> httpx.Response | None:
    try:
        return http.post(path, json=body)
    except httpx.HTTPError:
        return None


def test_reads_run_beside_writes_and_are_all_audited(
        live_url: str, archive: Archive, callers: Callers) -> None:
    # GIVEN documents to find in every top-level unit, a reader over all of them (one token
    # per reader thread, so the tokens' first-use updates race too) and a data controller
    tops = sorted({u.split(" > ")[0] for u in sample_units(archive)})
    cids = [cid for cid in (person_in(archive, u) for u in tops) if cid]
    assert len(cids) >= 2
    for i, cid in enumerate(cids):
        store_document(archive, f"{ORDER} ฉบับที่ {i}", name=f"order-{i}.pdf",
                       category="appointment", persons=[(cid, "linked")])
    readers = [callers.make(Role.REGISTRAR, unit=tops[0], username="reader")]
    with archive.catalog.session() as s:
        user = s.scalars(select(User).where(User.username == "reader")).one()
        for unit in tops[1:]:
            grant(s, user=user, role=Role.REGISTRAR, actor="test", unit_path=unit)
        for n in range(READERS - 1):
            token, _ = create_token(s, user, name=f"reader {n}", actor="test")
            readers.append(Caller("reader", token))
    controller = callers.make(Role.DATA_CONTROLLER, unit=tops[0])
    with archive.catalog.session() as s:
        before = s.scalar(select(func.count()).select_from(AuditEvent)
                          .where(AuditEvent.actor == "user:reader")) or 0

    tally = Tally()
    stop = threading.Event()

    def read(http: httpx.Client, n: int) -> None:
        cid = cids[n % len(cids)]
        if n % 3 == 0:
            r = _get(http, "/api/v1/search", q="คำสั่งแต่งตั้ง ๑๒๓/๒๕๖๗")
            if tally.note("search", r, {200}, read=True):
                assert r is not None and r.json()["total"] >= 1
        elif n % 10 == 7:
            tally.note("record.pdf", _get(http, f"/api/v1/persons/{cid}/record.pdf"), {200},
                       read=True)
        else:
            tally.note("record", _get(http, f"/api/v1/persons/{cid}"), {200}, read=True)

    def make_tokens(http: httpx.Client, n: int) -> None:
        tally.note("token", _post(http, "/api/v1/tokens", {"name": f"w{n}"}), {201})

    def hold_and_release(http: httpx.Client, n: int) -> None:
        r = _post(http, "/api/v1/holds", {"citizen_id": cids[0], "reason": f"คดีที่ {n}",
                                          "authority": "ศาลปกครองกลาง"})
        if tally.note("hold", r, {201}) and r is not None:
            tally.note("release", _post(http, f"/api/v1/holds/{r.json()['hold_id']}/release",
                                        {"reason": "คดีสิ้นสุด", "authority": "ศาลปกครองกลาง"}),
                       {200})

    # WHEN readers and writers run side by side for a few seconds
    threads = [threading.Thread(target=_loop, args=(live_url, c, stop, tally, read))
               for c in readers]
    threads += [threading.Thread(target=_loop, args=(live_url, controller, stop, tally, step))
                for step in (make_tokens, hold_and_release)]
    for t in threads:
        t.start()
    time.sleep(SECONDS)
    stop.set()
    for t in threads:
        t.join(timeout=120)
    assert not any(t.is_alive() for t in threads)

    # THEN nothing failed, reads and writes both got through
    assert tally.failures == [], tally.failures[:5]
    done = Counter({what: n for (what, _s), n in tally.statuses.items()})
    assert done["search"] and done["record"] and done["record.pdf"], done
    assert done["token"] and done["hold"] and done["release"], done
    # AND every successful read was audited, once, and the chain is intact
    with archive.catalog.session() as s:
        audited = (s.scalar(select(func.count()).select_from(AuditEvent)
                            .where(AuditEvent.actor == "user:reader")) or 0) - before
        report = verify_chain(s)
    assert audited == tally.reads, (audited, tally.reads, done)
    assert report.ok, [p.as_dict() for p in report.problems[:5]]


def test_a_get_pushes_the_session_deadline_and_marks_the_token_used(
        client: TestClient, archive: Archive, callers: Callers) -> None:
    # GIVEN a signed-in browser whose session was last seen 5 minutes ago, and a fresh token
    reader = callers.make(Role.REGISTRAR, unit=sample_units(archive)[0], username="slider")
    r = client.post("/api/v1/auth/login", json={"login": "slider", "password": PASSWORD})
    assert r.status_code == 200, r.text
    long_ago = datetime.now(UTC) - timedelta(minutes=5)
    with archive.catalog.session() as s:
        ws = s.scalars(select(WebSession).join(User).where(User.username == "slider")).one()
        ws.last_seen_at = long_ago
        old_expiry = ws.expires_at
    # WHEN the browser and the token each make a GET (read-first requests)
    assert client.get("/api/v1/me").status_code == 200
    client.cookies.clear()
    assert client.get("/api/v1/me", headers=reader.headers).status_code == 200
    # THEN both writes were made, each in its own short write transaction
    with archive.catalog.session() as s:
        ws = s.scalars(select(WebSession).join(User).where(User.username == "slider")).one()
        token = s.scalars(select(ApiToken).join(User).where(User.username == "slider")).one()
        assert ws.last_seen_at.replace(tzinfo=UTC) > long_ago + timedelta(minutes=4)
        assert ws.expires_at > old_expiry
        assert token.last_used_at is not None
