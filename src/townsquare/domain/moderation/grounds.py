"""The ground a moderator's decision rests on: the instance's terms (the default), or
the law, when the moderator marks the content illegal (DSA Article 17(3)(d)).

A legal ground and its explanation come together or not at all, as a policy rule's
do (ADR 20): a DSA statement on illegal content carries both, within the Transparency
Database's lengths.
"""

from __future__ import annotations

from dataclasses import dataclass

from townsquare.core.errors import ValidationFailed
from townsquare.domain.moderation.policy import ILLEGAL_EXPLANATION_MAX, LEGAL_GROUND_MAX

GROUND_ILLEGAL = "DECISION_GROUND_ILLEGAL_CONTENT"
GROUND_INCOMPATIBLE = "DECISION_GROUND_INCOMPATIBLE_CONTENT"


@dataclass(frozen=True, slots=True)
class IllegalContent:
    legal_ground: str
    explanation: str


def _invalid(field: str, message: str) -> ValidationFailed:
    return ValidationFailed(f"Validation failed: {message}", details={field: [message]})


def illegal_content(legal_ground: str | None, explanation: str | None) -> IllegalContent | None:
    """The pair, checked; None when both are missing or blank (the terms decide)."""
    ground = (legal_ground or "").strip()
    why = (explanation or "").strip()
    if not ground and not why:
        return None
    if not ground:
        raise _invalid("legal_ground", "Illegal content needs the legal ground it breaks")
    if not why:
        raise _invalid("illegal_content_explanation", "Illegal content needs an explanation of why")
    if len(ground) > LEGAL_GROUND_MAX:
        raise _invalid("legal_ground", f"The legal ground is at most {LEGAL_GROUND_MAX} characters")
    if len(why) > ILLEGAL_EXPLANATION_MAX:
        raise _invalid(
            "illegal_content_explanation",
            f"The explanation is at most {ILLEGAL_EXPLANATION_MAX} characters",
        )
    return IllegalContent(ground, why)


def ground_columns(illegal: IllegalContent | None) -> dict[str, str | None]:
    """The ``moderation_decisions`` columns that record the ground."""
    if illegal is None:
        return {"decision_ground": GROUND_INCOMPATIBLE, "legal_ground": None,
                "illegal_content_explanation": None}  # fmt: skip
    return {"decision_ground": GROUND_ILLEGAL, "legal_ground": illegal.legal_ground,
            "illegal_content_explanation": illegal.explanation}  # fmt: skip
