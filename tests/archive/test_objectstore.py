"""The object store on a real folder tree and a real S3 server: integrity, atomicity, deletion."""

from __future__ import annotations

import hashlib
import io
import os
import threading
import time
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from minio import Minio

from archive.objectstore import (
    ChecksumMismatch,
    DirectoryStore,
    ObjectInfo,
    ObjectNotFound,
    ObjectStore,
    ObjectStoreError,
    S3Store,
    validate_key,
)
from tests.servers import free_ports, s3_server

KEY = "documents/ab/ab12cd/original.pdf"
FIVE_MB_PLUS = 5 * 1024 * 1024 + 123  # past S3's 5 MiB multipart threshold


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def raw_client(store: S3Store, s3_endpoint: tuple[str, str, str]) -> Minio:
    endpoint, access_key, secret_key = s3_endpoint
    return Minio(endpoint, access_key=access_key, secret_key=secret_key, secure=False)


def corrupt(store: ObjectStore, key: str, request: pytest.FixtureRequest) -> None:
    """Change the stored bytes behind the store's back, as bit rot or tampering would."""
    if isinstance(store, DirectoryStore):
        path = store.root / key
        data = bytearray(path.read_bytes())
        data[len(data) // 2] ^= 0x01
        path.write_bytes(bytes(data))
        return
    assert isinstance(store, S3Store)
    client = raw_client(store, request.getfixturevalue("s3_endpoint"))
    info = store.stat(key)
    forged = b"X" * info.size
    # Keep the old checksum header: only re-hashing the bytes can reveal the change.
    client.put_object(
        store.bucket, key, io.BytesIO(forged), len(forged), metadata={"sha256": info.sha256 or ""}
    )


def stored_versions(store: ObjectStore, key: str, request: pytest.FixtureRequest) -> list[str]:
    if isinstance(store, DirectoryStore):
        return [key] if (store.root / key).exists() else []
    assert isinstance(store, S3Store)
    client = raw_client(store, request.getfixturevalue("s3_endpoint"))
    return [
        str(obj.version_id)
        for obj in client.list_objects(store.bucket, prefix=key, include_version=True)
        if obj.object_name == key
    ]


# --- round trips ----------------------------------------------------------------------------


@pytest.mark.parametrize("size", [0, 1, 1000, FIVE_MB_PLUS], ids=["empty", "1B", "1kB", "5MB"])
def test_bytes_round_trip_keeps_content_and_checksum(store: ObjectStore, size: int) -> None:
    # GIVEN some bytes
    data = os.urandom(size)
    # WHEN they are stored and read back
    info = store.put_bytes(KEY, data)
    # THEN the same bytes come back, and the store reports their size and sha256
    assert info == ObjectInfo(key=KEY, size=size, sha256=sha(data))
    assert store.get_bytes(KEY) == data
    assert store.get_bytes(KEY, sha256=sha(data)) == data
    assert store.checksum(KEY) == sha(data)
    assert store.stat(KEY).size == size


@pytest.mark.parametrize("size", [0, FIVE_MB_PLUS], ids=["empty", "5MB"])
def test_file_round_trip_writes_destination_whole(
    store: ObjectStore, tmp_path: Path, size: int
) -> None:
    # GIVEN a scan file on disk
    source = tmp_path / "scan.pdf"
    data = os.urandom(size)
    source.write_bytes(data)
    # WHEN it is stored from the file, with its checksum, and fetched to another file
    info = store.put_file(KEY, source, sha256=sha(data).upper())
    dest = tmp_path / "out" / "copy.pdf"
    store.get_file(KEY, dest, sha256=sha(data))
    # THEN the copy is identical and no temp file is left beside it
    assert info.sha256 == sha(data) and info.size == size
    assert dest.read_bytes() == data
    assert sorted(p.name for p in dest.parent.iterdir()) == ["copy.pdf"]


def test_stream_yields_the_stored_bytes_in_chunks(store: ObjectStore) -> None:
    # GIVEN a stored object of several chunks WHEN it is streamed THEN the chunks join to it
    data = os.urandom(3 * 1024 * 1024 + 7)
    store.put_bytes(KEY, data)
    assert b"".join(store.open_stream(KEY)) == data


def test_stream_of_a_missing_key_fails_when_opened(store: ObjectStore) -> None:
    # GIVEN no object WHEN a stream is opened THEN the error comes at once, not on first read
    with pytest.raises(ObjectNotFound):
        store.open_stream("documents/none")


def test_stat_reports_size_and_the_kept_sha256(store: ObjectStore) -> None:
    # GIVEN a stored object WHEN it is stat'ed
    store.put_bytes(KEY, b"hello")
    info = store.stat(KEY)
    # THEN the size is right; S3 returns the sha256 kept in the object's metadata, while the
    # directory store keeps none (the catalog holds it, checksum() recomputes it)
    expected = sha(b"hello") if isinstance(store, S3Store) else None
    assert info == ObjectInfo(key=KEY, size=5, sha256=expected)


# --- integrity ------------------------------------------------------------------------------


def test_put_with_wrong_sha256_leaves_nothing(store: ObjectStore, tmp_path: Path) -> None:
    # GIVEN bytes and a checksum that does not match them
    wrong = sha(b"something else")
    source = tmp_path / "scan.pdf"
    source.write_bytes(b"the real bytes")
    # WHEN they are stored with that checksum, from bytes and from a file
    with pytest.raises(ChecksumMismatch) as caught:
        store.put_bytes(KEY, b"the real bytes", sha256=wrong)
    with pytest.raises(ChecksumMismatch):
        store.put_file(KEY, source, sha256=wrong)
    # THEN the error names both checksums and nothing is stored under the key
    assert caught.value.key == KEY
    assert caught.value.expected == wrong
    assert caught.value.actual == sha(b"the real bytes")
    assert not store.exists(KEY)
    assert list(store.iter_keys()) == []


def test_put_with_wrong_sha256_keeps_the_previous_object(store: ObjectStore) -> None:
    # GIVEN a stored object WHEN a bad write to the same key is refused THEN the old one stands
    store.put_bytes(KEY, b"good")
    with pytest.raises(ChecksumMismatch):
        store.put_bytes(KEY, b"bad", sha256=sha(b"not bad"))
    assert store.get_bytes(KEY, sha256=sha(b"good")) == b"good"


def test_corrupted_object_is_detected(store: ObjectStore, request: pytest.FixtureRequest) -> None:
    # GIVEN a stored object whose bytes later change behind the store's back
    data = os.urandom(4096)
    store.put_bytes(KEY, data)
    corrupt(store, KEY, request)
    # WHEN it is re-checked or read with its catalogued checksum
    # THEN the recomputed checksum differs and the checked read refuses the bytes
    assert store.checksum(KEY) != sha(data)
    with pytest.raises(ChecksumMismatch) as caught:
        store.get_bytes(KEY, sha256=sha(data))
    assert caught.value.expected == sha(data)


def test_get_file_with_wrong_sha256_leaves_no_destination(
    store: ObjectStore, tmp_path: Path
) -> None:
    # GIVEN a stored object WHEN it is fetched against the wrong checksum
    store.put_bytes(KEY, b"payload")
    dest = tmp_path / "downloads" / "copy.pdf"
    with pytest.raises(ChecksumMismatch):
        store.get_file(KEY, dest, sha256=sha(b"other"))
    # THEN neither the destination nor a temp file is left behind
    assert list(dest.parent.iterdir()) == []


# --- keys, listing, deletion ----------------------------------------------------------------


def test_exists_stat_and_missing_keys(store: ObjectStore) -> None:
    # GIVEN one stored object
    store.put_bytes(KEY, b"abc")
    # THEN it exists; a missing key, or a key naming a folder, does not
    assert store.exists(KEY)
    assert not store.exists("documents/ab/ab12cd/archive.pdf")
    assert not store.exists("documents/ab")
    with pytest.raises(ObjectNotFound):
        store.stat("documents/zz/none.pdf")
    with pytest.raises(ObjectNotFound):
        store.get_bytes("documents/zz/none.pdf")


def test_iter_keys_lists_sorted_keys_under_a_prefix(store: ObjectStore) -> None:
    # GIVEN objects in several folders
    keys = [
        "documents/ab/ab1/original.pdf",
        "documents/ab/ab1/text.txt",
        "documents/ab-x/file",
        "documents/ac/ac9/original.pdf",
        "exports/list.csv",
        "top",
    ]
    for key in reversed(keys):
        store.put_bytes(key, key.encode())
    # WHEN keys are listed, all and by prefix
    # THEN every key comes back once, in string order, filtered by plain prefix
    assert list(store.iter_keys()) == sorted(keys)
    assert list(store.iter_keys("documents/ab/")) == keys[:2]
    assert list(store.iter_keys("documents/ab")) == sorted(keys[:3])
    assert list(store.iter_keys("documents/ab/ab1/te")) == ["documents/ab/ab1/text.txt"]
    assert list(store.iter_keys("nothing/")) == []


def test_delete_removes_every_version(store: ObjectStore, request: pytest.FixtureRequest) -> None:
    # GIVEN a key written twice (two versions on a versioned bucket) and a neighbouring key
    store.put_bytes(KEY, b"first")
    store.put_bytes(KEY, b"second")
    store.put_bytes(KEY + ".bak", b"neighbour")
    # WHEN the key is deleted
    store.delete(KEY)
    # THEN no version and no delete marker remains, the neighbour is untouched,
    # and deleting again is not an error
    assert stored_versions(store, KEY, request) == []
    assert not store.exists(KEY)
    assert store.get_bytes(KEY + ".bak") == b"neighbour"
    store.delete(KEY)
    assert list(store.iter_keys()) == [KEY + ".bak"]


@pytest.mark.parametrize(
    "bad_key",
    ["", "/abs/key", "a/../b", "..", "a//b", "a/b/", "a\\b", "./a", "a/./b", ".tmp/x", "a\nb"],
)
def test_unsafe_keys_are_rejected(store: ObjectStore, bad_key: str) -> None:
    # GIVEN a key that could escape the store or be read two ways WHEN used THEN ValueError
    with pytest.raises(ValueError):
        store.put_bytes(bad_key, b"x")
    with pytest.raises(ValueError):
        store.get_bytes(bad_key)
    with pytest.raises(ValueError):
        store.delete(bad_key)


_SAFE_PART = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="/\\"),
    min_size=1,
    max_size=12,
).filter(lambda part: part not in (".", ".."))


