"""The local blob store: keys cannot leave its directory, files come back as written."""

from __future__ import annotations

from pathlib import Path

import pytest

from townsquare.storage.blobs import BadKey, LocalBlobStore, check_key, content_type_of


@pytest.mark.parametrize(
    "key",
    ["", "..", ".", "../x.png", "a/../../x.png", "/etc/passwd", "a//b.png", "a\\b.png",
     "a/b/c/d/e/f/g.png", ".hidden/x.png", "a/%2e%2e/x.png", "a/b c.png", "ü.png"],
)  # fmt: skip
def test_bad_keys_are_refused(key: str, tmp_path: Path) -> None:
    with pytest.raises(BadKey):
        check_key(key)
    store = LocalBlobStore(tmp_path / "media", "https://example.org/media")
    assert store.get(key) is None
    store.delete(key)  # nothing to do, and no error
    with pytest.raises(BadKey):
        store.put(key, b"x")


def test_put_get_delete(tmp_path: Path) -> None:
    store = LocalBlobStore(tmp_path, "https://example.org/media/")
    url = store.put("attachments/1/abc.webp", b"RIFF....WEBP")
    assert url == "https://example.org/media/attachments/1/abc.webp"
    assert store.key_of(url) == "attachments/1/abc.webp"
    blob = store.get("attachments/1/abc.webp")
    assert blob is not None and blob.data == b"RIFF....WEBP"
    assert blob.content_type == "image/webp"
    assert [p.name for p in (tmp_path / "attachments" / "1").iterdir()] == ["abc.webp"]
    store.delete("attachments/1/abc.webp")
    assert store.get("attachments/1/abc.webp") is None
    assert store.get("attachments/1") is None  # a directory is no blob


def test_key_of_only_knows_its_own_urls(tmp_path: Path) -> None:
    store = LocalBlobStore(tmp_path, "https://example.org/media")
    assert store.key_of("https://other.example/media/a/b/c.png") is None
    assert store.key_of("https://example.org/media/../secret.png") is None
    assert store.key_of("") is None


def test_content_types() -> None:
    assert content_type_of("a/b/c.JPG") == "image/jpeg"
    assert content_type_of("a/b/c.png") == "image/png"
    assert content_type_of("a/b/c.svg") == "application/octet-stream"
