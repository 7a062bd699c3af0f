"""Request parameters: every encoding clients use reads into one shape."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

import orjson
import pytest
from starlette.requests import Request

from townsquare.core.errors import ValidationFailed
from townsquare.http.params import MAX_BODY_BYTES, BadRequest, Params, PayloadTooLarge, read_params


def make_request(
    method: str = "POST", query: str = "", body: bytes = b"", content_type: str | None = None
) -> Request:
    headers = [(b"content-length", str(len(body)).encode())]
    if content_type:
        headers.append((b"content-type", content_type.encode()))
    scope = {
        "type": "http",
        "method": method,
        "path": "/api/v1/test",
        "raw_path": b"/api/v1/test",
        "query_string": query.encode(),
        "headers": headers,
    }
    sent = False

    async def receive() -> dict[str, Any]:
        nonlocal sent
        if sent:
            return {"type": "http.disconnect"}
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    return Request(scope, receive)


async def params_of_json(data: object) -> Params:
    return await read_params(make_request(body=orjson.dumps(data), content_type="application/json"))


async def params_of_form(pairs: list[tuple[str, str]]) -> Params:
    body = urlencode(pairs).encode()
    return await read_params(
        make_request(body=body, content_type="application/x-www-form-urlencoded")
    )


async def test_query_form_and_json_read_the_same() -> None:
    from_query = await read_params(make_request("GET", "status=hi&sensitive=true&limit=5"))
    from_form = await params_of_form([("status", "hi"), ("sensitive", "true"), ("limit", "5")])
    from_json = await params_of_json({"status": "hi", "sensitive": True, "limit": 5})
    for params in (from_query, from_form, from_json):
        assert params.get_str("status") == "hi"
        assert params.get_bool("sensitive") is True
        assert params.get_int("limit") == 5


async def test_multipart_bodies_are_read() -> None:
    boundary = "XyZ"
    body = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="status"\r\n\r\nسلام\r\n'
        f'--{boundary}\r\nContent-Disposition: form-data; name="media_ids[]"\r\n\r\n7\r\n'
        f'--{boundary}\r\nContent-Disposition: form-data; name="media_ids[]"\r\n\r\n8\r\n'
        f"--{boundary}--\r\n"
    ).encode()
    params = await read_params(
        make_request(body=body, content_type=f"multipart/form-data; boundary={boundary}")
    )
    assert params.get_str("status") == "سلام"
    assert params.get_id_list("media_ids") == [7, 8]


async def test_the_body_wins_over_the_query() -> None:
    request = make_request(
        query="visibility=public&spoiler_text=cw",
        body=orjson.dumps({"visibility": "private"}),
        content_type="application/json; charset=utf-8",
    )
    params = await read_params(request)
    assert params.get_str("visibility") == "private"
    assert params.get_str("spoiler_text") == "cw"


async def test_a_get_ignores_its_body() -> None:
    request = make_request("GET", "q=a", orjson.dumps({"q": "b"}), "application/json")
    assert (await read_params(request)).get_str("q") == "a"


async def test_lists_in_every_spelling() -> None:
    assert (await params_of_form([("ids[]", "1"), ("ids[]", "2")])).get_id_list("ids") == [1, 2]
    assert (await params_of_form([("ids", "1"), ("ids", "2")])).get_id_list("ids") == [1, 2]
    assert (await params_of_json({"ids": ["1", 2]})).get_id_list("ids") == [1, 2]
    assert (await params_of_json({"ids[]": ["3"]})).get_id_list("ids") == [3]
    assert (await params_of_json({"ids": []})).get_id_list("ids") == []
    assert (await params_of_form([])).get_str_list("ids") == []


async def test_nested_json_reads_like_bracketed_form_keys() -> None:
    params = await params_of_json(
        {
            "source": {"privacy": "unlisted", "sensitive": "1"},
            "poll": {"options": ["yes", "no"], "expires_in": "300"},
            "fields_attributes": {"0": {"name": "site", "value": "https://x.example"}},
        }
    )
    assert params.get_str("source[privacy]") == "unlisted"
    assert params.get_bool("source[sensitive]") is True
    assert params.get_str_list("poll[options]") == ["yes", "no"]
    assert params.get_int("poll[expires_in]") == 300
    assert params.get_str("fields_attributes[0][value]") == "https://x.example"
    assert params.has("source[privacy]") and params.has("poll[options]")
    assert not params.has("source")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("1", True),
        ("true", True),
        ("on", True),
        ("True", True),
        ("0", False),
        ("false", False),
        ("off", False),
        ("", False),
    ],
)
async def test_booleans_as_clients_spell_them(raw: str, expected: bool) -> None:
    assert (await params_of_form([("flag", raw)])).get_bool("flag") is expected


async def test_json_booleans_and_numbers() -> None:
    params = await params_of_json({"a": True, "b": 0, "c": 1, "d": None})
    assert params.get_bool("a") is True
    assert params.get_bool("b") is False
    assert params.get_bool("c") is True
    assert params.get_bool("d", True) is True
    assert params.get_bool("missing") is None


@pytest.mark.parametrize("value", ["maybe", "2", "yes please"])
async def test_a_bad_boolean_is_a_422_naming_the_parameter(value: str) -> None:
    params = await params_of_form([("locked", value)])
    with pytest.raises(ValidationFailed, match="locked") as caught:
        params.get_bool("locked")
    assert caught.value.status == 422
    assert caught.value.details == {"locked": ["ERR_INVALID"]}


async def test_wrong_json_types_are_422() -> None:
    params = await params_of_json(
        {"limit": "ten", "ids": [{"id": 1}], "n": True, "x": 1.5, "big": 1e300, "s": True}
    )
    with pytest.raises(ValidationFailed, match="limit"):
        params.get_bool("limit")
    for name in ("limit", "n", "x", "big"):
        with pytest.raises(ValidationFailed, match=name):
            params.get_int(name)
    with pytest.raises(ValidationFailed):
        params.get_str_list("ids")
    with pytest.raises(ValidationFailed):
        params.get_str("s")
    assert (await params_of_json({"limit": 7.0})).get_int("limit") == 7


async def test_integers_clamp_to_their_bounds() -> None:
    params = await params_of_form([("limit", "500"), ("low", "-3"), ("blank", "")])
    assert params.get_int("limit", 20, minimum=1, maximum=40) == 40
    assert params.get_int("low", 20, minimum=1, maximum=40) == 1
    assert params.get_int("blank", 20) == 20
    assert params.get_int("absent") is None


@pytest.mark.parametrize("value", ["abc", "1.5", "1e3", "9" * 5000, "9" * 30, "0x10"])
async def test_bad_integers_are_422(value: str) -> None:
    params = await params_of_form([("limit", value)])
    with pytest.raises(ValidationFailed, match="limit"):
        params.get_int("limit")


async def test_strings_have_a_length_limit() -> None:
    params = await params_of_form([("status", "x" * 501), ("note", "ok")])
    with pytest.raises(ValidationFailed, match="status is too long"):
        params.get_str("status", max_length=500)
    assert params.get_str("note", max_length=2) == "ok"
    assert params.get_str("absent", "fallback") == "fallback"


async def test_ids_that_do_not_parse_are_refused_unless_lenient() -> None:
    params = await params_of_form(
        [("max_id", "abc"), ("since_id", "12"), ("ids[]", "x"), ("account_id", "-3")]
    )
    assert params.get_id("max_id", lenient=True) is None
    with pytest.raises(ValidationFailed, match="max_id must be an id"):
        params.get_id("max_id")
    with pytest.raises(ValidationFailed, match="account_id"):
        params.get_id("account_id")
    assert params.get_id("since_id") == 12
    assert params.get_id("absent") is None
    with pytest.raises(ValidationFailed, match="ids"):
        params.get_id_list("ids")


async def test_malformed_json_is_a_400() -> None:
    with pytest.raises(BadRequest) as caught:
        await read_params(make_request(body=b'{"status": ', content_type="application/json"))
    assert caught.value.status == 400


@pytest.mark.parametrize("body", [b"[1, 2]", b'"text"', b"42", b"null"])
async def test_a_json_body_that_is_not_an_object_is_a_422(body: bytes) -> None:
    with pytest.raises(ValidationFailed):
        await read_params(make_request(body=body, content_type="application/json"))


async def test_an_empty_json_body_is_no_parameters() -> None:
    params = await read_params(make_request(body=b"  ", content_type="application/json"))
    assert params.raw("anything") is None


async def test_a_broken_multipart_body_is_a_400() -> None:
    request = make_request(body=b"--nope\r\ngarbage", content_type="multipart/form-data")
    with pytest.raises(BadRequest):
        await read_params(request)


async def test_nul_characters_are_refused() -> None:
    params = await params_of_json({"status": "a\x00b", "tags": ["ok", "x\x00"]})
    with pytest.raises(ValidationFailed, match="status must not contain NUL"):
        params.get_str("status")
    with pytest.raises(ValidationFailed, match="tags"):
        params.get_str_list("tags")


async def test_oversized_bodies_are_413_before_parsing() -> None:
    big = b'{"status": "' + b"x" * MAX_BODY_BYTES + b'"}'
    for content_type in ("application/json", "application/x-www-form-urlencoded"):
        with pytest.raises(PayloadTooLarge) as caught:
            await read_params(make_request(body=big, content_type=content_type))
        assert caught.value.status == 413
    # just under the cap is fine
    fits = urlencode({"status": "x" * (MAX_BODY_BYTES - 100)}).encode()
    params = await read_params(
        make_request(body=fits, content_type="application/x-www-form-urlencoded")
    )
    assert len(params.get_str("status", max_length=MAX_BODY_BYTES) or "") == MAX_BODY_BYTES - 100


async def test_a_form_with_too_many_fields_is_a_400() -> None:
    body = "&".join(f"f{i}=1" for i in range(1001)).encode()
    with pytest.raises(BadRequest):
        await read_params(make_request(body=body, content_type="application/x-www-form-urlencoded"))


async def test_form_values_decode_as_utf8() -> None:
    params = await params_of_form([("status", "سلام + دنیا & 100%")])
    assert params.get_str("status") == "سلام + دنیا & 100%"
    broken = await read_params(
        make_request(body=b"status=%FF%FE", content_type="application/x-www-form-urlencoded")
    )
    assert broken.get_str("status") == "\ufffd\ufffd"


async def test_a_list_where_one_value_belongs_is_422() -> None:
    params = await params_of_json({"bot": [True, False], "display_name": ["a"], "limit": [1]})
    with pytest.raises(ValidationFailed, match="bot must be a single value"):
        params.get_bool("bot")
    with pytest.raises(ValidationFailed, match="display_name"):
        params.get_str("display_name")
    with pytest.raises(ValidationFailed, match="limit"):
        params.get_int("limit")
    # the same names read as lists are fine
    assert params.get_str_list("display_name") == ["a"]


async def test_gets_with_one_query_string_read_alike_however_long() -> None:
    """A GET's parameters come from a memo per query string (long ones are read
    afresh); each reading must still be the query string's own, percent-encoding and
    repeated keys included."""
    short = "limit=5&types%5B%5D=mention&types[]=follow&q=caf%C3%A9+au+lait"
    first, again = [await read_params(make_request("GET", short)) for _ in range(2)]
    for params in (first, again):
        assert params.get_int("limit") == 5
        assert params.get_str_list("types") == ["mention", "follow"]
        assert params.get_str("q") == "café au lait"
    long = "q=" + "a" * 600 + "&limit=7"
    assert (await read_params(make_request("GET", long))).get_int("limit") == 7
    # a POST with the same query string reads its body too, and does not change the GETs'
    posted = await read_params(
        make_request("POST", short, b"limit=9", "application/x-www-form-urlencoded")
    )
    assert posted.get_int("limit") == 9
    assert (await read_params(make_request("GET", short))).get_int("limit") == 5
