"""JSON answers encoded once with orjson, no response models on the hot path."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import orjson
from starlette.responses import Response


class JSON(Response):
    media_type = "application/json; charset=utf-8"

    def render(self, content: Any) -> bytes:
        return orjson.dumps(content)


class EncodedJSON(Response):
    """A body already encoded as JSON."""

    media_type = "application/json; charset=utf-8"


def json_response(
    content: Any, status: int = 200, headers: Mapping[str, str] | None = None
) -> JSON:
    return JSON(content, status_code=status, headers=dict(headers or {}))


def error_response(
    message: str,
    status: int,
    *,
    description: str | None = None,
    headers: Mapping[str, str] | None = None,
    details: Mapping[str, list[str]] | None = None,
) -> JSON:
    body: dict[str, Any] = {"error": message}
    if description is not None:
        body["error_description"] = description
    if details:
        body["details"] = {k: [{"error": code, "description": message} for code in v]
                           for k, v in details.items()}  # fmt: skip
    return json_response(body, status, headers)
