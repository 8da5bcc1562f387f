"""The process that runs one web upload's ingest batch: `python -m api.services.ingest_worker`.

It reads {"settings", "batch_id", "paths", "jobs"} as JSON on stdin, so secrets in the
settings never show in a process list, and runs `ingest.batch.run_batch` on the batch row the
web request made. TABIAN_ACTOR (set by the server) names the uploader in the audit log.
"""

from __future__ import annotations

import json
import logging
import sys
from pathlib import Path

from archive.archive import open_archive
from archive.config import Settings
from ingest.batch import run_batch


def main() -> int:
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr)
    job = json.loads(sys.stdin.read())
    settings = Settings.model_validate(job["settings"])
    archive = open_archive(settings, migrate=False)
    try:
        run_batch(archive, [Path(p) for p in job["paths"]], jobs=int(job["jobs"]),
                  show_progress=False, batch_id=job["batch_id"])
    finally:
        archive.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
