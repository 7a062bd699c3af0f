"""Our real answers validated against Mastodon's OpenAPI description of its entities.

Mastodon clients are written against these shapes; a field of the wrong type or a
missing required one breaks them in ways no unit test of ours would notice. Endpoints
that are not there yet are skipped, by name, so the test grows with the API.
"""

from __future__ import annotations

import copy
import json
import re
import secrets
from collections.abc import Callable, Iterator
from datetime import datetime
from typing import Any
from urllib.parse import quote, urlsplit

import httpx
import pytest
from jsonschema import Draft202012Validator, FormatChecker
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from tests.conftest import User
from tests.databases import MASTODON_SPEC
from tests.servers import Server

SPEC_PATH = MASTODON_SPEC
if not SPEC_PATH.exists():
    pytest.skip(f"no Mastodon OpenAPI description at {SPEC_PATH}", allow_module_level=True)

SPEC_URI = "urn:mastodon-openapi"


def _relaxed(spec: dict[str, Any]) -> dict[str, Any]:
    """The spec with the few places where it, not Mastodon, is wrong, made right.

    Each change is one field, and says what Mastodon really sends.
    """
    spec = copy.deepcopy(spec)
    schemas = spec["components"]["schemas"]
    # Mastodon sends "" when the operator set no contact address; "" is no e-mail format.
    schemas["V1Instance"]["properties"]["email"].pop("format", None)
    schemas["Instance"]["properties"]["contact"]["properties"]["email"].pop("format", None)
    # Mastodon sends null until the operator first saves an extended description.
    schemas["ExtendedDescription"]["properties"]["updated_at"]["type"] = ["string", "null"]

    # Documented as "List of [V1::Filter]", described as a single one.
    v1_filters = spec["paths"]["/api/v1/filters"]["get"]["responses"]["200"]["content"]
    v1_filters["application/json"]["schema"] = {
        "type": "array",
        "items": {"$ref": "#/components/schemas/V1Filter"},
    }

    # Quote and ShallowQuote differ only in optional fields, so any quote matches both
    # and "oneOf" can never pass: either will do.
    def any_quote(node: Any) -> None:
        if isinstance(node, dict):
            options = node.get("oneOf")
            refs = {o.get("$ref", "") for o in options or [] if isinstance(o, dict)}
            if {"#/components/schemas/Quote", "#/components/schemas/ShallowQuote"} <= refs:
                node["anyOf"] = node.pop("oneOf")
            for value in node.values():
                any_quote(value)
        elif isinstance(node, list):
            for value in node:
                any_quote(value)

    any_quote(schemas)
    return spec


SPEC: dict[str, Any] = _relaxed(json.loads(SPEC_PATH.read_text(encoding="utf-8")))
SCHEMAS: dict[str, Any] = SPEC["components"]["schemas"]
REGISTRY: Registry[Any] = Registry().with_resource(
    SPEC_URI, Resource.from_contents(SPEC, default_specification=DRAFT202012)
)

# jsonschema checks neither of these formats without optional packages; our own checks
# say what Mastodon clients rely on.
FORMATS = FormatChecker()
_DATE_TIME = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)")


@FORMATS.checks("date-time", raises=ValueError)
def _date_time(value: object) -> bool:
    if isinstance(value, str):
        if not _DATE_TIME.fullmatch(value):
            raise ValueError(f"{value!r} is not an RFC 3339 timestamp")
        datetime.fromisoformat(value)
    return True


@FORMATS.checks("uri", raises=ValueError)
def _uri(value: object) -> bool:
    if isinstance(value, str):
        parts = urlsplit(value)
        web = parts.scheme in ("http", "https", "ws", "wss")
        if not re.fullmatch(r"[a-z][a-z0-9+.-]*", parts.scheme) or (web and not parts.netloc):
            raise ValueError(f"{value!r} is not an absolute URI")
    return True


def mismatches(pointer: str, instance: object) -> list[str]:
    """Every way ``instance`` differs from the schema at ``pointer`` in the spec."""
    validator = Draft202012Validator(
        {"$ref": f"{SPEC_URI}#{quote(pointer)}"}, registry=REGISTRY, format_checker=FORMATS
    )
    return [
        f"{'/'.join(str(p) for p in error.absolute_path) or '(root)'}: {error.message[:300]}"
        for error in validator.iter_errors(instance)
    ]


def conforms(name: str, instance: object) -> None:
    """Fail with every mismatch between ``instance`` and the spec's schema ``name``."""
    assert name in SCHEMAS, f"the spec has no schema {name}"
    problems = mismatches(f"/components/schemas/{name}", instance)
    assert not problems, f"{name} does not match the spec:\n" + "\n".join(problems)


