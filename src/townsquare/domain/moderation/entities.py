"""The designated entities registry: what an entity is, and reading/writing its files.

The file forms (JSON list of objects, CSV with ``|``-separated lists) are parsed in
full and checked before anything is written, so a bad file imports nothing.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import asdict, dataclass, field
from typing import Any

from townsquare.core.errors import ValidationFailed
from townsquare.core.normalize import match_key

KINDS = ("organisation", "person", "event", "ideology")
# Tier 1 is the most restricted; a policy may use fewer (Meta's current policy: 2).
TIERS = (1, 2, 3)
FLAGS = (
    "targets_civilians",
    "engages_in_violence",
    "hate_based",
    "state_actor",
    "elected_representatives",
    "reformed",
    "peace_process",
)
_LISTS = ("aliases", "sources", "accounts", "domains")
_TEXTS = ("evidence", "designated_on", "reviewed_on")
_KNOWN = {"name", "kind", "tier", *_LISTS, *_TEXTS, *FLAGS}
CSV_COLUMNS = ("name", "kind", "tier", *_LISTS, *FLAGS, *_TEXTS)


@dataclass(frozen=True, slots=True)
class Entity:
    name: str
    kind: str
    tier: int
    aliases: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    accounts: tuple[str, ...] = ()
    domains: tuple[str, ...] = ()
    targets_civilians: bool = False
    engages_in_violence: bool = False
    hate_based: bool = False
    state_actor: bool = False
    elected_representatives: bool = False
    reformed: bool = False
    peace_process: bool = False
    evidence: str = ""
    designated_on: str | None = None
    reviewed_on: str | None = None
    id: int = field(default=0, compare=False)

    @property
    def flags(self) -> frozenset[str]:
        return frozenset(flag for flag in FLAGS if getattr(self, flag))

    def names(self) -> tuple[str, ...]:
        """The name and every alias: all are spellings the matcher looks for."""
        return (self.name, *self.aliases)

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        del data["id"]
        return {k: list(v) if isinstance(v, tuple) else v for k, v in data.items()}


def _bad(where: str, message: str) -> ValidationFailed:
    return ValidationFailed(f"{where}: {message}")


def _entity(where: str, raw: object) -> Entity:
    if not isinstance(raw, dict):
        raise _bad(where, "must be an object")
    unknown = sorted(set(raw) - _KNOWN)
    if unknown:
        raise _bad(where, f"unknown field {unknown[0]!r}")
    name = raw.get("name")
    if not isinstance(name, str) or not name.strip():
        raise _bad(where, "'name' must be a non-empty string")
    kind = raw.get("kind")
    if kind not in KINDS:
        raise _bad(where, f"unknown kind {kind!r} (expected one of {', '.join(KINDS)})")
    tier = raw.get("tier")
    if isinstance(tier, bool) or tier not in TIERS:
        raise _bad(where, f"unknown tier {tier!r} (expected 1, 2 or 3)")
    values: dict[str, Any] = {"name": name.strip(), "kind": kind, "tier": tier}
    for key in _LISTS:
        items = raw.get(key, [])
        if not isinstance(items, list) or not all(isinstance(i, str) for i in items):
            raise _bad(where, f"'{key}' must be a list of strings")
        values[key] = tuple(i.strip() for i in items if i.strip())
    for key in FLAGS:
        flag = raw.get(key, False)
        if not isinstance(flag, bool):
            raise _bad(where, f"'{key}' must be true or false")
        values[key] = flag
    for key in _TEXTS:
        text = raw.get(key)
        if text is not None and not isinstance(text, str):
            raise _bad(where, f"'{key}' must be a string")
        values[key] = text if text or key == "evidence" else None
    values["evidence"] = values["evidence"] or ""
    return Entity(**values)


def check_unique_aliases(entities: list[Entity]) -> None:
    """One matching key names one entity: the matcher could not tell two apart."""
    owner: dict[str, str] = {}
    for entity in entities:
        for spelling in dict.fromkeys(entity.names()):
            key = match_key(spelling)
            if not key.strip():
                raise ValidationFailed(
                    f"{entity.name}: alias {spelling!r} is empty once normalised"
                )
            other = owner.setdefault(key, entity.name)
            if other != entity.name:
                raise ValidationFailed(
                    f"duplicate alias {spelling!r}: it names both {other!r} and {entity.name!r}"
                )


def parse_json(text: str) -> list[Entity]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ValidationFailed(f"not valid JSON: {exc.msg} (line {exc.lineno})") from exc
    if not isinstance(data, list):
        raise ValidationFailed("the file must hold a JSON list of entities")
    entities = [_entity(f"entity {n}", raw) for n, raw in enumerate(data, 1)]
    check_unique_aliases(entities)
    return entities


def parse_csv(text: str) -> list[Entity]:
    reader = csv.DictReader(io.StringIO(text))
    entities = []
    for row in reader:
        where = f"line {reader.line_num}"
        if None in row:
            raise _bad(where, "more cells than columns")
        raw: dict[str, object] = {}
        for key, cell in row.items():
            cell = (cell or "").strip()
            if key in _LISTS:
                raw[key] = [part for part in cell.split("|") if part.strip()]
            elif key in FLAGS:
                raw[key] = cell.lower() in ("1", "true", "yes")
            elif key == "tier":
                raw[key] = int(cell) if cell.isdigit() else cell
            elif cell or key in ("name", "kind"):
                raw[key] = cell
        entities.append(_entity(where, raw))
    check_unique_aliases(entities)
    return entities


def parse_file(text: str, *, filename: str = "") -> list[Entity]:
    """Entities from a file's text: CSV when it is named .csv, JSON otherwise."""
    return parse_csv(text) if filename.lower().endswith(".csv") else parse_json(text)


def to_json(entities: list[Entity]) -> str:
    return json.dumps([e.to_json() for e in entities], ensure_ascii=False, indent=2) + "\n"


def to_csv(entities: list[Entity]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for entity in entities:
        data = entity.to_json()
        writer.writerow(
            {
                k: "|".join(v) if isinstance(v, list) else ("true" if v is True else "")
                if isinstance(v, bool) else ("" if v is None else v)
                for k, v in data.items()
            }
        )  # fmt: skip
    return out.getvalue()
