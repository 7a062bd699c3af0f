"""Fill a database with a realistic square for benchmarks.

Rows are bulk-inserted (the domain actions would take many minutes for 200,000 posts);
what they hold matches what the actions write: rendered HTML, counters, snowflake ids
spread over the past month, and a heavy-tailed follower graph where a few accounts are
followed by thousands and most by a handful.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import func, select, update
from sqlalchemy import text as sql

from townsquare.core.clock import utcnow
from townsquare.core.ids import SnowflakeGenerator
from townsquare.core.text import render_html
from townsquare.domain.accounts.passwords import hash_password
from townsquare.domain.auth.actions import create_app, issue_token
from townsquare.domain.common.site import Site
from townsquare.domain.timelines import feeds
from townsquare.storage.database import Database
from townsquare.storage.schema import accounts, follows, statuses, users

ENGLISH = [
    "the",
    "square",
    "is",
    "busy",
    "today",
    "people",
    "talk",
    "about",
    "cricket",
    "weather",
    "music",
    "books",
    "trains",
    "tea",
    "markets",
    "elections",
    "football",
    "rain",
    "city",
    "river",
    "mountains",
    "school",
    "family",
    "friends",
    "work",
    "news",
    "coffee",
    "bread",
    "garden",
    "history",
    "science",
    "art",
    "film",
    "poetry",
]
URDU = [
    "آج",
    "چوک",
    "میں",
    "بہت",
    "رونق",
    "ہے",
    "لوگ",
    "کرکٹ",
    "موسم",
    "موسیقی",
    "کتابیں",
    "ریل",
    "چائے",
    "بازار",
    "انتخابات",
    "بارش",
    "شہر",
    "دریا",
    "پہاڑ",
    "اسکول",
    "خاندان",
    "دوست",
    "کام",
    "خبریں",
    "باغ",
    "تاریخ",
    "سائنس",
    "فن",
    "شاعری",
]
TAGS = ["cricket", "news", "پاکستان", "اردو", "music", "lahore", "karachi", "books"]
CHUNK = 5000


@dataclass(frozen=True)
class Seeded:
    reader_tokens: list[str]
    accounts: int
    posts: int
    follows: int


def _text(rng: random.Random) -> str:
    words = URDU if rng.random() < 0.4 else ENGLISH
    body = " ".join(rng.choice(words) for _ in range(rng.randint(6, 30)))
    if rng.random() < 0.3:
        body += f" #{rng.choice(TAGS)}"
    return body


def _zipf_weights(n: int, s: float) -> list[float]:
    return [1.0 / (rank**s) for rank in range(1, n + 1)]


async def seed(
    db: Database,
    site: Site,
    *,
    n_accounts: int,
    n_posts: int,
    readers: int = 200,
    seed_value: int = 7,
) -> Seeded:
    rng = random.Random(seed_value)
    ids = SnowflakeGenerator()
    now = utcnow()
    start = now - timedelta(days=30)
    password_hash = hash_password("benchmark-password")

    account_rows = []
    user_rows = []
    for i in range(n_accounts):
        created = start - timedelta(days=rng.randint(1, 300))
        account_id = ids.next_id(int(created.timestamp() * 1000))
        username = f"user{i}"
        account_rows.append(
            {"id": account_id, "username": username, "username_key": username, "domain": "",
             "display_name": f"User {i}", "created_at": created, "updated_at": created}
        )  # fmt: skip
        user_rows.append(
            {"account_id": account_id, "email": f"{username}@bench.invalid",
             "email_key": f"{username}@bench.invalid", "password_hash": password_hash,
             "created_at": created}
        )  # fmt: skip
    account_ids = [row["id"] for row in account_rows]
    popularity = _zipf_weights(n_accounts, 0.9)

    follow_pairs: set[tuple[int, int]] = set()
    for follower in account_ids:
        wanted = min(int(rng.lognormvariate(3.3, 0.9)), 1000, n_accounts - 1)
        for target in rng.choices(account_ids, weights=popularity, k=wanted):
            if target != follower:
                follow_pairs.add((follower, target))
    # Ids are timestamps and the generator never goes back: the follows take ids at the
    # start of the month, so that every post's id still tells when it was written.
    start_ms = int(start.timestamp() * 1000)
    follow_rows = [
        {"id": ids.next_id(start_ms), "account_id": a, "target_account_id": b,
         "created_at": start}
        for a, b in follow_pairs
    ]  # fmt: skip

    activity = _zipf_weights(n_accounts, 0.7)
    authors = rng.choices(account_ids, weights=activity, k=n_posts)
    span_ms = int((now - start).total_seconds() * 1000)
    moments = sorted(rng.randrange(span_ms) for _ in range(n_posts))
    base_ms = int(start.timestamp() * 1000)
    status_rows = []
    for author, offset in zip(authors, moments, strict=True):
        status_id = ids.next_id(base_ms + offset)
        text = _text(rng)
        created = start + timedelta(milliseconds=offset)
        status_rows.append(
            {"id": status_id, "account_id": author, "text": text,
             "content_html": render_html(text, mention_url=lambda _u, _d: None,
                                         tag_url=site.tag_url),
             "visibility": "public", "language": "ur" if text[0] in "".join(URDU) else "en",
             "conversation_id": status_id, "created_at": created, "local": True,
             "uri": f"{site.base_url}/statuses/{status_id}"}
        )  # fmt: skip

    async with db.write() as conn:
        for table, rows in ((accounts, account_rows), (users, user_rows), (follows, follow_rows),
                            (statuses, status_rows)):  # fmt: skip
            for i in range(0, len(rows), CHUNK):
                await conn.execute(table.insert(), rows[i : i + CHUNK])
        await conn.execute(
            update(accounts).values(
                followers_count=select(func.count())
                .where(follows.c.target_account_id == accounts.c.id)
                .scalar_subquery(),
                following_count=select(func.count())
                .where(follows.c.account_id == accounts.c.id)
                .scalar_subquery(),
                statuses_count=select(func.count())
                .where(statuses.c.account_id == accounts.c.id)
                .scalar_subquery(),
            )
        )
        app = await create_app(
            conn, name="bench", redirect_uris="urn:ietf:wg:oauth:2.0:oob",
            scopes="read write follow", website=None,
        )  # fmt: skip
        # Readers are typical accounts: neither the most followed nor idle ones.
        sample = rng.sample(account_ids[n_accounts // 10 :], min(readers, n_accounts // 2))
        tokens = [
            (await issue_token(conn, app.id, reader, ["read", "write"])).token for reader in sample
        ]
    # Every account's home feed, as `townsquare feeds rebuild` fills it after an import.
    async with db.write() as conn:
        await feeds.rebuild_all(conn)
    if not db.is_sqlite:
        # A server's autovacuum would have run long before this many rows: it gathers
        # the statistics (right after a bulk load the planner has none and guesses
        # scans) and marks the visibility map, without which no scan is index-only.
        # VACUUM runs outside a transaction.
        async with db.engine.connect() as conn:
            conn = await conn.execution_options(isolation_level="AUTOCOMMIT")
            await conn.execute(sql("VACUUM ANALYZE"))
    return Seeded(tokens, n_accounts, n_posts, len(follow_rows))
