"""Request parameters the way Mastodon clients send them.

Clients send the same parameters as a query string, a form, multipart or JSON;
booleans as "1"/"0"/"true"/"false"; lists as ``name[]`` (or repeated ``name``);
nested hashes as ``source[privacy]``. ``Params`` reads them all into one shape and
turns wrong types into a 422 naming the parameter.
"""

from __future__ import annotations

from typing import Any

import orjson
from starlette.datastructures import UploadFile
from starlette.requests import Request

from townsquare.core.errors import DomainError, ValidationFailed
from townsquare.core.ids import parse_id

_TRUE = {"1", "true", "on", "yes", "t"}
_FALSE = {"0", "false", "off", "no", "f", ""}


class BadRequest(DomainError):
    status = 400


class Params:
    def __init__(self, values: dict[str, list[Any]]) -> None:
        self._values = values

    @classmethod
    def from_mapping(cls, data: dict[str, Any]) -> Params:
        values: dict[str, list[Any]] = {}
        for key, value in data.items():
            _flatten(values, key, value)
        return cls(values)

    def has(self, name: str) -> bool:
        return name in self._values or f"{name}[]" in self._values

    def raw(self, name: str) -> Any:
        items = self._values.get(name)
        return items[-1] if items else None

    def get_str(
        self, name: str, default: str | None = None, *, max_length: int = 100_000
    ) -> str | None:
        value = self.raw(name)
        if value is None:
            return default
        if isinstance(value, bool | dict | list | UploadFile):
            raise _wrong(name, "must be a string")
        text = str(value)
        if len(text) > max_length:
            raise _wrong(name, "is too long")
        return text

    def get_bool(self, name: str, default: bool | None = None) -> bool | None:
        value = self.raw(name)
        if value is None:
            return default
        if isinstance(value, bool):
            return value
        if isinstance(value, int | str):
            text = str(value).strip().lower()
            if text in _TRUE:
                return True
            if text in _FALSE:
                return False
        raise _wrong(name, "must be a boolean")

    def get_int(
        self, name: str, default: int | None = None, *, minimum: int | None = None,
        maximum: int | None = None,
    ) -> int | None:  # fmt: skip
        value = self.raw(name)
        if value is None or value == "":
            return default
        if isinstance(value, bool):
            raise _wrong(name, "must be an integer")
        try:
            number = int(value)
        except (TypeError, ValueError):
            raise _wrong(name, "must be an integer") from None
        if minimum is not None and number < minimum:
            number = minimum
        if maximum is not None and number > maximum:
            number = maximum
        return number

    def get_id(self, name: str) -> int | None:
        """An id parameter; an unparseable one is simply absent (Mastodon ignores it)."""
        value = self.raw(name)
        if value is None or value == "":
            return None
        return parse_id(value)

    def get_list(self, name: str) -> list[Any]:
        items = self._values.get(f"{name}[]", []) + self._values.get(name, [])
        flat: list[Any] = []
        for item in items:
            if isinstance(item, list):
                flat.extend(item)
            elif item is not None and item != "":
                flat.append(item)
        return flat

    def get_str_list(self, name: str) -> list[str]:
        values = self.get_list(name)
        if any(isinstance(v, dict | list | UploadFile) for v in values):
            raise _wrong(name, "must be a list of strings")
        return [str(v) for v in values]

    def get_id_list(self, name: str) -> list[int]:
        ids = []
        for value in self.get_str_list(name):
            parsed = parse_id(value)
            if parsed is None:
                raise _wrong(name, "must be a list of ids")
            ids.append(parsed)
        return ids

    def get_file(self, name: str) -> UploadFile | None:
        value = self.raw(name)
        return value if isinstance(value, UploadFile) else None


def _wrong(name: str, problem: str) -> ValidationFailed:
    return ValidationFailed(f"Validation failed: {name} {problem}", details={name: ["ERR_INVALID"]})


def _flatten(values: dict[str, list[Any]], key: str, value: Any) -> None:
    """JSON {"source": {"privacy": "x"}} reads as the form key source[privacy]."""
    if isinstance(value, dict):
        for inner_key, inner in value.items():
            _flatten(values, f"{key}[{inner_key}]", inner)
    elif isinstance(value, list) and not key.endswith("[]"):
        values.setdefault(f"{key}[]", []).extend(value)
    else:
        values.setdefault(key, []).append(value)


async def read_params(request: Request) -> Params:
    """Query string plus body, whatever its encoding; the body wins over the query."""
    values: dict[str, list[Any]] = {}
    for key, value in request.query_params.multi_items():
        values.setdefault(key, []).append(value)
    if request.method in ("GET", "HEAD", "OPTIONS"):
        return Params(values)
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    body_values: dict[str, list[Any]] = {}
    if content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
        try:
            form = await request.form(max_files=8, max_fields=1000)
        except Exception as exc:  # malformed multipart bodies raise several kinds
            raise BadRequest("The request body could not be parsed") from exc
        for key, item in form.multi_items():
            body_values.setdefault(key, []).append(item)
    elif content_type == "application/json" or content_type.endswith("+json"):
        raw = await request.body()
        if raw.strip():
            try:
                data = orjson.loads(raw)
            except orjson.JSONDecodeError:
                raise BadRequest("The request body is not valid JSON") from None
            if not isinstance(data, dict):
                raise ValidationFailed("Validation failed: the body must be a JSON object")
            for key, item in data.items():
                _flatten(body_values, str(key), item)
    for key, items in body_values.items():
        values[key] = items
    return Params(values)
