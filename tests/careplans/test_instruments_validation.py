"""Broken definitions and broken answers are refused with errors that name the item or field."""

import copy

import pytest
import yaml

from carecoord.careplans.instruments.errors import AnswerError, DefinitionError
from carecoord.careplans.instruments.loader import DATA_DIR, load_instrument, load_instrument_file
from carecoord.careplans.instruments.parsing import parse_instrument
from carecoord.careplans.instruments.scoring import score
from carecoord.careplans.instruments.subscales import score_item_values
from carecoord.careplans.instruments.validation import validate

SCALE = [{"code": "a", "value": 1, "text": "Low"}, {"code": "b", "value": 2, "text": "Mid"},
         {"code": "c", "value": 3, "text": "High"}]
MINIMAL = {
    "id": "tiny", "title": "Tiny", "kind": "assessment", "status": "test",
    "subscales": [{"id": "s1", "title": "One", "items": ["i1", "i2"]}],
    "items": [
        {"id": "i1", "number": 1, "subscale": "s1", "text": "First", "reverse_scored": False,
         "answers": SCALE},
        {"id": "i2", "number": 2, "subscale": "s1", "text": "Second", "reverse_scored": True,
         "answers": SCALE},
    ],
    "scoring": {"engine": {"method": "subscale_mean"}},
}


def read(path):
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def build(change=None):
    document = copy.deepcopy(MINIMAL)
    if change:
        change(document)
    return validate(parse_instrument(document, source="tiny.yaml"))


def problems_of(change) -> str:
    with pytest.raises(DefinitionError) as raised:
        build(change)
    return str(raised.value)


def test_the_minimal_definition_is_valid():
    assert build().item("i2").reverse_scored is True


def test_a_definition_loads_from_any_path(tmp_path):
    path = tmp_path / "tiny.yaml"
    path.write_text(yaml.safe_dump(MINIMAL), encoding="utf-8")
    assert load_instrument_file(path).id == "tiny"
    path.write_text(yaml.safe_dump({**MINIMAL, "items": MINIMAL["items"][:1]}), encoding="utf-8")
    with pytest.raises(DefinitionError, match=r"tiny\.yaml: subscale s1 lists item i2, which"):
        load_instrument_file(path)


def test_subscale_naming_a_missing_item():
    def change(d):
        d["subscales"][0]["items"].append("i9")
    assert "subscale s1 lists item i9, which does not exist" in problems_of(change)


def test_item_in_an_undeclared_subscale():
    def change(d):
        d["items"][1]["subscale"] = "s2"
    message = problems_of(change)
    assert "item i2: subscale s2 is not declared" in message


def test_missing_field_names_the_item_and_field():
    def change(d):
        del d["items"][1]["text"]
    assert "instrument.items[1] (i2).text: missing" in problems_of(change)


def test_reverse_scored_must_be_written_even_when_unknown():
    def change(d):
        del d["items"][0]["reverse_scored"]
    assert "items[0] (i1).reverse_scored: missing (write null if unknown)" in problems_of(change)


def test_duplicate_answer_codes_and_ambiguous_values():
    def change(d):
        d["items"][0]["answers"] = [*SCALE, {"code": "a", "value": 4, "text": "Again"}]
        d["items"][1]["answers"] = [*SCALE[:2], {"code": "c", "value": "a", "text": "Odd"}]
    message = problems_of(change)
    assert "item i1: answer code 'a' used more than once" in message
    assert "item i2: answer value 'a' is also another answer's code" in message


def test_skip_logic_with_an_unknown_answer_value():
    def change(d):
        d["items"][1]["ask_if"] = "i1 == z"
    assert "item i2: ask_if value 'z' is not an answer of item i1" in problems_of(change)


def test_skip_logic_naming_a_later_item():
    def change(d):
        d["items"][0]["ask_if"] = "i2 == a"
    assert "item i1: ask_if names item i2, which is not asked before it" in problems_of(change)


