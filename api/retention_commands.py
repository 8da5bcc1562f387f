"""`tabian retention|holds|paper-list|reminders|photos|records`: destruction under clause 5.6.2."""

from __future__ import annotations

import argparse
import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any

from api.output import EXIT_FAILURE, EXIT_OK, UsageError, emit_json, say
from archive import audit
from archive.archive import Archive
from archive.audit import current_actor
from archive.thai import ThaiTextError, parse_citizen_id, parse_date_field
from retention import (
    RetentionError,
    approve,
    execute_order,
    hold_as_dict,
    list_holds,
    load_certificate,
    order_as_dict,
    place_hold,
    proposal_as_dict,
    propose,
    reject,
    release_hold,
    run_review,
    save_review,
)

log = logging.getLogger(__name__)
Common = Callable[..., None]


@contextmanager
def _refusals() -> Iterator[None]:
    """A request the rules refuse is bad usage (exit 2); its transaction has rolled back."""
    try:
        yield
    except (RetentionError, ValueError) as exc:
        raise UsageError(str(exc)) from exc


def _day(text: str, option: str) -> date:
    try:
        return parse_date_field(text)
    except ThaiTextError as exc:
        raise UsageError(f"{option}: {exc}") from exc


def _cid(text: str) -> str:
    try:
        return parse_citizen_id(text)
    except ThaiTextError as exc:
        raise UsageError(str(exc)) from exc


def _pairs(values: list[str] | None, option: str) -> dict[str, str]:
    """KEY=TEXT options (repeatable), e.g. --strike 1101700203450=ยังมีคดีความ."""
    out: dict[str, str] = {}
    for value in values or []:
        key, sep, text = value.partition("=")
        if not sep or not text.strip():
            raise UsageError(f"{option} wants KEY=REASON, not {value!r}")
        out[key.strip()] = text.strip()
    return out


# --- retention -------------------------------------------------------------------------------


def cmd_review(args: argparse.Namespace, archive: Archive) -> int:
    as_of = _day(args.as_of, "--as-of")
    if args.free_bytes is not None and args.free_bytes < 0:
        raise UsageError("--free-bytes must be 0 or more")
    with _refusals(), archive.catalog.session() as s:
        review = run_review(s, as_of=as_of, free_bytes=args.free_bytes)
        if args.save:
            review.extra["review_id"] = save_review(s, review, actor=current_actor()).id
        else:  # reading who may be destroyed is a read of records: audited like any other
            audit.append(s, action="retention.review", subject="retention",
                         details={"as_of": as_of.isoformat(), "free_bytes": args.free_bytes,
                                  "eligible": len(review.eligible),
                                  "excluded": len(review.excluded)})
    result = review.as_dict()
    if args.json:
        emit_json(result)
        return EXIT_OK
    print(f"retention review as of {result['as_of']}: {len(review.eligible)} eligible "
          f"({review.bytes:,} bytes), {len(review.excluded)} excluded")
    for c in review.eligible:
        print(f"  {c.citizen_id}  left {c.left_service_on}  {c.documents} documents  "
              f"{c.bytes:,} bytes")
    for e in review.excluded:
        print(f"  {e.citizen_id}  excluded: {e.reason}")
    if "review_id" in result:
        print(f"saved as review {result['review_id']}; propose with: "
              f"tabian retention propose {result['review_id']}")
    return EXIT_OK


def cmd_propose(args: argparse.Namespace, archive: Archive) -> int:
    strikes = {_cid(k): v for k, v in _pairs(args.strike, "--strike").items()}
    with _refusals(), archive.catalog.session() as s:
        proposal = propose(s, review_id=args.review_id, actor=current_actor(), strikes=strikes,
                           note=args.note)
        s.flush()
        result = proposal_as_dict(s, proposal)
    if args.json:
        emit_json(result)
    else:
        kept = [i for i in result["items"] if not i["struck"]]
        print(f"proposal {result['proposal_id']}: {len(kept)} to destroy, "
              f"{len(result['items']) - len(kept)} struck; the data controller approves with: "
              f"tabian retention approve {result['proposal_id']} --necessity space --reason ...")
    return EXIT_OK


def cmd_approve(args: argparse.Namespace, archive: Archive) -> int:
    with _refusals(), archive.catalog.session() as s:
        order = approve(s, proposal_id=args.proposal_id, actor=current_actor(),
                        necessity=args.necessity, detail=args.reason, order_ref=args.order_ref)
        result = order_as_dict(order)
    if args.json:
        emit_json(result)
    else:
        print(f"destruction order {result['order_id']} approved; carry it out with: "
              f"tabian retention execute {result['order_id']}")
    return EXIT_OK


