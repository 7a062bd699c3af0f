"""What an upload may be; ``/api/v1/instance`` and ``/api/v2/instance`` report these."""

from __future__ import annotations

from datetime import timedelta

SUPPORTED_TYPES = ("image/jpeg", "image/png", "image/gif", "image/webp")
# Pillow's names for what we accept, as it detects them from the bytes (not the name)
SUPPORTED_FORMATS = ("JPEG", "PNG", "GIF", "WEBP")
MAX_BYTES = 16 * 1024 * 1024
# Width times height, checked before the pixels are decoded: a tiny file that declares
# a huge image (a decompression bomb) is refused without using the memory it asks for.
MAX_PIXELS = 33_177_600
# Originals larger than this are scaled down (Mastodon's 3840x2160 budget).
MAX_STORED_PIXELS = 8_294_400
PREVIEW_LONG_SIDE = 640
MAX_DESCRIPTION = 1500
AVATAR_SIZE = (400, 400)
HEADER_SIZE = (1500, 500)
# Uploads nobody attached to a post within this long are removed.
UNATTACHED_LIFETIME = timedelta(days=1)
