"""`tabian serve` (the HTTP API and web interface) and `tabian users` (accounts from the shell)."""

from __future__ import annotations

import argparse
from typing import Any

from api.output import EXIT_OK
from archive.archive import Archive

Common = Any


def cmd_serve(args: argparse.Namespace, archive: Archive) -> int:
    import uvicorn

    from api.http import create_app

    app = create_app(archive.settings, archive=archive)
    print(f"Tabian: http://{args.host}:{args.port}/  (API docs: /docs)", flush=True)
    uvicorn.run(app, host=args.host, port=args.port, log_level="warning",
                workers=1, proxy_headers=False)
    return EXIT_OK


def register(sub: Any, common: Common) -> None:
    p = sub.add_parser("serve", help="serve the HTTP API (/docs) and the Thai web interface")
    common(p, json_flag=False)
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    p.add_argument("--port", type=int, default=8000, help="port (default 8000)")
    p.set_defaults(handler=cmd_serve)


