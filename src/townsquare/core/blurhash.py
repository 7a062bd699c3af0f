"""BlurHash: a few dozen characters that stand for an image until it loads.

Written from the published algorithm (https://github.com/woltapp/blurhash, the
"Algorithm" section): the image, in linear light, is projected onto a small grid of
cosine components; the average colour is stored in four base-83 digits, every other
component in two, quantised against the largest of them.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz#$%*+,-.:;=?@[]^_{|}~"

# One (r, g, b) triple of 0..255 per pixel, row by row.
Pixels = Sequence[tuple[int, int, int]]

_TO_LINEAR = [
    (v / 255) / 12.92 if v / 255 <= 0.04045 else ((v / 255 + 0.055) / 1.055) ** 2.4
    for v in range(256)
]


def base83(value: int, length: int) -> str:
    if not 0 <= value < 83**length:
        raise ValueError(f"{value} does not fit in {length} base-83 digits")
    return "".join(ALPHABET[(value // 83 ** (length - i)) % 83] for i in range(1, length + 1))


def to_srgb(value: float) -> int:
    """A linear-light channel (0..1, clamped) as an 8-bit sRGB value."""
    v = min(max(value, 0.0), 1.0)
    if v <= 0.0031308:
        return int(v * 12.92 * 255 + 0.5)
    return int((1.055 * v ** (1 / 2.4) - 0.055) * 255 + 0.5)


def _sign_pow(value: float, exponent: float) -> float:
    return math.copysign(abs(value) ** exponent, value)


def encode(pixels: Pixels, width: int, height: int, x_components: int = 4,
           y_components: int = 3) -> str:  # fmt: skip
    """The BlurHash of an image given as ``width * height`` sRGB pixels."""
    if not (1 <= x_components <= 9 and 1 <= y_components <= 9):
        raise ValueError("each component count must be between 1 and 9")
    if width < 1 or height < 1 or len(pixels) != width * height:
        raise ValueError("pixels must hold width * height triples")
    linear = [(_TO_LINEAR[r], _TO_LINEAR[g], _TO_LINEAR[b]) for r, g, b in pixels]
    cos_x = [[math.cos(math.pi * i * x / width) for x in range(width)] for i in range(x_components)]
    cos_y = [
        [math.cos(math.pi * j * y / height) for y in range(height)] for j in range(y_components)
    ]
    factors: list[tuple[float, float, float]] = []
    for j in range(y_components):
        for i in range(x_components):
            normalisation = 1.0 if i == 0 and j == 0 else 2.0
            r = g = b = 0.0
            for y in range(height):
                row_basis = cos_y[j][y]
                offset = y * width
                for x in range(width):
                    basis = cos_x[i][x] * row_basis
                    pr, pg, pb = linear[offset + x]
                    r += basis * pr
                    g += basis * pg
                    b += basis * pb
            scale = normalisation / (width * height)
            factors.append((r * scale, g * scale, b * scale))

    dc, ac = factors[0], factors[1:]
    parts = [base83((x_components - 1) + (y_components - 1) * 9, 1)]
    if ac:
        actual_max = max(abs(channel) for factor in ac for channel in factor)
        quantised_max = int(max(0, min(82, math.floor(actual_max * 166 - 0.5))))
        maximum = (quantised_max + 1) / 166
        parts.append(base83(quantised_max, 1))
    else:
        maximum = 1.0
        parts.append(base83(0, 1))
    parts.append(base83((to_srgb(dc[0]) << 16) + (to_srgb(dc[1]) << 8) + to_srgb(dc[2]), 4))
    for factor in ac:
        r, g, b = (
            int(max(0, min(18, math.floor(_sign_pow(c / maximum, 0.5) * 9 + 9.5)))) for c in factor
        )
        parts.append(base83(r * 19 * 19 + g * 19 + b, 2))
    return "".join(parts)
