"""A policy keeps tags and links out of trends: ``[trends] exclude_tags`` and rules that
reduce reach, checked with line numbers like the rest of the file."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from townsquare.domain.moderation.policy import PolicyError, load_policy, parse_policy
from townsquare.domain.trends.exclusions import link_excluded, tag_excluded

HEAD = '[policy]\nid = "t"\nversion = "1"\n\n'
RULES = """
[[rules]]
id = "no-spam-reach"
keywords = ["crypto giveaway", "scam"]
action = "downrank"

[[rules]]
id = "label-only"
keywords = ["cricket"]
action = "label"
label = "sport"

[[rules]]
id = "bad-site"
domains = ["spam.example"]
action = "remove"
"""


def test_exclude_tags_are_matched_in_every_spelling() -> None:
    policy = parse_policy(HEAD + '[trends]\nexclude_tags = ["#پاکستان", "Elections"]\n')
    assert tag_excluded(policy, "پاكستان")  # Arabic kaf: the same tag
    assert tag_excluded(policy, "ELECTIONS")
    assert not tag_excluded(policy, "lahore")


def test_rules_that_reduce_reach_keep_tags_and_links_out() -> None:
    policy = parse_policy(HEAD + RULES)
    assert tag_excluded(policy, "Scam")
    assert not tag_excluded(policy, "cricket")  # a label does not reduce reach
    assert not tag_excluded(policy, "scampi")  # whole words only
    assert link_excluded(policy, "https://www.spam.example/offer")
    assert not link_excluded(policy, "https://news.example/scampi")
    assert parse_policy(HEAD).trend_excluded_tags == frozenset()


def test_presets_exclude_nothing_by_name() -> None:
    for preset in ("open", "dangerous-orgs"):
        assert load_policy(preset).trend_excluded_tags == frozenset()


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ('[trends]\nexclude_tags = "spam"\n', ":6: 'exclude_tags' must be a list"),
        ('[trends]\n# note\nexclude_tags = ["ok", "#"]\n', ":7: '#' is not a hashtag"),
        ('[trends]\nexclude_tags = []\nhide = ["x"]\n', ":7: unknown key 'hide' in [trends]"),
        ('[[trends]]\nexclude_tags = ["x"]\n', ":1: 'trends' must be a [trends] table"),
    ],
)  # fmt: skip
def test_bad_trends_tables_name_the_line(body: str, message: str) -> None:
    with pytest.raises(PolicyError, match=message.replace("[", r"\[")):
        parse_policy(HEAD + body, name="p.toml")


def test_policy_check_reports_the_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text(HEAD + "[trends]\nexclude_tags = [1]\n", encoding="utf-8")
    good = tmp_path / "good.toml"
    good.write_text(HEAD + '[trends]\nexclude_tags = ["spam"]\n', encoding="utf-8")

    def check(path: Path) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "townsquare.cli", "policy", "check", str(path)],
            capture_output=True, text=True, timeout=120, check=False,
        )  # fmt: skip

    failed = check(bad)
    assert failed.returncode != 0
    assert failed.stderr.strip() == f"error: {bad}:6: 'exclude_tags' must be a list of hashtags"
    assert check(good).returncode == 0
