"""The child as a US Core Patient."""

from . import systems
from .common import (
    Unmappable,
    center_reference,
    child_identifier_system,
    codes_in,
    coding,
    dicts,
    meta,
    official_name,
    parse_date,
    practice_reference,
    reference,
    strings,
)

GENDER = {"F": "female", "M": "male", "UNK": "unknown"}
SEX = {"female": "F", "male": "M", "unknown": "UNK", "other": "UNK"}

# The five OMB race categories go in `ombCategory`; "Other Race" is a CDC code outside them,
# so US Core carries it as a `detailed` race.
OMB_RACES = {"1002-5", "2028-9", "2054-5", "2076-8", "2106-3"}
DECLINED = "ASKU"

ETHNICITY = {
    "hispanic": (systems.CDC_RACE_ETHNICITY, "2135-2", "Hispanic or Latino"),
    "not_hispanic": (systems.CDC_RACE_ETHNICITY, "2186-5", "Not Hispanic or Latino"),
    "declined": (systems.NULL_FLAVOR, "ASKU", "Asked but no answer"),
    "unknown": (systems.NULL_FLAVOR, "UNK", "Unknown"),
}


def _race_extension(races) -> dict | None:
    if not races:
        return None
    parts = []
    for race in races:
        if race.code == DECLINED:
            parts.append({"url": "ombCategory",
                          "valueCoding": coding(systems.NULL_FLAVOR, "ASKU",
                                                "Asked but no answer")})
        else:
            parts.append({"url": "ombCategory" if race.code in OMB_RACES else "detailed",
                          "valueCoding": coding(systems.CDC_RACE_ETHNICITY, race.code,
                                                race.label)})
    parts.append({"url": "text", "valueString": ", ".join(r.label for r in races)})
    return {"url": systems.US_CORE_RACE, "extension": parts}


def _ethnicity_extension(child) -> dict:
    system, code, display = ETHNICITY[child.ethnicity]
    return {"url": systems.US_CORE_ETHNICITY, "extension": [
        {"url": "ombCategory", "valueCoding": coding(system, code, display)},
        {"url": "text", "valueString": child.get_ethnicity_display()},
    ]}


def _address(household) -> dict:
    address = {"use": "home", "type": "physical", "city": household.town.name, "state": "CT",
               "country": "US"}
    lines = [line for line in (household.address_line1, household.address_line2) if line]
    if lines:
        address["line"] = lines
    if household.zip_code:
        address["postalCode"] = household.zip_code
    return address


def language(lang) -> dict:
    return {"coding": [coding(systems.BCP_47, lang.code, lang.name)], "text": lang.name}


def patient(child) -> dict:
    """Reads child.household.town, preferred_language, races, pcp, pcp_practice, center."""
    names = [{"use": "official", "family": child.last_name,
              "given": [g for g in (child.first_name, child.middle_name) if g]}]
    if child.preferred_name:
        names.append({"use": "usual", "family": child.last_name,
                      "given": [child.preferred_name]})
    extensions = [e for e in (_race_extension(list(child.races.all())),
                              _ethnicity_extension(child)) if e]
    resource = {
        "resourceType": "Patient",
        "id": str(child.pk),
        "meta": meta("Patient", child.updated_at),
        "extension": extensions,
        "identifier": [{"use": "usual", "system": child_identifier_system(),
                        "value": str(child.pk)}],
        "name": names,
        "gender": GENDER[child.sex],
        "birthDate": child.date_of_birth.isoformat(),
        "address": [_address(child.household)],
        "communication": [{"language": language(child.preferred_language), "preferred": True}],
        "managingOrganization": center_reference(child.center),
    }
    carers = []
    if child.pcp_id:
        carers.append(reference("Practitioner", child.pcp_id, str(child.pcp)))
    if child.pcp_practice_id:
        carers.append(practice_reference(child.pcp_practice))
    if carers:
        resource["generalPractitioner"] = carers
    return resource


def child_fields(resource: dict) -> dict:
    """A Patient (from a referring EMR) as the fields of a new Child: names, date of birth,
    sex, preferred language code, race codes and ethnicity. The household, center and
    insurance come from elsewhere in what was sent."""
    problems = []
    name = official_name(resource.get("name"), "Patient.name", problems) or {}
    given = strings(name.get("given"))
    family = name.get("family")
    if not given:
        problems.append(("Patient.name.given", "a given (first) name is required"))
    if not isinstance(family, str) or not family.strip():
        problems.append(("Patient.name.family", "a family (last) name is required"))
    birth_date = parse_date(resource.get("birthDate"), "Patient.birthDate", problems)
    gender = resource.get("gender")
    if not isinstance(gender, str) or gender not in SEX:
        problems.append(("Patient.gender", "one of male, female, other or unknown is required"))
    language_code = None
    for item in dicts(resource.get("communication")):
        codes = codes_in(item.get("language"), systems.BCP_47)
        if codes and (language_code is None or item.get("preferred") is True):
            language_code = codes[0].split("-")[0].lower()
    races, ethnicity = [], "unknown"
    for ext in dicts(resource.get("extension")):
        codes = [(part.get("valueCoding") or {}).get("code")
                 for part in dicts(ext.get("extension"))
                 if part.get("url") in ("ombCategory", "detailed")
                 and isinstance(part.get("valueCoding"), dict)]
        codes = [c for c in codes if isinstance(c, str)]
        if ext.get("url") == systems.US_CORE_RACE:
            races = codes
        elif ext.get("url") == systems.US_CORE_ETHNICITY and codes:
            ethnicity = {"2135-2": "hispanic", "2186-5": "not_hispanic",
                         "ASKU": "declined"}.get(codes[0], "unknown")
    if problems:
        raise Unmappable(problems)
    return {
        "first_name": given[0],
        "middle_name": " ".join(given[1:]),
        "last_name": family.strip(),
        "date_of_birth": birth_date,
        "sex": SEX[gender],
        "preferred_language_code": language_code,
        "race_codes": races,
        "ethnicity": ethnicity,
    }