def _generic(path: str) -> str:
    return re.sub(r"\{[^}]+\}", "{}", path)


# The spec's answer schema for each GET, keyed by the path with its parameters unnamed.
SPEC_GETS: dict[str, str] = {
    _generic(path): "/".join(
        [
            "",
            "paths",
            path.replace("~", "~0").replace("/", "~1"),
            "get",
            "responses",
            "200",
            "content",
            "application~1json",
            "schema",
        ]
    )
    for path, operations in SPEC["paths"].items()
    if (
        operations.get("get", {})
        .get("responses", {})
        .get("200", {})
        .get("content", {})
        .get("application/json", {})
        .get("schema")
    )
}


# --- fixtures -----------------------------------------------------------------------


@pytest.fixture
def http(server: Server) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server.url, timeout=30) as client:
        yield client


@pytest.fixture(scope="module")
def our_paths(server: Server) -> dict[str, set[str]]:
    """Which routes the server has, from its own OpenAPI description."""
    paths = httpx.get(f"{server.url}/openapi.json", timeout=30).json()["paths"]
    return {
        re.sub(r"\{[^}]+\}", "{id}", path): {m.upper() for m in methods}
        for path, methods in paths.items()
    }


@pytest.fixture
def needs(our_paths: dict[str, set[str]]) -> Callable[..., None]:
    def check(*routes: str) -> None:
        for route in routes:
            method, path = route.split(" ", 1)
            if method not in our_paths.get(path, set()):
                pytest.skip(f"{route} is not there yet")

    return check


def auth(user: User) -> dict[str, str]:
    return {"Authorization": f"Bearer {user.api.access_token}"}


def ok(response: httpx.Response) -> Any:
    assert response.status_code == 200, f"{response.request.url}: {response.text}"
    return response.json()


# --- accounts, apps, tokens, instance ------------------------------------------------


def test_account_and_credential_account(http: httpx.Client, make_user: Callable[..., User]) -> None:
    user = make_user(
        display_name="عائشہ ✨",
        note="لکھاری، #اردو\n\nhttps://example.org",
        fields=[("site", "https://example.org"), ("شہر", "لاہور")],
    )
    conforms(
        "CredentialAccount", ok(http.get("/api/v1/accounts/verify_credentials", headers=auth(user)))
    )
    conforms("Account", ok(http.get(f"/api/v1/accounts/{user.id}")))
    conforms("Account", ok(http.get("/api/v1/accounts/lookup", params={"acct": user.username})))
    updated = http.patch(
        "/api/v1/accounts/update_credentials",
        headers=auth(user),
        data={"locked": "true", "bot": "1"},
    )
    conforms("CredentialAccount", ok(updated))


def test_applications_and_tokens(http: httpx.Client) -> None:
    registered = ok(
        http.post(
            "/api/v1/apps",
            data={
                "client_name": "Spec check",
                "redirect_uris": "urn:ietf:wg:oauth:2.0:oob",
                "scopes": "read write",
                "website": "https://app.example",
            },
        )
    )
    conforms("CredentialApplication", registered)
    conforms("Application", registered)
    token = ok(
        http.post(
            "/oauth/token",
            data={
                "grant_type": "client_credentials",
                "client_id": registered["client_id"],
                "client_secret": registered["client_secret"],
            },
        )
    )
    conforms("Token", token)
    checked = http.get(
        "/api/v1/apps/verify_credentials",
        headers={"Authorization": f"Bearer {token['access_token']}"},
    )
    conforms("Application", ok(checked))


def test_instance(http: httpx.Client, make_user: Callable[..., User]) -> None:
    make_user()
    conforms("Instance", ok(http.get("/api/v2/instance")))
    if "V1Instance" in SCHEMAS:
        conforms("V1Instance", ok(http.get("/api/v1/instance")))
    for rule in ok(http.get("/api/v1/instance/rules")):
        conforms("Rule", rule)
    conforms("ExtendedDescription", ok(http.get("/api/v1/instance/extended_description")))
    conforms(
        "DiscoverOauthServerConfigurationResponse",
        ok(http.get("/.well-known/oauth-authorization-server")),
    )


def test_errors(http: httpx.Client, make_user: Callable[..., User]) -> None:
    missing = http.get("/api/v1/accounts/1")
    assert missing.status_code == 404
    conforms("Error", missing.json())
    unauthorised = http.get("/api/v1/accounts/verify_credentials")
    assert unauthorised.status_code == 401
    conforms("Error", unauthorised.json())
    oauth = http.post("/oauth/token", data={"grant_type": "password"})
    assert oauth.status_code == 401
    conforms("Error", oauth.json())
    user = make_user()
    invalid = http.patch(
        "/api/v1/accounts/update_credentials", headers=auth(user), data={"display_name": "x" * 200}
    )
    assert invalid.status_code == 422
    conforms("ValidationError", invalid.json())


