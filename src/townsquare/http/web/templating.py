"""Jinja2 pages: one environment per interface language, autoescaped, no inline code.

Every page gets ``viewer``, ``ui`` (language and direction), ``site`` and the CSRF
token; ``page()`` also stores a fresh CSRF cookie when the browser had none.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from functools import cache
from importlib import resources
from typing import Any

import nh3
import orjson
from babel.dates import format_datetime, format_timedelta
from babel.numbers import format_decimal
from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup
from starlette.requests import Request
from starlette.responses import HTMLResponse

from townsquare.core.text import render_plain_html, strip_bidi_controls
from townsquare.http.state import state_of
from townsquare.http.web.card_notes import card_notes, label_wording, views_in
from townsquare.http.web.compose import POST_LANGUAGES, detect_language
from townsquare.http.web.i18n import Interface, interface
from townsquare.http.web.messages import STRIKE_ACTIONS
from townsquare.http.web.session import CSRF_FIELD, Viewer, store_csrf, theme_of, viewer_of

# Post HTML is rendered by us from plain text; cleaning it again costs little and
# keeps a future remote post from carrying markup we never meant to allow.
_ALLOWED_TAGS = {"p", "br", "a", "span"}
_ALLOWED_ATTRIBUTES = {"a": {"href", "class", "rel", "target"}, "span": {"class"}}


@cache
def asset_url(name: str) -> str:
    """A static file's address with its content hash, so it can be cached for long."""
    data = (resources.files("townsquare.http.web") / "static" / name).read_bytes()
    return f"/assets/{name}?v={hashlib.sha256(data).hexdigest()[:10]}"


def _post_html(html: str) -> Markup:
    cleaned = nh3.clean(html, tags=_ALLOWED_TAGS, attributes=_ALLOWED_ATTRIBUTES, link_rel=None)
    return Markup(cleaned)  # noqa: S704 - cleaned just above


def _full_stop(ui: Interface, text: str) -> str:
    """A sentence that ends as the interface language ends one, unless it already
    ends (a rule's note or sentence carries its own full stop)."""
    if text.endswith((".", "!", "?", "۔", "؟")):
        return text
    return text + ("۔" if ui.language == "ur" else ".")


def _focus_classes(meta: dict[str, Any]) -> str:
    """Classes that place a cropped image on its focus point (Mastodon's x and y, -1 to
    1, y upwards) in steps of a tenth: the CSP allows no style attribute to carry the
    exact value, and a tenth of the box is as near as the eye can tell."""
    focus = meta.get("focus")
    if not isinstance(focus, dict):
        return "media-image"
    try:
        x = min(max(float(focus.get("x", 0.0)), -1.0), 1.0)
        y = min(max(float(focus.get("y", 0.0)), -1.0), 1.0)
    except (TypeError, ValueError):
        return "media-image"
    return f"media-image fx-{round((x + 1) * 5)} fy-{round((1 - y) * 5)}"


def _name(text: str) -> str:
    return strip_bidi_controls(text)


@cache
def environment(language: str) -> Environment:
    ui = interface(language)
    env = Environment(
        loader=PackageLoader("townsquare.http.web", "templates"),
        autoescape=select_autoescape(default=True),
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.install_gettext_translations(ui.translations, newstyle=True)  # type: ignore[attr-defined]
    env.globals["asset_url"] = asset_url
    env.globals["post_languages"] = POST_LANGUAGES
    env.filters["text_lang"] = lambda text: detect_language(text or "", "en")
    env.filters["bio_html"] = lambda text: Markup(render_plain_html(text))  # noqa: S704 - escaped
    env.filters["t"] = ui.gettext
    env.filters["post_html"] = _post_html
    env.filters["media_meta"] = lambda raw: orjson.loads(raw or "{}")
    env.filters["name"] = _name
    env.filters["focus_classes"] = _focus_classes
    env.filters["ago"] = lambda when: _ago(ui, when)
    env.filters["exact"] = lambda when: format_datetime(when, "medium", locale=ui.locale)
    env.filters["count"] = lambda n: format_decimal(n, locale=ui.locale)
    env.filters["language_name"] = ui.language_name
    env.filters["label_wording"] = lambda label: label_wording(ui, str(label))
    env.filters["full_stop"] = lambda text: _full_stop(ui, str(text))
    env.filters["strike_action"] = lambda action: (
        ui.gettext(STRIKE_ACTIONS[action]) if action in STRIKE_ACTIONS else action
    )
    return env


def _ago(ui: Interface, when: datetime) -> str:
    delta = when - datetime.now(UTC)
    return format_timedelta(delta, add_direction=True, locale=ui.locale, threshold=1.0)


def render(viewer: Viewer, request: Request, name: str, **context: Any) -> str:
    state = state_of(request)
    template = environment(viewer.ui.language).get_template(name)
    # A page answering a POST may name the address to come back to (``full_path``), so
    # that the language switch returns to the page as it was asked for.
    defaults = {
        "moderation_notes": {},
        "full_path": request.url.path + (f"?{request.url.query}" if request.url.query else ""),
    }
    return template.render(
        viewer=viewer,
        ui=viewer.ui,
        site=state.site,
        settings=state.settings,
        csrf_field=CSRF_FIELD,
        theme=theme_of(request),
        path=request.url.path,
        **{**defaults, **context},
    )


async def page(request: Request, name: str, status: int = 200, **context: Any) -> HTMLResponse:
    viewer = await viewer_of(request)
    views = list(views_in(list(context.values())))
    if views:
        state = state_of(request)
        async with state.db.read() as conn:
            context["moderation_notes"] = await card_notes(
                conn, viewer.id, state.site.moderation_policy, views, viewer.ui
            )
    response = HTMLResponse(render(viewer, request, name, **context), status_code=status)
    response.headers["Cache-Control"] = "no-store"
    store_csrf(request, response, viewer)
    return response
