"""E-referrals in: a referring EMR's transaction Bundle read into the unsaved records of an
intake (families.services.ElectronicReferral), or every problem in it, each naming its element
as a FHIRPath expression from the Bundle (`Bundle.entry[2].resource.birthDate`).

The Bundle carries one ServiceRequest (the referral: its identifier makes a resent Bundle
recognizable), the Patient it is about, at least one RelatedPerson (a parent or guardian with a
phone or email: the center must reach the family), and optionally the requesting Practitioner
(by NPI), the Conditions the request gives as reasons, and a Coverage (the child's insurance).
Each resource is first checked against the R4 JSON Schema and the R4B models, then read."""

import datetime
import re
from dataclasses import dataclass

from django.utils import timezone

from carecoord.accounts.models import Language, Town
from carecoord.families.models import Child, Diagnosis, Guardian, Household, Referral
from carecoord.families.services import ElectronicReferral

from . import validation
from .mapping.common import Unmappable, dicts, strings
from .mapping.condition import diagnosis_fields
from .mapping.patient import child_fields
from .mapping.practitioner import clinician_fields
from .mapping.related_person import guardian_fields

ACCEPTED_TYPES = ("ServiceRequest", "Patient", "RelatedPerson", "Practitioner", "Condition",
                  "Coverage")
# ServiceRequest.priority → how soon the center calls the family.
URGENCY = {"routine": Referral.Urgency.ROUTINE, "urgent": Referral.Urgency.PRIORITY,
           "asap": Referral.Urgency.URGENT, "stat": Referral.Urgency.URGENT}
# Coverage.type (HL7 v3 ActCode / the Source of Payment Typology) → the child's insurance.
PAYER_TYPE = "https://nahdo.org/sopt"
INSURANCE = {"2": Child.Insurance.HUSKY_A, "21": Child.Insurance.HUSKY_B,
             "5": Child.Insurance.COMMERCIAL, "81": Child.Insurance.UNINSURED,
             "PUBLICPOL": Child.Insurance.HUSKY_A, "EHCPOL": Child.Insurance.COMMERCIAL}
ACT_CODE = "http://terminology.hl7.org/CodeSystem/v3-ActCode"
ZIP = re.compile(r"^\d{5}(-\d{4})?$")


class BadBundle(Unmappable):
    """The Bundle cannot become a referral; `problems` are (FHIRPath, reason) pairs."""


@dataclass
class ReceivedReferral:
    identifier_system: str
    identifier_value: str
    sent: ElectronicReferral


@dataclass
class _Entry:
    index: int
    full_url: str
    resource: dict

    @property
    def path(self) -> str:
        return f"Bundle.entry[{self.index}].resource"

    def at(self, where: str) -> str:
        """`where` (written from the resource type, as the mapping names it) in the Bundle."""
        return self.path + where[len(self.resource["resourceType"]):]


def read_bundle(bundle, *, sender_name: str, today: datetime.date | None = None
                ) -> ReceivedReferral:
    """The referral in `bundle`, or BadBundle listing every problem found."""
    today = today or timezone.localdate()
    problems: list[tuple[str, str]] = []
    entries = _entries(bundle, problems)
    if problems:
        raise BadBundle(problems)
    by_type: dict[str, list[_Entry]] = {}
    for entry in entries:
        by_type.setdefault(entry.resource["resourceType"], []).append(entry)
    for resource_type, needed in (("ServiceRequest", "exactly one"), ("Patient", "exactly one"),
                                  ("RelatedPerson", "at least one")):
        found = len(by_type.get(resource_type, []))
        if found == 0 or (needed == "exactly one" and found > 1):
            problems.append(("Bundle.entry", f"{needed} {resource_type} is required "
                                             f"(found {found})"))
    if problems:
        raise BadBundle(problems)
    request, patient = by_type["ServiceRequest"][0], by_type["Patient"][0]
    urls = {entry.full_url: entry for entry in entries if entry.full_url}

    def read(entry: _Entry, reader):
        try:
            return reader(entry.resource)
        except Unmappable as error:
            problems.extend((entry.at(where), why) for where, why in error.problems)
            return None

    child = read(patient, child_fields)
    household = _household(patient, problems)
    guardians = []
    for entry in by_type["RelatedPerson"]:
        _expect_reference(entry, "patient", patient, urls, problems)
        guardians.append(read(entry, guardian_fields))
    referral = _referral(request, patient, urls, problems, today)
    clinician = None
    requester = _reference(request, "requester", urls, problems, required=False)
    if requester is not None:
        if requester.resource["resourceType"] != "Practitioner":
            problems.append((f"{request.path}.requester", "must refer to the Practitioner "
                                                          "entry of this Bundle"))
        else:
            clinician = read(requester, clinician_fields)
    diagnoses = [read(entry, diagnosis_fields) for entry in by_type.get("Condition", [])]
    insurance = _insurance(by_type.get("Coverage", []), problems)
    languages = _languages([child] + guardians, [patient] + by_type["RelatedPerson"], problems)
    if problems:
        raise BadBundle(problems)

    identifier_system, identifier_value, fields = referral
    child_record = Child(
        first_name=child["first_name"], middle_name=child["middle_name"],
        last_name=child["last_name"], date_of_birth=child["date_of_birth"],
        sex=child["sex"], ethnicity=child["ethnicity"],
        preferred_language=languages[0] or Language.objects.get(code="en"),
        insurance_type=insurance[0], insurance_member_id=insurance[1])
    guardian_records = [Guardian(
        first_name=g["first_name"], last_name=g["last_name"], relationship=g["relationship"],
        is_legal_guardian=g["is_legal_guardian"], phone=g["phone"],
        phone_can_text=g["phone_can_text"], email=g["email"],
        preferred_language=language) for g, language in zip(guardians, languages[1:],
                                                            strict=True)]
    referral_record = Referral(
        source_type=Referral.SourceType.PCP,
        referrer_name=(f"{clinician['first_name']} {clinician['last_name']}" if clinician
                       else sender_name)[:120],
        referrer_organization=sender_name[:160],
        referrer_phone=(clinician or {}).get("phone", "")[:20],
        referrer_email=(clinician or {}).get("email", ""),
        **fields)
    return ReceivedReferral(identifier_system, identifier_value, ElectronicReferral(
        child=child_record, household=Household(**household), guardians=guardian_records,
        referral=referral_record,
        diagnoses=[Diagnosis(source="Referral", **d) for d in diagnoses],
        referrer_npi=clinician["npi"] if clinician else "",
        race_codes=tuple(child["race_codes"]),
        guardian_languages=[[language] if language else [] for language in languages[1:]]))


