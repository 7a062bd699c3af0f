"""Media uploads through Mastodon.py: upload, describe, attach, edit, delete, profiles."""

from __future__ import annotations

import io
from collections.abc import Callable

import httpx
import pytest
from mastodon import Mastodon, MastodonAPIError, MastodonNotFoundError
from PIL import Image

from tests.conftest import User
from tests.images import bomb_png, gps_exif, image_bytes
from tests.servers import Server

MakeUser = Callable[..., User]


def status_code(error: MastodonAPIError) -> int:
    return int(error.args[1])


def upload(api: Mastodon, data: bytes | None = None, mime: str = "image/png", **kw: object) -> dict:
    return api.media_post(io.BytesIO(data or image_bytes(800, 600)), mime_type=mime,
                          file_name=kw.pop("file_name", "x.png"), **kw)  # type: ignore[arg-type]  # fmt: skip


def fetch(server: Server, url: str) -> httpx.Response:
    assert url.startswith(server.url)
    return httpx.get(url, timeout=30)


def delete_media(server: Server, user: User, media_id: str) -> httpx.Response:
    """Mastodon.py has no call for DELETE /api/v1/media/:id (Mastodon 4.4)."""
    headers = {"Authorization": f"Bearer {user.api.access_token}"}
    return httpx.delete(f"{server.url}/api/v1/media/{media_id}", headers=headers, timeout=30)


def test_upload_describe_post_and_serve(make_user: MakeUser, server: Server,
                                        anonymous: Mastodon) -> None:  # fmt: skip
    alice = make_user("m")
    media = upload(alice.api, image_bytes(1000, 500, "JPEG", exif=gps_exif()), "image/jpeg",
                   description="A red and blue flag", focus=(0.5, -0.25))  # fmt: skip
    assert media["type"] == "image"
    assert media["description"] == "A red and blue flag"
    assert media["meta"]["original"] == {"width": 1000, "height": 500, "size": "1000x500",
                                         "aspect": 2.0}  # fmt: skip
    assert media["meta"]["small"]["width"] == 640
    assert media["meta"]["focus"] == {"x": 0.5, "y": -0.25}
    assert len(media["blurhash"]) == 28

    served = fetch(server, media["url"])
    assert served.status_code == 200
    assert served.headers["content-type"] == "image/jpeg"
    assert served.headers["x-content-type-options"] == "nosniff"
    assert "max-age=31536000" in served.headers["cache-control"]
    assert b"TestCam" not in served.content and not dict(
        Image.open(io.BytesIO(served.content)).getexif()
    )
    assert Image.open(io.BytesIO(fetch(server, media["preview_url"]).content)).size == (640, 320)

    again = alice.api.media(media["id"])
    assert again["id"] == media["id"]
    changed = alice.api.media_update(media["id"], description="Now described better")
    assert changed["description"] == "Now described better"

    post = alice.api.status_post("", media_ids=[media["id"]])  # media alone is enough
    assert [m["id"] for m in post["media_attachments"]] == [media["id"]]
    assert post["media_attachments"][0]["description"] == "Now described better"
    seen = anonymous.status(post["id"])
    assert seen["media_attachments"][0]["url"] == media["url"]

    # attached: no longer changed or deleted through /media
    with pytest.raises(MastodonNotFoundError):
        alice.api.media_update(media["id"], description="sneaky")
    used = delete_media(server, alice, media["id"])
    assert used.status_code == 422 and "used by a status" in used.json()["error"]

    only_media = alice.api.account_statuses(alice.id, only_media=True)
    assert [s["id"] for s in only_media] == [post["id"]]


def test_edit_changes_media_and_records_the_edit(make_user: MakeUser) -> None:
    bob = make_user("m")
    first, second = upload(bob.api), upload(bob.api, image_bytes(50, 100))
    post = bob.api.status_post("two pictures", media_ids=[first["id"]])
    edited = bob.api.status_update(
        post["id"], "two pictures", media_ids=[first["id"], second["id"]]
    )
    assert [m["id"] for m in edited["media_attachments"]] == [first["id"], second["id"]]
    assert edited["edited_at"] is not None
    # read back (and from the cache keyed by the edit) it shows the new media
    assert len(bob.api.status(post["id"])["media_attachments"]) == 2
    trimmed = bob.api.status_update(post["id"], "two pictures", media_ids=[second["id"]])
    assert [m["id"] for m in trimmed["media_attachments"]] == [second["id"]]
    # the one taken off is an upload again, free for another post
    other = bob.api.status_post("again", media_ids=[first["id"]])
    assert other["media_attachments"][0]["id"] == first["id"]


