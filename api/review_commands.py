"""`tabian review`, `tabian drafts` and `tabian classifier`: the review queue, draft record
entries and the category model, in the style of api.commands."""

from __future__ import annotations

import argparse
from datetime import UTC, datetime
from typing import Any

from api.output import EXIT_OK, UsageError, emit_json, say
from archive import audit
from archive.archive import Archive

Common = Any


def _review_error(exc: Exception) -> UsageError:
    return UsageError(str(exc))


def cmd_review_list(args: argparse.Namespace, archive: Archive) -> int:
    from ingest.understand.review import item_json, list_items

    state = None if args.state == "all" else args.state
    with archive.catalog.session() as s:
        items = [item_json(s, i) for i in list_items(s, state=state, limit=args.limit)]
    if args.json:
        emit_json({"items": [{k: i[k] for k in (
            "item", "document_id", "state", "original_name", "folder_hint", "category",
            "category_confidence", "link", "reasons", "candidates", "created_at")}
            for i in items]})
        return EXIT_OK
    for i in items:
        who = ", ".join(f"{c['citizen_id']} ({c['confidence']:.2f})" for c in i["candidates"])
        print(f"{i['item']:>5}  {i['state']:<9} {i['document_id']}  {i['original_name']}  "
              f"{i['category'] or '-'} ({i['category_confidence']:.2f})  "
              f"{', '.join(i['reasons'])}  candidates: {who or '-'}")
    if not items:
        say("review queue: nothing to show")
    return EXIT_OK


def cmd_review_show(args: argparse.Namespace, archive: Archive) -> int:
    from ingest.understand.review import ReviewError, find_item, item_json

    try:
        with archive.catalog.session() as s:
            item = find_item(s, args.ref)
            result = item_json(s, item)
            # The reasons quote what the scan says (names, IDs): a read of the record.
            audit.append(s, action="document.read", subject=f"document:{item.document_id}",
                         details={"via": "review show", "item": item.id})
    except ReviewError as exc:
        raise _review_error(exc) from exc
    if args.json:
        emit_json(result)
        return EXIT_OK
    print(f"review item {result['item']} ({result['state']}): document {result['document_id']} "
          f"{result['original_name']}")
    print(f"  folder hint: {result['folder_hint'] or '-'}   link: {result['link']}")
    print(f"  category: {result['category'] or '-'} ({result['category_confidence']:.2f})")
    for alt in result["proposal"].get("categories", []):
        print(f"    {alt['category']:<22} {alt['probability']:.3f}")
    print(f"  why: {', '.join(result['reasons']) or '-'}")
    for c in result["candidates"]:
        kinds = ", ".join(r["kind"] for r in c["reasons"])
        print(f"  candidate {c['citizen_id']} {c['name']}  {c['confidence']:.3f}  [{kinds}]")
    draft = result["proposal"].get("draft")
    if draft:
        print(f"  draft entry: {draft['section']} {draft['order_ref'] or '-'} "
              f"{draft['effective_on'] or '-'} {draft['title']}")
    if result["decision"]:
        print(f"  decided by {result['decided_by']} at {result['decided_at']}: "
              f"{result['decision']}")
    return EXIT_OK


def _decide(args: argparse.Namespace, archive: Archive, action: str) -> int:
    from ingest.understand import review

    try:
        with archive.catalog.session() as s:
            item = review.find_item(s, args.ref)
            if action == "correct" and item.state != "open" and item.document_id == args.ref:
                item = review.open_correction(s, document_id=item.document_id)
            if action == "accept":
                decision = review.accept(s, item=item)
            elif action == "correct":
                decision = review.correct(s, item=item, category=args.category,
                                          citizen_ids=args.citizen_id or [], note=args.note)
            else:
                decision = review.reject(s, item=item, note=args.note)
            result = {"item": item.id, "document_id": item.document_id, "state": item.state,
                      "decision": decision}
    except review.ReviewError as exc:
        raise _review_error(exc) from exc
    if args.json:
        emit_json(result)
    else:
        print(f"review item {result['item']}: {result['state']} "
              f"(document {result['document_id']})")
    return EXIT_OK


