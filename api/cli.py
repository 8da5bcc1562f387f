"""The `tabian` command line: argument parsing, output conventions and exit status (CONTRACT.md)."""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from sqlalchemy.exc import SQLAlchemyError

from api.output import EXIT_FAILURE, EXIT_USAGE, UsageError, say
from archive.archive import Archive, open_archive
from archive.catalog import CatalogError
from archive.config import ConfigError, load_settings
from archive.objectstore import ObjectStoreError

log = logging.getLogger("tabian")

Handler = Callable[[argparse.Namespace, Archive], int]


def _common(parser: argparse.ArgumentParser, *, json_flag: bool = True) -> None:
    # Accept --data-dir after the subcommand too; SUPPRESS keeps a top-level value if given there.
    parser.add_argument("--data-dir", type=Path, default=argparse.SUPPRESS,
                        help="data directory (env TABIAN_DATA_DIR, default ./tabian-data)")
    parser.add_argument("--config", type=Path, default=argparse.SUPPRESS,
                        help="settings file (TOML); env TABIAN_CONFIG")
    if json_flag:
        parser.add_argument("--json", action="store_true", help="print JSON on stdout")


def build_parser() -> argparse.ArgumentParser:
    from api import commands

    parser = argparse.ArgumentParser(
        prog="tabian",
        description="Tabian: archive of Thai personnel records (ทะเบียนประวัติ).",
    )
    parser.add_argument("--data-dir", type=Path, default=None,
                        help="data directory (env TABIAN_DATA_DIR, default ./tabian-data)")
    parser.add_argument("--config", type=Path, default=None, help="settings file (TOML)")
    parser.add_argument("-v", "--verbose", action="count", default=0, help="more log output")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    commands.register(sub, _common)
    return parser


def _one_line(exc: object) -> str:
    return " ".join(str(exc).split())


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=logging.WARNING - 10 * min(args.verbose, 2),
        format="%(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )
    if args.verbose < 2:
        # The S3 client's retry warnings would break the one-line failure reason.
        logging.getLogger("urllib3").setLevel(logging.ERROR)
    handler: Handler = args.handler
    try:
        settings = load_settings(args.data_dir, args.config)
        archive = open_archive(settings)
    except ConfigError as exc:
        say(f"tabian: configuration error: {exc}")
        return EXIT_USAGE
    except (CatalogError, ObjectStoreError) as exc:
        say(f"tabian: {_one_line(exc)}")
        return EXIT_FAILURE
    try:
        return handler(args, archive)
    except UsageError as exc:
        say(f"tabian: {exc}")
        return EXIT_USAGE
    except (CatalogError, ObjectStoreError) as exc:
        say(f"tabian: {_one_line(exc)}")
        return EXIT_FAILURE
    except SQLAlchemyError as exc:
        say(f"tabian: catalog database error: {_one_line(getattr(exc, 'orig', None) or exc)}")
        return EXIT_FAILURE
    except KeyboardInterrupt:
        say("tabian: interrupted")
        return 130
    finally:
        archive.close()


def run() -> None:  # pragma: no cover - console entry point
    sys.exit(main())


if __name__ == "__main__":  # pragma: no cover
    run()
