"""The destruction certificate (หนังสือรับรองการทำลาย): JSON and Thai PDF, its hash audited."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from archive import audit
from archive.archive import Archive
from archive.catalog.retention import (
    DestructionCertificate,
    DestructionJournal,
    DestructionJournalObject,
    DestructionOrder,
    DestructionProposal,
    ProposalItem,
    RetentionReview,
    Tombstone,
)
from retention.errors import RetentionError

CERTIFICATE_PREFIX = "certificates"


def _iso(value: datetime | None) -> str | None:
    return value.astimezone(UTC).isoformat() if value else None


def _objects(session: Session, journal_ids: list[int]) -> dict[str, list[dict[str, Any]]]:
    by_document: dict[str, list[dict[str, Any]]] = {}
    if not journal_ids:
        return by_document
    for o in session.scalars(
        select(DestructionJournalObject)
        .where(DestructionJournalObject.journal_id.in_(journal_ids))
        .order_by(DestructionJournalObject.document_id, DestructionJournalObject.key)
    ):
        by_document.setdefault(o.document_id, []).append({
            "kind": o.kind, "key": o.key, "sha256": o.sha256, "size": o.size,
            "catalogued": o.catalogued,
        })
    return by_document


def certificate_data(session: Session, order_id: str) -> dict[str, Any]:
    """Everything the certificate says, from the catalog alone (so it can be rebuilt)."""
    order = session.get(DestructionOrder, order_id)
    if order is None:
        raise RetentionError(f"no destruction order {order_id}")
    if order.state != "executed":
        raise RetentionError(f"order {order_id} is {order.state}, not executed yet")
    proposal = session.get(DestructionProposal, order.proposal_id)
    assert proposal is not None
    review = session.get(RetentionReview, proposal.review_id)
    journal = list(session.scalars(
        select(DestructionJournal).where(DestructionJournal.order_id == order_id)
        .order_by(DestructionJournal.position)
    ))
    tombstones = {t.citizen_id: t for t in session.scalars(
        select(Tombstone).where(Tombstone.order_id == order_id)
    )}
    objects = _objects(session, [j.id for j in journal if j.state == "done"])
    destroyed: list[dict[str, Any]] = []
    for j in journal:
        if j.state != "done":
            continue
        t = tombstones[j.citizen_id]
        destroyed.append({
            "citizen_id": t.citizen_id, "full_name": t.full_name,
            "left_service_on": t.left_service_on.isoformat(), "left_reason": t.left_reason,
            "destroyed_at": _iso(t.destroyed_at), "bytes": t.bytes_destroyed,
            "documents": [
                {**doc, "objects": objects.get(doc["document_id"], [])}
                for doc in j.deleted_documents
            ],
            "documents_unlinked": list(j.unlinked_documents),
        })
    struck = session.execute(
        select(ProposalItem.citizen_id, ProposalItem.strike_reason)
        .where(ProposalItem.proposal_id == proposal.id, ProposalItem.struck.is_(True))
        .order_by(ProposalItem.position)
    ).all()
    all_objects = [o for d in destroyed for doc in d["documents"] for o in doc["objects"]]
    return {
        "title": "หนังสือรับรองการทำลายทะเบียนประวัติอิเล็กทรอนิกส์",
        "order": {
            "order_id": order.id, "order_ref": order.order_ref, "necessity": order.necessity,
            "necessity_detail": order.necessity_detail, "approved_by": order.approved_by,
            "approved_at": _iso(order.approved_at), "proposal_id": proposal.id,
            "proposed_by": proposal.proposed_by, "proposed_at": _iso(proposal.proposed_at),
            "review_id": proposal.review_id,
            "review_as_of": review.as_of.isoformat() if review else None,
        },
        "execution": {"executed_by": order.executed_by, "started_at": _iso(order.started_at),
                      "finished_at": _iso(order.finished_at)},
        "destroyed": destroyed,
        "skipped": [{"citizen_id": j.citizen_id, "reason": j.skip_reason}
                    for j in journal if j.state == "skipped"],
        "struck": [{"citizen_id": cid, "reason": reason} for cid, reason in struck],
        "totals": {
            "persons_destroyed": len(destroyed),
            "persons_skipped": sum(1 for j in journal if j.state == "skipped"),
            "documents_destroyed": sum(len(d["documents"]) for d in destroyed),
            "documents_unlinked": sum(len(d["documents_unlinked"]) for d in destroyed),
            "objects_destroyed": len(all_objects),
            "bytes": sum(d["bytes"] for d in destroyed),
            "object_bytes": sum(o["size"] for o in all_objects),
        },
    }


def certificate_json(data: dict[str, Any]) -> bytes:
    return (json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n").encode()


def _info(cert: DestructionCertificate) -> dict[str, Any]:
    return {"order_id": cert.order_id, "json_key": cert.json_key,
            "json_sha256": cert.json_sha256, "pdf_key": cert.pdf_key,
            "pdf_sha256": cert.pdf_sha256, "audit_seq": cert.audit_seq}


def issue_certificate(archive: Archive, order_id: str, *, actor: str) -> dict[str, Any]:
    """Write the certificate files, then one transaction recording them and their sha256 in the
    audit log. Issued once; a re-run after a crash rebuilds the same bytes."""
    with archive.catalog.session() as s:
        existing = s.get(DestructionCertificate, order_id)
        if existing is not None:
            return _info(existing)
        data = certificate_data(s, order_id)
        order = s.get(DestructionOrder, order_id)
        assert order is not None and order.finished_at is not None
        finished = order.finished_at
    from retention.certificate_pdf import render_certificate_pdf  # fpdf2 only when needed

    json_bytes = certificate_json(data)
    pdf_bytes = render_certificate_pdf(data, created=finished)
    json_key = f"{CERTIFICATE_PREFIX}/{order_id}/certificate.json"
    pdf_key = f"{CERTIFICATE_PREFIX}/{order_id}/certificate.pdf"
    json_sha = archive.store.put_bytes(json_key, json_bytes).sha256
    pdf_sha = archive.store.put_bytes(pdf_key, pdf_bytes).sha256
    assert json_sha is not None and pdf_sha is not None
    try:
        with archive.catalog.session() as s:
            event = audit.append(
                s, action="retention.certificate", subject=f"destruction_order:{order_id}",
                actor=actor,
                details={"json_sha256": json_sha, "pdf_sha256": pdf_sha, "json_key": json_key,
                         "pdf_key": pdf_key, **data["totals"]},
            )
            cert = DestructionCertificate(
                order_id=order_id, created_at=datetime.now(UTC), json_key=json_key,
                json_sha256=json_sha, pdf_key=pdf_key, pdf_sha256=pdf_sha, audit_seq=event.seq,
            )
            s.add(cert)
            return _info(cert)
    except IntegrityError:  # a concurrent run issued it first
        with archive.catalog.session() as s:
            cert_row = s.get(DestructionCertificate, order_id)
            assert cert_row is not None
            return _info(cert_row)


def load_certificate(archive: Archive, order_id: str) -> tuple[dict[str, Any], bytes, bytes]:
    """The certificate's record and both files, each checked against its recorded sha256."""
    with archive.catalog.session() as s:
        cert = s.get(DestructionCertificate, order_id)
        if cert is None:
            order = s.get(DestructionOrder, order_id)
            state = "not found" if order is None else f"{order.state}, with no certificate yet"
            raise RetentionError(f"destruction order {order_id}: {state}")
        info = _info(cert)
    json_bytes = archive.store.get_bytes(info["json_key"], sha256=info["json_sha256"])
    pdf_bytes = archive.store.get_bytes(info["pdf_key"], sha256=info["pdf_sha256"])
    return info, json_bytes, pdf_bytes