def cmd_review_accept(args: argparse.Namespace, archive: Archive) -> int:
    return _decide(args, archive, "accept")


def cmd_review_correct(args: argparse.Namespace, archive: Archive) -> int:
    return _decide(args, archive, "correct")


def cmd_review_reject(args: argparse.Namespace, archive: Archive) -> int:
    return _decide(args, archive, "reject")


def _draft_json(entry: Any, citizen_id: str, sources: list[str]) -> dict[str, Any]:
    return {"entry_id": entry.entry_id, "citizen_id": citizen_id, "section": entry.section,
            "effective_on": entry.effective_on.isoformat() if entry.effective_on else None,
            "order_ref": entry.order_ref, "title": entry.title, "state": entry.state,
            "documents": sources}


def cmd_drafts_list(args: argparse.Namespace, archive: Archive) -> int:
    from sqlalchemy import select

    from archive.catalog import DraftSource, Person, RecordEntry

    with archive.catalog.session() as s:
        rows = s.execute(select(RecordEntry, Person.citizen_id)
                         .join(Person, Person.id == RecordEntry.person_id)
                         .where(RecordEntry.state == "draft").order_by(RecordEntry.id)).all()
        drafts = [_draft_json(e, cid, list(s.scalars(select(DraftSource.document_id).where(
            DraftSource.entry_pk == e.id)))) for e, cid in rows]
    if args.json:
        emit_json({"drafts": drafts})
    else:
        for d in drafts:
            print(f"{d['entry_id']}  {d['citizen_id']}  {d['section']:<16} "
                  f"{d['order_ref'] or '-':<10} {d['effective_on'] or '-'}  {d['title']}")
        if not drafts:
            say("no draft entries")
    return EXIT_OK


def _draft_action(args: argparse.Namespace, archive: Archive, confirm: bool) -> int:
    from sqlalchemy import delete, select

    from archive.catalog import DocumentEntry, DraftSource, Person, RecordEntry

    with archive.catalog.session() as s:
        entry = s.scalar(select(RecordEntry).where(RecordEntry.entry_id == args.entry_id))
        if entry is None or entry.state != "draft":
            raise UsageError(f"no draft entry {args.entry_id}; list them with: "
                             "tabian drafts list")
        citizen_id = s.scalar(select(Person.citizen_id).where(Person.id == entry.person_id))
        sources = list(s.scalars(select(DraftSource.document_id).where(
            DraftSource.entry_pk == entry.id)))
        result = _draft_json(entry, citizen_id or "", sources)
        if confirm:
            entry.state, entry.updated_at = "recorded", datetime.now(UTC)
            for doc_id in sources:  # the scans become the entry's reference documents
                s.add(DocumentEntry(document_id=doc_id, entry_pk=entry.id, confidence=1.0,
                                    reasons=[{"kind": "draft_confirmed"}]))
            s.execute(delete(DraftSource).where(DraftSource.entry_pk == entry.id))
            result["state"] = "recorded"
        else:
            s.delete(entry)
            result["state"] = "discarded"
        audit.append(s, action=f"entry.draft_{'confirm' if confirm else 'discard'}",
                     subject=f"entry:{args.entry_id}", details=result)
    if args.json:
        emit_json(result)
    else:
        print(f"draft {args.entry_id}: {result['state']}")
    return EXIT_OK


def cmd_drafts_confirm(args: argparse.Namespace, archive: Archive) -> int:
    return _draft_action(args, archive, True)


def cmd_drafts_discard(args: argparse.Namespace, archive: Archive) -> int:
    return _draft_action(args, archive, False)


def cmd_classifier_retrain(args: argparse.Namespace, archive: Archive) -> int:
    from ingest.understand.train import retrain

    if args.per_template < 1:
        raise UsageError("--per-template must be 1 or more")
    if not args.quiet:
        say("retraining the category classifier (fixture texts + review decisions)...")
    report = retrain(archive, per_template=args.per_template)
    if args.json:
        emit_json(report)
    else:
        acc = report["unseen_variant_accuracy"]["combined"]
        print(f"classifier v{report['version']}: {report['examples']} examples "
              f"({report['review_examples']} from review), accuracy on unseen template "
              f"variants {acc:.3f}; saved to {report['path']}")
    return EXIT_OK