# --- the rest of the API, as it appears ------------------------------------------------


@pytest.fixture
def thread(
    http: httpx.Client, make_user: Callable[..., User], needs: Callable[..., None]
) -> dict[str, Any]:
    """Alice posts with a mention, a tag and a link; Bob replies, reposts and quotes."""
    needs("POST /api/v1/statuses")
    alice, bob = make_user("alice"), make_user("bob")
    tag = f"spec{secrets.token_hex(3)}"
    post = ok(
        http.post(
            "/api/v1/statuses",
            headers=auth(alice),
            data={
                "status": f"سلام @{bob.username} #{tag} https://example.org/page",
                "language": "ur",
            },
        )
    )
    reply = ok(
        http.post(
            "/api/v1/statuses",
            headers=auth(bob),
            data={"status": f"@{alice.username} ہاں!", "in_reply_to_id": post["id"]},
        )
    )
    return {"alice": alice, "bob": bob, "tag": tag, "post": post, "reply": reply}


def test_statuses(http: httpx.Client, thread: dict[str, Any], needs: Callable[..., None]) -> None:
    post, reply, bob = thread["post"], thread["reply"], thread["bob"]
    conforms("Status", post)
    assert post["mentions"] and post["tags"]
    conforms("Status", reply)
    assert reply["in_reply_to_id"] == post["id"]
    needs("GET /api/v1/statuses/{id}")
    conforms("Status", ok(http.get(f"/api/v1/statuses/{post['id']}", headers=auth(bob))))


def test_repost(http: httpx.Client, thread: dict[str, Any], needs: Callable[..., None]) -> None:
    needs("POST /api/v1/statuses/{id}/reblog")
    bob = thread["bob"]
    repost = ok(http.post(f"/api/v1/statuses/{thread['post']['id']}/reblog", headers=auth(bob)))
    conforms("Status", repost)
    assert repost["reblog"]["id"] == thread["post"]["id"]


def test_quote(http: httpx.Client, thread: dict[str, Any]) -> None:
    bob, post = thread["bob"], thread["post"]
    answer = http.post(
        "/api/v1/statuses",
        headers=auth(bob),
        data={"status": "دیکھیے", "quoted_status_id": post["id"]},
    )
    quote = ok(answer)
    conforms("Status", quote)
    if quote.get("quote") is None:
        pytest.skip("quotes are not supported yet (the post was made without one)")
    conforms("Quote", quote["quote"])


def test_context(http: httpx.Client, thread: dict[str, Any], needs: Callable[..., None]) -> None:
    needs("GET /api/v1/statuses/{id}/context")
    context = ok(
        http.get(f"/api/v1/statuses/{thread['reply']['id']}/context", headers=auth(thread["alice"]))
    )
    conforms("Context", context)
    assert [s["id"] for s in context["ancestors"]] == [thread["post"]["id"]]


def test_edits_and_source(
    http: httpx.Client, thread: dict[str, Any], needs: Callable[..., None]
) -> None:
    needs("PUT /api/v1/statuses/{id}")
    alice, post = thread["alice"], thread["post"]
    edited = ok(
        http.put(
            f"/api/v1/statuses/{post['id']}",
            headers=auth(alice),
            data={"status": "سلام، دوبارہ", "spoiler_text": "ترمیم"},
        )
    )
    conforms("Status", edited)
    assert edited["edited_at"]
    needs("GET /api/v1/statuses/{id}/history", "GET /api/v1/statuses/{id}/source")
    history = ok(http.get(f"/api/v1/statuses/{post['id']}/history", headers=auth(alice)))
    assert len(history) >= 2
    for version in history:
        conforms("StatusEdit", version)
    conforms(
        "StatusSource", ok(http.get(f"/api/v1/statuses/{post['id']}/source", headers=auth(alice)))
    )


def test_relationships(
    http: httpx.Client,
    make_user: Callable[..., User],
    needs: Callable[..., None],
    our_paths: dict[str, set[str]],
) -> None:
    needs("GET /api/v1/accounts/relationships")
    one, other = make_user(), make_user()
    if "POST" in our_paths.get("/api/v1/accounts/{id}/follow", set()):
        followed = http.post(f"/api/v1/accounts/{other.id}/follow", headers=auth(one))
        conforms("Relationship", ok(followed))
    answer = ok(
        http.get(
            "/api/v1/accounts/relationships", headers=auth(one), params={"id[]": [other.id, one.id]}
        )
    )
    assert [r["id"] for r in answer] == [other.id, one.id]
    for relationship in answer:
        conforms("Relationship", relationship)