@given(parts=st.lists(_SAFE_PART, min_size=1, max_size=5))
def test_keys_made_of_safe_parts_are_accepted(parts: list[str]) -> None:
    # GIVEN parts without separators WHEN joined THEN the key is valid unless it uses .tmp
    key = "/".join(parts)
    if parts[0] == ".tmp":
        with pytest.raises(ValueError):
            validate_key(key)
    else:
        assert validate_key(key) == key


def test_thai_names_in_keys_round_trip(store: ObjectStore) -> None:
    # GIVEN a key with Thai characters WHEN stored and listed THEN it comes back unchanged
    key = "exports/ทะเบียนประวัติ/คำสั่ง ๑๒๓.pdf"
    store.put_bytes(key, b"x")
    assert list(store.iter_keys("exports/")) == [key]
    assert store.get_bytes(key) == b"x"


# --- atomicity ------------------------------------------------------------------------------


def test_concurrent_writers_never_expose_a_partial_object(store: ObjectStore) -> None:
    # GIVEN several writers each storing a different complete payload under one key
    size = 256 * 1024
    payloads = {sha(bytes([n]) * size): bytes([n]) * size for n in range(4)}
    store.put_bytes(KEY, next(iter(payloads.values())))
    errors: list[BaseException] = []
    done = threading.Event()

    def write(payload: bytes) -> None:
        try:
            for _ in range(5):
                store.put_bytes(KEY, payload)
        except BaseException as e:  # collected: a thread's exception would otherwise vanish
            errors.append(e)

    def read() -> None:
        try:
            while not done.is_set():
                # THEN a reader always sees one whole payload, never a mix or a prefix
                assert sha(store.get_bytes(KEY)) in payloads
        except BaseException as e:
            errors.append(e)

    writers = [threading.Thread(target=write, args=(p,)) for p in payloads.values()]
    reader = threading.Thread(target=read)
    # WHEN they all write at once while a reader keeps reading
    reader.start()
    for thread in writers:
        thread.start()
    for thread in writers:
        thread.join()
    done.set()
    reader.join()
    assert errors == []
    assert store.checksum(KEY) in payloads
    assert list(store.iter_keys()) == [KEY]


