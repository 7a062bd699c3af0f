"""Our own validator for DSA statements of reasons, written from the published rules.

Source: the European Commission's DSA Transparency Database, "API and Schema"
(https://transparency.dsa.ec.europa.eu/page/api-documentation) and "Additional
explanation for statement attributes": which fields are required, which only when
another field has a given value, the allowed values, the date format (YYYY-MM-DD)
and ranges, and the maximum lengths. Written independently of the exporter, so a
mistake in one is not copied into the other.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

DECISION_VISIBILITY = {
    "DECISION_VISIBILITY_CONTENT_REMOVED", "DECISION_VISIBILITY_CONTENT_DISABLED",
    "DECISION_VISIBILITY_CONTENT_DEMOTED", "DECISION_VISIBILITY_CONTENT_AGE_RESTRICTED",
    "DECISION_VISIBILITY_CONTENT_INTERACTION_RESTRICTED", "DECISION_VISIBILITY_CONTENT_LABELLED",
    "DECISION_VISIBILITY_OTHER",
}  # fmt: skip
DECISION_MONETARY = {
    "DECISION_MONETARY_SUSPENSION", "DECISION_MONETARY_TERMINATION", "DECISION_MONETARY_OTHER",
}  # fmt: skip
DECISION_PROVISION = {
    "DECISION_PROVISION_PARTIAL_SUSPENSION", "DECISION_PROVISION_TOTAL_SUSPENSION",
    "DECISION_PROVISION_PARTIAL_TERMINATION", "DECISION_PROVISION_TOTAL_TERMINATION",
}  # fmt: skip
DECISION_ACCOUNT = {"DECISION_ACCOUNT_SUSPENDED", "DECISION_ACCOUNT_TERMINATED"}
ACCOUNT_TYPE = {"ACCOUNT_TYPE_BUSINESS", "ACCOUNT_TYPE_PRIVATE"}
DECISION_GROUND = {"DECISION_GROUND_ILLEGAL_CONTENT", "DECISION_GROUND_INCOMPATIBLE_CONTENT"}
CONTENT_TYPE = {
    "CONTENT_TYPE_APP", "CONTENT_TYPE_AUDIO", "CONTENT_TYPE_IMAGE", "CONTENT_TYPE_PRODUCT",
    "CONTENT_TYPE_SYNTHETIC_MEDIA", "CONTENT_TYPE_TEXT", "CONTENT_TYPE_VIDEO", "CONTENT_TYPE_OTHER",
}  # fmt: skip
CATEGORY = {
    "STATEMENT_CATEGORY_ANIMAL_WELFARE",
    "STATEMENT_CATEGORY_DATA_PROTECTION_AND_PRIVACY_VIOLATIONS",
    "STATEMENT_CATEGORY_ILLEGAL_OR_HARMFUL_SPEECH",
    "STATEMENT_CATEGORY_INTELLECTUAL_PROPERTY_INFRINGEMENTS",
    "STATEMENT_CATEGORY_NEGATIVE_EFFECTS_ON_CIVIC_DISCOURSE_OR_ELECTIONS",
    "STATEMENT_CATEGORY_NON_CONSENSUAL_BEHAVIOUR",
    "STATEMENT_CATEGORY_PORNOGRAPHY_OR_SEXUALIZED_CONTENT",
    "STATEMENT_CATEGORY_PROTECTION_OF_MINORS",
    "STATEMENT_CATEGORY_RISK_FOR_PUBLIC_SECURITY", "STATEMENT_CATEGORY_SCAMS_AND_FRAUD",
    "STATEMENT_CATEGORY_SELF_HARM", "STATEMENT_CATEGORY_SCOPE_OF_PLATFORM_SERVICE",
    "STATEMENT_CATEGORY_UNSAFE_AND_ILLEGAL_PRODUCTS", "STATEMENT_CATEGORY_VIOLENCE",
}  # fmt: skip
KEYWORD = {
    "KEYWORD_ANIMAL_HARM",
    "KEYWORD_ADULT_SEXUAL_MATERIAL",
    "KEYWORD_AGE_SPECIFIC_RESTRICTIONS_MINORS",
    "KEYWORD_AGE_SPECIFIC_RESTRICTIONS",
    "KEYWORD_BIOMETRIC_DATA_BREACH",
    "KEYWORD_CHILD_SEXUAL_ABUSE_MATERIAL",
    "KEYWORD_CONTENT_PROMOTING_EATING_DISORDERS",
    "KEYWORD_COORDINATED_HARM",
    "KEYWORD_COPYRIGHT_INFRINGEMENT",
    "KEYWORD_DANGEROUS_TOYS",
    "KEYWORD_DATA_FALSIFICATION",
    "KEYWORD_DEFAMATION",
    "KEYWORD_DESIGN_INFRINGEMENT",
    "KEYWORD_DISCRIMINATION",
    "KEYWORD_DISINFORMATION",
    "KEYWORD_FOREIGN_INFORMATION_MANIPULATION",
    "KEYWORD_GENDER_BASED_VIOLENCE",
    "KEYWORD_GEOGRAPHIC_INDICATIONS_INFRINGEMENT",
    "KEYWORD_GEOGRAPHICAL_REQUIREMENTS",
    "KEYWORD_GOODS_SERVICES_NOT_PERMITTED",
    "KEYWORD_GROOMING_SEXUAL_ENTICEMENT_MINORS",
    "KEYWORD_HATE_SPEECH",
    "KEYWORD_HUMAN_EXPLOITATION",
    "KEYWORD_HUMAN_TRAFFICKING",
    "KEYWORD_ILLEGAL_ORGANIZATIONS",
    "KEYWORD_IMAGE_BASED_SEXUAL_ABUSE",
    "KEYWORD_IMPERSONATION_ACCOUNT_HIJACKING",
    "KEYWORD_INAUTHENTIC_ACCOUNTS",
    "KEYWORD_INAUTHENTIC_LISTINGS",
    "KEYWORD_INAUTHENTIC_USER_REVIEWS",
    "KEYWORD_INCITEMENT_VIOLENCE_HATRED",
    "KEYWORD_INSUFFICIENT_INFORMATION_TRADERS",
    "KEYWORD_LANGUAGE_REQUIREMENTS",
    "KEYWORD_MISINFORMATION",
    "KEYWORD_MISSING_PROCESSING_GROUND",
    "KEYWORD_NON_CONSENSUAL_IMAGE_SHARING",
    "KEYWORD_NON_CONSENSUAL_ITEMS_DEEPFAKE",
    "KEYWORD_NUDITY",
    "KEYWORD_ONLINE_BULLYING_INTIMIDATION",
    "KEYWORD_PATENT_INFRINGEMENT",
    "KEYWORD_PHISHING",
    "KEYWORD_PYRAMID_SCHEMES",
    "KEYWORD_REGULATED_GOODS_SERVICES",
    "KEYWORD_RIGHT_TO_BE_FORGOTTEN",
    "KEYWORD_RISK_ENVIRONMENTAL_DAMAGE",
    "KEYWORD_RISK_PUBLIC_HEALTH",
    "KEYWORD_SELF_MUTILATION",
    "KEYWORD_STALKING",
    "KEYWORD_SUICIDE",
    "KEYWORD_TERRORIST_CONTENT",
    "KEYWORD_TRADE_SECRET_INFRINGEMENT",
    "KEYWORD_TRADEMARK_INFRINGEMENT",
    "KEYWORD_UNLAWFUL_SALE_ANIMALS",
    "KEYWORD_UNSAFE_CHALLENGES",
    "KEYWORD_OTHER",
}
SOURCE_TYPE = {
    "SOURCE_ARTICLE_16", "SOURCE_TRUSTED_FLAGGER", "SOURCE_TYPE_OTHER_NOTIFICATION",
    "SOURCE_VOLUNTARY",
}  # fmt: skip
YES_NO = {"Yes", "No"}
AUTOMATED_DECISION = {
    "AUTOMATED_DECISION_FULLY", "AUTOMATED_DECISION_PARTIALLY", "AUTOMATED_DECISION_NOT_AUTOMATED",
}  # fmt: skip
# EU member states and the other EEA states
TERRITORIES = {
    "AT",
    "BE",
    "BG",
    "CY",
    "CZ",
    "DE",
    "DK",
    "EE",
    "ES",
    "FI",
    "FR",
    "GR",
    "HR",
    "HU",
    "IE",
    "IT",
    "LT",
    "LU",
    "LV",
    "MT",
    "NL",
    "PL",
    "PT",
    "RO",
    "SE",
    "SI",
    "SK",
    "IS",
    "LI",
    "NO",
}
END_DATES = (
    "end_date_account_restriction", "end_date_monetary_restriction",
    "end_date_service_restriction", "end_date_visibility_restriction",
)  # fmt: skip
KNOWN = {
    "decision_visibility", "decision_visibility_other", "decision_monetary",
    "decision_monetary_other", "decision_provision", "decision_account", "account_type",
    "category_specification", "category_specification_other", "decision_ground",
    "decision_ground_reference_url", "illegal_content_legal_ground",
    "illegal_content_explanation", "incompatible_content_ground",
    "incompatible_content_explanation", "incompatible_content_illegal", "content_type",
    "content_type_other", "category", "category_addition", "territorial_scope",
    "content_language", "content_date", "application_date", "decision_facts", "source_type",
    "source_identity", "automated_detection", "automated_decision", "puid", *END_DATES,
}  # fmt: skip
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_LANGUAGE = re.compile(r"^[A-Z]{2}$")  # ISO 639-1, upper case


def _day(value: object) -> date | None:
    if not isinstance(value, str) or not _DATE.match(value):
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


def validate_statement(record: dict[str, Any]) -> list[str]:
    """Every rule ``record`` breaks, as readable messages; empty when it is valid."""
    errors: list[str] = []

    def text(name: str, limit: int, *, required: bool = False) -> None:
        value = record.get(name)
        if value is None:
            if required:
                errors.append(f"{name} is required")
            return
        if not isinstance(value, str) or not value.strip():
            errors.append(f"{name} must be a non-empty string")
        elif len(value) > limit:
            errors.append(f"{name} is longer than {limit} characters")

    def one_of(name: str, allowed: set[str], *, required: bool = False) -> None:
        value = record.get(name)
        if value is None:
            if required:
                errors.append(f"{name} is required")
        elif value not in allowed:
            errors.append(f"{name} has a value not in the schema: {value!r}")

    def many_of(name: str, allowed: set[str], *, required: bool = False) -> list[str]:
        value = record.get(name)
        if value is None:
            if required:
                errors.append(f"{name} is required")
            return []
        if not isinstance(value, list) or not value:
            errors.append(f"{name} must be a non-empty array")
            return []
        for item in value:
            if item not in allowed:
                errors.append(f"{name} has a value not in the schema: {item!r}")
        if len(set(value)) != len(value):
            errors.append(f"{name} repeats a value")
        return [v for v in value if isinstance(v, str)]

    def only_if(name: str, condition: bool, limit: int, reason: str) -> None:
        if condition:
            text(name, limit, required=True)
        elif name in record:
            errors.append(f"{name} is only allowed when {reason}")

    def day(name: str, low: date | None, high: date, *, required: bool = False) -> date | None:
        if record.get(name) is None:
            if required:
                errors.append(f"{name} is required")
            return None
        parsed = _day(record[name])
        if parsed is None:
            errors.append(f"{name} must be a date as YYYY-MM-DD")
        elif (low and parsed < low) or parsed > high:
            errors.append(f"{name} is out of range")
        return parsed

    for name in sorted(set(record) - KNOWN):
        errors.append(f"unknown field {name}")
    restrictions = ("decision_visibility", "decision_monetary", "decision_provision",
                    "decision_account")  # fmt: skip
    if all(record.get(name) is None for name in restrictions):
        errors.append("one of decision_visibility, _monetary, _provision or _account is required")
    visibility = many_of("decision_visibility", DECISION_VISIBILITY)
    only_if("decision_visibility_other", "DECISION_VISIBILITY_OTHER" in visibility, 500,
            "decision_visibility has DECISION_VISIBILITY_OTHER")  # fmt: skip
    one_of("decision_monetary", DECISION_MONETARY)
    only_if("decision_monetary_other", record.get("decision_monetary") == "DECISION_MONETARY_OTHER",
            500, "decision_monetary is DECISION_MONETARY_OTHER")  # fmt: skip
    one_of("decision_provision", DECISION_PROVISION)
    one_of("decision_account", DECISION_ACCOUNT)
    one_of("account_type", ACCOUNT_TYPE)
    many_of("category_specification", KEYWORD)
    text("category_specification_other", 500)
    one_of("decision_ground", DECISION_GROUND, required=True)
    illegal = record.get("decision_ground") == "DECISION_GROUND_ILLEGAL_CONTENT"
    incompatible = record.get("decision_ground") == "DECISION_GROUND_INCOMPATIBLE_CONTENT"
    only_if("illegal_content_legal_ground", illegal, 500, "the ground is illegal content")
    only_if("illegal_content_explanation", illegal, 2000, "the ground is illegal content")
    only_if("incompatible_content_ground", incompatible, 500, "the ground is incompatible content")
    only_if("incompatible_content_explanation", incompatible, 2000,
            "the ground is incompatible content")  # fmt: skip
    if "incompatible_content_illegal" in record:
        if not incompatible:
            errors.append("incompatible_content_illegal is only for incompatible content")
        one_of("incompatible_content_illegal", YES_NO)
    text("decision_ground_reference_url", 500)
    content_types = many_of("content_type", CONTENT_TYPE, required=True)
    only_if("content_type_other", "CONTENT_TYPE_OTHER" in content_types, 500,
            "content_type has CONTENT_TYPE_OTHER")  # fmt: skip
    one_of("category", CATEGORY, required=True)
    many_of("category_addition", CATEGORY)
    many_of("territorial_scope", TERRITORIES)
    language = record.get("content_language")
    if language is not None and (not isinstance(language, str) or not _LANGUAGE.match(language)):
        errors.append("content_language must be an upper-case ISO 639-1 code")
    latest = date(2038, 1, 1)
    day("content_date", date(2000, 1, 1), latest, required=True)
    applied = day("application_date", date(2020, 1, 1), latest, required=True)
    for name in END_DATES:
        ends = day(name, None, latest)
        if ends and applied and ends < applied:
            errors.append(f"{name} is before application_date")
    text("decision_facts", 5000, required=True)
    one_of("source_type", SOURCE_TYPE, required=True)
    text("source_identity", 500)
    one_of("automated_detection", YES_NO, required=True)
    one_of("automated_decision", AUTOMATED_DECISION, required=True)
    text("puid", 500, required=True)
    return errors
