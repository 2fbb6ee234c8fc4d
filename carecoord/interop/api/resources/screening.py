"""Screenings and assessments given to the child (careplans.Assessment): each administration
as a QuestionnaireResponse (the answers as given) and as Observations (one per question asked,
and one grouping them with the result). See mapping/observation.py for the ids."""

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Q

from carecoord.careplans.models import Assessment

from ... import mapping, selectors
from ...mapping import systems
from ...mapping.instruments import info
from ...mapping.observation import categories, codings, item_of, parse_observation_id, parts
from ...mapping.observation import code as observation_code
from ...query import Parameter, Token
from .base import (
    ID,
    LAST_UPDATED,
    NOTHING,
    SP,
    AuditTarget,
    Kind,
    Matches,
    PartMatches,
    date_parameter,
    dated,
    ids,
    patient_parameter,
    plain,
    plain_read,
    status_parameter,
    token_in,
    where,
)

OBSERVATION_STATUSES = ("registered", "preliminary", "final", "amended", "corrected",
                        "cancelled", "entered-in-error", "unknown")
RESPONSE_STATUSES = ("in-progress", "completed", "amended", "entered-in-error", "stopped")
# Which administrations have each status (see observation.status): a later correction
# replaces one; a correction is itself corrected data.
BY_STATUS = {
    "final": Q(superseded=False, corrects__isnull=True),
    "corrected": Q(superseded=False, corrects__isnull=False),
    "amended": Q(superseded=False, corrects__isnull=False),
    "completed": Q(superseded=False, corrects__isnull=True),
    "entered-in-error": Q(superseded=True),
}


def _status(system: str, codes: tuple[str, ...]) -> Callable[[Token], Q]:
    return token_in({(system, code): BY_STATUS[code] for code in codes})


def _audit(assessment: Assessment) -> AuditTarget:
    return AuditTarget("careplans.assessment", assessment.pk, assessment.child_id,
                       assessment.center_id)


# ---------------------------------------------------------------- Observation


@dataclass(frozen=True)
class ObservationRow:
    """One Observation: an administration, and the question (None: the grouping one)."""

    assessment: Assessment
    item_id: str | None


def _part_filter(f: dict, name: str, concepts: Callable) -> Callable[[str, str | None], bool]:
    """A token parameter matched on each Observation's own codings (its category or code),
    which depend on the question, not only on the administration."""
    def keep(instrument_id: str, item_id: str | None) -> bool:
        found = codings(concepts(info(instrument_id), item_id))
        return all(any(any(token.matches(*pair) for pair in found) for token in alternatives)
                   for alternatives in f.get(name, []) if alternatives)
    return keep


def _observation_ids(f: dict) -> Callable[[int, str | None], bool]:
    wanted = [[parse_observation_id(v) for v in alternatives]
              for alternatives in f.get("_id", []) if alternatives]

    def keep(pk: int, item_id: str | None) -> bool:
        tail = item_id.replace("_", "-") if item_id else None
        return all((pk, tail) in alternatives for alternatives in wanted)
    return keep


def _search_observations(practice_id: int, f: dict) -> PartMatches:
    def administration(value: str) -> Q:
        parsed = parse_observation_id(value)
        return Q(pk=parsed[0]) if parsed else NOTHING

    rows = selectors.assessments(practice_id).filter(
        where(f, "_id", administration)
        & where(f, "patient", ids(plain, "child_id"))
        & where(f, "status", _status("http://hl7.org/fhir/observation-status",
                                     ("final", "corrected", "entered-in-error")))
        & where(f, "date", dated("administered_on", dates=True))
        & where(f, "_lastUpdated", dated("last_updated")))
    by_id = _observation_ids(f)
    by_category = _part_filter(f, "category", categories)
    by_code = _part_filter(f, "code", lambda instrument, item: [observation_code(instrument,
                                                                                 item)])

    def observations_of(values: tuple) -> list[tuple[int, str | None]]:
        pk, instrument_id, answers = values
        return [(pk, item) for item in parts(instrument_id, answers)
                if by_id(pk, item) and by_category(instrument_id, item)
                and by_code(instrument_id, item)]

    def load(keys: list) -> list[ObservationRow]:
        # The keys come from the scoped search above.
        found = selectors.assessment_rows().in_bulk({pk for pk, _ in keys})
        return [ObservationRow(found[pk], item) for pk, item in keys]

    return PartMatches(rows.values_list("pk", "instrument_id", "answers"), observations_of, load)


def _read_observation(practice_id: int, resource_id: str) -> ObservationRow | None:
    parsed = parse_observation_id(resource_id)
    if parsed is None:
        return None
    assessment = selectors.assessments(practice_id).filter(pk=parsed[0]).first()
    if assessment is None or parsed[1] is None:
        return ObservationRow(assessment, None) if assessment else None
    item = item_of(assessment, parsed[1])
    return ObservationRow(assessment, item) if item else None


OBSERVATION = Kind(
    "Observation",
    {"_id": ID, "patient": patient_parameter(),
     "status": status_parameter(f"{SP}Observation-status",
                                "final; corrected (a correction of an earlier administration); "
                                "entered-in-error (replaced by its correction).",
                                OBSERVATION_STATUSES),
     "category": Parameter("category", "token", f"{SP}Observation-category",
                           "survey (every one), sdoh (social-needs screenings), or a Gravity "
                           "SDOH category code of the question's domain."),
     "code": Parameter("code", "token", f"{SP}clinical-code",
                       "The question's LOINC code (or the screening's panel code), else "
                       f"CareCoord's ({systems.INSTRUMENT}:<instrument>:item|<item>)."),
     "date": date_parameter("date", f"{SP}clinical-date", "When it was given (a date)"),
     "_lastUpdated": LAST_UPDATED},
    _search_observations, _read_observation,
    lambda row: mapping.observation(row.assessment, row.item_id),
    lambda row: _audit(row.assessment),
    profiles=(systems.PROFILES["Observation"], systems.SDOHCC_SCREENING_RESPONSE),
)


# ---------------------------------------------------------------- QuestionnaireResponse


def _search_responses(practice_id: int, f: dict) -> Matches:
    return Matches(selectors.assessments(practice_id).filter(
        where(f, "_id", ids(plain))
        & where(f, "patient", ids(plain, "child_id"))
        & where(f, "status", _status("http://hl7.org/fhir/questionnaire-answers-status",
                                     ("completed", "amended", "entered-in-error")))
        & where(f, "authored", dated("administered_on", dates=True))
        & where(f, "_lastUpdated", dated("last_updated"))))


QUESTIONNAIRE_RESPONSE = Kind(
    "QuestionnaireResponse",
    {"_id": ID, "patient": patient_parameter(f"{SP}QuestionnaireResponse-patient"),
     "status": status_parameter(f"{SP}QuestionnaireResponse-status",
                                "completed; amended (a correction of an earlier "
                                "administration); entered-in-error (replaced by its "
                                "correction).", RESPONSE_STATUSES),
     "authored": date_parameter("authored", f"{SP}QuestionnaireResponse-authored",
                                "When it was given (a date)"),
     "_lastUpdated": LAST_UPDATED},
    _search_responses, plain_read(selectors.assessments, plain), mapping.questionnaire_response,
    _audit,
    profiles=(systems.PROFILES["QuestionnaireResponse"],),
)
