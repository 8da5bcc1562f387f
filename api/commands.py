"""The `tabian` subcommands: each a small function from parsed arguments to an exit status."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path
from typing import Any

from api.output import EXIT_FAILURE, EXIT_OK, UsageError, emit_json
from archive import audit, registry
from archive.archive import Archive
from archive.csvfile import CsvFileError, RowError
from archive.verify import verify_objects

Common = Callable[..., None]


def _existing_file(path: Path) -> Path:
    if not path.is_file():
        raise UsageError(f"{path}: no such file; give the path of a CSV file")
    return path


def _import(args: argparse.Namespace, archive: Archive, kind: str) -> int:
    path = _existing_file(args.file)
    importer = registry.import_persons if kind == "persons" else registry.import_entries
    try:
        with archive.catalog.session() as session:
            report = importer(session, path)
    except CsvFileError as exc:
        report = registry.ImportReport(rejected=[RowError(1, str(exc))])
    if args.json:
        emit_json(report.as_dict())
    else:
        print(
            f"{kind}: {report.imported} imported, {report.updated} updated "
            f"({report.changed} changed), {len(report.rejected)} rejected"
        )
        for err in sorted(report.rejected, key=lambda e: e.line):
            print(f"  line {err.line}: {err.error}")
    return EXIT_OK


def cmd_persons_import(args: argparse.Namespace, archive: Archive) -> int:
    return _import(args, archive, "persons")


def cmd_entries_import(args: argparse.Namespace, archive: Archive) -> int:
    return _import(args, archive, "entries")


def cmd_verify(args: argparse.Namespace, archive: Archive) -> int:
    report = verify_objects(archive)
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


def cmd_demo(args: argparse.Namespace, archive: Archive) -> int:
    """The main job on the embedded default: load the sample registry and show what is there."""
    persons_csv, entries_csv = SAMPLE_DIR / "persons.csv", SAMPLE_DIR / "entries.csv"
    if not persons_csv.is_file() or not entries_csv.is_file():
        raise UsageError(f"sample registry not found in {SAMPLE_DIR}")
    with archive.catalog.session() as session:
        persons = registry.import_persons(session, persons_csv)
    with archive.catalog.session() as session:
        entries = registry.import_entries(session, entries_csv)
    summary = {
        "data_dir": str(archive.settings.data_dir.resolve()),
        "persons_import": persons.as_dict(),
        "entries_import": entries.as_dict(),
        **registry_summary(archive),
    }
    if args.json:
        emit_json(summary)
        return EXIT_OK
    print(f"Tabian demo — data in {summary['data_dir']}")
    print(f"  persons imported {persons.imported}, updated {persons.updated}, "
          f"rejected {len(persons.rejected)}")
    print(f"  entries imported {entries.imported}, updated {entries.updated}, "
          f"rejected {len(entries.rejected)}")
    print(f"  registry: {summary['persons']} persons in {summary['units']} units, "
          f"{summary['entries']} record entries")
    for status, n in sorted(summary["persons_by_status"].items()):
        print(f"    {status:<22} {n}")
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

    entries = sub.add_parser("entries", help="record entries (clause 4.4)")
    esub = entries.add_subparsers(dest="action", required=True, metavar="ACTION")
    p = _add(esub, common, "import", cmd_entries_import, "import or update record entries from CSV")
    p.add_argument("file", type=Path, metavar="FILE.csv")

    _add(sub, common, "demo", cmd_demo,
         "load the sample registry from fixtures/ into the data dir and print a summary")
    _add(sub, common, "verify", cmd_verify,
         "check every stored object against the catalog (exit 1 if any problem)")

    audit_p = sub.add_parser("audit", help="the hash-chained audit log")
    asub = audit_p.add_subparsers(dest="action", required=True, metavar="ACTION")
    _add(asub, common, "verify", cmd_audit_verify,
         "check the audit chain; name every edited, deleted or reordered event")
