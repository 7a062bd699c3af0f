"""The compose form: its defaults for a viewer, and what a submitted form asks for."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field

import regex

from townsquare.domain.posts.drafts import Draft
from townsquare.domain.posts.models import StatusView
from townsquare.http.params import Params
from townsquare.http.uploads import file_bytes
from townsquare.http.web.session import Viewer

# Languages offered in the compose form, by their own names.
POST_LANGUAGES = (
    ("en", "English"),
    ("ur", "اردو"),
    ("ar", "العربية"),
    ("fa", "فارسی"),
    ("hi", "हिन्दी"),
    ("pa", "ਪੰਜਾਬੀ"),
    ("es", "Español"),
    ("fr", "Français"),
    ("de", "Deutsch"),
)
AUTO = "auto"
_ARABIC_LETTER = regex.compile(r"\p{Script=Arabic}")
_LETTER = regex.compile(r"\p{L}")


@dataclass(frozen=True, slots=True)
class ComposeForm:
    text: str = ""
    spoiler_text: str = ""
    visibility: str = "public"
    language: str = AUTO
    in_reply_to_id: int | None = None
    quote_of_id: int | None = None
    quoting: StatusView | None = None
    sensitive: bool = False
    error: str | None = None
    # a retried or double-clicked submission makes one post, not two
    key: str = field(default_factory=lambda: secrets.token_urlsafe(18))


def compose_defaults(viewer: Viewer, *, text: str = "", in_reply_to_id: int | None = None,
                     quoting: StatusView | None = None) -> ComposeForm:  # fmt: skip
    settings = viewer.settings
    return ComposeForm(
        text=text,
        visibility=settings.default_visibility if settings else "public",
        language=(settings.default_language if settings else None) or AUTO,
        in_reply_to_id=in_reply_to_id,
        quote_of_id=quoting.status.id if quoting else None,
        quoting=quoting,
    )


def detect_language(text: str, fallback: str) -> str:
    """A script-level guess for the ``lang`` of names and bios on a page (too short for
    the real detector, and only the script's font matters there): mostly Arabic letters
    is Urdu (this square's Arabic-script language) unless the fallback is Arabic or
    Persian."""
    letters = len(_LETTER.findall(text))
    if letters and len(_ARABIC_LETTER.findall(text)) * 2 > letters:
        return fallback if fallback in ("ar", "fa") else "ur"
    return fallback if fallback not in ("ur", "ar", "fa") else "en"


def form_of(params: Params) -> ComposeForm:
    return ComposeForm(
        text=params.get_str("text", "", max_length=50_000) or "",
        spoiler_text=params.get_str("spoiler_text", "", max_length=5_000) or "",
        visibility=params.get_str("visibility", "public", max_length=16) or "public",
        language=params.get_str("language", AUTO, max_length=16) or AUTO,
        in_reply_to_id=params.get_id("in_reply_to_id"),
        quote_of_id=params.get_id("quote_of_id"),
        sensitive=bool(params.get_bool("sensitive", False)),
    )


MAX_IMAGES = 4


@dataclass(frozen=True, slots=True)
class ComposedImage:
    number: int
    data: bytes
    description: str


async def images_of(params: Params) -> list[ComposedImage]:
    """The images chosen in the form's four slots, each with its description."""
    images = []
    for number in range(1, MAX_IMAGES + 1):
        data = await file_bytes(params, f"image{number}")
        if data:  # a slot left empty still sends an empty file part
            description = params.get_str(f"alt{number}", "", max_length=10_000) or ""
            images.append(ComposedImage(number, data, description))
    return images


def draft_of(form: ComposeForm, viewer: Viewer, idempotency_key: str | None) -> Draft:
    del viewer
    return Draft(
        text=form.text,
        spoiler_text=form.spoiler_text,
        visibility=form.visibility,
        # "auto" leaves it to the detector (domain.languages.detection)
        language=None if form.language == AUTO else form.language,
        in_reply_to_id=form.in_reply_to_id,
        quote_of_id=form.quote_of_id,
        sensitive=form.sensitive or None,
        idempotency_key=idempotency_key,
    )
