"""The CLI configured for the servers: catalog on PostgreSQL, objects in a versioned S3 bucket."""

from __future__ import annotations

import hashlib
import uuid
from datetime import UTC, datetime
from pathlib import Path

import pytest
from minio import Minio

from archive.archive import open_archive
from archive.catalog import Document
from archive.config import load_settings
from archive.documents import ObjectSource, object_key, write_objects
from tests.archive.conftest import fresh_postgres_database
from tests.cli import tabian


@pytest.fixture
def server_env(postgres_url: str, s3_endpoint: tuple[str, str, str]) -> dict[str, str]:
    endpoint, access, secret = s3_endpoint
    return {
        "TABIAN_DATABASE_URL": fresh_postgres_database(postgres_url),
        "TABIAN_STORE": "minio",
        "TABIAN_MINIO_ENDPOINT": endpoint,
        "TABIAN_MINIO_ACCESS_KEY": access,
        "TABIAN_MINIO_SECRET_KEY": secret,
        "TABIAN_MINIO_BUCKET": f"tabian-{uuid.uuid4().hex[:10]}",
    }


@pytest.mark.postgres
@pytest.mark.s3
def test_import_and_verify_on_postgres_and_s3(
    server_env: dict[str, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    s3_endpoint: tuple[str, str, str],
) -> None:
    # GIVEN Tabian configured for PostgreSQL and S3 through the environment
    for key, value in server_env.items():
        monkeypatch.setenv(key, value)
    csv = tmp_path / "p.csv"
    csv.write_text(
        "citizen_id,prefix,first_name,last_name,birth_date,status\n"
        "1101700203450,นาย,สมชาย,ใจดี,1987-03-27,active\n", encoding="utf-8")
    result = tabian("persons", "import", csv, "--json", data_dir=tmp_path / "d", env=server_env)
    assert result.code == 0, result.stderr
    assert result.json["imported"] == 1
    assert not (tmp_path / "d" / "catalog.sqlite3").exists()  # nothing went to SQLite

    # AND a document whose objects are in the bucket
    archive = open_archive(load_settings(tmp_path / "d"))
    data = b"%PDF-1.7 a scanned order"
    sha = hashlib.sha256(data).hexdigest()
    key = object_key(sha, "original")
    try:
        rows = write_objects(archive.store, [ObjectSource("original", key, data=data)])
        with archive.catalog.session() as s:
            doc = Document(id="c" * 32, sha256=sha, size=len(data), pages=1,
                           original_name="o.pdf", media_type="application/pdf",
                           link="unlinked", warnings=[], created_at=datetime.now(UTC))
            doc.objects.extend(rows)
            s.add(doc)
    finally:
        archive.close()
    assert tabian("verify", "--json", data_dir=tmp_path / "d", env=server_env).json["ok"] == 1

    # WHEN the object is overwritten behind Tabian's back
    endpoint, access, secret = s3_endpoint
    raw = Minio(endpoint, access_key=access, secret_key=secret, secure=False)
    import io

    raw.put_object(server_env["TABIAN_MINIO_BUCKET"], key, io.BytesIO(b"tampered"), 8)
    # THEN verify reports the mismatch and exits non-zero
    bad = tabian("verify", "--json", data_dir=tmp_path / "d", env=server_env)
    assert bad.code == 1
    assert bad.json["problems"][0]["kind"] == "checksum_mismatch"


def test_store_down_is_a_one_line_system_failure(tmp_path: Path) -> None:
    env = {"TABIAN_STORE": "minio", "TABIAN_MINIO_ENDPOINT": "127.0.0.1:1",
           "TABIAN_MINIO_ACCESS_KEY": "a", "TABIAN_MINIO_SECRET_KEY": "long-enough-secret"}
    result = tabian("verify", "--json", data_dir=tmp_path / "d", env=env)
    assert result.code == 1
    assert result.stdout == ""
    assert "unreachable" in result.stderr and len(result.stderr.strip().splitlines()) == 1


def test_half_configured_store_is_refused_at_start(tmp_path: Path) -> None:
    result = tabian("verify", data_dir=tmp_path / "d", env={"TABIAN_STORE": "minio"})
    assert result.code == 2
    assert "TABIAN_MINIO_ENDPOINT" in result.stderr
