"""Append-only, hash-chained audit log: who did what to which record, when, with what outcome."""

from __future__ import annotations

import getpass
import hashlib
import json
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from archive.catalog.db import write_side
from archive.catalog.models import AuditEvent, AuditHead

GENESIS_HASH = "0" * 64


def current_actor() -> str:
    """The person behind a CLI call: TABIAN_ACTOR if set, else the OS user."""
    actor = os.environ.get("TABIAN_ACTOR")
    if actor:
        return actor
    try:
        return f"os:{getpass.getuser()}"
    except (KeyError, OSError):
        return "os:unknown"


def canonical_json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str)


def event_hash(
    *, seq: int, at: str, actor: str, action: str, subject: str, outcome: str, details: str,
    prev_hash: str,
) -> str:
    """sha256 over every field of the event and the previous hash, in a fixed framing."""
    body = canonical_json([seq, at, actor, action, subject, outcome, details, prev_hash])
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


def append(
    session: Session,
    *,
    action: str,
    subject: str,
    actor: str | None = None,
    outcome: str = "ok",
    details: dict[str, Any] | None = None,
) -> AuditEvent:
    """Add one event inside the caller's transaction, so the event commits with the change.

    In a read-first session (an HTTP GET, `Catalog.read_session`) the event is committed at
    once in its own short write transaction (`write_side`): it records that the read was made,
    before the response is sent."""
    with write_side(session) as side:
        return _append(side, action=action, subject=subject, actor=actor, outcome=outcome,
                       details=details)


def _append(
    session: Session, *, action: str, subject: str, actor: str | None, outcome: str,
    details: dict[str, Any] | None,
) -> AuditEvent:
    head = session.execute(
        select(AuditHead).where(AuditHead.id == 1).with_for_update()
    ).scalar_one_or_none()
    if head is None:
        head = AuditHead(id=1, seq=0, hash=GENESIS_HASH)
        session.add(head)
    seq = head.seq + 1
    at = datetime.now(UTC).isoformat(timespec="microseconds")
    who = actor or current_actor()
    details_json = canonical_json(details or {})
    digest = event_hash(
        seq=seq, at=at, actor=who, action=action, subject=subject, outcome=outcome,
        details=details_json, prev_hash=head.hash,
    )
    event = AuditEvent(
        seq=seq, at=at, actor=who, action=action, subject=subject, outcome=outcome,
        details=details_json, prev_hash=head.hash, hash=digest,
    )
    session.add(event)
    head.seq, head.hash = seq, digest
    session.flush()
    return event


@dataclass
class ChainProblem:
    seq: int | None
    kind: str  # edited | deleted | reordered | truncated | head_mismatch
    detail: str

    def as_dict(self) -> dict[str, Any]:
        return {"seq": self.seq, "kind": self.kind, "detail": self.detail}


@dataclass
class ChainReport:
    events: int = 0
    problems: list[ChainProblem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def _iter_events(session: Session, batch: int = 5000) -> Iterator[AuditEvent]:
    last = 0
    while True:
        rows = session.scalars(
            select(AuditEvent).where(AuditEvent.seq > last).order_by(AuditEvent.seq).limit(batch)
        ).all()
        if not rows:
            return
        yield from rows
        last = rows[-1].seq
        session.expunge_all()


def _original_seq(session: Session, ev: AuditEvent, window: int = 64) -> int | None:
    """The seq an event was written with, if only its position changed, else None.

    The hash covers the seq, so a moved event fails its hash at its new place; its own content
    and the seq it was written with still hash right. Try the seq its predecessor implies, then
    nearby ones (a swap of neighbours renumbers the predecessor too).
    """
    candidates: list[int] = []
    if ev.prev_hash == GENESIS_HASH:
        candidates.append(1)
    else:
        before = session.scalars(
            select(AuditEvent.seq).where(AuditEvent.hash == ev.prev_hash)
        ).first()
        if before is not None:
            candidates.append(before + 1)
    candidates += [s for d in range(1, window + 1) for s in (ev.seq - d, ev.seq + d) if s > 0]
    for seq in candidates:
        digest = event_hash(
            seq=seq, at=ev.at, actor=ev.actor, action=ev.action, subject=ev.subject,
            outcome=ev.outcome, details=ev.details, prev_hash=ev.prev_hash,
        )
        if digest == ev.hash:
            return seq
    return None


def verify_chain(session: Session) -> ChainReport:
    """Walk the chain in seq order and name every event that was edited, deleted or moved."""
    report = ChainReport()
    expected_seq = 1
    prev_hash = GENESIS_HASH
    for ev in _iter_events(session):
        report.events += 1
        recomputed = event_hash(
            seq=ev.seq, at=ev.at, actor=ev.actor, action=ev.action, subject=ev.subject,
            outcome=ev.outcome, details=ev.details, prev_hash=ev.prev_hash,
        )
        if ev.seq != expected_seq:
            report.problems.append(ChainProblem(
                expected_seq, "deleted",
                f"events {expected_seq}..{ev.seq - 1} are missing before event {ev.seq}",
            ))
        if recomputed != ev.hash:
            original_seq = _original_seq(session, ev)
            if original_seq is not None and original_seq != ev.seq:
                report.problems.append(ChainProblem(
                    ev.seq, "reordered",
                    f"event {ev.seq} ({ev.action} {ev.subject}) was written as event "
                    f"{original_seq}: events were reordered",
                ))
            else:
                report.problems.append(ChainProblem(
                    ev.seq, "edited",
                    f"event {ev.seq} ({ev.action} {ev.subject}) does not match its hash: "
                    "its content was changed after it was written",
                ))
        elif ev.prev_hash != prev_hash and ev.seq == expected_seq:
            report.problems.append(ChainProblem(
                ev.seq, "reordered",
                f"event {ev.seq} ({ev.action} {ev.subject}) does not follow the event before it: "
                "events were moved, replaced or re-sequenced",
            ))
        expected_seq = ev.seq + 1
        prev_hash = ev.hash
    head = session.get(AuditHead, 1)
    last_seq = expected_seq - 1
    if head is not None:
        if head.seq > last_seq:
            report.problems.append(ChainProblem(
                last_seq + 1, "deleted",
                f"events {last_seq + 1}..{head.seq} at the end of the log are missing",
            ))
        elif head.seq != last_seq or head.hash != prev_hash:
            report.problems.append(ChainProblem(
                None, "head_mismatch",
                f"the chain head records event {head.seq} but the log ends at event {last_seq}",
            ))
    elif report.events:
        report.problems.append(ChainProblem(None, "head_mismatch", "the chain head is missing"))
    return report