def _entries(bundle, problems) -> list[_Entry]:
    if not isinstance(bundle, dict) or bundle.get("resourceType") != "Bundle":
        problems.append(("Bundle", "a Bundle resource is required"))
        return []
    if bundle.get("type") != "transaction":
        problems.append(("Bundle.type", f"must be 'transaction' (found {bundle.get('type')!r})"))
    raw = bundle.get("entry")
    if not isinstance(raw, list) or not raw:
        problems.append(("Bundle.entry", "the Bundle has no entries"))
        return []
    entries = []
    for index, item in enumerate(raw):
        where = f"Bundle.entry[{index}]"
        if not isinstance(item, dict) or not isinstance(item.get("resource"), dict):
            problems.append((where, "an entry with a resource is required"))
            continue
        resource = item["resource"]
        resource_type = resource.get("resourceType")
        if resource_type not in ACCEPTED_TYPES:
            problems.append((f"{where}.resource.resourceType",
                             f"{resource_type!r} is not accepted in a referral (accepted: "
                             f"{', '.join(ACCEPTED_TYPES)})"))
            continue
        request = item.get("request")
        if not isinstance(request, dict) or request.get("method") != "POST":
            problems.append((f"{where}.request.method", "each entry must be a POST (create)"))
        elif request.get("url") != resource_type:
            problems.append((f"{where}.request.url", f"must be '{resource_type}'"))
        for problem in validation.problems(resource):
            element, _, why = problem.partition(": ")
            problems.append((_fhirpath(f"{where}.resource", element, resource_type), why))
        full_url = item.get("fullUrl") if isinstance(item.get("fullUrl"), str) else ""
        entries.append(_Entry(index, full_url, resource))
    urls = [entry.full_url for entry in entries if entry.full_url]
    for url in {url for url in urls if urls.count(url) > 1}:
        problems.append(("Bundle.entry.fullUrl", f"{url} is used by two entries"))
    return entries


def _fhirpath(prefix: str, element: str, resource_type: str) -> str:
    """A validator's location (`name.0.given`, or the resource type for the whole resource)
    as a FHIRPath expression (`name[0].given`)."""
    if element in ("", resource_type):
        return prefix
    path = re.sub(r"\.(\d+)(?=\.|$)", r"[\1]", "." + element)
    return prefix + path


def _reference(entry: _Entry, element: str, urls, problems, *, required=True):
    value = entry.resource.get(element)
    reference = value.get("reference") if isinstance(value, dict) else None
    if not isinstance(reference, str):
        if required:
            problems.append((f"{entry.path}.{element}", "a reference to an entry of this "
                                                        "Bundle is required"))
        return None
    target = urls.get(reference)
    if target is None:
        problems.append((f"{entry.path}.{element}.reference",
                         f"{reference} is not the fullUrl of an entry of this Bundle"))
    return target


def _expect_reference(entry, element, expected, urls, problems):
    target = _reference(entry, element, urls, problems)
    if target is not None and target is not expected:
        problems.append((f"{entry.path}.{element}.reference",
                         f"must refer to the Patient entry ({expected.full_url})"))


