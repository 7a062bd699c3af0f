"""What the domain needs to know about this instance: its address, limits and languages."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote

from townsquare.domain.languages.detection import DEFAULT_LANGUAGES
from townsquare.storage.blobs import BlobStore


@dataclass(frozen=True, slots=True)
class Site:
    base_url: str
    domain: str
    max_status_chars: int = 500
    # the languages posts are detected among (TOWNSQUARE_LANGUAGES)
    languages: tuple[str, ...] = DEFAULT_LANGUAGES
    # preset name or policy file; a policy chosen at run time (in the database) wins
    moderation_policy: str = "open"
    # at most this long between a use and the trends refresh that counts it
    # (TOWNSQUARE_TRENDS_REFRESH_SECONDS); 0 refreshes after every recorded use
    trends_refresh_seconds: int = 600
    # where uploaded media and profile images are kept (TOWNSQUARE_MEDIA_DIR by default);
    # None where nothing is uploaded
    blobs: BlobStore | None = None

    def profile_url(self, username: str) -> str:
        return f"{self.base_url}/@{username}"

    def status_url(self, username: str, status_id: int) -> str:
        return f"{self.base_url}/@{username}/{status_id}"

    def status_uri(self, username: str, status_id: int) -> str:
        return f"{self.base_url}/users/{username}/statuses/{status_id}"

    def actor_uri(self, username: str) -> str:
        return f"{self.base_url}/users/{username}"

    def tag_url(self, name: str) -> str:
        return f"{self.base_url}/tags/{quote(name)}"