def cmd_reject(args: argparse.Namespace, archive: Archive) -> int:
    with _refusals(), archive.catalog.session() as s:
        proposal = reject(s, proposal_id=args.proposal_id, actor=current_actor(),
                          reason=args.reason)
        result = {"proposal_id": proposal.id, "state": proposal.state}
    if args.json:
        emit_json(result)
    else:
        print(f"proposal {result['proposal_id']} rejected")
    return EXIT_OK


def _drain_search_index(archive: Archive) -> str | None:
    """Apply the outbox now, so the index forgets destroyed documents before we return.

    Returns why it could not (the index is down), or None. The outbox rows stay, so the next
    drain (any search, or `tabian index drain`) removes them.
    """
    from search import SearchError, drain, index_exists, open_index

    try:
        if not index_exists(archive.settings):
            return None
        index = open_index(archive.settings)
        try:
            drain(archive, index)
        finally:
            index.close()
    except SearchError as exc:
        return " ".join(str(exc).split())
    return None


def cmd_execute(args: argparse.Namespace, archive: Archive) -> int:
    def progress(done: int, total: int) -> None:
        if not args.quiet and (done == total or done % 100 == 0):
            say(f"destroying: {done}/{total} owners")

    with _refusals():
        report = execute_order(archive, args.order_id, actor=current_actor(), progress=progress)
    index_problem = _drain_search_index(archive)
    result = report.as_dict()
    if args.json:
        emit_json(result)
    else:
        print(f"order {result['order_id']} {result['state']}: {len(result['destroyed'])} records "
              f"destroyed ({result['documents_destroyed']} documents, {result['bytes']:,} bytes; "
              f"{result['documents_unlinked']} shared documents unlinked), "
              f"{len(result['skipped'])} skipped")
        for skip in result["skipped"]:
            print(f"  skipped {skip['citizen_id']}: {skip['reason']}")
        if result["certificate"]:
            print(f"certificate: tabian retention certificate {result['order_id']} --out DIR")
    if index_problem:
        say(f"tabian: records destroyed, but the search index still lists them "
            f"({index_problem}); run: tabian index drain")
        return EXIT_FAILURE
    return EXIT_OK


def cmd_certificate(args: argparse.Namespace, archive: Archive) -> int:
    import json

    with _refusals():
        info, json_bytes, pdf_bytes = load_certificate(archive, args.order_id)
    if args.out is not None:
        args.out.mkdir(parents=True, exist_ok=True)
        (args.out / f"certificate-{args.order_id}.json").write_bytes(json_bytes)
        (args.out / f"certificate-{args.order_id}.pdf").write_bytes(pdf_bytes)
        say(f"wrote certificate-{args.order_id}.json and .pdf to {args.out}")
    if args.json:
        emit_json({**info, "certificate": json.loads(json_bytes)})
    else:
        print(f"certificate of order {args.order_id}: json sha256 {info['json_sha256']}, "
              f"pdf sha256 {info['pdf_sha256']} (audit event {info['audit_seq']})")
    return EXIT_OK


# --- holds -----------------------------------------------------------------------------------


def cmd_holds_place(args: argparse.Namespace, archive: Archive) -> int:
    cid = _cid(args.citizen_id)
    with _refusals(), archive.catalog.session() as s:
        result = hold_as_dict(place_hold(s, citizen_id=cid, reason=args.reason,
                                         authority=args.authority, actor=current_actor()))
    if args.json:
        emit_json(result)
    else:
        print(f"hold {result['hold_id']} placed on {cid}")
    return EXIT_OK


def cmd_holds_release(args: argparse.Namespace, archive: Archive) -> int:
    with _refusals(), archive.catalog.session() as s:
        result = hold_as_dict(release_hold(s, hold_id=args.hold_id, reason=args.reason,
                                           authority=args.authority, actor=current_actor()))
    if args.json:
        emit_json(result)
    else:
        print(f"hold {result['hold_id']} on {result['citizen_id']} released")
    return EXIT_OK


def cmd_holds_list(args: argparse.Namespace, archive: Archive) -> int:
    cid = _cid(args.citizen_id) if args.citizen_id else None
    with archive.catalog.session() as s:
        holds = [hold_as_dict(h) for h in list_holds(s, citizen_id=cid,
                                                      include_released=args.all)]
    if args.json:
        emit_json({"holds": holds})
    else:
        for h in holds:
            state = f"released {h['released_at'][:10]}" if h["released_at"] else "active"
            print(f"{h['hold_id']:>5}  {h['citizen_id']}  {state:<20} {h['reason']} "
                  f"({h['authority']})")
    return EXIT_OK


# --- paper lists, reminders, photos, certifications ---------------------------------------------


