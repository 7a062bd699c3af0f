"""The policy comparison for moderators and admins: two policies over the stored posts."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from townsquare.core.errors import Forbidden
from townsquare.domain.moderation.actions import active_policy
from townsquare.domain.moderation.policy import PRESETS, Policy, load_policy
from townsquare.domain.moderation.simulate import simulate
from townsquare.http.state import state_of
from townsquare.http.web.pages.common import web_router
from townsquare.http.web.session import viewer_of
from townsquare.http.web.templating import page

router = web_router()

STAFF = ("admin", "moderator")
ACTIVE = "active"
# Only the active policy and the presets: a page must not read files off the server.
CHOICES = (ACTIVE, *PRESETS)
LISTED = 200


@router.get("/admin/policy")
async def policy_comparison(request: Request) -> Response:
    viewer = await viewer_of(request)
    if viewer.user.role not in STAFF:
        raise Forbidden("Only moderators and admins can compare policies.")
    state = state_of(request)
    chosen = request.query_params.get("policy", ACTIVE)
    other = request.query_params.get("against", "")
    for value in (chosen, other):
        if value and value not in CHOICES:
            return await page(
                request, "admin_policy.html", status=422, choices=CHOICES, chosen=ACTIVE,
                against="", result=None, error=f"Unknown policy {value!r}.",
            )  # fmt: skip
    async with state.db.read() as conn:
        current = await active_policy(conn, state.site.moderation_policy)

        def resolve(name: str) -> Policy:
            return current if name == ACTIVE else load_policy(name)

        policies = tuple(resolve(name) for name in (chosen, other) if name)
        result = await simulate(conn, policies, max_listed=LISTED)
    return await page(
        request, "admin_policy.html", choices=CHOICES, chosen=chosen, against=other,
        result=result, error=None, active=current,
    )  # fmt: skip
