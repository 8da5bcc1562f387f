"""`tabian users` and `tabian rights`: accounts, rights and the fiscal-year rights review from
the shell. The archive's operator runs these (the first access controller is made here);
every change is on the audit log under the operator's name (TABIAN_ACTOR or the OS user)."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable
from typing import Any

from api.access import Role
from api.access.accounts import AccountError, create_user, grant
from api.http.errors import ApiError
from api.output import EXIT_OK, UsageError, emit_json, say
from api.services import accounts_review as review
from api.services.accounts_service import (
    change_user,
    grant_for,
    grant_json,
    list_users,
    revoke_grant,
    user_by_username,
    user_json,
)
from api.services.accounts_tokens import MAX_TOKEN_DAYS, new_token
from archive import audit
from archive.archive import Archive
from archive.domain import EntrySection

Common = Callable[..., None]


def _refused(exc: AccountError | ApiError) -> UsageError:
    return UsageError(f"{exc.code}: {exc.message}")


def _password(args: argparse.Namespace) -> str | None:
    if args.password_stdin:
        line = sys.stdin.readline()
        if not line.strip():
            raise UsageError("--password-stdin: no password on standard input")
        return line.rstrip("\r\n")
    if args.password_env:
        value = os.environ.get(args.password_env)
        if not value:
            raise UsageError(f"--password-env: environment variable {args.password_env} is not set")
        return value
    return None


def cmd_users_create(args: argparse.Namespace, archive: Archive) -> int:
    password = _password(args)
    try:
        with archive.catalog.session() as s:
            user = create_user(s, username=args.username,
                               display_name=args.display_name or args.username,
                               actor=audit.current_actor(), password=password,
                               citizen_id=args.citizen_id, unit_path=args.unit,
                               position=args.position)
            out = user_json(s, user)
    except AccountError as exc:
        raise _refused(exc) from exc
    if args.json:
        emit_json(out)
    else:
        print(f"user {out['username']} created (id {out['id']}), unit: {out['unit'] or '-'}")
    return EXIT_OK


def cmd_users_grant(args: argparse.Namespace, archive: Archive) -> int:
    try:
        with archive.catalog.session() as s:
            user = user_by_username(s, args.username)
            row = grant(s, user=user, role=Role(args.role), actor=audit.current_actor(),
                        unit_path=args.unit, citizen_id=args.citizen_id, section=args.section)
            out = grant_json(row)
    except AccountError as exc:
        raise _refused(exc) from exc
    if args.json:
        emit_json(out)
    else:
        print(f"grant {out['id']}: {out['username']} is {out['role']} over "
              f"{out['unit'] or out['citizen_id']}" + (f" ({out['section']})" if out["section"]
                                                      else ""))
    return EXIT_OK


def cmd_users_revoke(args: argparse.Namespace, archive: Archive) -> int:
    try:
        with archive.catalog.session() as s:
            row = revoke_grant(s, grant_row=grant_for(s, None, args.grant_id),
                               actor=audit.current_actor(), reason=args.reason)
            out = grant_json(row)
    except (AccountError, ApiError) as exc:
        raise _refused(exc) from exc
    if args.json:
        emit_json(out)
    else:
        print(f"grant {out['id']} of {out['username']} revoked")
    return EXIT_OK


def cmd_users_list(args: argparse.Namespace, archive: Archive) -> int:
    with archive.catalog.session() as s:
        users = [user_json(s, u, with_grants=True)
                 for u in list_users(s, unit_paths=None, limit=100_000)]
    if args.json:
        emit_json({"users": users})
        return EXIT_OK
    for u in users:
        live = [g for g in u["grants"] if g["live"]]
        state = "" if u["active"] else "  [inactive]"
        print(f"{u['id']:>4}  {u['username']:<24} {u['display_name']}  "
              f"unit: {u['home_unit'] or '-'}{state}")
        for g in live:
            print(f"        grant {g['id']}: {g['role']} over {g['unit'] or g['citizen_id']}"
                  + (f" ({g['section']})" if g["section"] else ""))
    if not users:
        say("no users yet: tabian users create USERNAME --unit PATH --password-stdin")
    return EXIT_OK


def cmd_users_update(args: argparse.Namespace, archive: Archive) -> int:
    active = False if args.deactivate else (True if args.reactivate else None)
    try:
        with archive.catalog.session() as s:
            user = user_by_username(s, args.username)
            change = change_user(s, user=user, actor=audit.current_actor(),
                                 display_name=args.display_name, unit_path=args.unit,
                                 position=args.position, active=active)
            out: dict[str, Any] = {
                "user": user_json(s, user), "changed": list(change.changed),
                "grants_revoked": change.grants_revoked, "sessions_ended": change.sessions_ended,
                "tokens_revoked": change.tokens_revoked}
    except AccountError as exc:
        raise _refused(exc) from exc
    if args.json:
        emit_json(out)
    else:
        print(f"user {args.username}: changed {', '.join(out['changed']) or 'nothing'}; "
              f"{out['grants_revoked']} rights revoked, {out['sessions_ended']} sessions ended")
    return EXIT_OK


def cmd_users_token(args: argparse.Namespace, archive: Archive) -> int:
    try:
        with archive.catalog.session() as s:
            user = user_by_username(s, args.username)
            secret, row = new_token(s, user=user, name=args.name, actor=audit.current_actor(),
                                    expires_in_days=args.expires_in_days)
            token_id = row.id
    except AccountError as exc:
        raise _refused(exc) from exc
    if args.json:
        emit_json({"id": token_id, "name": args.name, "username": args.username,
                   "token": secret})
    else:
        say("the token is shown once; keep it safe")
        print(secret)
    return EXIT_OK


def cmd_rights_review(args: argparse.Namespace, archive: Archive) -> int:
    year = args.fiscal_year or review.current_fiscal_year()
    with archive.catalog.session() as s:
        report = review.review_report(s, fiscal_year=year, principal=None)
    if args.json:
        emit_json(report)
        return EXIT_OK
    print(f"rights review, fiscal year {year} ({report['starts_on']} .. {report['ends_on']}): "
          f"{report['total']} live rights, {report['needs_confirming']} to confirm")
    for g in report["grants"]:
        mark = "CONFIRM?" if g["needs_confirming"] else f"ok {g['confirmed_fy'] or '(new)'}"
        print(f"{g['id']:>5}  {mark:<9} {g['username']:<20} {g['role']:<18} "
              f"{g['unit'] or g['citizen_id']}" + (f" ({g['section']})" if g["section"] else ""))
    return EXIT_OK


def _decide(args: argparse.Namespace, archive: Archive, decision: review.Decision) -> int:
    try:
        with archive.catalog.session() as s:
            out = review.decide(s, grant_row=grant_for(s, None, args.grant_id),
                                decision=decision, actor=audit.current_actor(),
                                reason=args.reason or "")
    except (AccountError, ApiError) as exc:
        raise _refused(exc) from exc
    if args.json:
        emit_json(out)
    else:
        print(f"grant {out['id']} of {out['username']}: {decision.value} "
              f"(fiscal year {out['fiscal_year']})")
    return EXIT_OK


def cmd_rights_confirm(args: argparse.Namespace, archive: Archive) -> int:
    return _decide(args, archive, review.Decision.CONFIRM)


def cmd_rights_revoke(args: argparse.Namespace, archive: Archive) -> int:
    return _decide(args, archive, review.Decision.REVOKE)


def _add(sub: Any, common: Common, name: str, handler: Callable[..., int],
         help_text: str) -> argparse.ArgumentParser:
    parser: argparse.ArgumentParser = sub.add_parser(name, help=help_text, description=help_text)
    common(parser, json_flag=True)
    parser.set_defaults(handler=handler)
    return parser


def _positive(text: str) -> int:
    value = int(text)
    if not 1 <= value <= 2**31 - 1:
        raise argparse.ArgumentTypeError(f"{text}: expected a positive number")
    return value


def _fiscal_year(text: str) -> int:
    value = int(text)
    if not 2400 <= value <= 2800:
        raise argparse.ArgumentTypeError(f"{text}: expected a Buddhist-Era year such as 2570")
    return value


def _days(text: str) -> int:
    value = int(text)
    if not 1 <= value <= MAX_TOKEN_DAYS:
        raise argparse.ArgumentTypeError(f"{text}: expected 1 to {MAX_TOKEN_DAYS} days")
    return value


def register(sub: Any, common: Common) -> None:
    users = sub.add_parser("users", help="accounts and their rights (clause 6.1)")
    usub = users.add_subparsers(dest="action", required=True, metavar="ACTION")

    p = _add(usub, common, "create", cmd_users_create, "create a user (staff or owner)")
    p.add_argument("username")
    p.add_argument("--display-name", help="the name shown (default: the username)")
    pw = p.add_mutually_exclusive_group()
    pw.add_argument("--password-stdin", action="store_true",
                    help="read the password from the first line of standard input")
    pw.add_argument("--password-env", metavar="VAR",
                    help="read the password from environment variable VAR")
    p.add_argument("--citizen-id", help="13-digit citizen ID (sign-in with ThaID; owner)")
    p.add_argument("--unit", metavar="PATH", help="the user's unit, levels joined by ' > '")
    p.add_argument("--position", help="the user's position")

    p = _add(usub, common, "grant", cmd_users_grant, "give a user a role over a unit or person")
    p.add_argument("username")
    p.add_argument("role", choices=[r.value for r in Role if r != Role.OWNER])
    where = p.add_mutually_exclusive_group(required=True)
    where.add_argument("--unit", metavar="PATH", help="the unit (and the units below it)")
    where.add_argument("--citizen-id", metavar="ID", help="one assigned person")
    p.add_argument("--section", choices=[s.value for s in EntrySection],
                   help="recorder only: limit to one record section")

    p = _add(usub, common, "revoke", cmd_users_revoke, "revoke a right, with the reason")
    p.add_argument("grant_id", type=_positive, metavar="GRANT_ID")
    p.add_argument("--reason", required=True)

    _add(usub, common, "list", cmd_users_list, "every user and their live rights")

    p = _add(usub, common, "update", cmd_users_update,
             "change a user; a new unit or position, or --deactivate, revokes every right")
    p.add_argument("username")
    p.add_argument("--display-name")
    p.add_argument("--unit", metavar="PATH")
    p.add_argument("--position")
    state = p.add_mutually_exclusive_group()
    state.add_argument("--deactivate", action="store_true", help="left service: sign-in refused")
    state.add_argument("--reactivate", action="store_true")

    p = _add(usub, common, "token", cmd_users_token, "make an API token (printed once)")
    p.add_argument("username")
    p.add_argument("--name", required=True, help="what the token is for")
    p.add_argument("--expires-in-days", type=_days, metavar="N")

    rights = sub.add_parser("rights", help="the fiscal-year rights review (clause 6.2)")
    rsub = rights.add_subparsers(dest="action", required=True, metavar="ACTION")
    p = _add(rsub, common, "review", cmd_rights_review,
             "every live right and whether it still needs confirming this fiscal year")
    p.add_argument("--fiscal-year", type=_fiscal_year, metavar="YEAR",
                   help="Buddhist Era, e.g. 2570 (default: the current one)")
    p = _add(rsub, common, "confirm", cmd_rights_confirm, "keep a right for this fiscal year")
    p.add_argument("grant_id", type=_positive, metavar="GRANT_ID")
    p.add_argument("--reason", default="")
    p = _add(rsub, common, "revoke", cmd_rights_revoke, "revoke a right in the review")
    p.add_argument("grant_id", type=_positive, metavar="GRANT_ID")
    p.add_argument("--reason", required=True)
