"""The export's columns: the state's fields (data/export_fields.csv, in its order and its words)
and CareCoord's additions, each with what it means, where CareCoord gets it, and whether
CareCoord can fill it. The data dictionary file is written from this list, and each field's
`value` reads one served row (selectors.rows), so a column and its documentation stay together.

Fields CareCoord cannot fill are still columns, always empty: the state's layout stays whole,
and the dictionary says why, rather than the export guessing."""

import csv
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.conf import settings

from . import coverage
from .selectors import OLDEST_CHILD, POPULATION_TYPES, transition_planning_age

DATA = Path(__file__).resolve().parent / "data"
BOTH, IDENTIFIED, DEIDENTIFIED = "both", "identified", "de-identified"
YES, PARTLY, NO = "yes", "partly", "no"

ETHNICITY = {"hispanic": "Hispanic or Latino", "not_hispanic": "Not Hispanic or Latino"}


@dataclass(frozen=True)
class Row:
    """One served row as the fields see it."""

    values: dict
    reporting_ffy: int
    center_id: str
    person_pseudo_id: str
    zip3: str | None


@dataclass(frozen=True)
class Field:
    name: str
    type: str
    allowed_values: str
    description: str
    source: str
    value: Callable[[Row], object]
    filled: str = YES
    present_in: str = BOTH
    note: str = ""


@cache
def state_fields() -> dict[str, dict]:
    """The state's field list as shipped (a copy of ../shared/reference/titlev/)."""
    with open(DATA / "export_fields.csv", newline="", encoding="utf-8") as handle:
        return {row["field"]: row for row in csv.DictReader(handle)}


@cache
def race_codes() -> str:
    path = Path(settings.BASE_DIR) / "carecoord" / "accounts" / "data" / "race_categories.csv"
    with open(path, newline="", encoding="utf-8") as handle:
        return " | ".join(f"{r['code']} ({r['label']})" for r in csv.DictReader(handle))


def _service_types(row: Row) -> list[str]:
    v = row.values
    return [name for name, given in (("care_coordination", True),
                                     ("family_support", v["family_support"]),
                                     ("respite_fund", v["respite_fund"]),
                                     ("referral", v["referrals_made"] > 0)) if given]


def _transition_plan(row: Row) -> bool | None:
    if row.values["age_at_first_service"] < transition_planning_age():
        return None
    return row.values["transition_plan_on_file"]


def _street(row: Row) -> str:
    v = row.values
    return ", ".join(p for p in (v["child__household__address_line1"],
                                 v["child__household__address_line2"]) if p)


def _none(row: Row) -> None:
    return None