def test_crashed_writer_temp_file_is_hidden_and_cleaned(tmp_path: Path) -> None:
    # GIVEN a directory store where a writer crashed mid-write, leaving a temp file
    store = DirectoryStore(tmp_path / "objects")
    store.put_bytes(KEY, b"done")
    stale = store.root / ".tmp" / "deadbeef.part"
    stale.write_bytes(b"half a sca")
    hour_ago = time.time() - 3600
    os.utime(stale, (hour_ago, hour_ago))
    fresh = store.root / ".tmp" / "inflight.part"
    fresh.write_bytes(b"being written")
    # WHEN keys are listed THEN the temp files are not among them
    assert list(store.iter_keys()) == [KEY]
    # WHEN stale temp files are cleaned THEN only the old one goes; a live write's stays
    assert store.cleanup_temp(older_than_s=600) == 1
    assert not stale.exists()
    assert fresh.exists()


def test_delete_prunes_empty_folders(tmp_path: Path) -> None:
    # GIVEN a directory store with one object deep in folders WHEN it is deleted
    store = DirectoryStore(tmp_path / "objects")
    store.put_bytes(KEY, b"x")
    store.delete(KEY)
    # THEN no empty folder is left behind (only the store's own temp folder)
    assert [p.name for p in store.root.iterdir()] == [".tmp"]


