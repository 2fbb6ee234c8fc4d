"""An administered screening or assessment (careplans.Assessment) as Observations: one per
question asked, with the answer given, and one for the whole administration that groups them
(`hasMember`) and carries the result as scored then (a component per domain or subscale, and
derived totals). Every one is derived from the administration's QuestionnaireResponse.

A social-needs screening (one whose domains name Gravity SDOH categories: the AHC HRSN) follows
Gravity's SDOHCC Observation Screening Response: categories `survey` and `sdoh` plus the
domain's SDOH categories, LOINC codes, `interpretation` POS only on an answer that may signal a
need. Other instruments (the protective factors check-in, the CSHCN Screener, the PFS-2) follow
US Core Observation Screening Assessment, with CareCoord's codes where LOINC has none.

Ids: the administration's number for the grouping Observation, `<number>-<item>` for a question
(the item id with `-` for `_`). An administration that was corrected is `entered-in-error`
(its correction replaced it), the correcting one `corrected`."""

from . import systems
from .common import (
    Unmappable,
    coding,
    concept,
    instant,
    meta,
    parse_plain_id,
    patient_reference,
    reference,
    respondent_reference,
    sdoh_category,
)
from .instruments import info

SURVEY = concept(systems.OBSERVATION_CATEGORY, "survey", "Survey")
SDOH = concept(systems.US_CORE_CATEGORY, "sdoh", "SDOH")
POSITIVE = concept(systems.OBSERVATION_INTERPRETATION, "POS", "Positive")
LOW = concept(systems.OBSERVATION_INTERPRETATION, "L", "Low")
DECLINED = concept(systems.DATA_ABSENT_REASON, "asked-declined", "Asked But Declined",
                   "Asked, not answered")


def _absent(text: str) -> dict:
    return concept(systems.DATA_ABSENT_REASON, "unknown", "Unknown", text)


def instrument_of(assessment):
    return info(assessment.instrument_id, assessment.instrument_title)


# ---------------------------------------------------------------- ids


def observation_id(assessment_id: int, item_id: str | None = None) -> str:
    return str(assessment_id) if item_id is None else f"{assessment_id}-{item_id.replace('_', '-')}"


def parts(instrument_id: str, answers) -> list[str | None]:
    """The Observations of one administration: None (the grouping one), then each question
    asked. Reads only the instrument and the stored answers, so a search can count them."""
    answers = answers if isinstance(answers, dict) else {}
    return [None] + info(instrument_id).asked(answers)


def parse_observation_id(value: str) -> tuple[int, str | None] | None:
    """(administration number, the id's item part or None for the grouping Observation)."""
    head, dash, tail = value.partition("-")
    number = parse_plain_id(head)
    if number is None or (dash and not tail):
        return None
    return number, tail if dash else None


def item_of(assessment, tail: str) -> str | None:
    """The item whose Observation id ends in `tail`, among those the administration asked."""
    return next((item_id for item_id in parts(assessment.instrument_id, assessment.answers)[1:]
                 if item_id.replace("_", "-") == tail), None)


# ---------------------------------------------------------------- status


def superseded_by(assessment):
    """The administration that corrected this one (corrections prefetched), or None."""
    return next(iter(assessment.corrections.all()), None)


def last_updated(assessment):
    correction = superseded_by(assessment)
    return correction.created_at if correction else assessment.created_at


def status(assessment) -> str:
    if superseded_by(assessment):
        return "entered-in-error"
    return "corrected" if assessment.corrects_id else "final"


# ---------------------------------------------------------------- what a search matches


def categories(instrument, item_id: str | None) -> list[dict]:
    found = [SURVEY] + ([SDOH] if instrument.sdoh else [])
    return found + [sdoh_category(c) for c in instrument.categories(item_id)]


def code(instrument, item_id: str | None) -> dict:
    return instrument.item_code(item_id) if item_id else instrument.panel_code()


def codings(concepts: list[dict]) -> set[tuple[str, str]]:
    return {(c["system"], c["code"]) for concept_ in concepts for c in concept_["coding"]}


# ---------------------------------------------------------------- resources


def _common(assessment, item_id, instrument) -> dict:
    profile = systems.SDOHCC_SCREENING_RESPONSE if instrument.sdoh else ""
    return {
        "resourceType": "Observation",
        "id": observation_id(assessment.pk, item_id),
        "meta": meta("Observation", last_updated(assessment), profile=profile),
        "status": status(assessment),
        "category": categories(instrument, item_id),
        "code": code(instrument, item_id),
        "subject": patient_reference(assessment.child),
        "effectiveDateTime": assessment.administered_on.isoformat(),
        "issued": instant(assessment.created_at),
    }


