"""`tabian search`, `tabian reindex`, `tabian index drain|status`: the full-text index.

Search first applies what the outbox holds (documents stored since the last search), so a
document is findable as soon as its ingest committed, whoever stored it.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from api.output import EXIT_FAILURE, EXIT_OK, UsageError, emit_json, say
from archive.archive import Archive
from archive.catalog.outbox import SearchOutbox
from archive.domain import CATEGORY_BY_SLUG
from archive.thai import ThaiTextError, parse_citizen_id, parse_date_field
from search import (
    QueryTooShort,
    Scope,
    SearchError,
    SearchIndex,
    SearchQuery,
    drain,
    open_index,
    reindex,
)

Common = Callable[..., None]
Handler = Callable[[argparse.Namespace, Archive], int]
MAX_LIMIT = 1000


class _Failed(Exception):
    """The index failed; the one-line reason is printed and the command exits 1."""


@contextmanager
def _index(archive: Archive) -> Iterator[SearchIndex]:
    try:
        index = open_index(archive.settings)
        try:
            yield index
        finally:
            index.close()
    except SearchError as exc:
        raise _Failed(str(exc)) from exc


def _failures(handler: Handler) -> Handler:
    def run(args: argparse.Namespace, archive: Archive) -> int:
        try:
            return handler(args, archive)
        except _Failed as exc:
            say(f"tabian: {' '.join(str(exc).split())}")
            return EXIT_FAILURE
    return run


def _query(args: argparse.Namespace) -> SearchQuery:
    if args.category and args.category not in CATEGORY_BY_SLUG:
        raise UsageError(f"unknown category {args.category!r}; one of: "
                         + ", ".join(CATEGORY_BY_SLUG))
    if not 1 <= args.limit <= MAX_LIMIT or args.offset < 0:
        raise UsageError(f"--limit must be 1 to {MAX_LIMIT} and --offset 0 or more")
    try:
        citizen_id = parse_citizen_id(args.citizen_id) if args.citizen_id else None
        date_from = parse_date_field(args.date_from) if args.date_from else None
        date_to = parse_date_field(args.date_to) if args.date_to else None
    except ThaiTextError as exc:
        raise UsageError(str(exc)) from exc
    # The command line is the archive operator's own tool: it sees every record. The API
    # narrows the scope to the caller's role (clause 6.1).
    return SearchQuery(
        text=args.query, scope=Scope.all_records(), category=args.category,
        citizen_id=citizen_id, unit=args.unit, date_from=date_from, date_to=date_to,
        limit=args.limit, offset=args.offset,
    )


@_failures
def cmd_search(args: argparse.Namespace, archive: Archive) -> int:
    query = _query(args)
    with _index(archive) as index:
        drain(archive, index)
        try:
            result = index.search(query)
        except QueryTooShort as exc:
            raise UsageError(str(exc)) from exc
    if args.json:
        emit_json(result.as_dict())
        return EXIT_OK
    more = "" if result.total_exact else " or more"
    print(f"{result.total}{more} documents match {args.query!r}")
    for n, hit in enumerate(result.hits, start=query.offset + 1):
        owners = ", ".join(hit.citizen_ids) or "-"
        print(f"{n:>3}. {hit.original_name}  [{hit.category or '-'}]  {hit.document_id}  "
              f"score {hit.score:.2f}  owners {owners}")
        print(f"     {hit.snippet}")
    return EXIT_OK


@_failures
def cmd_reindex(args: argparse.Namespace, archive: Archive) -> int:
    started = time.monotonic()
    with _index(archive) as index:
        indexed = reindex(archive, index)
    report = {"indexed": indexed, "seconds": round(time.monotonic() - started, 2)}
    if args.json:
        emit_json(report)
    else:
        say(f"search index rebuilt: {indexed} documents in {report['seconds']} s")
    return EXIT_OK


@_failures
def cmd_index_drain(args: argparse.Namespace, archive: Archive) -> int:
    with _index(archive) as index:
        report = drain(archive, index)
    if args.json:
        emit_json(report.as_dict())
    else:
        say(f"search index: {report.upserted} indexed, {report.deleted} removed"
            + (f", {report.rebuilt} in a full build" if report.rebuilt else ""))
    return EXIT_OK


@_failures
def cmd_index_status(args: argparse.Namespace, archive: Archive) -> int:
    from sqlalchemy import func, select

    with archive.catalog.session() as s:
        pending = s.scalar(select(func.count()).select_from(SearchOutbox)) or 0
    with _index(archive) as index:
        documents = len(index.fingerprints())
    status: dict[str, Any] = {"backend": archive.settings.search, "documents": documents,
                              "pending": pending}
    if args.json:
        emit_json(status)
    else:
        print(f"{status['backend']} index: {documents} documents, {pending} changes pending")
    return EXIT_OK


def _add(sub: Any, common: Common, name: str, handler: Handler, help_text: str,
         ) -> argparse.ArgumentParser:
    parser: argparse.ArgumentParser = sub.add_parser(name, help=help_text, description=help_text)
    common(parser, json_flag=True)
    parser.set_defaults(handler=handler)
    return parser


def register(sub: Any, common: Common) -> None:
    p = _add(sub, common, "search", cmd_search,
             "find documents by their content: names, order numbers, phrases (Thai needs no "
             "spaces; Thai and Arabic digits match each other)")
    p.add_argument("query", metavar="QUERY")
    p.add_argument("--category", metavar="SLUG", help="only this evidence category")
    p.add_argument("--citizen-id", metavar="ID", help="only documents of this person")
    p.add_argument("--unit", metavar="PATH",
                   help="only documents of persons in this unit or below ('A > B')")
    p.add_argument("--from", dest="date_from", metavar="DATE",
                   help="document date on or after (YYYY-MM-DD, or D/M/YYYY in B.E.)")
    p.add_argument("--to", dest="date_to", metavar="DATE", help="document date on or before")
    p.add_argument("--limit", type=int, default=10, help="hits per page (default 10)")
    p.add_argument("--offset", type=int, default=0, help="hits to skip (paging)")

    _add(sub, common, "reindex", cmd_reindex,
         "rebuild the search index from the catalog; searches go on meanwhile")
    index = sub.add_parser("index", help="the search index")
    isub = index.add_subparsers(dest="action", required=True, metavar="ACTION")
    _add(isub, common, "drain", cmd_index_drain,
         "apply pending changes (the outbox) to the search index")
    _add(isub, common, "status", cmd_index_status, "documents indexed and changes pending")
