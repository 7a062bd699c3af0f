"""Language detection: right on our corpus, unsure rather than wrong, and built once."""

from __future__ import annotations

import pytest

from tests.corpus import BY_KEY, CORPUS, Sample
from tests.domain.test_posts import make_account, row_of, write_post
from townsquare.domain.common.site import Site
from townsquare.domain.languages.detection import (
    DEFAULT_LANGUAGES,
    detect_language,
    detectable,
    detector,
)
from townsquare.domain.posts.actions import edit_post
from townsquare.storage.database import Database


@pytest.mark.parametrize("sample", CORPUS, ids=lambda sample: sample.key)
def test_detection_is_right_on_the_corpus(sample: Sample) -> None:
    assert detect_language(sample.text, DEFAULT_LANGUAGES) == sample.language


def test_an_ambiguous_short_phrase_is_unknown_not_wrong() -> None:
    # One word good in several languages: Urdu and Persian, half of Europe.
    for word in ("کتاب", "radio", "Mama", "خوب"):
        assert detect_language(word, DEFAULT_LANGUAGES) is None
    # Two words, and lingua itself torn between Urdu and Persian.
    assert detect_language("خوش آمدید", DEFAULT_LANGUAGES) is None
    # Chinese needs no spaces to be told.
    assert detect_language("今天天气很好", DEFAULT_LANGUAGES) == "zh"


def test_the_detector_is_built_once_per_process_and_list() -> None:
    assert detector(DEFAULT_LANGUAGES) is detector(tuple(DEFAULT_LANGUAGES))
    # Pashto is configurable but lingua cannot detect it
    assert "ps" in DEFAULT_LANGUAGES and "ps" not in detectable(DEFAULT_LANGUAGES)
    assert detector(("ps",)) is None
    assert detect_language(BY_KEY["ur_weather"].text, ("ps",)) is None


def test_only_configured_languages_are_answers() -> None:
    # Persian text on an instance that knows only English and Urdu is never called Persian.
    assert detect_language(BY_KEY["fa_weather"].text, ("en", "ur")) in ("ur", None)


async def test_a_post_without_a_language_gets_the_detected_one(db: Database, site: Site) -> None:
    author = await make_account(db)
    urdu = await write_post(db, site, author, BY_KEY["ur_weather"].text)
    assert urdu.language == "ur"
    unsure = await write_post(db, site, author, "ok 👍")
    assert unsure.language is None
    # the client's language wins, even over a confident detector
    chosen = await write_post(db, site, author, BY_KEY["ur_weather"].text, language="pa")
    assert chosen.language == "pa"


async def test_an_edit_redetects_unless_the_client_names_the_language(
    db: Database, site: Site
) -> None:
    author = await make_account(db)
    post = await write_post(db, site, author, BY_KEY["en_book"].text)
    assert post.language == "en"
    async with db.write() as conn:
        edited = await edit_post(conn, site, author, post.id, text=BY_KEY["hi_book"].text)
    assert edited.language == "hi"
    async with db.write() as conn:
        await edit_post(conn, site, author, post.id, text="ok")  # unsure: keeps Hindi
    assert (await row_of(db, post.id)).language == "hi"
    async with db.write() as conn:
        named = await edit_post(conn, site, author, post.id, text="ok!", language="en")
    assert named.language == "en"
