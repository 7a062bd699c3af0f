"""What moderation costs: policy evaluation per post with 10 and with 10,000 designated
entities, and what it adds to creating a post.

Evaluation: the same posts (English and Urdu, one in five naming an entity, by one
of its aliases in Latin, Arabic or Cyrillic script) are matched and evaluated under
each preset, once with a registry of 10 entities and once with 10,000 (the 10 are
among the 10,000, so both find the same references). With a multi-pattern matcher the
10,000/10 ratio stays near 1: the cost follows the post's length, not the list's.

Post creation: ``create_post`` (the domain action every surface calls), one fresh
database per case: moderation switched off (the baseline), then on with an empty
registry, 10 entities and 10,000 entities. The cases take turns posting blocks and
keep their best block; the ratios are to the baseline of the same run.

    python -m bench.policy --engine sqlite
    python -m bench.policy --engine postgresql --posts 2000
"""

from __future__ import annotations

import argparse
import asyncio
import random
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from bench.kept import drop_database, make_database
from bench.seed import ENGLISH, URDU
from townsquare.domain.accounts.actions import NewAccount, register
from townsquare.domain.accounts.models import Account
from townsquare.domain.common.site import Site
from townsquare.domain.moderation import actions as moderation
from townsquare.domain.moderation.entities import Entity
from townsquare.domain.moderation.evaluate import Content, evaluate
from townsquare.domain.moderation.matcher import EntityMatcher
from townsquare.domain.moderation.policy import PRESETS, load_policy
from townsquare.domain.moderation.registry import import_entities
from townsquare.domain.moderation.stance import resolve_stance
from townsquare.domain.posts import actions as posts
from townsquare.domain.posts.actions import Draft, create_post
from townsquare.storage.database import Database
from townsquare.storage.migrate import migrate

SITE = Site(base_url="http://bench.invalid", domain="bench.invalid")
LATIN = ["ka", "ri", "mo", "ta", "lu", "ne", "si", "vo", "da", "pe", "zu", "ha"]
ARABIC = [
    "ک",
    "ر",
    "م",
    "ت",
    "ل",
    "ن",
    "س",
    "و",
    "د",
    "پ",
    "ز",
    "ہ",
]  # the same sounds, letter for letter
CYRILLIC = ["ка", "ри", "мо", "та", "лу", "не", "си", "во", "да", "пе", "зу", "ха"]
KINDS = ("organisation", "person", "event", "ideology")


def _name(number: int, syllables: list[str], joiner: str = "") -> str:
    parts = []
    for _ in range(4):
        number, digit = divmod(number, len(syllables))
        parts.append(syllables[digit])
    return joiner.join(parts)


def entities(count: int) -> list[Entity]:
    """``count`` entities, each with a Latin name and aliases in Arabic script and
    Cyrillic, plus a spelling variant; all distinct."""
    made = []
    for n in range(count):
        latin = _name(n, LATIN).capitalize()
        made.append(
            Entity(
                name=f"{latin} Front",
                kind=KINDS[n % len(KINDS)],
                tier=1 + n % 3,
                aliases=(
                    f"{_name(n, ARABIC)} محاذ",
                    f"Фронт {_name(n, CYRILLIC).capitalize()}",
                    f"{latin}-Front",
                ),
                engages_in_violence=n % 2 == 0,
                peace_process=n % 7 == 0,
                id=n + 1,
            )
        )
    return made


def corpus(count: int, named: list[Entity], seed: int = 5) -> list[tuple[str, str]]:
    """(text, language) posts; one in five names one of ``named`` by some alias."""
    rng = random.Random(seed)
    made = []
    for i in range(count):
        urdu = i % 5 in (1, 3)
        words = rng.choices(URDU if urdu else ENGLISH, k=rng.randint(8, 40))
        if i % 5 == 0:
            entity = rng.choice(named)
            alias = rng.choice((entity.name, *entity.aliases))
            words.insert(rng.randrange(len(words) + 1), alias)
            words.insert(0, rng.choice(("glory to", "I condemn", "reports say", "")))
        made.append((" ".join(w for w in words if w), "ur" if urdu else "en"))
    return made


def _evaluate_all(matcher: EntityMatcher, texts: list[tuple[str, str]]) -> float:
    """Seconds to find references in every post and evaluate every preset on it."""
    policies = [load_policy(name) for name in PRESETS]
    started = time.perf_counter()
    for text, language in texts:
        matches = matcher.find(text)
        stance = (
            resolve_stance(None, text, language, matches, moderation.CLASSIFIER)
            if matches
            else None
        )
        content = Content(text, language)
        for policy in policies:
            evaluate(policy, matches, stance.value if stance else None, content, matcher.flags)
    return time.perf_counter() - started