def test_low_threshold_outside_the_scale():
    def change(d):
        d["subscales"][0]["low_below"] = 7
    assert "subscale s1: low_below 7 is outside the answer values 1-3" in problems_of(change)


def test_unknown_scoring_method_and_missing_rule():
    def method(d):
        d["scoring"]["engine"]["method"] = "sum_everything"
    assert "scoring.engine.method: unknown scoring method 'sum_everything'" in problems_of(method)

    def rule(d):
        d["scoring"]["engine"]["missing_items"] = "undetermined"
    assert "missing_items: undetermined does not apply" in problems_of(rule)


def test_spanish_status_requires_spanish_everywhere():
    def change(d):
        d["languages"] = {"en": "own", "es_status": "machine_or_staff_translation_awaiting_review"}
        d["items"][0]["text_es"] = "Primero"
    message = problems_of(change)
    assert "item i2: text_es missing" in message
    assert "item i1 answer a: text_es missing" in message


def test_domain_screen_rules_must_cover_every_domain():
    ahc = read(DATA_DIR / "ahc-hrsn.yaml")
    del ahc["scoring"]["engine"]["domains"]["food"]
    ahc["scoring"]["engine"]["domains"]["housing"] = {"positive_if": "any_positive_answer"}
    with pytest.raises(DefinitionError) as raised:
        validate(parse_instrument(ahc, source="ahc"))
    assert "domain food: no rule in scoring.engine.domains" in str(raised.value)
    assert "scoring.engine.domains: domain housing is not declared" in str(raised.value)


def test_sequence_met_value_must_be_an_answer():
    cshcn = read(DATA_DIR / "cshcn-screener.yaml")
    cshcn["scoring"]["engine"]["met_value"] = "si"
    with pytest.raises(DefinitionError, match="item q1a_medication: met_value 'si'"):
        validate(parse_instrument(cshcn, source="cshcn"))


# --- answers ---------------------------------------------------------------------------------

def answer_error(instrument, answers) -> AnswerError:
    with pytest.raises(AnswerError) as raised:
        score(instrument, answers)
    return raised.value


def test_unanswered_item_is_refused_when_the_instrument_has_no_missing_rule():
    error = answer_error(build(), {"i1": "a"})
    assert error.item_ids == ("i2",)
    assert "item i2: not answered, and tiny has no rule for missing answers" in str(error)
    with pytest.raises(AnswerError, match="item i2: not answered"):
        score_item_values(build(), {"i1": 1})


def test_unknown_answer_code_names_the_item_and_the_code():
    error = answer_error(load_instrument("ahc-hrsn-core"), {"transportation": "LA99-9"})
    assert error.item_ids == ("transportation",)
    assert "'LA99-9' is not one of its answer codes (LA33-6, LA32-8)" in str(error)


def test_unknown_item_and_wrong_shapes_are_all_reported():
    error = answer_error(load_instrument("ahc-hrsn-core"), {
        "pets": "LA33-6",
        "housing_problems": "LA28580-1",
        "food_worry": ["LA28397-0"],
    })
    assert set(error.item_ids) == {"pets", "housing_problems", "food_worry"}
    assert "item pets: not an item of ahc-hrsn-core" in str(error)
    assert "item housing_problems: takes a list of answer codes" in str(error)
    assert "item food_worry: takes one answer, not a list" in str(error)


def test_follow_up_answered_after_a_no_is_refused():
    error = answer_error(load_instrument("cshcn-screener"), {
        "q1a_medication": "no", "q1b_medication_condition": "yes"})
    assert error.item_ids == ("q1b_medication_condition",)
    assert "asked only if q1a_medication == yes" in str(error)


def test_item_value_outside_the_scale_names_the_item():
    with pytest.raises(AnswerError, match=r"item pfs2_03: value 6 is not one of \[1, 2, 3, 4, 5\]"):
        score_item_values(load_instrument("pfs-2"), {"pfs2_03": 6})
