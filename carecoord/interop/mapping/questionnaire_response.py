"""An administered screening or assessment (careplans.Assessment) as a US Core
QuestionnaireResponse: the answers as given, to the questions as asked, in the language they
were asked in (`language`; a Spanish administration has the Spanish wording in `item.text`,
and CareCoord-coded answers displayed in Spanish; LOINC answers keep LOINC's display).
`questionnaire` is the instrument's canonical (systems.questionnaire). (Its title cannot ride
along in the display extension: HL7's R4 JSON Schema has no `_questionnaire`.)

The status follows corrections as the Observations do: `amended` for a correction, and
`entered-in-error` for an administration a later one corrected."""

from . import systems
from .common import meta, patient_reference, respondent_reference, staff_reference
from .observation import instrument_of, last_updated, superseded_by


def status(assessment) -> str:
    if superseded_by(assessment):
        return "entered-in-error"
    return "amended" if assessment.corrects_id else "completed"


def _item(assessment, instrument, item_id: str) -> dict:
    item = instrument.item(item_id)
    entry = {"linkId": item_id}
    text = instrument.item_text(item, assessment.language)
    if text:
        entry["text"] = text
    answer = assessment.answers.get(item_id)
    chosen = answer if isinstance(answer, list) else [] if answer is None else [answer]
    if chosen:
        entry["answer"] = [{"valueCoding": instrument.answer(item_id, code, assessment.language)}
                           for code in chosen]
    return entry


def questionnaire_response(assessment) -> dict:
    """Reads assessment.child, administered_by, respondent and corrections."""
    instrument = instrument_of(assessment)
    resource = {
        "resourceType": "QuestionnaireResponse",
        "id": str(assessment.pk),
        "meta": meta("QuestionnaireResponse", last_updated(assessment)),
        "language": assessment.language,
        "questionnaire": systems.questionnaire(assessment.instrument_id),
        "status": status(assessment),
        "subject": patient_reference(assessment.child),
        "authored": assessment.administered_on.isoformat(),
        "author": staff_reference(assessment.administered_by),
        "source": respondent_reference(assessment.respondent, assessment.child),
    }
    items = [_item(assessment, instrument, item_id)
             for item_id in instrument.asked(assessment.answers)]
    if items:
        resource["item"] = items
    return resource
