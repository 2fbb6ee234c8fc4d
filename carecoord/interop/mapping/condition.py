"""Conditions: the diagnoses on file (problem-list items) and the social needs of a care plan
(SDOH health concerns).

A need whose domain has a Gravity SDOH category (careplans/data/need_domains.csv) is written as
a US Core health concern carrying the `sdoh` category and the domain's SDOH category code.
It does not claim the SDOHCC-Condition profile: that profile binds `code` to each domain's VSAC
value set, and a need is recorded in the family's words, not coded. Needs of other domains
(medical, legal, respite…) appear in the care plan's narrative, not as Conditions."""

from . import systems
from .common import (
    Unmappable,
    concept,
    diagnosis_condition_id,
    dicts,
    meta,
    need_condition_id,
    parse_date,
    patient_reference,
    sdoh_category,
)

CODE_SYSTEMS = {"icd10cm": systems.ICD_10_CM, "icd9cm": systems.ICD_9_CM}

# Need.status → Condition.clinicalStatus. A need that could not be met is still a concern.
NEED_CLINICAL_STATUS = {"open": "active", "in_progress": "active", "unmet": "active",
                        "met": "resolved", "withdrawn": "inactive"}
CLINICAL_DISPLAY = {"active": "Active", "resolved": "Resolved", "inactive": "Inactive"}


def dotted(code_system: str, code: str) -> str:
    """ICD codes are stored without the dot; FHIR's ICD-10-CM and ICD-9-CM systems write it
    (G80.9). ICD-9-CM E codes have four characters before the dot."""
    head = 4 if code_system == "icd9cm" and code.startswith("E") else 3
    return code if len(code) <= head else f"{code[:head]}.{code[head:]}"


def _clinical(code: str) -> dict:
    return concept(systems.CONDITION_CLINICAL, code, CLINICAL_DISPLAY[code])


def diagnosis_condition(diagnosis) -> dict:
    """Reads diagnosis.child (for the subject's name)."""
    code = {"coding": [{"system": CODE_SYSTEMS[diagnosis.code_system],
                        "code": dotted(diagnosis.code_system, diagnosis.code)}]}
    code["text"] = diagnosis.description or code["coding"][0]["code"]
    resource = {
        "resourceType": "Condition",
        "id": diagnosis_condition_id(diagnosis.pk),
        "meta": meta("Condition"),
        # Diagnoses on file are kept for stratification and not resolved here: "active" is what
        # the record says, not a clinical judgement made by the center.
        "clinicalStatus": _clinical("active"),
        "category": [concept(systems.CONDITION_CATEGORY, "problem-list-item",
                             "Problem List Item")],
        "code": code,
        "subject": patient_reference(diagnosis.child),
        "recordedDate": diagnosis.recorded_on.isoformat(),
    }
    if diagnosis.source:
        resource["note"] = [{"text": f"Source of the diagnosis on file: {diagnosis.source}"}]
    return resource


def need_condition(need) -> dict:
    """Reads need.plan.child and need.domain; only for needs whose domain has an SDOH
    category."""
    status = NEED_CLINICAL_STATUS[need.status]
    notes = [f"Need raised by: {need.get_raised_by_display()}. Family's priority: "
             f"{need.get_family_priority_display()}"
             + (f"; provider's priority: {need.get_provider_priority_display()}"
                if need.provider_priority else "") + "."]
    notes.append(f"{need.get_reach_display()}."
                 + (f" Expectation discussed with the family: {need.expectation}"
                    if need.expectation else ""))
    if need.outcome:
        notes.append(f"Outcome: {need.outcome}")
    resource = {
        "resourceType": "Condition",
        "id": need_condition_id(need.pk),
        "meta": meta("Condition", need.plan.updated_at),
        "clinicalStatus": _clinical(status),
        "category": [
            concept(systems.US_CORE_CONDITION_CATEGORY, "health-concern", "Health Concern"),
            concept(systems.US_CORE_CATEGORY, "sdoh", "SDOH"),
            sdoh_category(need.domain.sdoh_category),
        ],
        "code": {"text": need.description},
        "subject": patient_reference(need.plan.child),
        "recordedDate": need.opened_on.isoformat(),
        "note": [{"text": text} for text in notes],
    }
    if status != "active" and need.closed_on:
        resource["abatementDateTime"] = need.closed_on.isoformat()
    return resource


def diagnosis_fields(resource: dict) -> dict:
    """A Condition (a diagnosis sent with a referral) as the fields of a Diagnosis: the first
    ICD-10-CM (else ICD-9-CM) coding, its text, and the date it was recorded."""
    problems = []
    code_json = resource.get("code") if isinstance(resource.get("code"), dict) else {}
    found = None
    for code_system, url in CODE_SYSTEMS.items():
        for item in dicts(code_json.get("coding")):
            if item.get("system") == url and isinstance(item.get("code"), str) and not found:
                found = (code_system, item)
    if found is None:
        problems.append(("Condition.code.coding",
                         f"an ICD-10-CM ({systems.ICD_10_CM}) or ICD-9-CM code is required"))
    else:
        code = found[1]["code"].upper().replace(".", "").replace(" ", "")
        if not (code.isascii() and code.isalnum() and 3 <= len(code) <= 7):
            problems.append(("Condition.code.coding.code", f"'{found[1]['code']}' is not an ICD "
                             "code"))
    recorded = resource.get("recordedDate") or resource.get("onsetDateTime")
    recorded_on = parse_date(recorded, "Condition.recordedDate", problems)
    if problems:
        raise Unmappable(problems)
    text = code_json.get("text") if isinstance(code_json.get("text"), str) else ""
    display = found[1].get("display") if isinstance(found[1].get("display"), str) else ""
    return {
        "code_system": found[0],
        "code": code,
        "description": (text or display).strip()[:200],
        "recorded_on": recorded_on,
    }