def cmd_classifier_info(args: argparse.Namespace, archive: Archive) -> int:
    from ingest.understand.classify import current_model_path, load_classifier, model_versions

    path = current_model_path(archive.settings.data_dir)
    model = load_classifier(archive.settings.data_dir)
    info = {"path": str(path), "versions": [v for v, _p in
                                            model_versions(archive.settings.data_dir)],
            "features": len(model.vocab), "mix": list(model.mix), "meta": model.meta}
    if args.json:
        emit_json(info)
    else:
        print(f"classifier in use: {path}")
        print(f"  versions in the data dir: {info['versions'] or 'none (the shipped model)'}")
        print(f"  {info['features']} features; {model.meta.get('corpus', '-')}, seed "
              f"{model.meta.get('seed', '-')}, trained {model.meta.get('trained_at', 'at build')}")
    return EXIT_OK


def _add(sub: Any, common: Common, name: str, handler: Any, help_text: str
         ) -> argparse.ArgumentParser:
    parser: argparse.ArgumentParser = sub.add_parser(name, help=help_text, description=help_text)
    common(parser, json_flag=True)
    parser.set_defaults(handler=handler)
    return parser


def register(sub: Any, common: Common) -> None:
    review = sub.add_parser("review", help="documents waiting for a person (review queue)")
    rsub = review.add_subparsers(dest="action", required=True, metavar="ACTION")
    p = _add(rsub, common, "list", cmd_review_list, "review items, oldest first")
    p.add_argument("--state", choices=("open", "accepted", "corrected", "rejected", "all"),
                   default="open")
    p.add_argument("--limit", type=int, default=50)
    p = _add(rsub, common, "show", cmd_review_show,
             "one item: why it waits, the candidates and their evidence (audited read)")
    p.add_argument("ref", metavar="ITEM|DOCUMENT_ID")
    p = _add(rsub, common, "accept", cmd_review_accept,
             "take the proposal: the candidates become the owners")
    p.add_argument("ref", metavar="ITEM|DOCUMENT_ID")
    p = _add(rsub, common, "correct", cmd_review_correct,
             "give the right category and/or owners (kept as training data)")
    p.add_argument("ref", metavar="ITEM|DOCUMENT_ID")
    p.add_argument("--category", metavar="SLUG", help="one of the 16 evidence categories")
    p.add_argument("--citizen-id", action="append", metavar="ID",
                   help="an owner (repeat for a group order)")
    p.add_argument("--note", help="why, for the audit log")
    p = _add(rsub, common, "reject", cmd_review_reject,
             "none of the candidates is the owner: file it under no one")
    p.add_argument("ref", metavar="ITEM|DOCUMENT_ID")
    p.add_argument("--note", help="why, for the audit log")

    drafts = sub.add_parser("drafts", help="draft record entries proposed from scanned orders")
    dsub = drafts.add_subparsers(dest="action", required=True, metavar="ACTION")
    _add(dsub, common, "list", cmd_drafts_list, "draft entries waiting for the recorder")
    p = _add(dsub, common, "confirm", cmd_drafts_confirm,
             "record a draft entry; its scans become its reference documents")
    p.add_argument("entry_id")
    p = _add(dsub, common, "discard", cmd_drafts_discard, "drop a draft entry")
    p.add_argument("entry_id")

    classifier = sub.add_parser("classifier", help="the evidence-category classifier")
    csub = classifier.add_subparsers(dest="action", required=True, metavar="ACTION")
    p = _add(csub, common, "retrain", cmd_classifier_retrain,
             "train a new model version from the fixtures and the review decisions")
    p.add_argument("--per-template", type=int, default=90,
                   help="fixture texts per training template (default 90)")
    p.add_argument("--quiet", action="store_true")
    _add(csub, common, "info", cmd_classifier_info, "the model in use and its versions")
