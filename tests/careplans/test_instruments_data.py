"""The product's instrument files: same content as the reference folder (only documented
additions), all valid, Spanish marked as awaiting review, the check-in labelled as CareCoord's
own and built on the five Strengthening Families factors."""

from pathlib import Path

import pytest
import yaml

from carecoord.careplans.instruments.definitions import SpanishStatus
from carecoord.careplans.instruments.errors import DefinitionError
from carecoord.careplans.instruments.loader import (
    DATA_DIR,
    instrument_ids,
    load_instrument,
    load_instrument_file,
)

REFERENCE = Path(__file__).resolve().parents[2].parent / "shared" / "reference" / "instruments"
COPIED = ["ahc-hrsn.yaml", "cshcn-screener.yaml", "pfs-2.yaml", "strengthening-families.yaml",
          "got-transition-six-core-elements.yaml"]
# What data/README.md says CareCoord adds to its copies, and the one field it rewrites.
ADDED_KEYS = {"text_es", "es_status", "engine", "licensed_items", "due_rules"}
REWRITTEN = {("languages", "es")}


def read(path: Path):
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def differences(ours, reference, path=()):
    """Paths where ``ours`` lacks or changes reference content, and paths it adds."""
    if path in REWRITTEN:
        return [], []
    if isinstance(reference, dict) and isinstance(ours, dict):
        changed, added = [], [path + (key,) for key in ours if key not in reference]
        for key, value in reference.items():
            if key not in ours:
                changed.append(path + (key,))
                continue
            more_changed, more_added = differences(ours[key], value, path + (key,))
            changed += more_changed
            added += more_added
        return changed, added
    if isinstance(reference, list) and isinstance(ours, list) and len(ours) == len(reference):
        changed, added = [], []
        for index, (mine, theirs) in enumerate(zip(ours, reference, strict=True)):
            more_changed, more_added = differences(mine, theirs, path + (index,))
            changed += more_changed
            added += more_added
        return changed, added
    return ([] if ours == reference else [path]), []


@pytest.mark.parametrize("name", COPIED)
def test_product_copy_keeps_the_reference_content(name):
    changed, added = differences(read(DATA_DIR / name), read(REFERENCE / name))
    assert changed == []
    assert {path[-1] for path in added} <= ADDED_KEYS


def test_strengthening_families_copy_is_unchanged():
    assert (DATA_DIR / "strengthening-families.yaml").read_bytes() == (
        REFERENCE / "strengthening-families.yaml").read_bytes()


def test_drift_is_caught():
    reference = read(REFERENCE / "ahc-hrsn.yaml")
    ours = read(DATA_DIR / "ahc-hrsn.yaml")
    ours["scoring"]["rules"]["safety"] = "POSITIVE if safety_total >= 12"
    ours["items"][0]["answers"][1]["positive"] = False
    changed, _ = differences(ours, reference)
    assert ("scoring", "rules", "safety") in changed
    assert ("items", 0, "answers", 1, "positive") in changed


def test_every_shipped_instrument_loads_and_validates():
    assert set(instrument_ids()) == {"ahc-hrsn-core", "cshcn-screener", "pfs-2",
                                     "carecoord-protective-factors-checkin"}
    for instrument_id in instrument_ids():
        assert load_instrument(instrument_id).id == instrument_id


def test_unknown_instrument_is_refused_with_its_name():
    with pytest.raises(DefinitionError, match="no-such-screen"):
        load_instrument("no-such-screen")


@pytest.mark.parametrize("instrument_id", ["ahc-hrsn-core", "cshcn-screener",
                                           "carecoord-protective-factors-checkin"])
def test_spanish_is_marked_as_awaiting_review(instrument_id):
    instrument = load_instrument(instrument_id)
    assert instrument.es_status is SpanishStatus.AWAITING_REVIEW
    assert instrument.spanish_awaiting_review
    assert all(item.text_es for item in instrument.items)
    assert all(option.text_es for item in instrument.items for option in item.answers)


def test_pfs2_has_no_spanish_and_waits_for_licensed_items():
    pfs2 = load_instrument("pfs-2")
    assert pfs2.es_status is None and not pfs2.spanish_awaiting_review
    assert pfs2.awaiting_licensed_items
    assert all(item.text == "TO BE LICENSED" for item in pfs2.items)


def test_reviewed_spanish_replaces_the_draft_without_code_changes(tmp_path):
    document = read(DATA_DIR / "cshcn-screener.yaml")
    document["languages"]["es_status"] = "official"
    document["items"][0]["text_es"] = "Texto oficial de la NSCH."
    path = tmp_path / "cshcn-screener.yaml"
    path.write_text(yaml.safe_dump(document, allow_unicode=True), encoding="utf-8")
    reviewed = load_instrument_file(path)
    assert not reviewed.spanish_awaiting_review
    assert reviewed.item("q1a_medication").text_es == "Texto oficial de la NSCH."


def test_checkin_is_labelled_as_carecoords_own_and_not_validated():
    checkin = load_instrument("carecoord-protective-factors-checkin")
    assert checkin.label == "CareCoord's own conversation guide — not the PFS-2 and not validated"
    assert checkin.label_es
    assert read(DATA_DIR / "carecoord-protective-factors-checkin.yaml")["validated"] is False
    assert not any(item.id.startswith("pfs2") for item in checkin.items)


def test_checkin_covers_the_five_strengthening_families_factors():
    factors = [factor["id"] for factor in read(DATA_DIR / "strengthening-families.yaml")["factors"]]
    checkin = load_instrument("carecoord-protective-factors-checkin")
    assert [group.protective_factor for group in checkin.groups] == factors
    for group in checkin.groups:
        assert 2 <= len(group.item_ids) <= 3, group.id
        assert group.low_below is not None, group.id
        assert group.suggested_goal.text and group.suggested_goal.text_es, group.id
    assert any(item.reverse_scored for item in checkin.items)
    assert all(len(item.answers) == 5 for item in checkin.items)
