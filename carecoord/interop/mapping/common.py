"""Pieces every resource uses: ids, references, meta, codings, narrative."""

import csv
import datetime
import html
from functools import lru_cache
from pathlib import Path

from django.conf import settings

from . import systems

DATA = Path(__file__).resolve().parent.parent / "data"


class Unmappable(ValueError):
    """A resource that cannot become a CareCoord record: each problem names the element (a
    FHIRPath expression) and the reason."""

    def __init__(self, problems: list[tuple[str, str]]):
        self.problems = problems
        super().__init__("; ".join(f"{where}: {why}" for where, why in problems))


# ---------------------------------------------------------------- ids
# Organizations come from two tables and a RelatedPerson is a guardian *of one child* (a
# guardian of two siblings is two RelatedPersons), so those ids say which row they stand for.


def practice_organization_id(practice_id: int) -> str:
    return f"practice-{practice_id}"


def center_organization_id(center_id: int) -> str:
    return f"center-{center_id}"


def related_person_id(guardian_id: int, child_id: int) -> str:
    return f"{guardian_id}-{child_id}"


def diagnosis_condition_id(diagnosis_id: int) -> str:
    return f"diagnosis-{diagnosis_id}"


def need_condition_id(need_id: int) -> str:
    return f"need-{need_id}"


# A PractitionerRole is a clinician in their practice, or a member of a center's staff in
# care coordination (staff are not Practitioners: they have no NPI).
def clinician_role_id(clinician_id: int) -> str:
    return f"clinician-{clinician_id}"


def coordinator_role_id(user_id: int) -> str:
    return f"coordinator-{user_id}"


def _positive_int(text: str) -> int | None:
    if text.isascii() and text.isdigit() and len(text) < 19 and int(text) > 0:
        return int(text)
    return None


def parse_plain_id(value: str) -> int | None:
    """The row number behind a plain id ("12"), or None when the id cannot be one of ours."""
    return _positive_int(value)


def parse_prefixed_id(value: str, prefix: str) -> int | None:
    """`parse_prefixed_id("practice-3", "practice")` is 3; any other shape is None."""
    head, dash, tail = value.partition("-")
    return _positive_int(tail) if dash and head == prefix else None


def parse_related_person_id(value: str) -> tuple[int, int] | None:
    guardian, dash, child = value.partition("-")
    guardian_id, child_id = _positive_int(guardian), _positive_int(child)
    return (guardian_id, child_id) if dash and guardian_id and child_id else None


# ---------------------------------------------------------------- building blocks


def reference(resource_type: str, resource_id, display: str = "") -> dict:
    ref = {"reference": f"{resource_type}/{resource_id}"}
    if display:
        ref["display"] = display
    return ref


def patient_reference(child) -> dict:
    return reference("Patient", child.pk, child.full_name)


def practice_reference(practice) -> dict:
    return reference("Organization", practice_organization_id(practice.pk), practice.name)


def center_reference(center) -> dict:
    return reference("Organization", center_organization_id(center.pk), center.name)


def staff_reference(user) -> dict:
    """A member of a center's staff, as their PractitionerRole in care coordination."""
    return reference("PractitionerRole", coordinator_role_id(user.pk), str(user))


def guardian_reference(guardian, child) -> dict:
    return reference("RelatedPerson", related_person_id(guardian.pk, child.pk), str(guardian))


def respondent_reference(guardian, child) -> dict:
    """Who answered or agreed: a guardian of the child, or (no guardian) the youth."""
    return guardian_reference(guardian, child) if guardian else patient_reference(child)


def instant(moment: datetime.datetime) -> str:
    return moment.isoformat(timespec="milliseconds")


def meta(resource_type: str, last_updated: datetime.datetime | None = None, *,
         profile: str = "") -> dict:
    """The type's profile (systems.PROFILES), or `profile` instead; none for a type without."""
    url = profile or systems.PROFILES.get(resource_type)
    result = {"profile": [url]} if url else {}
    if last_updated is not None:
        result["lastUpdated"] = instant(last_updated)
    return result


def coding(system: str, code: str, display: str = "") -> dict:
    result = {"system": system, "code": code}
    if display:
        result["display"] = display
    return result


def concept(system: str, code: str, display: str = "", text: str = "") -> dict:
    result = {"coding": [coding(system, code, display)]}
    if text:
        result["text"] = text
    return result


def narrative(*blocks: str) -> dict:
    """Generated narrative from already-escaped XHTML blocks (see `escape`)."""
    body = "".join(blocks)
    return {"status": "generated",
            "div": f'<div xmlns="http://www.w3.org/1999/xhtml">{body}</div>'}


def escape(text) -> str:
    return html.escape(str(text), quote=False)


def child_identifier_system() -> str:
    return getattr(settings, "FHIR_CHILD_IDENTIFIER_SYSTEM",
                   systems.DEFAULT_CHILD_IDENTIFIER_SYSTEM)


def telecom(system: str, value: str, use: str = "") -> dict:
    result = {"system": system, "value": value}
    if use:
        result["use"] = use
    return result


@lru_cache(maxsize=1)
def sdoh_categories() -> dict[str, str]:
    """Gravity SDOH domain code → display (data/sdoh_categories.csv)."""
    with open(DATA / "sdoh_categories.csv", newline="", encoding="utf-8") as handle:
        return {row["code"]: row["display_stu3"] or row["display_stu2_3"]
                for row in csv.DictReader(handle)}


def sdoh_category(code: str) -> dict:
    return concept(systems.SDOH_CATEGORY, code, sdoh_categories()[code])


def codes_in(concept_json, system: str) -> list[str]:
    """The codes of `system` in a CodeableConcept (as received: anything may be missing)."""
    if not isinstance(concept_json, dict):
        return []
    return [c.get("code") for c in concept_json.get("coding") or []
            if isinstance(c, dict) and c.get("system") == system and isinstance(c.get("code"), str)]


def parse_date(value, where: str, problems: list) -> datetime.date | None:
    """A FHIR date (or the date part of a dateTime) as a date; full dates only."""
    if not isinstance(value, str):
        problems.append((where, "a date (YYYY-MM-DD) is required"))
        return None
    try:
        return datetime.date.fromisoformat(value[:10])
    except ValueError:
        problems.append((where, f"'{value}' is not a full date (YYYY-MM-DD)"))
        return None


def official_name(names, where: str, problems: list) -> dict | None:
    """The official (else the first) HumanName of a resource."""
    named = dicts(names)
    if not named:
        problems.append((where, "a name is required"))
        return None
    return next((n for n in named if n.get("use") == "official"), named[0])


def dicts(items) -> list[dict]:
    """The objects of a JSON array as received (anything else is skipped)."""
    return [item for item in items if isinstance(item, dict)] if isinstance(items, list) else []


def strings(items) -> list[str]:
    """The non-blank strings of a JSON array as received."""
    if not isinstance(items, list):
        return []
    return [item.strip() for item in items if isinstance(item, str) and item.strip()]
