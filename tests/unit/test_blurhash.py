"""Our BlurHash encoder, checked by decoding its output with the published rules."""

from __future__ import annotations

import math

import pytest

from townsquare.core.blurhash import ALPHABET, base83, encode, to_srgb


def _decode83(text: str) -> int:
    value = 0
    for char in text:
        value = value * 83 + ALPHABET.index(char)
    return value


def _to_linear(value: int) -> float:
    v = value / 255
    return v / 12.92 if v <= 0.04045 else ((v + 0.055) / 1.055) ** 2.4


def _components(blurhash: str) -> tuple[int, int, tuple[int, int, int], list[tuple[float, ...]]]:
    """Component counts, the average colour (sRGB) and the AC factors (linear)."""
    flag = _decode83(blurhash[0])
    ny, nx = flag // 9 + 1, flag % 9 + 1
    maximum = (_decode83(blurhash[1]) + 1) / 166
    dc = _decode83(blurhash[2:6])
    average = (dc >> 16, (dc >> 8) & 255, dc & 255)
    ac = []
    for k in range(nx * ny - 1):
        value = _decode83(blurhash[6 + 2 * k : 8 + 2 * k])
        quantised = (value // (19 * 19), (value // 19) % 19, value % 19)
        ac.append(tuple(math.copysign(((q - 9) / 9) ** 2, q - 9) * maximum for q in quantised))
    return nx, ny, average, ac


def _solid(width: int, height: int, rgb: tuple[int, int, int]) -> list[tuple[int, int, int]]:
    return [rgb] * (width * height)


def _halves(width: int, height: int) -> list[tuple[int, int, int]]:
    return [(220, 30, 30) if x < width // 2 else (30, 30, 220) for _ in range(height)
            for x in range(width)]  # fmt: skip


def test_base83_digits() -> None:
    assert base83(0, 1) == "0"
    assert base83(82, 1) == "~"
    assert base83(83, 2) == "10"
    assert base83(83**4 - 1, 4) == "~~~~"
    with pytest.raises(ValueError):
        base83(83, 1)


@pytest.mark.parametrize(("nx", "ny"), [(1, 1), (4, 3), (3, 4), (9, 9)])
def test_length_follows_the_component_counts(nx: int, ny: int) -> None:
    blurhash = encode(_halves(16, 12), 16, 12, nx, ny)
    assert len(blurhash) == 4 + 2 * nx * ny
    assert _components(blurhash)[:2] == (nx, ny)
    assert all(char in ALPHABET for char in blurhash)


def test_a_flat_image_is_its_colour_and_nothing_else() -> None:
    colour = (10, 200, 30)
    blurhash = encode(_solid(64, 48, colour), 64, 48)
    _, _, average, ac = _components(blurhash)
    assert average == colour
    # The published basis samples cos(pi * i * x / width) from x = 0, so odd components
    # of a flat image are not quite zero (about 2 * colour / side); nothing more.
    assert all(abs(channel) < 0.03 for factor in ac for channel in factor)


def test_left_red_right_blue_shows_in_the_first_horizontal_component() -> None:
    blurhash = encode(_halves(64, 64), 64, 64)
    _, _, average, ac = _components(blurhash)
    red, green, blue = ac[0]  # i=1, j=0: cos runs from +1 on the left to -1 on the right
    assert red > 0 > blue
    assert abs(green) < 0.03
    assert red > 0.1
    assert abs(ac[3][0]) < 0.03  # i=0, j=1: no change from top to bottom
    # the average is the mean in linear light, not of the sRGB values
    expected = to_srgb((_to_linear(220) + _to_linear(30)) / 2)
    assert abs(average[0] - expected) <= 1 and abs(average[2] - expected) <= 1


def test_srgb_round_trip() -> None:
    assert all(to_srgb(_to_linear(v)) == v for v in range(256))
    assert to_srgb(-1.0) == 0 and to_srgb(2.0) == 255


def test_bad_arguments() -> None:
    with pytest.raises(ValueError):
        encode(_solid(2, 2, (0, 0, 0)), 2, 2, 0, 3)
    with pytest.raises(ValueError):
        encode(_solid(2, 2, (0, 0, 0)), 2, 2, 4, 10)
    with pytest.raises(ValueError):
        encode(_solid(2, 2, (0, 0, 0)), 3, 2)