def cmd_paper_make(args: argparse.Namespace, archive: Archive) -> int:
    from retention.paper import make_paper_list

    with _refusals():
        result = make_paper_list(archive, args.batch_id, actor=current_actor(), out=args.out)
    if args.json:
        emit_json(result)
    else:
        print(f"paper destruction list {result['list_id']}: {len(result['items'])} documents, "
              f"{len(result['excluded'])} not ready; files: {result['csv']}, {result['pdf']}")
    return EXIT_OK


def cmd_paper_decide(args: argparse.Namespace, archive: Archive) -> int:
    from retention.paper import decide_paper_list

    keep = _pairs(args.keep, "--keep")
    with _refusals():
        result = decide_paper_list(
            archive, args.list_id, actor=current_actor(), committee=args.committee,
            meeting_ref=args.meeting_ref, keep=keep, note=args.note, out=args.out,
        )
    if args.json:
        emit_json(result)
    else:
        destroy = sum(1 for i in result["items"] if i["decision"] == "destroy")
        print(f"paper destruction list {result['list_id']} decided: {destroy} to destroy, "
              f"{len(result['items']) - destroy} kept; files: {result['csv']}, {result['pdf']}")
    return EXIT_OK


def cmd_reminders(args: argparse.Namespace, archive: Archive) -> int:
    from retention.holidays import HolidayError, load_holidays
    from retention.reminders import KINDS, list_reminders

    as_of = _day(args.as_of, "--as-of") if args.as_of else date.today()
    since = _day(args.since, "--since") if args.since else None
    unknown = sorted(set(args.kind or []) - set(KINDS))
    if unknown:
        raise UsageError(f"unknown --kind {', '.join(unknown)}; use: {', '.join(KINDS)}")
    try:
        holidays = load_holidays(archive.settings.data_dir, args.holidays)
    except HolidayError as exc:
        raise UsageError(str(exc)) from exc
    with archive.catalog.session() as s:
        result = list_reminders(s, as_of=as_of, since=since, holidays=holidays,
                                kinds=args.kind or None, fiscal_year=args.fiscal_year)
    if args.json:
        emit_json(result)
    else:
        print(f"reminders as of {result['as_of']}: {len(result['reminders'])}")
        for r in result["reminders"]:
            print(f"  {r['kind']:<28} {r['citizen_id']}  {r['detail']}")
    return EXIT_OK


def cmd_photos_record(args: argparse.Namespace, archive: Archive) -> int:
    from retention.reminders import record_photo

    cid, taken = _cid(args.citizen_id), _day(args.taken_on, "--taken-on")
    with _refusals(), archive.catalog.session() as s:
        record_photo(s, citizen_id=cid, taken_on=taken, actor=current_actor())
    if args.json:
        emit_json({"citizen_id": cid, "taken_on": taken.isoformat()})
    else:
        print(f"photo of {cid} taken {taken} recorded")
    return EXIT_OK


def cmd_records_certify(args: argparse.Namespace, archive: Archive) -> int:
    from retention.reminders import record_certification

    cid = _cid(args.citizen_id)
    on = _day(args.on, "--on") if args.on else date.today()
    with _refusals(), archive.catalog.session() as s:
        record_certification(s, citizen_id=cid, certified_on=on, actor=current_actor())
    if args.json:
        emit_json({"citizen_id": cid, "certified_on": on.isoformat()})
    else:
        print(f"record of {cid} certified on {on}")
    return EXIT_OK


# --- registration ----------------------------------------------------------------------------


def _add(sub: Any, common: Common, name: str, handler: Callable[..., int],
         help_text: str) -> argparse.ArgumentParser:
    parser: argparse.ArgumentParser = sub.add_parser(name, help=help_text, description=help_text)
    common(parser, json_flag=True)
    parser.set_defaults(handler=handler)
    return parser


def _group(sub: Any, name: str, help_text: str) -> Any:
    return sub.add_parser(name, help=help_text).add_subparsers(
        dest="action", required=True, metavar="ACTION"
    )


