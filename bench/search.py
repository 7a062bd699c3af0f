"""Search quality and latency, on SQLite or PostgreSQL.

Quality: the judged query set (``tests.judged``) over the multilingual corpus
(``tests.corpus``), posted through the domain actions and indexed by the job worker;
prints precision@10 and recall@10 per language.

Latency: then adds ``--posts`` filler posts (bulk-inserted with their index rows, words
drawn from the corpus's vocabulary and from made-up words of each script), and times
each judged query, and a few common-word queries, against a trivial read (``SELECT 1``
through the same database layer) measured in the same run: the ratio is what to
compare across runs.

    python -m bench.search --engine sqlite --posts 100000
    python -m bench.search --engine postgresql --posts 1000000

``--keep URL`` builds into that database and leaves it there; a later run with the same
URL skips building (and the quality table) and times the queries again, which is how
to compare two versions of the code on the same million posts.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import tempfile
import time
from pathlib import Path

from sqlalchemy import func, select, text
from tests.corpus import CORPUS
from tests.judged import JUDGED, precision_recall_at

from bench.kept import drop_database, make_database
from townsquare.core.clock import utcnow
from townsquare.core.ids import SnowflakeGenerator
from townsquare.domain.accounts.actions import NewAccount, register
from townsquare.domain.common.site import Site
from townsquare.domain.posts.actions import Draft, create_post
from townsquare.domain.search.index import post_terms
from townsquare.domain.search.parse import parse_query
from townsquare.domain.search.posts import query_language
from townsquare.domain.search.queries import search_statuses
from townsquare.jobs.worker import Worker
from townsquare.storage.database import Database
from townsquare.storage.migrate import migrate
from townsquare.storage.schema import accounts, status_search, statuses

SITE = Site(base_url="http://bench.invalid", domain="bench.invalid")
CHUNK = 2000
# the last two are detected (Urdu, English): posts in their language rank first
COMMON = ("ہے", "the", "और", "آج", "اور is", "آج موسم", "the weather")
_SCRIPTS = ("ابپتٹثجچحخدڈذرڑزژسشصضطظعغفقکگلمنںوہھءیے", "abcdefghijklmnopqrstuvwxyz",
            "कखगघचछजझटठडढणतथदधनपफबभमयरलवशसह", "ابتثجحخدذرزسشصضطظعغفقكلمنهوي")  # fmt: skip


async def _quality(db: Database) -> tuple[dict[int, str], int, list[tuple[str, float, float, int]]]:
    async with db.write() as conn:
        author = await register(
            conn, NewAccount(username="bench", email="bench@bench.invalid", password="bench pass 1")
        )
    posted: dict[int, str] = {}
    for sample in CORPUS:
        async with db.write() as conn:
            post = await create_post(conn, SITE, author, Draft(text=sample.text))
        posted[post.id] = sample.key
    await Worker(db, SITE).run_until_idle()
    scores: dict[str, list[tuple[float, float]]] = {}
    for judged in JUDGED:
        async with db.read() as conn:
            found = await search_statuses(
                conn, author.id, parse_query(judged.query), limit=10, languages=SITE.languages
            )
        keys = [posted[post.id] for post in found if post.id in posted]
        scores.setdefault(judged.language, []).append(precision_recall_at(keys, judged.relevant))
    table = [
        (language, statistics.mean(p for p, _ in s), statistics.mean(r for _, r in s), len(s))
        for language, s in scores.items()
    ]
    return posted, author.id, table


async def _filler(db: Database, author_id: int, n_posts: int) -> None:
    rng = random.Random(7)
    vocabulary = sorted({word for sample in CORPUS for word in sample.text.split()})
    made_up = [
        "".join(rng.choice(script) for _ in range(rng.randint(3, 8)))
        for script in _SCRIPTS
        for _ in range(5000)
    ]
    ids = SnowflakeGenerator()
    now = utcnow()
    start_ms = int(now.timestamp() * 1000) - 30 * 86_400_000
    done = 0
    while done < n_posts:
        rows, index_rows = [], []
        for _ in range(min(CHUNK, n_posts - done)):
            words = rng.choices(vocabulary, k=rng.randint(2, 6))
            words += rng.choices(made_up, k=rng.randint(3, 12))
            rng.shuffle(words)
            body = " ".join(words)
            post_id = ids.next_id(start_ms + rng.randint(0, 30 * 86_400_000))
            rows.append({"id": post_id, "account_id": author_id, "text": body,
                         "content_html": f"<p>{body}</p>", "visibility": "public",
                         "created_at": now, "local": True})  # fmt: skip
            index_rows.append({"status_id": post_id, "terms": post_terms(body)})
        async with db.write() as conn:
            await conn.execute(statuses.insert(), rows)
            await conn.execute(status_search.insert(), index_rows)
        done += len(rows)
        print(f"  filler {done}/{n_posts}", end="\r", flush=True)
    print()
    if not db.is_sqlite:
        async with db.write() as conn:
            await conn.execute(text("ANALYZE"))


async def _timed(
    db: Database, viewer_id: int, q: str | None, rounds: int, languages: tuple[str, ...] = ()
) -> float:
    """Median milliseconds of one search for ``q`` (None: the trivial read), its
    language detected among ``languages`` (none: not detected)."""
    parsed = parse_query(q) if q is not None else None
    times = []
    for _ in range(rounds):
        started = time.perf_counter()
        async with db.read() as conn:
            if parsed is None:
                await conn.execute(text("SELECT 1"))
            else:
                await search_statuses(conn, viewer_id, parsed, limit=20, languages=languages)
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


async def _built(db: Database) -> int | None:
    """The bench account of a kept database that was built, if it was."""
    async with db.read() as conn:
        return await conn.scalar(select(accounts.c.id).where(accounts.c.username == "bench"))


async def _build(db: Database, engine: str, n_posts: int) -> int:
    _posted, viewer_id, table = await _quality(db)
    print(f"\nSearch quality on {engine} ({len(JUDGED)} judged queries)\n")
    print("| language | queries | precision@10 | recall@10 |")
    print("|---|---:|---:|---:|")
    for language, precision, recall, count in table:
        print(f"| {language} | {count} | {precision:.2f} | {recall:.2f} |")
    await _filler(db, viewer_id, n_posts)
    return viewer_id


async def main(engine: str, n_posts: int, rounds: int, keep: str | None) -> None:
    with tempfile.TemporaryDirectory() as directory:
        url = keep or await make_database(engine, Path(directory))
        db = Database(url)
        try:
            await migrate(db)
            viewer_id = await _built(db) if keep else None
            if viewer_id is None:
                viewer_id = await _build(db, engine, n_posts)
            async with db.read() as conn:
                total = await conn.scalar(select(func.count()).select_from(statuses))
            trivial = await _timed(db, viewer_id, None, rounds)
            print(f"\nSearch latency on {engine}, {total:,} posts "
                  f"(median of {rounds}; trivial read {trivial:.2f} ms)\n")  # fmt: skip
            # as the server searches (the query's language detected), and without
            print("| query | language | ms | × trivial | ms undetected |")
            print("|---|---|---:|---:|---:|")
            for q in [*(j.query for j in JUDGED), *COMMON]:
                language = query_language(parse_query(q), SITE.languages) or ""
                ms = await _timed(db, viewer_id, q, rounds, SITE.languages)
                plain = await _timed(db, viewer_id, q, rounds) if language else ms
                print(f"| {q} | {language} | {ms:.2f} | {ms / trivial:.0f} | {plain:.2f} |")
        finally:
            await db.dispose()
            if not keep:
                await drop_database(url)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--engine", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--posts", type=int, default=100_000, help="filler posts")
    parser.add_argument("--rounds", type=int, default=20, help="timings per query")
    parser.add_argument("--keep", metavar="URL", help="database to build into and keep")
    arguments = parser.parse_args()
    asyncio.run(main(arguments.engine, arguments.posts, arguments.rounds, arguments.keep))