def _household(patient: _Entry, problems) -> dict:
    addresses = dicts(patient.resource.get("address"))
    address = next((a for a in addresses if a.get("use") == "home"),
                   addresses[0] if addresses else None)
    where = f"{patient.path}.address"
    if address is None:
        problems.append((where, "the family's home address is required: its town decides "
                                "which center the referral goes to"))
        return {}
    index = addresses.index(address)
    where = f"{where}[{index}]"
    state = address.get("state")
    if isinstance(state, str) and state.strip().upper() not in ("CT", "CONNECTICUT"):
        problems.append((f"{where}.state", f"'{state}': the centers serve Connecticut families"))
        return {}
    city = address.get("city").strip() if isinstance(address.get("city"), str) else ""
    town = Town.objects.filter(name__iexact=city).first() if city else None
    if town is None:
        problems.append((f"{where}.city", f"'{city}' is not a Connecticut town" if city
                         else "the town is required"))
    postal = address.get("postalCode")
    if postal is not None and (not isinstance(postal, str) or not ZIP.match(postal.strip())):
        problems.append((f"{where}.postalCode", f"'{postal}' is not a ZIP code"))
        postal = None
    lines = strings(address.get("line"))
    return {"town": town, "zip_code": (postal or "").strip()[:10],
            "address_line1": (lines[0] if lines else "")[:120],
            "address_line2": " ".join(lines[1:])[:60]}


def _referral(request: _Entry, patient: _Entry, urls, problems, today):
    resource = request.resource
    identifiers = [i for i in dicts(resource.get("identifier"))
                   if isinstance(i.get("system"), str) and isinstance(i.get("value"), str)
                   and i["value"].strip()]
    if not identifiers:
        problems.append((f"{request.path}.identifier", "an identifier with a system and a "
                         "value is required: it makes a resent referral recognizable"))
    if resource.get("status") != "active":
        problems.append((f"{request.path}.status",
                         f"must be 'active' (found {resource.get('status')!r})"))
    _expect_reference(request, "subject", patient, urls, problems)
    authored = resource.get("authoredOn")
    received_on = today
    if isinstance(authored, str):
        try:
            received_on = datetime.date.fromisoformat(authored[:10])
        except ValueError:
            problems.append((f"{request.path}.authoredOn", f"'{authored}' is not a date"))
        if received_on > today:
            problems.append((f"{request.path}.authoredOn", f"'{authored}' is in the future"))
            received_on = today
    priority = resource.get("priority", "routine")
    if priority not in URGENCY:
        problems.append((f"{request.path}.priority", f"'{priority}' is not a request priority"))
    reasons = []
    for concept in [resource.get("code"), *dicts(resource.get("reasonCode"))]:
        if isinstance(concept, dict):
            text = concept.get("text") or next(
                (c.get("display") for c in dicts(concept.get("coding"))
                 if isinstance(c.get("display"), str)), None)
            if isinstance(text, str) and text.strip():
                reasons.append(text.strip())
    for index, value in enumerate(dicts(resource.get("reasonReference"))):
        target = urls.get(value.get("reference"))
        if target is None or target.resource["resourceType"] != "Condition":
            problems.append((f"{request.path}.reasonReference[{index}]",
                             "must refer to a Condition entry of this Bundle"))
    reasons += [n["text"].strip() for n in dicts(resource.get("note"))
                if isinstance(n.get("text"), str) and n["text"].strip()]
    if not reasons and not resource.get("reasonReference"):
        problems.append((f"{request.path}.reasonCode", "say why the child is referred "
                         "(code, reasonCode, reasonReference or note)"))
    if problems:
        return None
    identifier = identifiers[0]
    return (identifier["system"][:200], identifier["value"].strip()[:200], {
        "received_on": received_on, "urgency": URGENCY[priority],
        "reason": "\n".join(dict.fromkeys(reasons)) or "See the diagnoses sent with it."})


def _insurance(coverages: list[_Entry], problems) -> tuple[str, str]:
    if not coverages:
        return Child.Insurance.OTHER, ""
    coverage = coverages[0]
    found = None
    type_json = coverage.resource.get("type")
    for item in dicts(type_json.get("coding") if isinstance(type_json, dict) else None):
        if item.get("system") in (PAYER_TYPE, ACT_CODE) and item.get("code") in INSURANCE:
            found = INSURANCE[item["code"]]
            break
    if found is None:
        problems.append((f"{coverage.path}.type", "a payer type is required: Source of "
                         f"Payment Typology ({PAYER_TYPE}) 2 Medicaid, 21 CHIP, 5 private, 81 "
                         "self-pay"))
        return Child.Insurance.OTHER, ""
    member = coverage.resource.get("subscriberId")
    member = member.strip()[:30] if isinstance(member, str) else ""
    if found not in (Child.Insurance.UNINSURED, Child.Insurance.OTHER) and not member:
        problems.append((f"{coverage.path}.subscriberId", "the member ID is required for this "
                                                          "insurance"))
    return found, member if found != Child.Insurance.UNINSURED else ""


def _languages(people: list, entries: list[_Entry], problems) -> list:
    """The Language of the patient, then of each guardian (None when not given)."""
    codes = [(person or {}).get("preferred_language_code") for person in people]
    known = {language.code: language for language in Language.objects.filter(
        code__in=[code for code in codes if code])}
    found = []
    for code, entry in zip(codes, entries, strict=True):
        if code and code not in known:
            problems.append((f"{entry.path}.communication",
                             f"'{code}' is not a language CareCoord knows"))
        found.append(known.get(code) if code else None)
    return found
