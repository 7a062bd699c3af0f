"""Trend scores from recent use by distinct accounts: pure arithmetic, no I/O.

An item (a tag, a post, a link) trends when more accounts use it now than it usually
gets. "Now" is a sum over the distinct accounts that used it, each weighted by how
recently it last did (exponential decay with ``half_life``), so one account counts
once however often it posts. "Usually" is the item's own baseline: the distinct
accounts a day it had over the days before the last one, turned into the decayed sum
that steady use at that rate would produce. An item trends when "now" is ``surge``
times "usually" or more, with at least ``min_accounts`` accounts in the last day, and
then scores the excess of the first over the second; so an always-popular tag does
not trend forever, and a tag nobody used before trends on its first few accounts.
See ADR 0016.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

DAY = timedelta(days=1)


@dataclass(frozen=True, slots=True)
class Usage:
    """One account's use of one item on one day (UTC)."""

    account_id: int
    day: int
    last_used_at: datetime
    uses: int = 1


@dataclass(frozen=True, slots=True)
class ScoringRules:
    half_life: timedelta = timedelta(hours=6)
    # days of history kept, shown and used for the baseline (the last day excluded)
    window_days: int = 7
    # fewer distinct accounts than this in the last day never trend: one account alone
    # is not a trend, however new its tag
    min_accounts: int = 2
    # an item trends only when its recent use is this many times its baseline: use
    # bunched into the same hours every day (a morning tag) is not news
    surge: float = 2.0


@dataclass(frozen=True, slots=True)
class DayCount:
    day: int
    uses: int
    accounts: int

    @property
    def midnight(self) -> int:
        return self.day * 86_400


@dataclass(frozen=True, slots=True)
class Score:
    score: float
    # distinct accounts in the last day
    accounts: int
    # newest day first, ``window_days`` days, empty days included
    history: tuple[DayCount, ...]

    @property
    def trending(self) -> bool:
        return self.score > 0


def day_of(moment: datetime) -> int:
    """Whole days since 1970-01-01 UTC."""
    return int(moment.astimezone(UTC).timestamp() // 86_400)


def decay(age: timedelta, half_life: timedelta) -> float:
    """The weight of a use ``age`` ago: 1 now, 1/2 one half-life ago. Future uses (a
    clock a little ahead) weigh 1, not more."""
    return float(0.5 ** (max(age, timedelta()) / half_life))


def steady_sum(accounts_per_day: float, half_life: timedelta) -> float:
    """The decayed sum that ``accounts_per_day`` distinct accounts arriving evenly would
    keep up: the integral of the decay over all ages, times the rate."""
    return accounts_per_day * (half_life / DAY) / math.log(2)


def score(usages: Iterable[Usage], now: datetime, rules: ScoringRules = ScoringRules()) -> Score:
    """The item's score from its usages within the window (older ones are ignored)."""
    today = day_of(now)
    first_day = today - rules.window_days + 1
    per_day: dict[int, dict[int, int]] = {}
    latest: dict[int, datetime] = {}
    baseline_accounts = 0
    recent: set[int] = set()
    baseline_cut = now - DAY
    for usage in usages:
        if usage.day < first_day:
            continue
        accounts = per_day.setdefault(usage.day, {})
        accounts[usage.account_id] = accounts.get(usage.account_id, 0) + usage.uses
        previous = latest.get(usage.account_id)
        if previous is None or usage.last_used_at > previous:
            latest[usage.account_id] = usage.last_used_at
    for day, accounts in per_day.items():
        if day < day_of(baseline_cut):
            baseline_accounts += len(accounts)
    for account_id, used_at in latest.items():
        if used_at >= baseline_cut:
            recent.add(account_id)
    observed = sum(decay(now - used_at, rules.half_life) for used_at in latest.values())
    baseline_days = max(day_of(baseline_cut) - first_day, 1)
    expected = steady_sum(baseline_accounts / baseline_days, rules.half_life)
    surging = observed > rules.surge * expected and len(recent) >= rules.min_accounts
    excess = observed - expected if surging else 0.0
    history = tuple(
        DayCount(day, sum(per_day.get(day, {}).values()), len(per_day.get(day, {})))
        for day in range(today, first_day - 1, -1)
    )
    return Score(max(excess, 0.0), len(recent), history)
