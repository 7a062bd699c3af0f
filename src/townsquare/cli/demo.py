"""``townsquare demo``: fill a fresh instance with a living square.

Accounts with English and Urdu names follow each other, post in both languages,
reply, repost and like, all through the same domain actions the API uses.
"""

from __future__ import annotations

import random
import secrets
from typing import Annotated

import typer

from townsquare.cli.demo_content import (
    ENGLISH_POSTS,
    ENGLISH_REPLIES,
    PEOPLE,
    URDU_POSTS,
    URDU_REPLIES,
)
from townsquare.core.errors import DomainError
from townsquare.domain.accounts.actions import NewAccount, ProfileChanges, register, update_profile
from townsquare.domain.accounts.models import Account
from townsquare.domain.accounts.queries import account_by_username
from townsquare.domain.common.site import Site
from townsquare.domain.graph.actions import follow
from townsquare.domain.interactions.actions import favourite
from townsquare.domain.posts.actions import Draft, create_post
from townsquare.domain.posts.models import Status
from townsquare.domain.posts.reblogs import reblog
from townsquare.storage.database import Database


async def fill(db: Database, site: Site, *, posts: int, password: str, seed: int) -> int:
    """Create the demo accounts and activity; answers how many posts were made."""
    rng = random.Random(seed)
    people: list[Account] = []
    async with db.write() as conn:
        if await account_by_username(conn, PEOPLE[0][0]) is not None:
            raise DomainError("this instance already has the demo accounts")
        for username, display_name, bio in PEOPLE:
            account = await register(
                conn,
                NewAccount(
                    username=username,
                    email=f"{username}@demo.invalid",
                    password=password,
                    display_name=display_name,
                ),
            )
            people.append(await update_profile(conn, account.id, ProfileChanges(note=bio)))
        for person in people:
            for other in rng.sample(people, rng.randint(5, 15)):
                if other.id != person.id:
                    await follow(conn, person, other.id)

    made: list[Status] = []
    for _ in range(posts):
        author = rng.choice(people)
        urdu = rng.random() < 0.5
        async with db.write() as conn:
            if made and rng.random() < 0.3:
                parent = rng.choice(made)
                replies = URDU_REPLIES if urdu else ENGLISH_REPLIES
                draft = Draft(
                    text=rng.choice(replies),
                    in_reply_to_id=parent.id,
                    language="ur" if urdu else "en",
                )
            else:
                draft = Draft(
                    text=rng.choice(URDU_POSTS if urdu else ENGLISH_POSTS),
                    language="ur" if urdu else "en",
                )
            try:
                post = await create_post(conn, site, author, draft)
            except DomainError:
                continue
            made.append(post)
            for liker in rng.sample(people, rng.randint(0, 6)):
                if liker.id != author.id:
                    await favourite(conn, liker, post.id)
            if rng.random() < 0.1:
                booster = rng.choice(people)
                if booster.id != author.id and post.in_reply_to_id is None:
                    await reblog(conn, site, booster, post.id)
    return len(made)


def demo(
    posts: Annotated[int, typer.Option(help="How many posts to write.", min=1, max=10_000)] = 300,
    seed: Annotated[int, typer.Option(help="Random seed, for a repeatable square.")] = 1,
) -> None:
    """Fill a fresh instance with demo accounts, follows, posts, replies and likes."""
    from townsquare.app import site_of
    from townsquare.cli.database import open_database
    from townsquare.cli.main import run, settings_or_exit

    settings = settings_or_exit()
    password = secrets.token_urlsafe(9)

    async def go() -> int:
        db = await open_database(settings)
        try:
            return await fill(db, site_of(settings), posts=posts, password=password, seed=seed)
        finally:
            await db.dispose()

    made = run(go)
    typer.echo(f"made {len(PEOPLE)} accounts and {made} posts")
    typer.echo(f"log in as any of them (e.g. {PEOPLE[0][0]}) with the password: {password}")