def _answer(assessment, item_id, instrument, resource: dict) -> dict:
    answer = assessment.answers.get(item_id)
    question = resource["code"]
    resource["performer"] = [respondent_reference(assessment.respondent, assessment.child)]
    if answer is None:
        resource["dataAbsentReason"] = DECLINED
    elif isinstance(answer, list):
        # A "check all that apply" question: one component per answer chosen (Gravity's
        # multi-select pattern), each with the question's code.
        resource["component"] = [{"code": question, "valueCodeableConcept": _value(
            instrument.answer(item_id, a))} for a in answer]
    else:
        resource["valueCodeableConcept"] = _value(instrument.answer(item_id, answer))
    chosen = answer if isinstance(answer, list) else [answer] if answer is not None else []
    if instrument.sdoh and any(instrument.positive(item_id, a) for a in chosen):
        resource["interpretation"] = [POSITIVE]
    resource["derivedFrom"] = [reference("QuestionnaireResponse", assessment.pk)]
    return resource


def _value(answer: dict) -> dict:
    result = {"coding": [answer]}
    if answer.get("display"):
        result["text"] = answer["display"]
    return result


def _group_code(instrument, group_id: str, titles: dict) -> dict:
    group = instrument.group(group_id)
    title = titles.get(group_id) or (group.title if group else group_id)
    return {"coding": [coding(systems.instrument_codes(instrument.id, "group"), group_id, title)],
            "text": title}


def _components(assessment, instrument) -> list[dict]:
    """The result as scored when it was given (Assessment.result)."""
    data = assessment.result if isinstance(assessment.result, dict) else {}
    titles = data.get("titles") or {}
    components = []
    method = data.get("method")
    for group_id in data.get("order") or []:
        component = {"code": _group_code(instrument, group_id, titles)}
        if method == "subscale_mean":
            score = (data.get("subscale_scores") or {}).get(group_id)
            if score is None:
                component["dataAbsentReason"] = _absent("Not scored: too few items answered")
            else:
                component["valueQuantity"] = {"value": float(score), "unit": "score"}
                if group_id in (data.get("low_subscales") or []):
                    component["interpretation"] = [LOW]
        else:
            result = (data.get("domain_results") or {}).get(group_id)
            if result in ("positive", "met"):
                component["valueBoolean"] = True
                component["interpretation"] = [POSITIVE]
            elif result in ("negative", "not_met"):
                component["valueBoolean"] = False
            else:
                component["dataAbsentReason"] = _absent(
                    "Incomplete: not every question of this part was answered")
        components.append(component)
    for total_id, value in (data.get("totals") or {}).items():
        loinc = instrument.totals.get(total_id)
        code = ({"coding": [coding(systems.LOINC, loinc[0])], "text": loinc[1] or total_id}
                if loinc else {"coding": [coding(systems.instrument_codes(
                    instrument.id, "total"), total_id)], "text": total_id})
        component = {"code": code}
        if isinstance(value, int):
            component["valueInteger"] = value
        else:
            component["dataAbsentReason"] = _absent("Not totalled: an item was not answered")
        components.append(component)
    if method == "sequence_all_met":
        qualifies = data.get("qualifies")
        component = {"code": {"coding": [coding(systems.instrument_codes(
            instrument.id, "result"), "qualifies", "Qualifies")],
            "text": "Meets the screener's definition"}}
        if qualifies is None:
            component["dataAbsentReason"] = _absent("Undetermined: a sequence was unanswered")
        else:
            component["valueBoolean"] = bool(qualifies)
        components.append(component)
    return components


def observation(assessment, item_id: str | None = None) -> dict:
    """One Observation of an administration: the grouping one (`item_id` None) or one
    question's. Reads assessment.child, respondent and corrections."""
    instrument = instrument_of(assessment)
    resource = _common(assessment, item_id, instrument)
    if item_id is not None:
        if item_id not in assessment.answers:
            raise Unmappable([("Observation.code", f"{item_id} was not asked")])
        return _answer(assessment, item_id, instrument, resource)
    resource["hasMember"] = [reference("Observation", observation_id(assessment.pk, i))
                             for i in instrument.asked(assessment.answers)]
    components = _components(assessment, instrument)
    if components:
        resource["component"] = components
    resource["derivedFrom"] = [reference("QuestionnaireResponse", assessment.pk)]
    if not resource["hasMember"] and not components:
        resource["dataAbsentReason"] = _absent("No answers recorded")
    return resource
