"""The `tabian` subcommands: each a small function from parsed arguments to an exit status."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path
from typing import Any

from api import (
    demo,
    retention_commands,
    review_commands,
    search_commands,
    serve_commands,
    users_commands,
)
from api.output import EXIT_FAILURE, EXIT_OK, UsageError, emit_json, say
from archive import audit, registry
from archive.archive import Archive
from archive.csvfile import CsvFileError, RowError
from archive.verify import Problem, verify_objects

Common = Callable[..., None]


def _existing_file(path: Path) -> Path:
    if not path.is_file():
        raise UsageError(f"{path}: no such file; give the path of a CSV file")
    return path


def _import(args: argparse.Namespace, archive: Archive, kind: str) -> int:
    path = _existing_file(args.file)
    revoked: list[str] = []
    try:
        with archive.catalog.session() as session:
            if kind == "persons":
                report = registry.import_persons(
                    session, path, reopen_destroyed=args.reopen_destroyed)
                if report.moved:
                    from api.services.accounts_service import revoke_for_registry_moves

                    revoked = revoke_for_registry_moves(session, report.moved,
                                                        actor=audit.current_actor())
            else:
                report = registry.import_entries(session, path)
    except CsvFileError as exc:
        report = registry.ImportReport(rejected=[RowError(1, str(exc))])
    if args.json:
        out = report.as_dict()
        if kind == "persons":
            out["rights_revoked"] = revoked
        emit_json(out)
    else:
        print(
            f"{kind}: {report.imported} imported, {report.updated} updated "
            f"({report.changed} changed), {len(report.rejected)} rejected"
        )
        if revoked:
            print(f"  rights revoked (moved or left service): {', '.join(revoked)}")
        for err in sorted(report.rejected, key=lambda e: e.line):
            print(f"  line {err.line}: {err.error}")
    return EXIT_OK


def cmd_persons_import(args: argparse.Namespace, archive: Archive) -> int:
    return _import(args, archive, "persons")


def cmd_entries_import(args: argparse.Namespace, archive: Archive) -> int:
    return _import(args, archive, "entries")


def cmd_verify(args: argparse.Namespace, archive: Archive) -> int:
    from search import verify_index

    report = verify_objects(archive)
    report.problems.extend(Problem(**p) for p in verify_index(archive))
    if args.json:
        emit_json(report.as_dict())
    else:
        print(f"objects: {report.objects}, ok: {report.ok}, problems: {len(report.problems)}")
        for p in report.problems:
            print(f"  {p.kind}: {p.document_id or '-'}: {p.detail}")
    return EXIT_OK if not report.problems else EXIT_FAILURE


def cmd_audit_verify(args: argparse.Namespace, archive: Archive) -> int:
    with archive.catalog.session() as session:
        report = audit.verify_chain(session)
    if args.json:
        emit_json({"events": report.events, "ok": report.ok,
                   "problems": [p.as_dict() for p in report.problems]})
    else:
        state = "intact" if report.ok else "BROKEN"
        print(f"audit log: {report.events} events, chain {state}")
        for p in report.problems:
            print(f"  {p.kind} at event {p.seq if p.seq is not None else '-'}: {p.detail}")
    return EXIT_OK if report.ok else EXIT_FAILURE


SAMPLE_DIR = Path(__file__).resolve().parent.parent / "fixtures" / "sample"


def registry_summary(archive: Archive) -> dict[str, Any]:
    from sqlalchemy import func, select

    from archive.catalog import Person, RecordEntry, Unit

    with archive.catalog.session() as s:
        by_status = dict(
            s.execute(select(Person.status, func.count()).group_by(Person.status)).all()
        )
        by_section = dict(
            s.execute(select(RecordEntry.section, func.count()).group_by(RecordEntry.section))
            .all()
        )
        units = s.scalar(select(func.count()).select_from(Unit)) or 0
    return {
        "persons": sum(by_status.values()),
        "persons_by_status": by_status,
        "units": units,
        "entries": sum(by_section.values()),
        "entries_by_section": by_section,
    }


def cmd_ingest(args: argparse.Namespace, archive: Archive) -> int:
    from ingest.batch import run_batch
    from ingest.ocr import check_dependencies

    missing = [str(p) for p in args.paths if not p.exists()]
    if missing:
        raise UsageError(f"no such file or folder: {', '.join(missing)}")
    if args.jobs < 1:
        raise UsageError("--jobs must be 1 or more")
    check_dependencies()
    printer = (lambda o: emit_json(o.as_json())) if args.json else None
    report = run_batch(
        archive, list(args.paths), jobs=args.jobs, on_outcome=printer,
        show_progress=not args.quiet,
    )
    if not args.quiet:
        say(report.summary())
        say(f"the report: tabian batches show {report.batch_id} --json")
    return EXIT_OK


def cmd_batches_list(args: argparse.Namespace, archive: Archive) -> int:
    from sqlalchemy import select

    from archive.catalog import IngestBatch

    with archive.catalog.session() as s:
        batches = s.scalars(
            select(IngestBatch).order_by(IngestBatch.started_at.desc()).limit(args.limit)
        ).all()
        rows = [_batch_json(b) for b in batches]
    if args.json:
        emit_json({"batches": rows})
    else:
        for b in rows:
            r = b["report"]
            print(f"{b['batch_id']}  {b['started_at'][:19]}  {b['state']:<11} "
                  f"files {r.get('files', '-')}, stored {r.get('stored', '-')}, "
                  f"rejected {r.get('rejected', '-')}, duplicates {r.get('duplicates', '-')}")
    return EXIT_OK


def _batch_json(batch: Any) -> dict[str, Any]:
    return {
        "batch_id": batch.id, "state": batch.state, "actor": batch.actor,
        "started_at": batch.started_at.isoformat(),
        "finished_at": batch.finished_at.isoformat() if batch.finished_at else None,
        "paths": batch.paths, "jobs": batch.jobs, "report": batch.report,
    }


def cmd_batches_show(args: argparse.Namespace, archive: Archive) -> int:
    from sqlalchemy import select

    from archive.catalog import IngestBatch, IngestItem

    with archive.catalog.session() as s:
        batch = s.get(IngestBatch, args.batch_id)
        if batch is None:
            raise UsageError(
                f"no ingest batch {args.batch_id}; list them with: tabian batches list"
            )
        result = _batch_json(batch)
        items = s.scalars(
            select(IngestItem).where(IngestItem.batch_id == batch.id).order_by(IngestItem.id)
        ).all()
        result["items"] = [
            {"file": i.path, "status": i.status, "document_id": i.document_id,
             "sha256": i.sha256, "pages": i.pages, "reasons": i.reasons,
             "warnings": i.warnings, "detail": i.detail}
            for i in items
        ]
    if args.json:
        emit_json(result)
    else:
        print(f"batch {result['batch_id']} ({result['state']}), started {result['started_at']}")
        for item in result["items"]:
            why = ", ".join(item["reasons"] + item["warnings"])
            print(f"  {item['status']:<9} {item['file']}" + (f"  [{why}]" if why else ""))
            if item["status"] == "rejected" and item["detail"]:
                print(f"            {item['detail']}")
    return EXIT_OK


def cmd_documents_show(args: argparse.Namespace, archive: Archive) -> int:
    from archive.documents import read_document

    doc = read_document(archive, args.document_id)
    if doc is None:
        raise UsageError(f"no document {args.document_id}")
    if args.json:
        emit_json(doc)
    else:
        print(f"{doc['document_id']}  {doc['original_name']}  {doc['pages']} pages")
        print(f"  category: {doc['category'] or '-'}  link: {doc['link']}  "
              f"owners: {', '.join(doc['citizen_ids']) or '-'}")
        if doc["warnings"]:
            print(f"  warnings: {', '.join(doc['warnings'])}")
        print()
        print(doc["text"])
    return EXIT_OK


def _add(
    sub: Any, common: Common, name: str, handler: Callable[..., int], help_text: str,
    *, json_flag: bool = True,
) -> argparse.ArgumentParser:
    parser: argparse.ArgumentParser = sub.add_parser(name, help=help_text, description=help_text)
    common(parser, json_flag=json_flag)
    parser.set_defaults(handler=handler)
    return parser


def register(sub: Any, common: Common) -> None:
    persons = sub.add_parser("persons", help="the registry of record owners")
    psub = persons.add_subparsers(dest="action", required=True, metavar="ACTION")
    p = _add(psub, common, "import", cmd_persons_import, "import or update persons from a CSV file")
    p.add_argument("file", type=Path, metavar="FILE.csv")
    p.add_argument("--reopen-destroyed", action="store_true",
                   help="accept citizen IDs whose record was destroyed (re-entered service)")

    entries = sub.add_parser("entries", help="record entries (clause 4.4)")
    esub = entries.add_subparsers(dest="action", required=True, metavar="ACTION")
    p = _add(esub, common, "import", cmd_entries_import, "import or update record entries from CSV")
    p.add_argument("file", type=Path, metavar="FILE.csv")

    demo.register(sub, common)
    _add(sub, common, "verify", cmd_verify,
         "check every stored object against the catalog (exit 1 if any problem)")

    p = _add(sub, common, "ingest", cmd_ingest,
             "ingest scans: files or folders (one folder per person, named by citizen ID)")
    p.add_argument("paths", type=Path, nargs="+", metavar="PATH")
    p.add_argument("--jobs", type=int, default=1, help="worker processes (default 1)")
    p.add_argument("--quiet", action="store_true", help="no progress bar or summary on stderr")

    batches = sub.add_parser("batches", help="ingest batches and their reports")
    bsub = batches.add_subparsers(dest="action", required=True, metavar="ACTION")
    p = _add(bsub, common, "list", cmd_batches_list, "the latest ingest batches")
    p.add_argument("--limit", type=int, default=20)
    p = _add(bsub, common, "show", cmd_batches_show, "one batch's report, file by file")
    p.add_argument("batch_id")

    documents = sub.add_parser("documents", help="stored documents")
    dsub = documents.add_subparsers(dest="action", required=True, metavar="ACTION")
    p = _add(dsub, common, "show", cmd_documents_show, "a document's metadata and text (audited)")
    p.add_argument("document_id")

    audit_p = sub.add_parser("audit", help="the hash-chained audit log")
    asub = audit_p.add_subparsers(dest="action", required=True, metavar="ACTION")
    _add(asub, common, "verify", cmd_audit_verify,
         "check the audit chain; name every edited, deleted or reordered event")
    review_commands.register(sub, common)

    retention_commands.register(sub, common)
    search_commands.register(sub, common)
    serve_commands.register(sub, common)
    users_commands.register(sub, common)
