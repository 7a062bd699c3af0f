"""Snowflake ids: ordered by time, unique, and parsed strictly from client input."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from townsquare.core.ids import SnowflakeGenerator, id_at, new_id, parse_id, time_of


def test_ids_from_one_generator_strictly_increase() -> None:
    ids = [new_id() for _ in range(5000)]
    assert ids == sorted(ids)
    assert len(set(ids)) == len(ids)


def test_an_id_carries_its_millisecond() -> None:
    generator = SnowflakeGenerator()
    moment = datetime(2024, 3, 1, 12, 30, 15, 250_000, tzinfo=UTC)
    ms = int(moment.timestamp() * 1000)
    snowflake = generator.next_id(ms)
    assert time_of(snowflake) == pytest.approx(moment.timestamp())
    assert id_at(moment) <= snowflake < id_at(moment) + (1 << 16)


def test_ids_stay_ordered_when_the_clock_goes_back() -> None:
    generator = SnowflakeGenerator()
    first = generator.next_id(1_700_000_000_000)
    second = generator.next_id(1_699_999_999_000)
    assert second > first


def test_a_full_millisecond_spills_into_the_next() -> None:
    generator = SnowflakeGenerator()
    ms = 1_700_000_000_000
    ids = [generator.next_id(ms) for _ in range(70_000)]
    assert ids == sorted(set(ids))
    assert time_of(ids[-1]) > time_of(ids[0])
    # the next real millisecond still sorts after everything handed out
    assert generator.next_id(ms + 1) > ids[-1]


def test_ids_fit_a_signed_64_bit_column() -> None:
    assert 0 < new_id() < (1 << 63)


def test_date_based_pagination_ids_bracket_rows() -> None:
    before = id_at(datetime.now(UTC))
    made = new_id()
    assert made >= before


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("1", 1),
        ("112233445566778899", 112233445566778899),
        (42, 42),
        (str((1 << 63) - 1), (1 << 63) - 1),
    ],
)
def test_valid_ids_parse(value: object, expected: int) -> None:
    assert parse_id(value) == expected


@pytest.mark.parametrize(
    "value",
    [
        "",
        "0",
        "-5",
        " 5",
        "5 ",
        "1.0",
        "1e3",
        "abc",
        "٣٤",  # Arabic-Indic digits pass str.isdigit but are not ids
        "²",
        str(1 << 63),
        "9" * 40,
        0,
        -1,
        1 << 63,
        True,
        None,
        1.0,
        ["1"],
    ],
)
def test_invalid_ids_are_none(value: object) -> None:
    assert parse_id(value) is None


def test_processes_on_different_nodes_never_make_the_same_id() -> None:
    ms = 1_700_000_000_000
    made: set[int] = set()
    for node in (0, 1, 63):
        generator = SnowflakeGenerator()
        generator.use_node(node)
        # the same milliseconds, a burst of 3,000 ids each (spilling past 1,024 per ms)
        ids = [generator.next_id(ms) for _ in range(3000)]
        assert ids == sorted(set(ids))
        assert not made & set(ids)
        made |= set(ids)


def test_claiming_a_node_keeps_ids_increasing() -> None:
    generator = SnowflakeGenerator()
    ms = 1_700_000_000_000
    before = [generator.next_id(ms) for _ in range(10)]
    generator.use_node(5)
    after = [generator.next_id(ms) for _ in range(10)]
    assert before + after == sorted(set(before + after))


def test_a_node_outside_the_range_is_refused() -> None:
    with pytest.raises(ValueError, match="node"):
        SnowflakeGenerator().use_node(64)
