"""Filters v2 and v1 through Mastodon.py (httpx where Mastodon.py has no call), their
answers checked against Mastodon's spec, and their effect on timelines, threads and
notifications: ``filtered`` carries a FilterResult, a hide filter drops the post."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from typing import Any

import httpx
import pytest
from mastodon import Mastodon, MastodonAPIError, MastodonNotFoundError

from tests.api.test_spec_schemas import conforms
from tests.api.test_startup_endpoints import bearer, token_with
from tests.conftest import ClientApp, User
from tests.servers import Server


def _http(server: Server, user: User) -> httpx.Client:
    return httpx.Client(base_url=server.url, headers=bearer(user.api.access_token), timeout=30)


def test_v2_filters_round_trip(make_user: Callable[..., User], server: Server) -> None:
    user = make_user("fv2")
    api = user.api
    made = api.create_filter_v2(
        title="Fruit",
        context=["home", "public"],
        filter_action="warn",
        expires_in=3600,
        keywords_attributes=[
            {"keyword": "durian", "whole_word": True},
            {"keyword": "کتاب", "whole_word": False},
        ],
    )
    with _http(server, user) as http:
        raw = http.get(f"/api/v2/filters/{made['id']}").json()
    conforms("Filter", raw)
    assert raw["context"] == ["home", "public"] and raw["filter_action"] == "warn"
    assert [(k["keyword"], k["whole_word"]) for k in raw["keywords"]] == [
        ("durian", True),
        ("کتاب", False),
    ]
    assert raw["expires_at"] is not None
    assert [f["id"] for f in api.filters_v2()] == [made["id"]]

    durian, book = raw["keywords"]
    changed = api.update_filter_v2(
        made["id"],
        title="Fruit and books",
        filter_action="blur",
        keywords_attributes=[
            {"id": durian["id"], "keyword": "jackfruit"},
            {"id": book["id"], "_destroy": True},
            {"keyword": "kumquat", "whole_word": False},
        ],
    )
    assert changed["title"] == "Fruit and books" and changed["filter_action"] == "blur"
    assert [(k["keyword"], k["whole_word"]) for k in changed["keywords"]] == [
        ("jackfruit", True),
        ("kumquat", False),
    ]
    added = api.add_filter_keyword_v2(made["id"], "guava", whole_word=True)
    conforms("FilterKeyword", added)
    assert [k["keyword"] for k in api.filter_keywords_v2(made["id"])] == [
        "jackfruit",
        "kumquat",
        "guava",
    ]
    with _http(server, user) as http:
        shown = http.get(f"/api/v2/filters/keywords/{added['id']}").json()
        assert shown == {"id": added["id"], "keyword": "guava", "whole_word": True}
        edited = http.put(f"/api/v2/filters/keywords/{added['id']}", data={"keyword": "pear"})
        assert edited.json()["keyword"] == "pear"
        # a blank expires_in takes the expiry away
        cleared = http.put(f"/api/v2/filters/{made['id']}", json={"expires_in": ""})
        assert cleared.json()["expires_at"] is None
    api.delete_filter_keyword_v2(added["id"])

    post = make_user("fv2p").api.status_post("a post to filter")
    entry = api.add_filter_status_v2(made["id"], post["id"])
    conforms("FilterStatus", entry)
    assert entry["status_id"] == str(post["id"])
    assert api.filter_status_v2(entry["id"])["id"] == entry["id"]
    assert [e["id"] for e in api.filter_statuses_v2(made["id"])] == [entry["id"]]
    with _http(server, user) as http:
        for each in http.get("/api/v2/filters").json():
            conforms("Filter", each)
        for each in http.get(f"/api/v2/filters/{made['id']}/keywords").json():
            conforms("FilterKeyword", each)
        for each in http.get(f"/api/v2/filters/{made['id']}/statuses").json():
            conforms("FilterStatus", each)
        for each in http.get("/api/v1/filters").json():
            conforms("V1Filter", each)
        assert http.delete(f"/api/v2/filters/statuses/{entry['id']}").json() == {}
    assert api.filter_statuses_v2(made["id"]) == []

    api.delete_filter_v2(made["id"])
    assert api.filters_v2() == []
    with pytest.raises(MastodonNotFoundError):
        api.filter_v2(made["id"])


def test_keywords_attributes_as_a_form(make_user: Callable[..., User], server: Server) -> None:
    user = make_user("fform")
    with _http(server, user) as http:
        made = http.post(
            "/api/v2/filters",
            data={
                "title": "Form",
                "context[]": ["thread", "account"],
                "keywords_attributes[][keyword]": ["one", "two"],
                "keywords_attributes[][whole_word]": ["0", "1"],
            },
        )
        assert made.status_code == 200, made.text
        body = made.json()
        indexed = http.post(
            "/api/v2/filters",
            data={
                "title": "Indexed",
                "context[]": "home",
                "keywords_attributes[0][keyword]": "three",
                "keywords_attributes[1][keyword]": "four",
            },
        ).json()
    conforms("Filter", body)
    assert body["context"] == ["thread", "account"] and body["filter_action"] == "warn"
    assert [(k["keyword"], k["whole_word"]) for k in body["keywords"]] == [
        ("one", False),
        ("two", True),
    ]
    assert [k["keyword"] for k in indexed["keywords"]] == ["three", "four"]


def test_v1_filters_map_to_one_keyword_each(make_user: Callable[..., User]) -> None:
    api = make_user("fv1").api
    made = api.filter_create("durian", ["home", "notifications"], irreversible=True)
    conforms("V1Filter", dict(made))
    assert made["phrase"] == "durian" and made["irreversible"] is True
    assert made["whole_word"] is True
    v2 = api.filters_v2()
    assert [(f["title"], f["filter_action"]) for f in v2] == [("durian", "hide")]
    assert [f["id"] for f in api.filters()] == [made["id"]]
    assert api.filter(made["id"])["phrase"] == "durian"
    changed = api.filter_update(
        made["id"], phrase="jackfruit", irreversible=False, whole_word=False
    )
    assert (changed["phrase"], changed["irreversible"], changed["whole_word"]) == (
        "jackfruit",
        False,
        False,
    )
    assert api.filters_v2()[0]["filter_action"] == "warn"
    api.filter_delete(made["id"])
    assert api.filters() == [] and api.filters_v2() == []


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"title": "x", "context": ["home", "everywhere"]}, "context"),
        ({"title": "x", "context": []}, "context"),
        ({"title": "  ", "context": ["home"]}, "title"),
        ({"context": ["home"]}, "title"),
        ({"title": "x", "context": ["home"], "expires_in": "soon"}, "expires_in"),
        ({"title": "x", "context": ["home"], "expires_in": -60}, "expires_in"),
        ({"title": "x", "context": ["home"], "filter_action": "delete"}, "filter_action"),
        ({"title": "x", "context": ["home"], "keywords_attributes": [{"keyword": ""}]}, "keyword"),
        (
            {"title": "x", "context": ["home"], "keywords_attributes": ["bare"]},
            "keywords_attributes",
        ),
    ],
)
def test_bad_input_is_a_422_and_writes_nothing(
    make_user: Callable[..., User], server: Server, body: dict[str, Any], field: str
) -> None:
    user = make_user("fbad")
    with _http(server, user) as http:
        answer = http.post("/api/v2/filters", json=body)
        assert answer.status_code == 422, answer.text
        conforms("Error", answer.json())
        assert field in answer.text
        assert http.get("/api/v2/filters").json() == []


def test_someone_elses_filter_is_not_found(make_user: Callable[..., User], server: Server) -> None:
    owner, other = make_user("fown"), make_user("foth")
    made = owner.api.create_filter_v2(
        title="Mine", context=["home"], filter_action="warn",
        keywords_attributes=[{"keyword": "secret", "whole_word": True}],
    )  # fmt: skip
    post = owner.api.status_post("filtered by its owner")
    entry = owner.api.add_filter_status_v2(made["id"], post["id"])
    keyword_id = made["keywords"][0]["id"]
    with _http(server, other) as http:
        for method, path in [
            ("GET", f"/api/v2/filters/{made['id']}"),
            ("PUT", f"/api/v2/filters/{made['id']}"),
            ("DELETE", f"/api/v2/filters/{made['id']}"),
            ("GET", f"/api/v2/filters/{made['id']}/keywords"),
            ("POST", f"/api/v2/filters/{made['id']}/keywords"),
            ("GET", f"/api/v2/filters/keywords/{keyword_id}"),
            ("PUT", f"/api/v2/filters/keywords/{keyword_id}"),
            ("DELETE", f"/api/v2/filters/keywords/{keyword_id}"),
            ("GET", f"/api/v2/filters/{made['id']}/statuses"),
            ("POST", f"/api/v2/filters/{made['id']}/statuses"),
            ("GET", f"/api/v2/filters/statuses/{entry['id']}"),
            ("DELETE", f"/api/v2/filters/statuses/{entry['id']}"),
            ("GET", f"/api/v1/filters/{keyword_id}"),
            ("PUT", f"/api/v1/filters/{keyword_id}"),
            ("DELETE", f"/api/v1/filters/{keyword_id}"),
            ("GET", "/api/v2/filters/not-an-id"),
        ]:
            answer = http.request(method, path, data={"keyword": "x", "status_id": post["id"]})
            assert answer.status_code == 404, f"{method} {path}: {answer.text}"
            conforms("Error", answer.json())
    with _http(server, owner) as http:
        # a keyword id from someone else's filter in one's own keywords_attributes
        mine = owner.api.create_filter_v2(title="Other", context=["home"], filter_action="warn")
        theirs = other.api.create_filter_v2(
            title="Theirs", context=["home"], filter_action="warn",
            keywords_attributes=[{"keyword": "x"}],
        )  # fmt: skip
        answer = http.put(
            f"/api/v2/filters/{mine['id']}",
            json={"keywords_attributes": [{"id": theirs["keywords"][0]["id"], "_destroy": True}]},
        )
        assert answer.status_code == 404
    assert len(other.api.filter_v2(theirs["id"])["keywords"]) == 1
    assert owner.api.filter_v2(made["id"])["title"] == "Mine"


def test_scopes(make_user: Callable[..., User], server: Server, client_app: ClientApp) -> None:
    user = make_user("fscope")
    reading = token_with(server, client_app, user, ["read:filters"])
    other = token_with(server, client_app, user, ["read:statuses"])
    with httpx.Client(base_url=server.url, timeout=30) as http:
        assert http.get("/api/v2/filters", headers=bearer(reading)).status_code == 200
        assert http.get("/api/v2/filters", headers=bearer(other)).status_code == 403
        denied = http.post(
            "/api/v2/filters", headers=bearer(reading), json={"title": "x", "context": ["home"]}
        )
        assert denied.status_code == 403
        assert http.get("/api/v1/filters").status_code == 401


def test_filters_apply_to_home_public_threads_and_notifications(
    make_user: Callable[..., User], server: Server
) -> None:
    reader, author = make_user("frd"), make_user("fau")
    word = f"zq{secrets.token_hex(3)}"
    reader.api.account_follow(author.id)
    warned = author.api.status_post(f"about {word.upper()} today", visibility="public")
    spoiled = author.api.status_post("nothing", spoiler_text=f"{word} inside")
    hidden = author.api.status_post(f"hide{word}me and @{reader.username}")
    plain = author.api.status_post("a quiet post")
    boost = make_user("fbo")
    reader.api.account_follow(boost.id)
    boosted = boost.api.status_reblog(hidden["id"])
    hidden_reply = author.api.status_post(f"hide{word}me too", in_reply_to_id=plain["id"])
    warn = reader.api.create_filter_v2(
        title="Warned", context=["home", "public", "thread"], filter_action="warn",
        keywords_attributes=[{"keyword": word, "whole_word": True}],
    )  # fmt: skip
    hide = reader.api.create_filter_v2(
        title="Hidden", context=["home", "notifications", "thread"], filter_action="hide",
        keywords_attributes=[{"keyword": f"hide{word}", "whole_word": False}],
    )  # fmt: skip

    with _http(server, reader) as http:
        home = http.get("/api/v1/timelines/home", params={"limit": 40}).json()
        public = http.get("/api/v1/timelines/public", params={"limit": 40}).json()
        single = http.get(f"/api/v1/statuses/{hidden['id']}").json()
        notifications = http.get("/api/v1/notifications").json()
        account = http.get(f"/api/v1/accounts/{author.id}/statuses").json()
        context = http.get(f"/api/v1/statuses/{plain['id']}/context").json()
    by_id = {s["id"]: s for s in home}
    assert str(plain["id"]) in by_id and by_id[str(plain["id"])]["filtered"] == []
    assert str(hidden["id"]) not in by_id and str(boosted["id"]) not in by_id
    result = by_id[str(warned["id"])]["filtered"]
    assert [r["filter"]["id"] for r in result] == [warn["id"]]
    assert result[0]["keyword_matches"] == [word] and result[0]["status_matches"] is None
    for entity in result:
        conforms("FilterResult", entity)
    conforms("Status", by_id[str(warned["id"])])
    assert by_id[str(spoiled["id"])]["filtered"][0]["filter"]["title"] == "Warned"
    # public: the warn filter applies, the hide filter (not in public) does not
    public_ids = {s["id"]: s for s in public}
    assert str(hidden["id"]) in public_ids and public_ids[str(hidden["id"])]["filtered"] == []
    assert public_ids[str(warned["id"])]["filtered"][0]["filter"]["filter_action"] == "warn"
    # a post asked for by itself keeps its hide match, for the client to fold it
    actions = [r["filter"]["filter_action"] for r in single["filtered"]]
    assert actions == ["hide"] and single["filtered"][0]["filter"]["id"] == hide["id"]
    # the mention in a hidden post does not notify
    assert str(hidden["id"]) not in [n["status"]["id"] for n in notifications if n["status"]]
    # the account context is in neither filter
    assert all(s["filtered"] == [] for s in account)

    # a hidden reply leaves the thread
    assert context["descendants"] == []

    reader.api.delete_filter_v2(hide["id"])
    with _http(server, reader) as http:
        home = http.get("/api/v1/timelines/home", params={"limit": 40}).json()
        notifications = http.get("/api/v1/notifications").json()
        context = http.get(f"/api/v1/statuses/{plain['id']}/context").json()
    assert str(hidden["id"]) in {s["id"] for s in home}
    assert str(hidden["id"]) in [n["status"]["id"] for n in notifications if n["status"]]
    assert [s["id"] for s in context["descendants"]] == [str(hidden_reply["id"])]


def test_a_filter_with_an_expiry_applies_until_then(
    make_user: Callable[..., User], server: Server
) -> None:
    reader, author = make_user("fex"), make_user("fexa")
    reader.api.account_follow(author.id)
    word = f"zx{secrets.token_hex(3)}"
    post = author.api.status_post(f"{word} here")
    made = reader.api.create_filter_v2(
        title="Soon gone", context=["home"], filter_action="hide", expires_in=3600,
        keywords_attributes=[{"keyword": word}],
    )  # fmt: skip
    with _http(server, reader) as http:
        assert str(post["id"]) not in {s["id"] for s in http.get("/api/v1/timelines/home").json()}
    assert made["expires_at"] is not None
    # reaching the expiry needs a clock moved on: tests/domain/test_filters.py does that


def test_mastodon_py_raises_on_bad_filters(make_user: Callable[..., User]) -> None:
    api: Mastodon = make_user("fpy").api
    with pytest.raises(MastodonAPIError):
        api.create_filter_v2(title="", context=["home"], filter_action="warn")
