"""Where uploaded materials' bytes live, behind one small interface: a folder on disk (the default) or an
S3-compatible store (boto3) when MATERIALS_S3_BUCKET is set. Keys are random (`new_key`), never a name a person
sent, and every store refuses any other shape of key, so no uploaded name or path ever reaches the disk."""

from __future__ import annotations

import os
import re
import secrets
import tempfile
from collections.abc import AsyncIterator
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from anyio import to_thread

from events_app.core.settings import MaterialSettings, current_settings

if TYPE_CHECKING:
    from mypy_boto3_s3.client import S3Client

KEY_SHAPE = re.compile(r"[0-9a-f]{32}")
CHUNK = 256 * 1024


class StoredObjectMissing(Exception):
    """The store has nothing under this key."""


def new_key() -> str:
    """128 random bits, in hex: the only kind of key a store accepts."""
    return secrets.token_hex(16)


def checked_key(key: str) -> str:
    if not KEY_SHAPE.fullmatch(key):
        raise ValueError("A storage key is 32 hexadecimal characters")
    return key


class MaterialStore(Protocol):
    async def put(self, key: str, data: bytes, content_type: str) -> None: ...
    async def get(self, key: str) -> bytes: ...
    async def delete(self, key: str) -> None: ...
    def stream(self, key: str) -> AsyncIterator[bytes]: ...


class LocalStore:
    """Files under one folder, two hex characters of the key as a subfolder (no folder grows too large)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def _path(self, key: str) -> Path:
        key = checked_key(key)
        return self.folder / key[:2] / key

    def _write(self, key: str, data: bytes) -> None:
        path = self._path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=".upload-")
        try:
            with os.fdopen(descriptor, "wb") as file:
                file.write(data)
            os.replace(temporary, path)  # whole or not at all
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise

    async def put(self, key: str, data: bytes, content_type: str) -> None:
        await to_thread.run_sync(self._write, key, data)

    def _read(self, key: str) -> bytes:
        try:
            return self._path(key).read_bytes()
        except FileNotFoundError:
            raise StoredObjectMissing(key) from None

    async def get(self, key: str) -> bytes:
        return await to_thread.run_sync(self._read, key)

    async def delete(self, key: str) -> None:
        await to_thread.run_sync(lambda: self._path(key).unlink(missing_ok=True))

    async def stream(self, key: str) -> AsyncIterator[bytes]:
        path = self._path(key)
        try:
            file = await to_thread.run_sync(path.open, "rb")
        except FileNotFoundError:
            raise StoredObjectMissing(key) from None
        try:
            while chunk := await to_thread.run_sync(file.read, CHUNK):
                yield chunk
        finally:
            file.close()


class S3Store:
    """Objects in one bucket of an S3-compatible store; boto3's blocking calls run in worker threads."""

    def __init__(self, bucket: str, *, endpoint_url: str = "", region: str = "") -> None:
        import boto3

        self.bucket = bucket
        self.client: S3Client = boto3.client("s3", endpoint_url=endpoint_url or None, region_name=region or None)

    def _missing(self, exc: Exception) -> bool:
        error = getattr(exc, "response", {}).get("Error", {})
        return str(error.get("Code", "")) in {"NoSuchKey", "404", "NotFound"}

    async def put(self, key: str, data: bytes, content_type: str) -> None:
        await to_thread.run_sync(
            lambda: self.client.put_object(
                Bucket=self.bucket, Key=checked_key(key), Body=data, ContentType=content_type
            )
        )

    def _body(self, key: str) -> Any:
        try:
            return self.client.get_object(Bucket=self.bucket, Key=checked_key(key))["Body"]
        except self.client.exceptions.ClientError as exc:
            if self._missing(exc):
                raise StoredObjectMissing(key) from None
            raise

    async def get(self, key: str) -> bytes:
        body = await to_thread.run_sync(self._body, key)
        try:
            return bytes(await to_thread.run_sync(body.read))
        finally:
            body.close()

    async def delete(self, key: str) -> None:
        await to_thread.run_sync(lambda: self.client.delete_object(Bucket=self.bucket, Key=checked_key(key)))

    async def stream(self, key: str) -> AsyncIterator[bytes]:
        body = await to_thread.run_sync(self._body, key)
        try:
            while chunk := await to_thread.run_sync(body.read, CHUNK):
                yield bytes(chunk)
        finally:
            body.close()


@lru_cache(maxsize=8)
def _store(settings: MaterialSettings) -> MaterialStore:
    if settings.uses_s3:
        return S3Store(settings.s3_bucket, endpoint_url=settings.s3_endpoint_url, region=settings.s3_region)
    return LocalStore(settings.folder)


def store() -> MaterialStore:
    """The store of the settings in use (one per configuration, made on first use)."""
    return _store(current_settings().materials)
