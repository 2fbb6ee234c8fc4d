"""Every worked scoring example in shared/reference/instruments/ (read from the reference files
themselves), and the worked examples of CareCoord's own check-in, give exactly the expected
result."""

from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest
import yaml

from carecoord.careplans.instruments.comparison import compare_administrations
from carecoord.careplans.instruments.loader import DATA_DIR, load_instrument
from carecoord.careplans.instruments.scoring import score
from carecoord.careplans.instruments.subscales import score_item_values
from carecoord.careplans.instruments.transition import TransitionStatus, transition_elements_due

REFERENCE = Path(__file__).resolve().parents[2].parent / "shared" / "reference" / "instruments"
CHECKIN_FILE = DATA_DIR / "carecoord-protective-factors-checkin.yaml"


def examples(path: Path, key: str = "examples") -> list:
    document = yaml.safe_load(path.read_text(encoding="utf-8"))
    return [pytest.param(example, id=example["id"]) for example in document[key]]


def two_places(value: float | None) -> Decimal | None:
    return None if value is None else Decimal(str(value)).quantize(Decimal("0.01"))


def assert_subscales(result, expected: dict) -> None:
    """Compare the keys the example gives: shown scores, exact scores and the id lists."""
    for subscale_id, value in expected.get("subscale_scores", {}).items():
        assert result.score_of(subscale_id).display == two_places(value), subscale_id
    for subscale_id, value in expected.get("subscale_scores_exact", {}).items():
        exact = None if value is None else Fraction(value)
        assert result.score_of(subscale_id).score == exact, subscale_id
    output = result.as_output()
    for key in ("lowest_subscales", "low_subscales", "suggested_goals"):
        if key in expected:
            assert output[key] == expected[key], key


def test_the_reference_folder_has_the_examples_we_count():
    counts = {name: len(examples(REFERENCE / name)) for name in
              ("ahc-hrsn.yaml", "cshcn-screener.yaml", "pfs-2.yaml",
               "got-transition-six-core-elements.yaml")}
    assert counts == {"ahc-hrsn.yaml": 6, "cshcn-screener.yaml": 6, "pfs-2.yaml": 4,
                      "got-transition-six-core-elements.yaml": 6}


@pytest.mark.parametrize("example", examples(REFERENCE / "ahc-hrsn.yaml"))
def test_ahc_hrsn_worked_example(example):
    result = score(load_instrument("ahc-hrsn-core"), example["answers"])
    assert result.as_output() == example["expected"]


@pytest.mark.parametrize("example", examples(REFERENCE / "cshcn-screener.yaml"))
def test_cshcn_screener_worked_example(example):
    result = score(load_instrument("cshcn-screener"), example["answers"])
    assert result.as_output() == example["expected"]


@pytest.mark.parametrize("example", examples(REFERENCE / "pfs-2.yaml"))
def test_pfs2_worked_example(example):
    pfs2 = load_instrument("pfs-2")
    expected = example["expected"]
    if "item_values" in example:
        assert_subscales(score_item_values(pfs2, example["item_values"]), expected)
        return
    before = score_item_values(pfs2, example["pre_item_values"])
    after = score_item_values(pfs2, example["post_item_values"])
    assert_subscales(before, {"subscale_scores": expected["pre"]})
    assert_subscales(after, {"subscale_scores": expected["post"]})
    comparison = compare_administrations(before, after)
    for subscale_id, change in expected["change"].items():
        assert comparison.change_of(subscale_id).display == two_places(change), subscale_id


@pytest.mark.parametrize("example",
                         examples(REFERENCE / "got-transition-six-core-elements.yaml"))
def test_got_transition_worked_example(example):
    result = transition_elements_due(TransitionStatus(**example["input"]))
    assert list(result.due) == example["expected"]["due"]
    if "transfer_overdue" in example["expected"]:
        assert result.transfer_overdue is example["expected"]["transfer_overdue"]


@pytest.mark.parametrize("example", examples(CHECKIN_FILE))
def test_checkin_worked_example(example):
    result = score(load_instrument("carecoord-protective-factors-checkin"), example["answers"])
    assert_subscales(result, example["expected"])


@pytest.mark.parametrize("example", examples(CHECKIN_FILE, "comparison_examples"))
def test_checkin_comparison_example(example):
    checkin = load_instrument("carecoord-protective-factors-checkin")
    answers = {entry["id"]: entry["answers"] for entry in
               yaml.safe_load(CHECKIN_FILE.read_text(encoding="utf-8"))["examples"]}
    comparison = compare_administrations(score(checkin, answers[example["earlier"]]),
                                         score(checkin, answers[example["later"]]))
    for subscale_id, change in example["expected"]["change"].items():
        assert comparison.change_of(subscale_id).display == two_places(change), subscale_id
    for subscale_id, direction in example["expected"]["direction"].items():
        assert comparison.change_of(subscale_id).direction == direction, subscale_id
