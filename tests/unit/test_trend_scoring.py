"""Trend arithmetic: decay, one vote per account, each item against its own baseline."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from townsquare.domain.trends.scoring import (
    ScoringRules,
    Usage,
    day_of,
    decay,
    score,
    steady_sum,
)

NOW = datetime(2026, 12, 2, 15, 0, tzinfo=UTC)
HOUR = timedelta(hours=1)
ANYONE = ScoringRules(min_accounts=1)


def used(account_id: int, ago: timedelta, uses: int = 1) -> Usage:
    at = NOW - ago
    return Usage(account_id, day_of(at), at, uses)


def test_decay_halves_every_half_life_and_never_exceeds_one() -> None:
    half_life = timedelta(hours=6)
    assert decay(timedelta(), half_life) == 1.0
    assert decay(half_life, half_life) == pytest.approx(0.5)
    assert decay(3 * half_life, half_life) == pytest.approx(0.125)
    assert decay(-HOUR, half_life) == 1.0  # a clock a little ahead does not boost


def test_one_account_posting_a_hundred_times_counts_once() -> None:
    once = score([used(1, HOUR)], NOW, ANYONE)
    hundred = score([used(1, HOUR * i / 10) for i in range(10, 110)], NOW, ANYONE)
    assert hundred.score == pytest.approx(once.score)
    assert hundred.accounts == 1
    three_people = score([used(a, HOUR) for a in (1, 2, 3)], NOW, ANYONE)
    assert three_people.score == pytest.approx(3 * once.score)


def test_the_latest_use_of_each_account_is_what_decays() -> None:
    stale = score([used(1, 30 * HOUR)], NOW, ANYONE)
    renewed = score([used(1, 30 * HOUR), used(1, HOUR)], NOW, ANYONE)
    assert renewed.score > stale.score


def test_recent_use_beats_the_same_use_long_ago() -> None:
    recent = score([used(a, 2 * HOUR) for a in range(5)], NOW)
    long_ago = score([used(a, 72 * HOUR) for a in range(5)], NOW)
    assert recent.trending
    assert not long_ago.trending  # no one in the last day
    assert recent.score > long_ago.score


def test_an_always_popular_tag_does_not_trend_a_new_one_does() -> None:
    # ten accounts a day for the whole week, at the same hours, today included
    steady = [used(day * 10 + a, day * 24 * HOUR + a * HOUR) for day in range(7) for a in range(10)]
    fresh = [used(100 + a, a * HOUR) for a in range(10)]
    assert not score(steady, NOW).trending
    assert score(fresh, NOW).trending
    # the same people ten times as many as usual make the steady tag trend again
    surge = steady + [used(1000 + a, a * HOUR / 10) for a in range(100)]
    assert score(surge, NOW).trending


def test_the_baseline_is_the_decayed_sum_of_steady_use() -> None:
    half_life = timedelta(hours=6)
    # one account a day decays to about a third of one fresh account with a 6 h half-life
    assert steady_sum(1, half_life) == pytest.approx(0.25 / 0.693147, rel=1e-4)
    baseline = [used(a, (30 + 24 * a) * HOUR) for a in range(5)]  # five earlier days
    now_use = [used(10, timedelta()), used(11, timedelta())]
    with_baseline = score(baseline + now_use, NOW)
    without = score(now_use, NOW)
    assert with_baseline.score < without.score


def test_one_account_alone_is_not_a_trend() -> None:
    assert not score([used(1, HOUR, uses=50)], NOW).trending
    assert score([used(1, HOUR), used(2, HOUR)], NOW).trending


def test_history_has_a_week_of_days_newest_first_with_uses_and_accounts() -> None:
    result = score([used(1, HOUR, uses=3), used(2, HOUR), used(1, 24 * HOUR)], NOW)
    assert len(result.history) == 7
    days = [d.day for d in result.history]
    assert days == sorted(days, reverse=True) and days[0] == day_of(NOW)
    assert (result.history[0].uses, result.history[0].accounts) == (4, 2)
    assert (result.history[1].uses, result.history[1].accounts) == (1, 1)
    assert all(d.uses == 0 and d.accounts == 0 for d in result.history[2:])
    assert result.history[0].midnight % 86_400 == 0


def test_uses_outside_the_window_are_ignored() -> None:
    old = [used(a, 8 * 24 * HOUR) for a in range(50)]
    assert score(old, NOW, ANYONE).score == 0
    assert all(d.uses == 0 for d in score(old, NOW).history)
