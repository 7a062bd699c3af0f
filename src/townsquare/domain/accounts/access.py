"""What an account may do in its moderation state."""

from __future__ import annotations

from townsquare.domain.accounts.errors import AccountFrozen
from townsquare.domain.accounts.models import Account


def ensure_can_act(account: Account) -> None:
    """Refuse a write on behalf of a frozen account (posting, interacting, following);
    the HTTP surfaces refuse the rest of its writes before they reach an action."""
    if account.disabled:
        raise AccountFrozen()
