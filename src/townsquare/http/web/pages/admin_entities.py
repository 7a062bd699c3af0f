"""The designated entities registry for moderators: listed and filtered, downloaded
and uploaded in the same files as ``townsquare entities export`` and ``import``."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from townsquare.core.errors import ValidationFailed
from townsquare.core.normalize import match_key
from townsquare.domain.accounts.models import Account
from townsquare.domain.moderation.audit import audit, require_moderator
from townsquare.domain.moderation.entities import TIERS, Entity, parse_file, to_csv, to_json
from townsquare.domain.moderation.registry import (
    import_entities,
    list_entities,
    registry_version,
)
from townsquare.http.state import state_of
from townsquare.http.web.errors import readable
from townsquare.http.web.messages import N_
from townsquare.http.web.pages.common import back_to, web_router
from townsquare.http.web.session import checked_form, viewer_of
from townsquare.http.web.templating import page

router = web_router()

# A registry file is text; a few megabytes hold tens of thousands of entities.
MAX_UPLOAD = 4 * 1024 * 1024
FORMATS = {"json": ("application/json", to_json), "csv": ("text/csv", to_csv)}


async def _moderator(request: Request) -> Account:
    viewer = await viewer_of(request)
    require_moderator(viewer.user)
    return viewer.user


def _wanted(entity: Entity, query: str, tier: int | None) -> bool:
    """The query is compared the way the matcher compares, so that any spelling of a
    name or alias (case, diacritics, script variants) finds its entity."""
    if tier is not None and entity.tier != tier:
        return False
    return not query or any(query in match_key(name) for name in entity.names())


async def _registry_page(
    request: Request, *, error: str | None = None, status: int = 200
) -> Response:
    params = request.query_params
    query = (params.get("q") or "").strip()[:200]
    tier_text = (params.get("tier") or "").strip()
    tier = int(tier_text) if tier_text.isdigit() and int(tier_text) in TIERS else None
    async with state_of(request).db.read() as conn:
        everything = await list_entities(conn)
    key = match_key(query).strip() if query else ""
    shown = [e for e in everything if _wanted(e, key, tier)]
    added = params.get("added") or ""
    replaced = params.get("replaced") or ""
    done = (int(added), int(replaced)) if added.isdigit() and replaced.isdigit() else None
    return await page(
        request, "admin_entities.html", status, entities=shown, total=len(everything),
        query=query, tier=tier, tiers=TIERS, error=error, done=done,
    )  # fmt: skip


@router.get("/admin/entities")
async def entities_page(request: Request) -> Response:
    await _moderator(request)
    return await _registry_page(request)


@router.get("/admin/entities/export.{format}")
async def export(request: Request, format: str) -> Response:
    await _moderator(request)
    if format not in FORMATS:
        return await _registry_page(request, error=f"Unknown format {format!r}.", status=404)
    media_type, write = FORMATS[format]
    async with state_of(request).db.read() as conn:
        entities = await list_entities(conn)
    return Response(
        write(entities).encode("utf-8"),
        media_type=f"{media_type}; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="entities.{format}"'},
    )


@router.post("/admin/entities/import")
async def import_file(request: Request) -> Response:
    me = await _moderator(request)
    params = await checked_form(request)
    upload = params.get_file("file")
    try:
        if upload is None or not upload.filename:
            raise ValidationFailed(N_("Choose a .json or .csv file to import."))
        raw = await upload.read(MAX_UPLOAD + 1)
        if len(raw) > MAX_UPLOAD:
            raise ValidationFailed(N_("The file is too large (at most 4 MB)."))
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            raise ValidationFailed(N_("The file is not UTF-8 text.")) from None
        # Parsed and checked in full before the database is touched, as on the command
        # line; the import then checks aliases against the registry in one transaction.
        entities = parse_file(text, filename=upload.filename)
        async with state_of(request).db.write() as conn:
            added, replaced = await import_entities(conn, entities)
            await audit(conn, me.id, "entities.import", "policy", await registry_version(conn),
                        file=upload.filename, added=added, replaced=replaced)  # fmt: skip
    except ValidationFailed as exc:
        return await _registry_page(request, error=readable(exc.message), status=422)
    return back_to(
        f"/admin/entities?added={added}&replaced={replaced}",
        f"/admin/entities?added={added}&replaced={replaced}",
    )