def test_notifications(
    http: httpx.Client, thread: dict[str, Any], needs: Callable[..., None]
) -> None:
    needs("GET /api/v1/notifications")
    alice = thread["alice"]
    # Notifications may come from the job worker: wait for them, boundedly.
    notifications: list[Any] = []
    for _ in range(200):
        notifications = ok(http.get("/api/v1/notifications", headers=auth(alice)))
        if notifications:
            break
    assert notifications, "the reply to alice made no notification"
    for notification in notifications:
        conforms("Notification", notification)


def test_markers(http: httpx.Client, thread: dict[str, Any], needs: Callable[..., None]) -> None:
    needs("GET /api/v1/markers", "POST /api/v1/markers")
    alice = thread["alice"]
    saved = ok(
        http.post(
            "/api/v1/markers",
            headers=auth(alice),
            data={"home[last_read_id]": thread["post"]["id"]},
        )
    )
    conforms("Marker", saved["home"])
    markers = ok(
        http.get(
            "/api/v1/markers", headers=auth(alice), params={"timeline[]": ["home", "notifications"]}
        )
    )
    conforms("Marker", markers["home"])


def test_search(http: httpx.Client, thread: dict[str, Any], needs: Callable[..., None]) -> None:
    needs("GET /api/v2/search")
    for query in (thread["tag"], thread["bob"].username, "سلام"):
        conforms(
            "Search",
            ok(http.get("/api/v2/search", headers=auth(thread["alice"]), params={"q": query})),
        )


def test_timelines(http: httpx.Client, thread: dict[str, Any], needs: Callable[..., None]) -> None:
    needs("GET /api/v1/timelines/home", "GET /api/v1/timelines/public")
    for path in (
        "/api/v1/timelines/home",
        "/api/v1/timelines/public",
        f"/api/v1/timelines/tag/{thread['tag']}",
    ):
        answer = http.get(path, headers=auth(thread["alice"]))
        if answer.status_code == 404:
            continue
        for status in ok(answer):
            conforms("Status", status)


def test_the_validator_catches_mismatches(
    http: httpx.Client, make_user: Callable[..., User]
) -> None:
    """Guard the guard: a broken copy of a real answer must fail."""
    account = ok(http.get(f"/api/v1/accounts/{make_user().id}"))
    conforms("Account", account)
    for broken in (
        {k: v for k, v in account.items() if k != "acct"},
        {**account, "followers_count": "3"},
        {**account, "created_at": "yesterday"},
        {**account, "avatar": "/relative/path.png"},
        {**account, "fields": [{"name": "x"}]},
    ):
        with pytest.raises(AssertionError, match="does not match the spec"):
            conforms("Account", broken)


def test_interactions(
    http: httpx.Client, thread: dict[str, Any], needs: Callable[..., None]
) -> None:
    needs("POST /api/v1/statuses/{id}/favourite", "POST /api/v1/statuses/{id}/bookmark")
    bob, alice, post = thread["bob"], thread["alice"], thread["post"]
    for action in ("favourite", "bookmark"):
        acted = ok(http.post(f"/api/v1/statuses/{post['id']}/{action}", headers=auth(bob)))
        conforms("Status", acted)
        assert acted[f"{action}ed" if action == "bookmark" else "favourited"] is True
    pinned = http.post(f"/api/v1/statuses/{post['id']}/pin", headers=auth(alice))
    if pinned.status_code != 404:
        conforms("Status", ok(pinned))
    needs("DELETE /api/v1/statuses/{id}")
    deleted = ok(http.delete(f"/api/v1/statuses/{thread['reply']['id']}", headers=auth(bob)))
    conforms("Status", deleted)


def test_graph(
    http: httpx.Client, make_user: Callable[..., User], needs: Callable[..., None]
) -> None:
    needs(
        "POST /api/v1/accounts/{id}/follow",
        "POST /api/v1/accounts/{id}/block",
        "POST /api/v1/accounts/{id}/mute",
    )
    one, locked, other = make_user(), make_user(locked=True), make_user()
    requested = ok(http.post(f"/api/v1/accounts/{locked.id}/follow", headers=auth(one)))
    conforms("Relationship", requested)
    assert requested["requested"] is True
    conforms(
        "Relationship",
        ok(
            http.post(
                f"/api/v1/accounts/{other.id}/mute", headers=auth(one), data={"duration": "3600"}
            )
        ),
    )
    conforms("Relationship", ok(http.post(f"/api/v1/accounts/{other.id}/block", headers=auth(one))))
    for path in ("/api/v1/follow_requests",):
        for account in ok(http.get(path, headers=auth(locked))):
            conforms("Account", account)


