"""`tabian demo`: the main job on the embedded default — load the sample registry, make and
ingest sample scans, create demo sign-ins, and serve the web interface."""

from __future__ import annotations

import argparse
import secrets
from pathlib import Path
from typing import Any

from sqlalchemy import select

from api.output import EXIT_OK, UsageError, emit_json, say
from archive import registry
from archive.archive import Archive

SAMPLE_DIR = Path(__file__).resolve().parent.parent / "fixtures" / "sample"

# (username, Thai display name, roles granted over every top-level unit)
DEMO_STAFF: list[tuple[str, str, tuple[str, ...]]] = [
    ("registrar", "ผู้จัดทำทะเบียนประวัติ (ตัวอย่าง)", ("registrar", "certifier")),
    ("digitizer", "เจ้าหน้าที่นำเข้าเอกสาร (ตัวอย่าง)", ("digitizer",)),
    ("records", "เจ้าหน้าที่บริหารจัดการเอกสาร (ตัวอย่าง)", ("records_manager",)),
    ("controller", "ผู้ควบคุมข้อมูลทะเบียนประวัติ (ตัวอย่าง)",
     ("data_controller", "access_controller")),
]


def _sample_scans(data_dir: Path, count: int) -> Path:
    """Generate (once) a folder-per-person tree of sample scans under the data dir."""
    from fixtures.scans import Options, generate

    out = data_dir / "sample-scans"
    if not (out / "manifest.jsonl").is_file():
        generate(Options(out=out, count=count, seed=2569, split="train", bad_cases=True,
                         unsorted=1))
    return out


def _demo_users(archive: Archive) -> dict[str, Any]:
    """Create (or reset) the demo sign-ins; a fresh password is printed on every run."""
    from api.access import Role
    from api.access.accounts import create_user, grant, hash_password, live_grants
    from archive.catalog import Document, DocumentPerson, Person, Unit, User

    password = f"demo-{secrets.token_hex(4)}"
    with archive.catalog.session() as s:
        roots = list(s.scalars(select(Unit.path).where(Unit.parent_id.is_(None))))
        for username, display, roles in DEMO_STAFF:
            user = s.scalar(select(User).where(User.username == username))
            if user is None:
                user = create_user(s, username=username, display_name=display,
                                   actor="demo", password=password)
            else:
                user.password_hash = hash_password(password)
                user.active = True
            have = {(g.role, g.unit_id) for g in live_grants(s, user)}
            units = {u.path: u.id for u in s.scalars(select(Unit).where(Unit.path.in_(roots)))}
            for role in roles:
                for path in roots:
                    if (role, units[path]) not in have:
                        grant(s, user=user, role=Role(role), actor="demo", unit_path=path)
        # An owner who has documents on file, to show self-service.
        owner_cid = s.scalar(
            select(Person.citizen_id).join(DocumentPerson, DocumentPerson.person_id == Person.id)
            .join(Document, Document.id == DocumentPerson.document_id)
            .where(DocumentPerson.state == "linked").order_by(Person.citizen_id).limit(1)
        ) or s.scalar(select(Person.citizen_id).order_by(Person.citizen_id).limit(1))
        owner = s.scalar(select(User).where(User.citizen_id == owner_cid)) if owner_cid else None
        if owner_cid and owner is None:
            person = s.scalar(select(Person).where(Person.citizen_id == owner_cid))
            assert person is not None
            create_user(s, username=f"owner-{owner_cid}",
                        display_name=f"{person.prefix}{person.first_name} {person.last_name}",
                        actor="demo", password=password, citizen_id=owner_cid)
        elif owner is not None:
            owner.password_hash = hash_password(password)
    return {"password": password, "staff": [u for u, _, _ in DEMO_STAFF], "owner": owner_cid}


def cmd_demo(args: argparse.Namespace, archive: Archive) -> int:
    persons_csv, entries_csv = SAMPLE_DIR / "persons.csv", SAMPLE_DIR / "entries.csv"
    if not persons_csv.is_file() or not entries_csv.is_file():
        raise UsageError(f"sample registry not found in {SAMPLE_DIR}")
    with archive.catalog.session() as session:
        persons = registry.import_persons(session, persons_csv)
    with archive.catalog.session() as session:
        entries = registry.import_entries(session, entries_csv)
    from api.commands import registry_summary

    summary: dict[str, Any] = {
        "data_dir": str(archive.settings.data_dir.resolve()),
        "persons_import": persons.as_dict(),
        "entries_import": entries.as_dict(),
    }
    if args.scans > 0:
        from ingest.batch import run_batch
        from ingest.ocr import check_dependencies

        check_dependencies()
        scans = _sample_scans(archive.settings.data_dir, args.scans)
        with archive.catalog.session() as session:
            registry.import_persons(session, scans / "persons.csv")
        if not args.json:
            say(f"ingesting sample scans from {scans} (OCR: about a minute) ...")
        report = run_batch(archive, [p for p in sorted(scans.iterdir()) if p.is_dir()],
                           jobs=args.jobs, show_progress=not args.json)
        summary["ingest"] = report.as_dict()
    summary.update(registry_summary(archive))
    logins = _demo_users(archive)
    summary["logins"] = logins
    serve = not args.no_serve and not args.json
    if args.json:
        emit_json(summary)
    else:
        print(f"Tabian demo — data in {summary['data_dir']}")
        print(f"  registry: {summary['persons']} persons in {summary['units']} units, "
              f"{summary['entries']} record entries")
        if "ingest" in summary:
            say(f"  sample scans: {report.summary()}")
        print(f"  sign in as {', '.join(logins['staff'])} (or the owner with citizen ID "
              f"{logins['owner']}); password for all: {logins['password']}")
    if serve:
        from api.serve_commands import cmd_serve

        return cmd_serve(args, archive)
    return EXIT_OK


def register(sub: Any, common: Any) -> None:
    p = sub.add_parser("demo", help="load the sample registry, ingest sample scans, and serve "
                                    "the web interface with demo sign-ins")
    common(p)
    p.add_argument("--scans", type=int, default=8,
                   help="sample scans to generate and ingest (0: none; default 8)")
    p.add_argument("--jobs", type=int, default=2, help="OCR worker processes (default 2)")
    p.add_argument("--no-serve", action="store_true", help="stop after loading (no web server)")
    p.add_argument("--host", default="127.0.0.1", help="address to serve on (default 127.0.0.1)")
    p.add_argument("--port", type=int, default=8000, help="port (default 8000)")
    p.set_defaults(handler=cmd_demo)
