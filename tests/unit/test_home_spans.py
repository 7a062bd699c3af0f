"""The home timeline's widening spans cover the page's whole range, without gaps."""

from __future__ import annotations

from itertools import pairwise

from townsquare.core.ids import id_span
from townsquare.domain.common.paging import Page
from townsquare.domain.timelines.home import HOME_FIRST_SPAN, HOME_SPAN_DOUBLINGS, _spans

NOW = 1 << 60
SPAN = id_span(HOME_FIRST_SPAN)


def _covered(page: Page) -> tuple[int, int]:
    """The ids a span admits, as an inclusive range."""
    low = (page.min_id if page.min_id is not None else page.since_id or 0) + 1
    high = (page.max_id if page.max_id is not None else NOW + SPAN) - 1
    return low, high


def test_newest_first_spans_walk_back_to_the_beginning() -> None:
    spans = list(_spans(Page(limit=40), ascending=False, now_id=NOW))
    assert len(spans) == HOME_SPAN_DOUBLINGS + 1
    assert [last for _, last in spans] == [False] * HOME_SPAN_DOUBLINGS + [True]
    ranges = [_covered(page) for page, _ in spans]
    for (newer_low, _), (_, older_high) in pairwise(ranges):
        assert older_high == newer_low - 1  # adjacent: nothing skipped, nothing twice
    assert ranges[0][1] >= NOW and ranges[-1][0] == 1
    widths = [high - low for low, high in ranges[1:-1]]
    assert all(wider > narrower for narrower, wider in pairwise(widths))


def test_spans_stop_at_since_id_and_start_at_max_id() -> None:
    since, top = NOW - 3 * SPAN, NOW - SPAN
    spans = list(_spans(Page(max_id=top, since_id=since, limit=40), False, NOW))
    assert spans[-1][1] is True and len(spans) < HOME_SPAN_DOUBLINGS + 1
    ranges = [_covered(page) for page, _ in spans]
    assert ranges[0][1] == top - 1 and ranges[-1][0] == since + 1


def test_oldest_first_spans_walk_forward_to_now() -> None:
    start = NOW - 100 * SPAN
    spans = list(_spans(Page(min_id=start, limit=40), ascending=True, now_id=NOW))
    ranges = [_covered(page) for page, _ in spans]
    assert ranges[0][0] == start + 1
    for (_, older_high), (newer_low, _) in pairwise(ranges):
        assert newer_low == older_high + 1
    assert spans[-1][0].max_id is None and spans[-1][1] is True
