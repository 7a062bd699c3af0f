"""The home timeline reads in rounds: a page stays full when many candidates drop out."""

from __future__ import annotations

from tests.conftest import unique_name
from townsquare.domain.accounts.actions import NewAccount, register
from townsquare.domain.accounts.models import Account
from townsquare.domain.common.paging import Page
from townsquare.domain.common.site import Site
from townsquare.domain.graph.actions import follow, mute
from townsquare.domain.posts.actions import Draft, create_post
from townsquare.domain.timelines.home import HOME_WINDOW_FACTOR, home_timeline
from townsquare.storage.database import Database


async def account(db: Database) -> Account:
    name = unique_name("h")
    async with db.write() as conn:
        return await register(
            conn, NewAccount(username=name, email=f"{name}@example.org", password="a long secret")
        )


async def test_muted_floods_do_not_empty_the_page(db: Database, site: Site) -> None:
    viewer, quiet, loud = await account(db), await account(db), await account(db)
    limit = 5
    async with db.write() as conn:
        await follow(conn, viewer, quiet.id)
        await follow(conn, viewer, loud.id)
        older = [await create_post(conn, site, quiet, Draft(text=f"quiet {i}")) for i in range(3)]
        # More muted posts than one round's window holds, all newer than the quiet ones.
        for i in range(limit * HOME_WINDOW_FACTOR + 7):
            await create_post(conn, site, loud, Draft(text=f"loud {i}"))
        await mute(conn, viewer, loud.id)
    async with db.read() as conn:
        page = await home_timeline(conn, viewer.id, Page(limit=limit))
        assert [s.id for s in page] == [p.id for p in reversed(older)]
        # the same from the other end: oldest-first pages (min_id) skip the flood too
        newer = await home_timeline(conn, viewer.id, Page(min_id=older[0].id, limit=limit))
        assert [s.id for s in newer] == [older[2].id, older[1].id]
