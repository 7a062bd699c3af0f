"""Request parameters the way Mastodon clients send them.

Clients send the same parameters as a query string, a form, multipart or JSON;
booleans as "1"/"0"/"true"/"false"; lists as ``name[]`` (or repeated ``name``);
nested hashes as ``source[privacy]``. ``Params`` reads them all into one shape and
turns wrong types into a 422 naming the parameter.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any
from urllib.parse import parse_qsl

import orjson
from starlette.datastructures import UploadFile
from starlette.requests import Request

from townsquare.core.errors import DomainError, NotFound, ValidationFailed
from townsquare.core.ids import parse_id

_TRUE = {"1", "true", "on", "yes", "t"}
_FALSE = {"0", "false", "off", "no", "f", ""}
_INT64 = 1 << 63


# Forms and JSON carry text; files come as multipart, which this cap does not cover.
MAX_BODY_BYTES = 1 << 20


class BadRequest(DomainError):
    status = 400


class PayloadTooLarge(DomainError):
    status = 413

    def __init__(self) -> None:
        super().__init__("Request entity too large")


class Params:
    def __init__(self, values: dict[str, list[Any]]) -> None:
        self._values = values

    @classmethod
    def from_mapping(cls, data: dict[str, Any]) -> Params:
        values: dict[str, list[Any]] = {}
        for key, value in data.items():
            _flatten(values, key, value)
        return cls(values)

    def names(self) -> list[str]:
        return list(self._values)

    def has(self, name: str) -> bool:
        return name in self._values or f"{name}[]" in self._values

    def raw(self, name: str) -> Any:
        items = self._values.get(name)
        return items[-1] if items else None

    def _scalar(self, name: str) -> Any:
        """The single value of ``name``; a list sent where one value belongs is a 422."""
        if name not in self._values and f"{name}[]" in self._values:
            raise _wrong(name, "must be a single value, not a list")
        return self.raw(name)

    def get_str(
        self, name: str, default: str | None = None, *, max_length: int = 100_000
    ) -> str | None:
        value = self._scalar(name)
        if value is None:
            return default
        if isinstance(value, bool | dict | list | UploadFile):
            raise _wrong(name, "must be a string")
        text = str(value)
        if len(text) > max_length:
            raise _wrong(name, "is too long")
        if "\x00" in text:
            # No text needs it, and PostgreSQL refuses it in a text column.
            raise _wrong(name, "must not contain NUL characters")
        return text

    def get_bool(self, name: str, default: bool | None = None) -> bool | None:
        value = self._scalar(name)
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
        value = self._scalar(name)
        if value is None or value == "":
            return default
        if isinstance(value, bool) or (isinstance(value, float) and not value.is_integer()):
            raise _wrong(name, "must be an integer")
        try:
            number = int(value)
        except (TypeError, ValueError, OverflowError):
            raise _wrong(name, "must be an integer") from None
        if not -_INT64 <= number < _INT64:
            # Beyond what any column or timedelta holds: refuse rather than overflow later.
            raise _wrong(name, "is out of range")
        if minimum is not None and number < minimum:
            number = minimum
        if maximum is not None and number > maximum:
            number = maximum
        return number

    def get_id(self, name: str, *, lenient: bool = False) -> int | None:
        """An id parameter, absent when blank. One that cannot be an id is refused, as
        a filter silently dropped would answer another question; ``lenient`` (paging
        bounds, which Mastodon ignores when malformed) makes it absent instead."""
        value = self.raw(name)
        if value is None or value == "":
            return None
        parsed = parse_id(value)
        if parsed is None and not lenient:
            raise _wrong(name, "must be an id")
        return parsed

    def get_language(self, name: str = "lang") -> str | None:
        """An ISO 639 language code, lower-cased; absent or blank is None."""
        value = self.get_str(name, max_length=16)
        if not value or not value.strip():
            return None
        code = value.strip().lower()
        if not (2 <= len(code) <= 3 and code.isascii() and code.isalpha()):
            raise _wrong(name, "must be an ISO 639 code")
        return code

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
        texts = [str(v) for v in values]
        if any("\x00" in text for text in texts):
            raise _wrong(name, "must not contain NUL characters")
        return texts

    def get_id_list(self, name: str) -> list[int]:
        ids = []
        for value in self.get_str_list(name):
            parsed = parse_id(value)
            if parsed is None:
                raise _wrong(name, "must be a list of ids")
            ids.append(parsed)
        return ids

    def get_hash_list(self, name: str) -> list[dict[str, Any]]:
        """A list of hashes (Rails' ``*_attributes``), however it was sent: a JSON array
        of objects, a JSON object or form keyed by index (``name[0][field]``), or form
        fields ``name[][field]``, whose n-th values make the n-th hash."""
        hashes: list[dict[str, Any]] = []
        for item in self._values.get(f"{name}[]", []):
            if not isinstance(item, dict):
                raise _wrong(name, "must be a list of objects")
            hashes.append(item)
        indexed: dict[str, dict[str, Any]] = {}
        positional: dict[str, list[Any]] = {}
        prefix = f"{name}["
        for key, values in self._values.items():
            if not key.startswith(prefix) or key == f"{name}[]":
                continue
            index, _, rest = key[len(prefix) :].partition("][")
            field = rest.removesuffix("]")
            if not rest.endswith("]") or not field or "[" in field:
                raise _wrong(name, "must be a list of objects")
            if index == "":
                positional[field] = values
            else:
                indexed.setdefault(index, {})[field] = values[-1]
        hashes.extend(
            indexed[index]
            for index in sorted(
                indexed, key=lambda i: (not i.isdigit(), int(i) if i.isdigit() else 0, i)
            )
        )
        size = max((len(values) for values in positional.values()), default=0)
        for position in range(size):
            hashes.append(
                {
                    field: values[position]
                    for field, values in positional.items()
                    if position < len(values)
                }
            )
        return hashes

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


def _query_values(query_string: bytes) -> dict[str, list[Any]]:
    # as Starlette reads a query string
    values: dict[str, list[Any]] = {}
    for key, value in parse_qsl(query_string.decode("latin-1"), keep_blank_values=True):
        values.setdefault(key, []).append(value)
    return values


# Longer query strings are parsed afresh: the memo stays small whatever is sent.
_SHARED_QUERY_MAX = 512


@lru_cache(maxsize=1024)
def _query_only(query_string: bytes) -> Params:
    """The parameters of a request without a body, shared by every request with the
    same query string: clients poll the same few, and ``Params`` is never changed."""
    return Params(_query_values(query_string))


async def read_params(request: Request) -> Params:
    """Query string plus body, whatever its encoding; the body wins over the query."""
    query_string: bytes = request.scope.get("query_string") or b""
    if request.method in ("GET", "HEAD", "OPTIONS"):
        if len(query_string) <= _SHARED_QUERY_MAX:
            return _query_only(query_string)
        return Params(_query_values(query_string))
    values = _query_values(query_string)
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    body_values: dict[str, list[Any]] = {}
    if content_type == "multipart/form-data":
        try:
            form = await request.form(max_files=8, max_fields=1000)
        except Exception as exc:  # malformed multipart bodies raise several kinds
            raise BadRequest("The request body could not be parsed") from exc
        for key, item in form.multi_items():
            body_values.setdefault(key, []).append(item)
    elif content_type == "application/x-www-form-urlencoded":
        text = (await _capped_body(request)).decode("utf-8", "replace")
        try:
            pairs = parse_qsl(text, keep_blank_values=True, max_num_fields=1000)
        except ValueError:
            raise BadRequest("The request body has too many fields") from None
        for key, value in pairs:
            body_values.setdefault(key, []).append(value)
    elif content_type == "application/json" or content_type.endswith("+json"):
        raw = await _capped_body(request)
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


async def _capped_body(request: Request) -> bytes:
    """The body of a form or JSON request, refused past MAX_BODY_BYTES before it is all read."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > MAX_BODY_BYTES:
        raise PayloadTooLarge()
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > MAX_BODY_BYTES:
            raise PayloadTooLarge()
        chunks.append(chunk)
    return b"".join(chunks)


def path_id(value: str) -> int:
    """An id from the URL path; one that cannot be an id is simply not found."""
    parsed = parse_id(value)
    if parsed is None:
        raise NotFound()
    return parsed
