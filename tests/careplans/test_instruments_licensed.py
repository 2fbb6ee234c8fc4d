"""A center's licensed PFS-2 item text merges into the shipped structure, or is refused."""

from fractions import Fraction

import pytest
import yaml

from carecoord.careplans.instruments.errors import DefinitionError
from carecoord.careplans.instruments.licensed import load_licensed_items
from carecoord.careplans.instruments.loader import load_instrument
from carecoord.careplans.instruments.scoring import score

IDS = [f"pfs2_{number:02d}" for number in range(1, 20)]


def licensed_file(tmp_path, change=None):
    document = {
        "instrument": "pfs-2",
        "licence": "Test fixture, not the real wording",
        "answer_labels": {str(n): f"Label {n}" for n in range(1, 6)},
        "items": [{"id": item_id, "text": f"Statement {item_id}",
                   "reverse_scored": item_id == "pfs2_02"} for item_id in IDS],
    }
    if change:
        change(document)
    path = tmp_path / "pfs2-licensed.yaml"
    path.write_text(yaml.safe_dump(document), encoding="utf-8")
    return path


def refusal(tmp_path, change) -> str:
    with pytest.raises(DefinitionError) as raised:
        load_licensed_items(licensed_file(tmp_path, change))
    return str(raised.value)


def test_unlicensed_pfs2_cannot_score_answers():
    with pytest.raises(DefinitionError, match="item pfs2_01: reverse_scored is unknown"):
        score(load_instrument("pfs-2"), {"pfs2_01": "4"})


def test_matching_file_is_merged_and_scores(tmp_path):
    pfs2 = load_licensed_items(licensed_file(tmp_path))
    assert not pfs2.awaiting_licensed_items
    assert pfs2.status == "licensed-items-loaded"
    assert pfs2.item("pfs2_05").text == "Statement pfs2_05"
    assert [option.text for option in pfs2.item("pfs2_05").answers][:2] == ["Label 1", "Label 2"]
    assert [group.item_ids for group in pfs2.groups] == [
        group.item_ids for group in load_instrument("pfs-2").groups]
    result = score(pfs2, {"pfs2_01": "4", "pfs2_02": "1", "pfs2_03": "3"})
    # pfs2_02 is reverse scored in this fixture: 1 counts as 5.
    assert result.score_of("family_functioning_resilience").score == Fraction(4 + 5 + 3, 3)
    assert result.score_of("social_supports").score is None


def test_missing_and_unexpected_ids_are_refused_by_name(tmp_path):
    def change(document):
        document["items"][-1]["id"] = "pfs2_20"
    message = refusal(tmp_path, change)
    assert "item pfs2_19: missing from the file" in message
    assert "item pfs2_20: not an item of pfs-2" in message


def test_another_instrument_is_refused(tmp_path):
    def change(document):
        document["instrument"] = "pfs"
    assert "instrument is 'pfs', expected 'pfs-2'" in refusal(tmp_path, change)


def test_items_need_text_and_a_known_reverse_scoring(tmp_path):
    def change(document):
        document["items"][2]["text"] = " "
        document["items"][3]["reverse_score"] = document["items"][3].pop("reverse_scored")
    message = refusal(tmp_path, change)
    assert "item pfs2_03: text missing" in message
    assert "item pfs2_04: unexpected key 'reverse_score'" in message
    assert "item pfs2_04: reverse_scored must be true or false" in message


def test_answer_labels_must_use_the_structure_codes(tmp_path):
    def change(document):
        document["answer_labels"]["6"] = document["answer_labels"].pop("5")
    message = refusal(tmp_path, change)
    assert "answer_labels: unknown answer code '6'" in message


def test_spanish_text_needs_its_status(tmp_path):
    def change(document):
        document["items"][0]["text_es"] = "Enunciado"
    assert "item pfs2_01: has text_es but languages.es_status is not set" in refusal(
        tmp_path, change)