def _path_values(thread: dict[str, Any], notification_id: str | None) -> dict[str, str | None]:
    return {
        "/api/v1/accounts/{}": thread["bob"].id,
        "/api/v1/statuses/{}": thread["post"]["id"],
        "/api/v1/notifications/{}": notification_id,
        "/api/v1/tags/{}": thread["tag"],
        "/api/v1/timelines/tag/{}": thread["tag"],
    }


def _query_for(path: str, thread: dict[str, Any]) -> dict[str, Any]:
    bob, post = thread["bob"], thread["post"]
    return {
        "/api/v1/accounts/relationships": {"id[]": [bob.id]},
        "/api/v1/accounts/familiar_followers": {"id[]": [bob.id]},
        "/api/v1/accounts/lookup": {"acct": bob.username},
        "/api/v1/accounts/search": {"q": bob.username},
        "/api/v2/search": {"q": thread["tag"]},
        "/api/v1/statuses": {"id[]": [post["id"]]},
        "/api/v1/markers": {"timeline[]": ["home", "notifications"]},
    }.get(_generic(path), {})


def test_every_get_answer_matches_the_spec(
    http: httpx.Client, thread: dict[str, Any], our_paths: dict[str, set[str]]
) -> None:
    """Every GET route we have that Mastodon documents answers in the documented shape."""
    alice = thread["alice"]
    notifications = http.get("/api/v1/notifications", headers=auth(alice))
    first = (
        notifications.json()[0]["id"]
        if notifications.status_code == 200 and (notifications.json())
        else None
    )
    values = _path_values(thread, first)
    problems: list[str] = []
    checked = 0
    for path, methods in sorted(our_paths.items()):
        generic = _generic(path)
        if "GET" not in methods or generic not in SPEC_GETS:
            continue
        concrete = path
        if "{id}" in path:
            prefix = generic.split("{}")[0] + "{}"
            value = values.get(prefix)
            if value is None:
                continue
            concrete = path.replace("{id}", quote(value, safe=""), 1)
            if "{id}" in concrete:
                continue
        answer = http.get(concrete, headers=auth(alice), params=_query_for(path, thread))
        if answer.status_code >= 500 or answer.status_code in (400, 401, 403):
            problems.append(f"GET {concrete}: {answer.status_code} {answer.text[:200]}")
            continue
        if answer.status_code != 200:
            problems += [
                f"GET {concrete}: {p}"
                for p in mismatches("/components/schemas/Error", answer.json())
            ]
            continue
        checked += 1
        problems += [f"GET {concrete}: {p}" for p in mismatches(SPEC_GETS[generic], answer.json())]
    assert checked >= 10
    assert not problems, "\n".join(problems)


def test_media(http: httpx.Client, make_user: Callable[..., User]) -> None:
    from tests.images import image_bytes

    user = make_user()
    picture = {"file": ("p.jpg", image_bytes(900, 300, "JPEG"), "image/jpeg")}
    media = ok(http.post("/api/v2/media", headers=auth(user), files=picture,
                         data={"description": "ایک تصویر", "focus": "0.1,-0.2"}))  # fmt: skip
    conforms("MediaAttachment", media)
    conforms("MediaAttachment", ok(http.post("/api/v1/media", headers=auth(user), files=picture)))
    conforms("MediaAttachment", ok(http.get(f"/api/v1/media/{media['id']}", headers=auth(user))))
    conforms("MediaAttachment", ok(http.put(f"/api/v1/media/{media['id']}", headers=auth(user),
                                            data={"description": "alt"})))  # fmt: skip
    post = ok(http.post("/api/v1/statuses", headers=auth(user),
                        data={"status": "", "media_ids[]": media["id"]}))  # fmt: skip
    conforms("Status", post)
    in_use = http.delete(f"/api/v1/media/{media['id']}", headers=auth(user))
    assert in_use.status_code == 422
    conforms("Error", in_use.json())
    refused = http.post("/api/v2/media", headers=auth(user),
                        files={"file": ("a.png", b"text", "image/png")})  # fmt: skip
    assert refused.status_code == 422
    conforms("ValidationError", refused.json())
    avatar = {"avatar": ("a.png", image_bytes(300, 300), "image/png")}
    updated = http.patch("/api/v1/accounts/update_credentials", headers=auth(user), files=avatar)
    conforms("CredentialAccount", ok(updated))
