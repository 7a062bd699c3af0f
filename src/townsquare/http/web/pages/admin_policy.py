"""The policy comparison for moderators and admins: two policies over the stored posts;
and, for admins, switching the active policy to a preset as ``townsquare policy use``
does."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from townsquare.core.errors import DomainError, Forbidden
from townsquare.domain.moderation.actions import active_policy, use_policy
from townsquare.domain.moderation.policy import PRESETS, Policy, load_policy
from townsquare.domain.moderation.simulate import simulate
from townsquare.http.state import state_of
from townsquare.http.web.errors import readable
from townsquare.http.web.messages import N_
from townsquare.http.web.pages.common import back_to, web_router
from townsquare.http.web.session import checked_form, viewer_of
from townsquare.http.web.templating import page

router = web_router()

STAFF = ("admin", "moderator")
ACTIVE = "active"
# Only the active policy and the presets: a page must not read files off the server.
CHOICES = (ACTIVE, *PRESETS)
LISTED = 200


def _refuse_outsiders(role: str) -> None:
    if role not in STAFF:
        raise Forbidden("Only moderators and admins can compare policies.")


@router.get("/admin/policy")
async def policy_comparison(request: Request) -> Response:
    viewer = await viewer_of(request)
    _refuse_outsiders(viewer.user.role)
    return await _comparison(request, viewer.user.role)


async def _comparison(
    request: Request, role: str, *, error: str | None = None, status: int = 200
) -> Response:
    state = state_of(request)
    chosen = request.query_params.get("policy", ACTIVE)
    other = request.query_params.get("against", "")
    for value in (chosen, other):
        if value and value not in CHOICES:
            return await page(
                request, "admin_policy.html", status=422, choices=CHOICES, chosen=ACTIVE,
                against="", result=None, error=f"Unknown policy {value!r}.",
                presets=PRESETS, may_switch=role == "admin", active=None,
            )  # fmt: skip
    async with state.db.read() as conn:
        current = await active_policy(conn, state.site.moderation_policy)

        def resolve(name: str) -> Policy:
            return current if name == ACTIVE else load_policy(name)

        policies = tuple(resolve(name) for name in (chosen, other) if name)
        result = await simulate(conn, policies, max_listed=LISTED)
    return await page(
        request, "admin_policy.html", choices=CHOICES, chosen=chosen, against=other,
        result=result, error=error, active=current, presets=PRESETS,
        may_switch=role == "admin", status=status,
    )  # fmt: skip


@router.post("/admin/policy/use")
async def switch_policy(request: Request) -> Response:
    """Only admins switch: the switch changes what every post from now on is decided
    under, which the command line leaves to the operator; moderators only compare."""
    viewer = await viewer_of(request)
    _refuse_outsiders(viewer.user.role)
    if viewer.user.role != "admin":
        raise Forbidden(N_("Only admins can switch the active policy."))
    params = await checked_form(request)
    chosen = params.get_str("preset", "", max_length=64) or ""
    # Presets only: a form must not make the server read a file of the sender's naming.
    if chosen not in PRESETS:
        return await _comparison(
            request, viewer.user.role, error=f"Unknown policy {chosen!r}.", status=422
        )
    try:
        async with state_of(request).db.write() as conn:
            await use_policy(conn, chosen, viewer.user.id)
    except DomainError as exc:
        return await _comparison(
            request, viewer.user.role, error=readable(exc.message), status=exc.status
        )
    return back_to("/admin/policy", "/admin/policy")
