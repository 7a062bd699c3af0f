"""Feed trims are asked for by about one post in 1,024, sampled from its id."""

from __future__ import annotations

from townsquare.core.ids import SnowflakeGenerator
from townsquare.domain.timelines.feeds import asks_for_trim


def test_about_one_post_in_1024_asks_for_a_feed_trim_whatever_its_node() -> None:
    for node in (0, 9):
        generator = SnowflakeGenerator()
        generator.use_node(node)
        # one post per millisecond: every id has sequence 0 in its node's range
        ids = [generator.next_id(1_700_000_000_000 + ms) for ms in range(200_000)]
        asked = sum(asks_for_trim(i) for i in ids)
        assert 100 < asked < 300, asked  # 195 expected
