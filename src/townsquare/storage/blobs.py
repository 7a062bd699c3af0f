"""Where uploaded files live: a blob store, by key, behind a small interface.

Keys are relative paths of plain segments (``attachments/123/original.jpg``). The
local store keeps them under one directory (TOWNSQUARE_MEDIA_DIR) and our own server
serves them at ``/media/<key>``; another store (an object store with its own public
address, say) only has to implement ``BlobStore``.
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

# What a key may hold: short segments of safe characters, no dot-only segments.
_SEGMENT = re.compile(r"[A-Za-z0-9_-][A-Za-z0-9._-]{0,99}")
MAX_KEY_SEGMENTS = 6

CONTENT_TYPES = {
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "png": "image/png",
    "gif": "image/gif",
    "webp": "image/webp",
}


class BadKey(ValueError):
    """A key that is not one this store could have handed out."""


def check_key(key: str) -> str:
    parts = key.split("/")
    if not 1 <= len(parts) <= MAX_KEY_SEGMENTS or not all(
        _SEGMENT.fullmatch(part) and part.strip(".") for part in parts
    ):
        raise BadKey(key)
    return key


def content_type_of(key: str) -> str:
    return CONTENT_TYPES.get(key.rsplit(".", 1)[-1].lower(), "application/octet-stream")


@dataclass(frozen=True, slots=True)
class Blob:
    data: bytes
    content_type: str


class BlobStore(Protocol):
    def put(self, key: str, data: bytes) -> str:
        """Store ``data`` under ``key``; answers the public URL."""
        ...

    def get(self, key: str) -> Blob | None: ...

    def delete(self, key: str) -> None:
        """Remove a blob; one already gone is no error."""
        ...

    def key_of(self, url: str) -> str | None:
        """The key of a URL this store handed out, None for any other URL."""
        ...


class LocalBlobStore:
    """Files under ``root``, published under ``public_prefix`` (``<base>/media``)."""

    # identity, not value, equality: sites holding a store stay hashable and cheap to hash
    __slots__ = ("public_prefix", "root")

    def __init__(self, root: str | os.PathLike[str], public_prefix: str) -> None:
        self.root = Path(root)
        self.public_prefix = public_prefix.rstrip("/")

    def _path(self, key: str) -> Path:
        return self.root.joinpath(*check_key(key).split("/"))

    def put(self, key: str, data: bytes) -> str:
        path = self._path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        # written aside and renamed: a reader never sees half a file
        partial = path.with_name(f".{path.name}.{secrets.token_hex(4)}.part")
        partial.write_bytes(data)
        os.replace(partial, path)
        return f"{self.public_prefix}/{key}"

    def get(self, key: str) -> Blob | None:
        try:
            path = self._path(key)
        except BadKey:
            return None
        try:
            data = path.read_bytes()
        except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
            return None
        return Blob(data, content_type_of(key))

    def delete(self, key: str) -> None:
        with contextlib.suppress(FileNotFoundError, BadKey):
            self._path(key).unlink()

    def key_of(self, url: str) -> str | None:
        prefix = self.public_prefix + "/"
        if not url.startswith(prefix):
            return None
        try:
            return check_key(url[len(prefix) :])
        except BadKey:
            return None


def new_blob_name() -> str:
    """A file name nobody can guess: published URLs of unlisted posts' media stay private."""
    return secrets.token_urlsafe(12).replace("-", "x").replace("_", "y")