def evaluation_costs(
    registries: list[list[Entity]], texts: list[tuple[str, str]], rounds: int
) -> list[float]:
    """Microseconds per post for each registry, best of ``rounds``; the registries take
    turns within each round, so a busy moment on the machine hits them alike."""
    matchers = [EntityMatcher(registry) for registry in registries]
    for matcher in matchers:  # warm-up
        _evaluate_all(matcher, texts)
    best = [float("inf")] * len(matchers)
    for _ in range(rounds):
        for i, matcher in enumerate(matchers):
            best[i] = min(best[i], _evaluate_all(matcher, texts))
    return [seconds / len(texts) * 1e6 for seconds in best]


async def _no_moderation(*args: object, **kwargs: object) -> None:
    del args, kwargs


@dataclass
class Case:
    name: str
    registry: list[Entity] | None  # None: moderation switched off
    db: Database | None = None
    url: str = ""
    author: Account | None = None
    best: float = float("inf")


async def _post(case: Case, text: str, language: str) -> None:
    assert case.db is not None and case.author is not None
    original = posts.moderate_post
    if case.registry is None:
        posts.moderate_post = _no_moderation  # type: ignore[assignment]
    try:
        async with case.db.write() as conn:
            await create_post(conn, SITE, case.author, Draft(text=text, language=language))
    finally:
        posts.moderate_post = original  # type: ignore[assignment]


async def creation_costs(
    engine: str, cases: list[Case], texts: list[tuple[str, str]], rounds: int, directory: Path
) -> None:
    """Milliseconds per ``create_post`` (one transaction each), one fresh database per
    case; the cases take turns posting blocks of ``texts``, and each keeps its best
    block, so a busy moment on the machine hits them alike."""
    for n, case in enumerate(cases):
        case.url = await make_database(engine, directory / str(n))
        case.db = Database(case.url)
        await migrate(case.db)
        async with case.db.write() as conn:
            case.author = await register(
                conn, NewAccount(username="bencher", email="b@ex.org", password="pw-long-enough1")
            )
            if case.registry:
                await import_entities(conn, case.registry)
    block = max(1, len(texts) // rounds)
    try:
        for start in range(0, block * rounds, block):
            for case in cases:
                # untimed: a registry switch rebuilds the matcher, caches warm up
                await _post(case, *texts[start])
                began = time.perf_counter()
                for text, language in texts[start : start + block]:
                    await _post(case, text, language)
                case.best = min(case.best, (time.perf_counter() - began) / block * 1e3)
    finally:
        for case in cases:
            if case.db is not None:
                await case.db.dispose()
            await drop_database(case.url)


def _table(title: str, unit: str, rows: list[tuple[str, float, float]]) -> str:
    lines = [f"{title}", "", f"| case | {unit} | ratio |", "|---|---:|---:|"]
    lines += [f"| {name} | {value:.1f} | {ratio:.2f} |" for name, value, ratio in rows]
    return "\n".join(lines)


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--engine", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--posts", type=int, default=1000, help="posts created per case")
    parser.add_argument("--evaluated", type=int, default=5000, help="posts evaluated")
    parser.add_argument("--rounds", type=int, default=5, help="best of this many rounds")
    args = parser.parse_args()

    large = entities(10_000)
    small = large[:10]
    texts = corpus(args.evaluated, small)
    per_small, per_large = evaluation_costs([small, large], texts, args.rounds)
    started = time.perf_counter()
    EntityMatcher(large)
    build_ms = (time.perf_counter() - started) * 1e3
    print(
        _table(
            f"Policy evaluation ({args.evaluated} posts, all {len(PRESETS)} presets each, "
            f"best of {args.rounds})",
            "µs per post",
            [
                ("10 entities", per_small, 1.0),
                ("10,000 entities", per_large, per_large / per_small),
            ],
        )
    )
    print(
        f"\nbuilding the 10,000-entity matcher (40,000 names): {build_ms:.0f} ms, "
        "once per registry version\n"
    )

    made = corpus(args.posts, small, seed=9)
    cases = [
        Case("moderation off", None),
        Case("moderated, empty registry", []),
        Case("moderated, 10 entities", small),
        Case("moderated, 10,000 entities", large),
    ]
    with tempfile.TemporaryDirectory() as directory:
        for n in range(len(cases)):
            (Path(directory) / str(n)).mkdir()
        await creation_costs(args.engine, cases, made, args.rounds, Path(directory))
    baseline = cases[0].best
    rows = [(case.name, case.best, case.best / baseline) for case in cases]
    title = (
        f"create_post on {args.engine} ({args.posts} posts per case in {args.rounds} blocks, "
        "one transaction each, best block)"
    )
    print(_table(title, "ms per post", rows))


if __name__ == "__main__":
    asyncio.run(main())
