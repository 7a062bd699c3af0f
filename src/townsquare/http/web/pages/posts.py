"""Posting, the thread view, and the actions on a post card (like, repost, bookmark)."""

from __future__ import annotations

from dataclasses import replace

from babel.numbers import format_decimal
from starlette.requests import Request
from starlette.responses import Response

from townsquare.core.errors import DomainError, NotFound, ValidationFailed
from townsquare.core.text import status_length
from townsquare.domain.accounts.queries import lookup_acct
from townsquare.domain.filters.apply import filter_views, reader_filters
from townsquare.domain.interactions.actions import bookmark, favourite, unbookmark, unfavourite
from townsquare.domain.media.actions import (
    NewUpload,
    clean_description,
    discard_files,
    prepare_attachment,
    upload_media,
)
from townsquare.domain.media.processing import ProcessedImage
from townsquare.domain.posts.actions import create_post, delete_post
from townsquare.domain.posts.queries import hydrate, thread_context, visible_status
from townsquare.domain.posts.reblogs import reblog, unreblog
from townsquare.http.params import path_id
from townsquare.http.state import state_of
from townsquare.http.uploads import refuse_oversized
from townsquare.http.web.compose import (
    MAX_IMAGES,
    ComposedImage,
    ComposeForm,
    compose_defaults,
    draft_of,
    form_of,
    images_of,
)
from townsquare.http.web.errors import readable
from townsquare.http.web.messages import TOO_LONG
from townsquare.http.web.pages.common import back_to, web_router
from townsquare.http.web.session import (
    TooManyForms,
    Viewer,
    checked_form,
    safe_next,
    spend_form_allowance,
    viewer_of,
)
from townsquare.http.web.templating import page

router = web_router()


async def _compose_page(request: Request, form: ComposeForm, status: int = 200) -> Response:
    viewer = await viewer_of(request)
    replying = None
    if form.in_reply_to_id is not None or form.quote_of_id is not None:
        async with state_of(request).db.read() as conn:
            wanted = [i for i in (form.in_reply_to_id, form.quote_of_id) if i is not None]
            found = [await visible_status(conn, viewer.user.id, i) for i in wanted]
            views = await hydrate(conn, viewer.user.id, found)
        if form.in_reply_to_id is not None:
            replying = views[0]
        if form.quote_of_id is not None:
            form = replace(form, quoting=views[-1])
    return await page(request, "compose.html", status, compose=form, replying=replying)


@router.get("/compose")
async def compose_page(request: Request) -> Response:
    viewer = await viewer_of(request)
    reply_to = path_id(request.query_params["reply"]) if "reply" in request.query_params else None
    quote = path_id(request.query_params["quote"]) if "quote" in request.query_params else None
    form = replace(compose_defaults(viewer), in_reply_to_id=reply_to, quote_of_id=quote)
    if reply_to is not None:
        async with state_of(request).db.read() as conn:
            parent = await visible_status(conn, viewer.user.id, reply_to)
            author = (await hydrate(conn, viewer.user.id, [parent]))[0].account
        if author.id != viewer.user.id:
            form = replace(form, text=f"@{author.acct} ")
    return await _compose_page(request, form)