# --- failures -------------------------------------------------------------------------------


def test_unreachable_s3_server_is_a_clear_store_error() -> None:
    # GIVEN an S3 endpoint where nothing listens
    port = free_ports(1)[0]
    # WHEN a store is opened on it
    started = time.monotonic()
    with pytest.raises(ObjectStoreError) as caught:
        S3Store(f"127.0.0.1:{port}", "key", "secret-key", "tabian", connect_timeout_s=1)
    # THEN the error says the store is unreachable, and where, without a long hang
    assert f"object store unreachable at http://127.0.0.1:{port}" in str(caught.value)
    assert time.monotonic() - started < 15


@pytest.mark.s3
def test_s3_server_going_down_is_a_clear_store_error() -> None:
    # GIVEN a store opened on a server of its own, which then stops
    with s3_server() as (endpoint, access_key, secret_key):
        store = S3Store(endpoint, access_key, secret_key, "tabian-down", connect_timeout_s=1)
        store.put_bytes(KEY, b"x")
    # WHEN the store is used THEN every call fails with ObjectStoreError naming the endpoint
    for call in (
        lambda: store.get_bytes(KEY),
        lambda: store.put_bytes(KEY, b"y"),
        lambda: list(store.iter_keys()),
        lambda: store.delete(KEY),
    ):
        with pytest.raises(ObjectStoreError, match=f"unreachable at http://{endpoint}"):
            call()
    store.close()


def test_directory_store_on_an_unusable_root_is_a_store_error(tmp_path: Path) -> None:
    # GIVEN a root path that is a file, not a folder WHEN a store is opened THEN ObjectStoreError
    root = tmp_path / "file"
    root.write_bytes(b"")
    with pytest.raises(ObjectStoreError, match="not usable"):
        DirectoryStore(root)