def fields() -> tuple[Field, ...]:
    age = transition_planning_age()
    return (
        Field("reporting_ffy", "integer", "e.g. 2026",
              "Federal fiscal year of the report: FFY 2026 is October 1, 2025 to September 30, "
              "2026.", "The year the export was run for.", lambda r: r.reporting_ffy),
        Field("center_id", "string",
              "north-central | northwest | eastern | south-central | southwest",
              "The regional care coordination center that served the child.",
              "Enrollment.center → its DPH region's code (Region.slug).",
              lambda r: r.center_id,
              note="CareCoord's region codes; DPH's own contractor codes are not held."),
        Field("person_pseudo_id", "string", "32 hexadecimal digits",
              "The same child has the same id in every run, every center's file and every "
              "year, so the state counts a person once (Form 5a unduplication).",
              "HMAC-SHA256 of CareCoord's child record number with the TITLEV_PSEUDONYM_KEY "
              "secret, first 32 hex digits.", lambda r: r.person_pseudo_id),
        Field("person_role", "enum", "child | other",
              f"child: the child or youth served, {OLDEST_CHILD} or younger at first service; "
              f"other: a young adult served at {OLDEST_CHILD + 1} or older (Form 5a 'others').",
              "Child.date_of_birth and first_service_date.",
              lambda r: "child" if r.values["cyshcn_flag"] else "other", filled=PARTLY,
              note="parent_caregiver is never given: CareCoord records the child as the person "
                   "served, not the family members it also helps."),
        Field("birth_date_or_age_at_first_service", "integer", "0 to 26",
              "Age in whole years on first_service_date (it decides the Form 5a row).",
              "Child.date_of_birth and first_service_date.",
              lambda r: r.values["age_at_first_service"],
              note="Always the age, which Safe Harbor allows; the identified file adds "
                   "date_of_birth, the de-identified one birth_year."),
        Field("cyshcn_flag", "boolean", "true | false",
              f"true for every child served at {OLDEST_CHILD} or younger: enrollment in CMHI "
              f"care coordination requires meeting the CYSHCN definition. false for young "
              f"adults of {OLDEST_CHILD + 1} and older, past MCHB's CYSHCN ages.",
              "Enrollment (eligibility) and age at first service.",
              lambda r: r.values["cyshcn_flag"]),
        Field("pregnant_flag", "boolean", "empty", "Pregnant youth or parent.",
              "Not held.", _none, filled=NO,
              note="CareCoord does not record pregnancy; always empty."),
        Field("coverage_category", "enum", " | ".join(coverage.CATEGORIES),
              "Primary coverage for Form 5a: HUSKY A, C and D are Title XIX (Medicaid), HUSKY B "
              "is Title XXI (CHIP), commercial and other coverage is private_other, uninsured "
              "is none; unknown when no insurance type is recorded (a validation problem).",
              "Child.insurance_type (carecoord/titlev/coverage.py).",
              lambda r: r.values["coverage_category"], filled=PARTLY,
              note="Coverage as recorded when the export runs, not at first service: CareCoord "
                   "keeps no coverage history. Some HUSKY A children are CHIP-funded; confirm "
                   "the XIX/XXI split with DSS from coverage_program."),
        Field("coverage_program", "enum", " | ".join(coverage.PROGRAMS),
              "The coverage as recorded, kept so the state can re-derive the category.",
              "Child.insurance_type: husky_a–d → HUSKY_A–D, commercial → private, other → "
              "other, uninsured → none, empty → unknown.",
              lambda r: coverage.program(r.values["child__insurance_type"]), filled=PARTLY,
              note="TRICARE is never given: CareCoord records it under 'other'."),
        Field("first_service_date", "date", "YYYY-MM-DD",
              "The later of the start of the center's first enrollment episode overlapping the "
              "year and October 1 (a child already enrolled on October 1 was first served in "
              "the year that day).", "Enrollment.start_date.",
              lambda r: r.values["first_service_date"].isoformat(), present_in=IDENTIFIED,
              note="De-identified files give first_service_year instead (Safe Harbor keeps "
                   "only the year of dates about a person)."),
        Field("service_types", "list", "care_coordination | family_support | respite_fund | "
              "referral",
              "care_coordination for every child served (enrolled); family_support when a "
              "family-to-family peer support match was in effect during the year; "
              "respite_fund when CMHI respite funds were approved in the year; referral when "
              "referrals_made is above zero.",
              "Enrollment; peersupport.PeerMatch (introduced by September 30, not closed "
              "before October 1); coverage.CoverageApplication for cmhi-respite-funds "
              "(approved, or reversed on appeal, in the year); referrals_made.",
              _service_types, filled=PARTLY,
              note="information_only is never given: everyone in the file was enrolled. In CSV "
                   "the values are separated by ';', in JSON a list."),
        Field("service_level", "enum", "enabling",
              "Care coordination and family support are enabling services.",
              "Always enabling.", lambda r: "enabling"),
        Field("town_fips_2022", "string", "10-digit CT county-subdivision code",
              "The town the family lives in.", "Household.town → Town.fips_2022.",
              lambda r: r.values["child__household__town__fips_2022"], present_in=IDENTIFIED,
              note="The current address (CareCoord keeps no address history). De-identified "
                   "files carry zip3 instead: Safe Harbor allows no geography smaller than the "
                   "state but the first three ZIP digits."),
        Field("race", "list", race_codes(),
              "OMB race categories as CDC Race & Ethnicity codes; ASKU when the family "
              "declined; empty when not recorded.", "Child.races.",
              lambda r: r.values["races"],
              note="In CSV the codes are separated by ';', in JSON a list."),
        Field("ethnicity", "enum", "Hispanic or Latino | Not Hispanic or Latino | unknown",
              "Hispanic or Latino ethnicity.", "Child.ethnicity (declined → unknown).",
              lambda r: ETHNICITY.get(r.values["child__ethnicity"], "unknown")),
        Field("preferred_language", "string", "BCP 47 code (en, es, pt, pl…)",
              "The child's preferred language.", "Child.preferred_language.code.",
              lambda r: r.values["child__preferred_language__code"]),
        Field("has_identified_medical_home", "boolean", "true | false",
              "A primary care provider or PCP practice is on the child's record.",
              "Child.pcp or Child.pcp_practice.",
              lambda r: r.values["has_identified_medical_home"], filled=PARTLY,
              note="As recorded when the export runs, not at the last review: CareCoord keeps "
                   "no history of the PCP."),
        Field("plan_of_care_shared_with_pcp", "boolean", "empty",
              "The care plan was sent to or acknowledged by the PCP in the year.", "Not held.",
              _none, filled=NO,
              note="CareCoord does not yet record sending a care plan to the PCP; always empty "
                   "until the care plan sharing log exists."),
        Field("transition_plan_documented", "boolean", "true | false | empty",
              f"For youth aged {age} or more at first service: Got Transition element 4 "
              f"(transition planning) recorded on or before September 30. Empty under {age}.",
              "transition.ElementCompletion (element transition_planning).",
              _transition_plan,
              note=f"{age} is where CareCoord's Six Core Elements file starts transition "
                   f"planning; the state allows 12+ or 14+."),
        Field("referrals_made", "integer", "0 or more",
              "Referrals to diagnosis-specific organizations (community, state or national) "
              "whose information was shared with the family during the year.",
              "connections.OrganizationConnection (information_shared_on in the year).",
              lambda r: r.values["referrals_made"], filled=PARTLY,
              note="Per child, whichever center made them. Community service referrals "
                   "through the resource directory are not recorded in CareCoord yet and are "
                   "not counted."),
        Field("referrals_completed", "integer", "0 or more",
              "Of referrals_made, those connected (joined, attended an event, receiving "
              "support) by September 30.",
              "connections.OrganizationConnection (status connected, outcome_on by Sep 30).",
              lambda r: r.values["referrals_completed"], filled=PARTLY,
              note="See referrals_made."),
        Field("family_satisfaction_score", "decimal", "empty", "Family satisfaction survey "
              "score.", "Not held.", _none, filled=NO,
              note="CareCoord does not hold the CT Medical Home family satisfaction survey; "
                   "always empty."),
        Field("respite_funds_amount", "decimal", "empty", "Respite funds paid, USD.",
              "Not held.", _none, filled=NO,
              note="CareCoord records the respite fund application and decision, not the "
                   "amount; always empty (see respite_fund in service_types)."),
        # CareCoord's additions.
        Field("population_type", "enum", " | ".join(POPULATION_TYPES),
              "The Form 5a row: infant under 1, child 1 through 21, other 22 and older, by "
              "age at first service.", "Age at first service.",
              lambda r: r.values["population_type"]),
        Field("birth_year", "integer", "YYYY", "Year of birth.", "Child.date_of_birth.",
              lambda r: r.values["child__date_of_birth"].year, present_in=DEIDENTIFIED),
        Field("first_service_year", "integer", "YYYY", "Year of first_service_date.",
              "Enrollment.start_date.", lambda r: r.values["first_service_date"].year,
              present_in=DEIDENTIFIED),
        Field("zip3", "string", "3 digits | 000 | empty",
              "First three digits of the household's ZIP code; 000 for the three-digit areas "
              "of 20,000 people or fewer that HHS lists (data/restricted_zip3.csv, which "
              "includes CT's 063); empty without a usable ZIP code.",
              "Household.zip_code.", lambda r: r.zip3, present_in=DEIDENTIFIED),
        Field("carecoord_child_id", "integer", "CareCoord record number",
              "Opens the child's record at /children/<id>/.", "Child.id.",
              lambda r: r.values["child_id"], present_in=IDENTIFIED),
        Field("first_name", "string", "", "Child's first name.", "Child.first_name.",
              lambda r: r.values["child__first_name"], present_in=IDENTIFIED),
        Field("last_name", "string", "", "Child's last name.", "Child.last_name.",
              lambda r: r.values["child__last_name"], present_in=IDENTIFIED),
        Field("date_of_birth", "date", "YYYY-MM-DD", "Date of birth.", "Child.date_of_birth.",
              lambda r: r.values["child__date_of_birth"].isoformat(), present_in=IDENTIFIED),
        Field("street_address", "string", "", "Street address and unit.",
              "Household.address_line1 and address_line2.", _street, present_in=IDENTIFIED),
        Field("town", "string", "one of Connecticut's 169 towns", "Town name.",
              "Household.town.", lambda r: r.values["child__household__town__name"],
              present_in=IDENTIFIED),
        Field("zip_code", "string", "5 digits or ZIP+4", "ZIP code.", "Household.zip_code.",
              lambda r: r.values["child__household__zip_code"], present_in=IDENTIFIED),
        Field("insurance_member_id", "string", "", "HUSKY or commercial plan member ID.",
              "Child.insurance_member_id.",
              lambda r: r.values["child__insurance_member_id"], present_in=IDENTIFIED),
    )


def fields_for(identified: bool) -> tuple[Field, ...]:
    absent = DEIDENTIFIED if identified else IDENTIFIED
    return tuple(f for f in fields() if f.present_in != absent)


DICTIONARY_COLUMNS = ("field", "description", "type", "allowed_values", "source_in_carecoord",
                      "filled", "present_in", "state_field", "state_required", "state_format",
                      "notes")


def dictionary() -> list[dict]:
    """The data dictionary: one row per column of either kind of file."""
    state = state_fields()
    return [{
        "field": f.name, "description": f.description, "type": f.type,
        "allowed_values": f.allowed_values, "source_in_carecoord": f.source,
        "filled": f.filled, "present_in": f.present_in,
        "state_field": "yes" if f.name in state else "no",
        "state_required": state.get(f.name, {}).get("required", ""),
        "state_format": state.get(f.name, {}).get("allowed_values_or_format", ""),
        "notes": f.note,
    } for f in fields()]