def test_delete_unattached_media(make_user: MakeUser, server: Server) -> None:
    carol = make_user("m")
    media = upload(carol.api)
    deleted = delete_media(server, carol, media["id"])
    assert deleted.status_code == 200 and deleted.json() == {}
    with pytest.raises(MastodonNotFoundError):
        carol.api.media(media["id"])
    assert fetch(server, media["url"]).status_code == 404


def test_someone_elses_media_is_not_found(make_user: MakeUser, server: Server) -> None:
    owner, other = make_user("m"), make_user("m")
    media = upload(owner.api)
    with pytest.raises(MastodonNotFoundError):
        other.api.media(media["id"])
    with pytest.raises(MastodonNotFoundError):
        other.api.media_update(media["id"], description="mine now")
    assert delete_media(server, other, media["id"]).status_code == 404
    with pytest.raises(MastodonAPIError) as refused:
        other.api.status_post("stolen", media_ids=[media["id"]])
    assert status_code(refused.value) == 422


def test_too_many_media(make_user: MakeUser) -> None:
    dave = make_user("m")
    ids = [upload(dave.api, image_bytes(20, 20))["id"] for _ in range(5)]
    with pytest.raises(MastodonAPIError) as refused:
        dave.api.status_post("five", media_ids=ids)
    assert status_code(refused.value) == 422
    assert dave.api.status_post("four", media_ids=ids[:4])["media_attachments"]


@pytest.mark.parametrize(
    ("data", "name", "mime", "words"),
    [
        (b"just some text\n", "notes.png", "image/png", "not a supported image"),
        (image_bytes(300, 300, "PNG")[:500], "cut.png", "image/png", "could not be read"),
        (bomb_png(7000, 7000), "bomb.png", "image/png", "too many pixels"),
        (image_bytes(10, 10, "BMP"), "old.bmp", "image/bmp", "not a supported image"),
    ],
    ids=["text-named-png", "truncated", "bomb", "bmp"],
)
def test_bad_uploads_answer_422(make_user: MakeUser, data: bytes, name: str, mime: str,
                                words: str) -> None:  # fmt: skip
    erin = make_user("m")
    with pytest.raises(MastodonAPIError) as refused:
        upload(erin.api, data, mime, file_name=name)
    assert status_code(refused.value) == 422
    assert words in str(refused.value)


def test_upload_bad_parameters(make_user: MakeUser, server: Server) -> None:
    frank = make_user("m")
    headers = {"Authorization": f"Bearer {frank.api.access_token}"}
    with httpx.Client(base_url=server.url, headers=headers, timeout=30) as client:
        no_file = client.post("/api/v2/media", data={"description": "x"})
        assert no_file.status_code == 422 and "error" in no_file.json()
        long = client.post("/api/v2/media", files={"file": ("a.png", image_bytes(), "image/png")},
                           data={"description": "x" * 1501})  # fmt: skip
        assert long.status_code == 422 and "Description" in long.json()["error"]
        focus = client.post("/api/v2/media", files={"file": ("a.png", image_bytes(), "image/png")},
                            data={"focus": "2,0"})  # fmt: skip
        assert focus.status_code == 422
        too_big = b"\x00" * (17 * 1024 * 1024)
        big = client.post("/api/v2/media", files={"file": ("a.png", too_big, "image/png")})
        assert big.status_code in (413, 422) and "error" in big.json()
        unknown = client.get("/api/v1/media/123")
        assert unknown.status_code == 404
    picture = {"file": ("a.png", image_bytes(), "image/png")}
    anonymous = httpx.post(f"{server.url}/api/v2/media", files=picture, timeout=30)
    assert anonymous.status_code == 401


def test_media_paths_cannot_climb_out(server: Server) -> None:
    for path in ("/media/../../etc/passwd", "/media/%2e%2e/%2e%2e/passwd",
                 "/media/attachments/..%2f..%2f/x.png", "/media/a/b/.hidden"):  # fmt: skip
        answer = httpx.get(server.url + path, timeout=30)
        assert answer.status_code == 404, path


