"""Requests that carry files (multipart): the size cap and reading a file parameter."""

from __future__ import annotations

from starlette.requests import Request

from townsquare.core.errors import ValidationFailed
from townsquare.domain.media.limits import MAX_BYTES
from townsquare.http.params import Params, PayloadTooLarge, read_params

# A multipart body carries the file and a few small fields.
MAX_UPLOAD_BODY = MAX_BYTES + 256 * 1024


def refuse_oversized(request: Request, *, files: int = 1) -> None:
    """Refuse, before reading it, a body declared larger than ``files`` uploads."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > files * MAX_UPLOAD_BODY:
        raise PayloadTooLarge()


async def upload_params(request: Request, *, files: int = 2) -> Params:
    """The parameters of a request that carries files, refused early when too large."""
    refuse_oversized(request, files=files)
    return await read_params(request)


async def file_bytes(params: Params, name: str) -> bytes | None:
    """The bytes of an uploaded file parameter; None when it was not sent. A file over
    the size limit is refused without being read whole."""
    upload = params.get_file(name)
    if upload is None:
        if params.get_str(name, max_length=MAX_BYTES):
            raise ValidationFailed(
                f"Validation failed: {name} must be a file", details={name: ["ERR_INVALID"]}
            )
        return None
    data = await upload.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise ValidationFailed(
            f"Validation failed: {name} is too large (the limit is {MAX_BYTES // 2**20} MB)",
            details={name: ["ERR_TOO_LARGE"]},
        )
    return data
