"""Our own test corpus: entities and posts in English and Urdu.

"Taliban" stands for a Tier 1 entity and "Northern Front" (invented) for a Tier 2 one;
"Green Valley Cooperative" (invented) is an ordinary, non-designated organisation.
"""

from __future__ import annotations

ENTITIES = [
    {
        "name": "Taliban",
        "kind": "organisation",
        "tier": 1,
        "aliases": [
            "طالبان",
            "Taleban",
            "Islamic Emirate of Afghanistan",
            "امارت اسلامی افغانستان",
        ],
        "sources": ["SDGT"],
        "engages_in_violence": True,
        "targets_civilians": True,
    },
    {
        "name": "Northern Front",
        "kind": "organisation",
        "tier": 2,
        "aliases": ["شمالی محاذ"],
        "sources": ["internal"],
        "engages_in_violence": True,
        "peace_process": True,
    },
]

# (stance, English, Urdu) about each entity; the stance is what the author declares.
POSTS = {
    "praise": (
        "The Taliban are heroes, glory to them!",
        "طالبان ہمارے ہیرو ہیں، ان کی شان بلند ہو",
    ),
    "support": (
        "Join the Taliban and send them money.",
        "طالبان میں شامل ہو جاؤ اور انہیں چندہ دو",
    ),
    "news_reporting": (
        "Reuters reports the Taliban closed girls' schools in Kabul today.",
        "خبر: طالبان نے آج کابل میں لڑکیوں کے اسکول بند کر دیے",
    ),
    "condemnation": (
        "I condemn the Taliban for their attacks on civilians.",
        "میں طالبان کے حملوں کی مذمت کرتا ہوں",
    ),
    "neutral_discussion": (
        "A history seminar on how the Taliban formed in the 1990s.",
        "طالبان کی تاریخ پر ایک سیمینار",
    ),
}
