"""Our own API (docs/api-extensions.md): label preferences, and one's own strikes and
appeals, with the errors it promises (404 unknown, 409 second appeal, 422 late)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import timedelta

import httpx
from sqlalchemy import update

from tests.api.test_startup_endpoints import bearer
from tests.conftest import User
from tests.servers import Server
from townsquare.core.clock import utcnow
from townsquare.domain.moderation.sanctions import record_decision, record_strike
from townsquare.storage.database import Database
from townsquare.storage.schema import strikes


def _http(server: Server, user: User) -> httpx.Client:
    return httpx.Client(base_url=server.url, headers=bearer(user.api.access_token), timeout=30)


def _strike(server: Server, account_id: str, *, age: timedelta = timedelta()) -> str:
    async def go() -> int:
        db = Database(server.env["TOWNSQUARE_DATABASE_URL"])
        try:
            async with db.write() as conn:
                decision = await record_decision(
                    conn, "account", int(account_id), "strike", "rule-1", moderator_id=None
                )
                strike_id = await record_strike(
                    conn, int(account_id), decision, "strike", "rule-1", text="A warning"
                )
                if age:
                    await conn.execute(
                        update(strikes)
                        .where(strikes.c.id == strike_id)
                        .values(created_at=utcnow() - age)
                    )
            return strike_id
        finally:
            await db.dispose()

    return str(asyncio.run(go()))


def test_label_preferences_are_read_and_replaced(
    make_user: Callable[..., User], server: Server
) -> None:
    user = make_user("lp")
    with _http(server, user) as http:
        assert http.get("/api/v1/townsquare/label_preferences").json() == {
            "preferences": {},
            "choices": ["show", "warn", "hide"],
        }
        saved = http.put(
            "/api/v1/townsquare/label_preferences",
            json={"preferences": {"fruit-talk": "hide", "graphic": "warn"}},
        )
        assert saved.status_code == 200, saved.text
        assert saved.json()["preferences"] == {"fruit-talk": "hide", "graphic": "warn"}
        form = http.put(
            "/api/v1/townsquare/label_preferences", data={"preferences[graphic]": "show"}
        )
        assert form.json()["preferences"] == {"graphic": "show"}
        bad = http.put(
            "/api/v1/townsquare/label_preferences", json={"preferences": {"graphic": "never"}}
        )
        assert bad.status_code == 422 and "error" in bad.json()
        assert http.get("/api/v1/townsquare/label_preferences").json()["preferences"] == {
            "graphic": "show"
        }
    assert httpx.get(f"{server.url}/api/v1/townsquare/label_preferences").status_code == 401


def test_strikes_and_appeals(make_user: Callable[..., User], server: Server) -> None:
    user, other = make_user("sk"), make_user("sko")
    strike_id = _strike(server, user.id)
    late_id = _strike(server, user.id, age=timedelta(days=30))
    with _http(server, user) as http:
        listed = http.get("/api/v1/townsquare/strikes").json()
        assert [s["id"] for s in listed] == sorted([strike_id, late_id], reverse=True)
        first = next(s for s in listed if s["id"] == strike_id)
        assert first["appealable"] is True and first["appeal"] is None
        assert first["text"] == "A warning" and first["appeal_deadline"]

        empty = http.post(f"/api/v1/townsquare/strikes/{strike_id}/appeal", data={"text": " "})
        assert empty.status_code == 422
        made = http.post(
            f"/api/v1/townsquare/strikes/{strike_id}/appeal", data={"text": "It was satire"}
        )
        assert made.status_code == 200, made.text
        assert made.json()["appeal"]["state"] == "pending"
        assert made.json()["appealable"] is False
        again = http.post(f"/api/v1/townsquare/strikes/{strike_id}/appeal", data={"text": "!"})
        assert again.status_code == 409 and "error" in again.json()
        late = http.post(f"/api/v1/townsquare/strikes/{late_id}/appeal", data={"text": "late"})
        assert late.status_code == 422 and "window" in late.json()["error"]
        unknown = http.post("/api/v1/townsquare/strikes/12345/appeal", data={"text": "?"})
        assert unknown.status_code == 404
    with _http(server, other) as http:
        assert http.get("/api/v1/townsquare/strikes").json() == []
        theirs = http.post(f"/api/v1/townsquare/strikes/{late_id}/appeal", data={"text": "x"})
        assert theirs.status_code == 404