@router.post("/compose")
async def publish(request: Request) -> Response:
    viewer = await viewer_of(request)
    author = viewer.user
    refuse_oversized(request, files=MAX_IMAGES)
    params = await checked_form(request, refused_in_action=True, limited_in_action=True)
    form = form_of(params)
    state = state_of(request)
    try:
        await spend_form_allowance(request)
    except TooManyForms as exc:
        # the text comes back in the box, as for any other refusal
        answer = await _compose_page(request, replace(form, error=exc.message), 429)
        answer.headers["Retry-After"] = str(exc.retry_after)
        return answer
    used = status_length(form.text) + status_length(form.spoiler_text)
    if used > state.site.max_status_chars:
        # Refused whole, with the count a person can act on; never cut to fit.
        message = viewer.ui.gettext(TOO_LONG) % {
            "used": format_decimal(used, locale=viewer.ui.locale),
            "limit": format_decimal(state.site.max_status_chars, locale=viewer.ui.locale),
        }
        return await _compose_page(request, replace(form, error=message), 422)
    try:
        prepared = await _prepared_images(viewer, await images_of(params))
    except DomainError as exc:
        return await _compose_page(request, replace(form, error=exc.message), 422)
    draft = draft_of(form, viewer, params.get_str("idempotency_key", max_length=64))
    uploaded = []
    try:
        async with state.db.write() as conn:
            for image, new in prepared:
                uploaded.append(await upload_media(conn, state.site, author.id, image, new))
            post = await create_post(
                conn,
                state.site,
                author,
                replace(draft, media_ids=[media.id for media in uploaded]),
                default_visibility=viewer.settings.default_visibility
                if viewer.settings
                else "public",
            )
    except DomainError as exc:
        discard_files(state.site, uploaded)  # their rows were rolled back
        # The text comes back in the box: nothing typed is lost, nothing cut.
        return await _compose_page(request, replace(form, error=readable(exc.message)), 422)
    default = f"/@{author.acct}/{post.id}" if post.in_reply_to_id else "/home"
    return back_to(params.get_str("next", max_length=2000), default)


async def _prepared_images(
    viewer: Viewer, images: list[ComposedImage]
) -> list[tuple[ProcessedImage, NewUpload]]:
    """Each chosen image processed; a refusal names the image it is about."""
    if len(images) > MAX_IMAGES:
        raise ValidationFailed("You can attach at most 4 files")
    prepared = []
    for image in images:
        try:
            clean_description(image.description)
            prepared.append((await prepare_attachment(image.data), NewUpload(image.description)))
        except DomainError as exc:
            problem = viewer.ui.gettext(readable(exc.message))
            message = viewer.ui.gettext("Image %(number)s: %(problem)s")
            raise ValidationFailed(message % {"number": image.number, "problem": problem}) from exc
    return prepared


@router.get("/@{acct}/{status_id}")
async def thread(acct: str, status_id: str, request: Request) -> Response:
    viewer = await viewer_of(request)
    wanted = path_id(status_id)
    async with state_of(request).db.read() as conn:
        post = await visible_status(conn, viewer.id, wanted)
        owner = await lookup_acct(conn, acct, state_of(request).site.domain)
        ancestors, descendants = await thread_context(conn, viewer.id, wanted)
        views = await hydrate(conn, viewer.id, [*ancestors, post, *descendants])
        filters = await reader_filters(conn, viewer.account)
    if owner is None or owner.id != post.account_id:
        raise NotFound()
    focus_at = len(ancestors)
    # the post asked for stays, behind its filter's title; hide drops the others
    [focus] = filter_views([views[focus_at]], filters, "thread", drop_hidden=False)
    above = filter_views(views[:focus_at], filters, "thread")
    below = filter_views(views[focus_at + 1 :], filters, "thread")
    reply = compose_defaults(viewer, in_reply_to_id=focus.status.id) if viewer.account else None
    if reply is not None and focus.account.id != viewer.user.id:
        reply = replace(reply, text=f"@{focus.account.acct} ")
    return await page(
        request,
        "thread.html",
        ancestors=above,
        focus=focus,
        descendants=below,
        compose=reply,
    )


_ACTIONS = {
    "favourite": (favourite, unfavourite),
    "bookmark": (bookmark, unbookmark),
}


@router.post("/posts/{status_id}/{action}")
async def act(status_id: str, action: str, request: Request) -> Response:
    viewer = await viewer_of(request)
    actor = viewer.user
    params = await checked_form(request)
    post_id = path_id(status_id)
    undo = params.get_bool("undo", False)
    state = state_of(request)
    async with state.db.write() as conn:
        if action == "reblog":
            if undo:
                await unreblog(conn, actor, post_id)
            else:
                await reblog(conn, state.site, actor, post_id)
        elif action in _ACTIONS:
            do, undo_it = _ACTIONS[action]
            await (undo_it if undo else do)(conn, actor, post_id)
        elif action == "delete":
            await delete_post(conn, actor, post_id)
        else:
            raise NotFound()
    next_path = safe_next(params.get_str("next", max_length=2000))
    anchor = "" if action == "delete" or "#" in next_path else f"#post-{post_id}"
    return back_to(next_path + anchor)