def _register_retention(sub: Any, common: Common) -> None:
    rsub = _group(sub, "retention", "destruction of records under the 10-year rule (5.6.2)")
    p = _add(rsub, common, "review", cmd_review,
             "owners whose records may be destroyed on a date, oldest first, and who may not")
    p.add_argument("--as-of", required=True, metavar="YYYY-MM-DD")
    p.add_argument("--free-bytes", type=int, metavar="N",
                   help="only the shortest oldest-first prefix that frees at least N bytes")
    p.add_argument("--save", action="store_true", help="keep the review to propose from it")
    p = _add(rsub, common, "propose", cmd_propose,
             "propose a destruction list from a saved review (records manager)")
    p.add_argument("review_id")
    p.add_argument("--strike", action="append", metavar="CITIZEN_ID=REASON",
                   help="leave an owner off the list, with the reason (repeatable)")
    p.add_argument("--note")
    p = _add(rsub, common, "approve", cmd_approve,
             "approve a proposal as a destruction order (data controller; not the proposer)")
    p.add_argument("proposal_id")
    p.add_argument("--necessity", required=True, choices=["space", "other"])
    p.add_argument("--reason", required=True, help="the necessity, in words")
    p.add_argument("--order-ref", help="the order's number, e.g. 12/2569")
    p = _add(rsub, common, "reject", cmd_reject, "turn a proposal down, with the reason")
    p.add_argument("proposal_id")
    p.add_argument("--reason", required=True)
    p = _add(rsub, common, "execute", cmd_execute,
             "carry out (or resume) an approved order; issues the certificate")
    p.add_argument("order_id")
    p.add_argument("--quiet", action="store_true", help="no progress on stderr")
    p = _add(rsub, common, "certificate", cmd_certificate,
             "the destruction certificate of an executed order (JSON and Thai PDF)")
    p.add_argument("order_id")
    p.add_argument("--out", type=Path, metavar="DIR", help="write both files into DIR")


def _register_holds(sub: Any, common: Common) -> None:
    hsub = _group(sub, "holds", "legal holds that block destruction")
    p = _add(hsub, common, "place", cmd_holds_place, "place a hold on an owner's record")
    p.add_argument("citizen_id")
    p.add_argument("--reason", required=True)
    p.add_argument("--authority", required=True, help="who or what requires the hold")
    p = _add(hsub, common, "release", cmd_holds_release, "release a hold")
    p.add_argument("hold_id", type=int)
    p.add_argument("--reason", required=True)
    p.add_argument("--authority", required=True)
    p = _add(hsub, common, "list", cmd_holds_list, "active holds (--all: released too)")
    p.add_argument("--citizen-id")
    p.add_argument("--all", action="store_true")


def _register_paper(sub: Any, common: Common) -> None:
    psub = _group(sub, "paper-list", "บัญชีหนังสือขอทำลาย: paper originals of an ingest batch")
    p = _add(psub, common, "make", cmd_paper_make,
             "list the paper originals of a batch whose electronic copies are verified")
    p.add_argument("batch_id")
    p.add_argument("--out", type=Path, metavar="DIR", help="where to write the CSV and PDF")
    p = _add(psub, common, "decide", cmd_paper_decide,
             "record the destruction committee's decision")
    p.add_argument("list_id")
    p.add_argument("--committee", action="append", required=True, metavar="NAME",
                   help="a committee member who signed (repeatable)")
    p.add_argument("--meeting-ref", help="the committee's meeting or minute reference")
    p.add_argument("--keep", action="append", metavar="NO=REASON",
                   help="keep item NO (ลำดับที่) instead of destroying it (repeatable)")
    p.add_argument("--note")
    p.add_argument("--out", type=Path, metavar="DIR")


def _register_reminders(sub: Any, common: Common) -> None:
    msub = _group(sub, "reminders", "what a records manager should act on")
    p = _add(msub, common, "list", cmd_reminders,
             "old photos, late orders, unverified new appointees, coming retirements")
    p.add_argument("--as-of", metavar="YYYY-MM-DD", help="default: today")
    p.add_argument("--since", metavar="YYYY-MM-DD",
                   help="oldest order or appointment to check (default: a year before as-of)")
    p.add_argument("--kind", action="append", metavar="KIND", help="only these kinds")
    p.add_argument("--holidays", type=Path, metavar="FILE",
                   help="public holidays CSV (default: DATA_DIR/holidays.csv, else built in)")
    p.add_argument("--fiscal-year", type=int, metavar="BE",
                   help="retirements in this fiscal year (default: the coming one)")
    ssub = _group(sub, "photos", "record owners' photos (renewed every 6 years)")
    p = _add(ssub, common, "record", cmd_photos_record, "record when an owner's photo was taken")
    p.add_argument("citizen_id")
    p.add_argument("--taken-on", required=True, metavar="YYYY-MM-DD")
    csub = _group(sub, "records", "record certification (new appointees within 15 days)")
    p = _add(csub, common, "certify", cmd_records_certify, "record that a record was certified")
    p.add_argument("citizen_id")
    p.add_argument("--on", metavar="YYYY-MM-DD", help="default: today")


def register(sub: Any, common: Common) -> None:
    _register_retention(sub, common)
    _register_holds(sub, common)
    _register_paper(sub, common)
    _register_reminders(sub, common)