def test_avatar_and_header_upload(make_user: MakeUser, server: Server) -> None:
    gina = make_user("m")
    me = gina.api.account_update_credentials(
        avatar=image_bytes(900, 600, "JPEG", exif=gps_exif()), avatar_mime_type="image/jpeg",
        header=image_bytes(600, 600, "PNG"), header_mime_type="image/png",
        display_name="Gina",
    )  # fmt: skip
    assert me["display_name"] == "Gina"
    assert me["avatar"] == me["avatar_static"] and "/media/avatars/" in me["avatar"]
    assert "/media/headers/" in me["header"]
    avatar = Image.open(io.BytesIO(fetch(server, me["avatar"]).content))
    assert avatar.size == (400, 400) and not dict(avatar.getexif())
    assert Image.open(io.BytesIO(fetch(server, me["header"]).content)).size == (1500, 500)
    # the account everyone else reads shows the new picture at once
    assert gina.api.account(gina.id)["avatar"] == me["avatar"]
    replaced = gina.api.account_update_credentials(avatar=image_bytes(50, 50),
                                                   avatar_mime_type="image/png")  # fmt: skip
    assert replaced["avatar"] != me["avatar"]
    assert fetch(server, me["avatar"]).status_code == 404  # the old file is gone
    with pytest.raises(MastodonAPIError) as refused:
        gina.api.account_update_credentials(avatar=b"not an image", avatar_mime_type="image/png")
    assert status_code(refused.value) == 422
    assert gina.api.account_verify_credentials()["avatar"] == replaced["avatar"]

    # back to the default picture, and the file is gone
    headers = {"Authorization": f"Bearer {gina.api.access_token}"}
    with httpx.Client(base_url=server.url, headers=headers, timeout=30) as client:
        cleared = client.delete("/api/v1/profile/avatar")
        assert cleared.status_code == 200
        assert cleared.json()["avatar"].endswith("/avatars/original/missing.png")
        assert cleared.json()["header"] == me["header"]
        assert client.delete("/api/v1/profile/header").json()["header"].endswith("missing.png")
        assert client.delete("/api/v1/profile/avatar").status_code == 200  # again: no error
        assert client.delete("/api/v1/profile/other").status_code == 404
    assert fetch(server, replaced["avatar"]).status_code == 404
    assert gina.api.account(gina.id)["avatar"].endswith("/avatars/original/missing.png")


def test_instance_reports_media_limits(anonymous: Mastodon) -> None:
    configuration = anonymous.instance_v2()["configuration"]
    assert configuration["statuses"]["max_media_attachments"] == 4
    limits = configuration["media_attachments"]
    assert "image/webp" in limits["supported_mime_types"]
    assert limits["image_size_limit"] == 16 * 1024 * 1024
    assert limits["description_limit"] == 1500


def test_search_has_media_finds_posts_with_attachments(make_user: MakeUser) -> None:
    from tests.api.test_search_api import indexed, token

    hana = make_user("m")
    word = token()
    media = upload(hana.api)
    with_picture = hana.api.status_post(f"{word} with a picture", media_ids=[media["id"]])
    hana.api.status_post(f"{word} in words only")
    assert len(indexed(hana, word, 2)) == 2
    assert indexed(hana, f"{word} has:media", 1) == [with_picture["id"]]


def test_edit_describes_attached_media(make_user: MakeUser, server: Server) -> None:
    ines = make_user("m")
    media = upload(ines.api, description="first words")
    post = ines.api.status_post("described later", media_ids=[media["id"]])
    edited = ines.api.status_update(
        post["id"], "described later",
        media_attributes=[{"id": media["id"], "description": "better words", "focus": "0.5,0.5"}],
    )  # fmt: skip
    assert edited["media_attachments"][0]["description"] == "better words"
    assert edited["media_attachments"][0]["meta"]["focus"] == {"x": 0.5, "y": 0.5}
    assert edited["edited_at"] is not None
    assert ines.api.status(post["id"])["media_attachments"][0]["description"] == "better words"
    headers = {"Authorization": f"Bearer {ines.api.access_token}"}
    with httpx.Client(base_url=server.url, headers=headers, timeout=30) as client:
        # the form's way of saying it
        form = client.put(f"/api/v1/statuses/{post['id']}", data={
            "status": "described later", "media_ids[]": media["id"],
            "media_attributes[][id]": media["id"], "media_attributes[][description]": "third",
        })  # fmt: skip
        assert form.status_code == 200, form.text
        assert form.json()["media_attachments"][0]["description"] == "third"
        other = upload(make_user("m").api)
        stranger = client.put(f"/api/v1/statuses/{post['id']}", json={
            "status": "described later", "media_ids": [media["id"]],
            "media_attributes": [{"id": other["id"], "description": "not mine"}],
        })  # fmt: skip
        assert stranger.status_code == 422 and "error" in stranger.json()
        malformed = client.put(f"/api/v1/statuses/{post['id']}", json={
            "status": "described later", "media_attributes": ["just a string"],
        })  # fmt: skip
        assert malformed.status_code == 422
        too_long = client.put(f"/api/v1/statuses/{post['id']}", json={
            "status": "described later", "media_ids": [media["id"]],
            "media_attributes": [{"id": media["id"], "description": "x" * 1501}],
        })  # fmt: skip
        assert too_long.status_code == 422
