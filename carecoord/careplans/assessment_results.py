"""Between the pure instrument engine (``careplans/instruments/``) and the database: which
instruments the pages offer, a center's licensed PFS-2 items, and a scored result written as
plain data for ``Assessment.result`` and read back for comparisons and summaries.

The stored result keeps the engine's own output keys (``as_output()``), so it can be checked
against the instruments' worked examples, with exact scores as fraction strings ("4/3") next to
the 2-decimal display ("1.33"), and the titles and suggested goals as they were shown.
"""

from fractions import Fraction
from functools import cache
from pathlib import Path
from typing import Any

from django.conf import settings

from .instruments.comparison import Comparison, compare_administrations
from .instruments.definitions import DomainScreenRules, Instrument, SequenceRules, SubscaleMeanRules
from .instruments.licensed import load_licensed_items
from .instruments.loader import DATA_DIR, instrument_ids, load_instrument, read_yaml
from .instruments.screening import DomainScreenResult, DomainStatus, SequenceScreenResult
from .instruments.social_needs import SocialNeedsSummary, social_needs_summary
from .instruments.subscales import SubscaleResult, SubscaleScore, SuggestedGoal

PROTECTIVE_FACTORS_CHECKIN = "carecoord-protective-factors-checkin"
CSHCN_SCREENER = "cshcn-screener"
AHC_HRSN = "ahc-hrsn-core"
PFS_2 = "pfs-2"
# The order the pages list them in: the check-in and the screenings at intake, then the PFS-2.
PAGE_ORDER = (PROTECTIVE_FACTORS_CHECKIN, CSHCN_SCREENER, AHC_HRSN, PFS_2)

SUBSCALE_MEAN = "subscale_mean"
DOMAIN_SCREEN = "domain_screen"
SEQUENCE_ALL_MET = "sequence_all_met"


class UnknownInstrument(LookupError):
    pass


def offered_instrument_ids() -> tuple[str, ...]:
    shipped = instrument_ids()
    return (*[i for i in PAGE_ORDER if i in shipped], *[i for i in shipped if i not in PAGE_ORDER])


@cache
def _licensed_pfs2(path: str) -> Instrument:
    return load_licensed_items(Path(path))


def instrument_for(instrument_id: str) -> Instrument:
    """The instrument as the pages administer it. The PFS-2 takes the center's licensed item
    file when ``CAREPLANS_PFS2_LICENSED_ITEMS`` names one (kept outside the repository);
    without it the PFS-2 is the shipped structure, which the engine refuses to score."""
    if instrument_id not in instrument_ids():
        raise UnknownInstrument(instrument_id)
    licensed = getattr(settings, "CAREPLANS_PFS2_LICENSED_ITEMS", None)
    if instrument_id == PFS_2 and licensed:
        return _licensed_pfs2(str(licensed))
    return load_instrument(instrument_id)


@cache
def _documents() -> dict[str, dict]:
    documents = {}
    for path in sorted(DATA_DIR.glob("*.yaml")):
        document = read_yaml(path)
        if isinstance(document, dict) and document.get("id"):
            documents[document["id"]] = document
    return documents


def short_title(instrument: Instrument) -> str:
    return _documents().get(instrument.id, {}).get("short_title") or instrument.title


def version_note(instrument: Instrument) -> str:
    """The data file's own ``version`` note, on one line (kept with each administration)."""
    text = " ".join(str(_documents().get(instrument.id, {}).get("version") or "").split())
    return text[:300]


def method(instrument: Instrument) -> str:
    match instrument.rules:
        case SubscaleMeanRules():
            return SUBSCALE_MEAN
        case DomainScreenRules():
            return DOMAIN_SCREEN
        case SequenceRules():
            return SEQUENCE_ALL_MET


def has_spanish(instrument: Instrument) -> bool:
    return instrument.es_status is not None


# ---------------------------------------------------------------- writing a result


def _exact(value: Fraction | None) -> str | None:
    return None if value is None else str(value)


def result_data(instrument: Instrument, result) -> dict[str, Any]:
    """The engine's result as JSON-ready plain data (see the module docstring)."""
    # PostgreSQL's jsonb does not keep the keys of an object in order: "order" does.
    common = {"order": [group.id for group in instrument.groups],
              "titles": {group.id: group.title for group in instrument.groups}}
    if isinstance(result, SubscaleResult):
        output = result.as_output()
        return {
            "method": SUBSCALE_MEAN,
            "subscale_scores": {k: None if v is None else str(v)
                                for k, v in output["subscale_scores"].items()},
            "subscale_scores_exact": {s.subscale_id: _exact(s.score) for s in result.scores},
            "answered": {s.subscale_id: [s.answered, s.n_items] for s in result.scores},
            "low_below": {g.id: _exact(g.low_below) for g in instrument.groups},
            "low_subscales": output["low_subscales"],
            "lowest_subscales": output["lowest_subscales"],
            "suggested_goals": output["suggested_goals"],
            "goals": {goal.subscale_id: {"text": goal.text, "text_es": goal.text_es,
                                         "protective_factor": goal.protective_factor}
                      for goal in result.suggested_goals},
            **common,
        }
    if isinstance(result, DomainScreenResult):
        return {
            "method": DOMAIN_SCREEN,
            **result.totals,
            "totals": dict(result.totals),
            "positive_domains": list(result.positive_domains),
            "incomplete_domains": list(result.incomplete_domains),
            "domain_results": {k: str(v) for k, v in result.domain_results.items()},
            **common,
        }
    if isinstance(result, SequenceScreenResult):
        return {
            "method": SEQUENCE_ALL_MET,
            "qualifies": result.qualifies,
            "qualifying_domains": list(result.qualifying_domains),
            "domain_results": {k: str(v) for k, v in result.domain_results.items()},
            **common,
        }
    raise TypeError(f"not a scored result: {result!r}")


# ---------------------------------------------------------------- reading one back


def subscale_result(instrument_id: str, data: dict[str, Any]) -> SubscaleResult:
    """A stored subscale result as the engine's ``SubscaleResult`` (for comparisons)."""
    exact = data["subscale_scores_exact"]
    low = set(data["low_subscales"])
    goals = data.get("goals", {})
    scores = tuple(
        SubscaleScore(
            subscale_id=subscale_id,
            score=None if value is None else Fraction(value),
            answered=data["answered"][subscale_id][0],
            n_items=data["answered"][subscale_id][1],
            low=None if value is None or data["low_below"].get(subscale_id) is None
            else subscale_id in low,
        )
        for subscale_id, value in ((i, exact[i]) for i in data["order"]))
    suggested = tuple(
        SuggestedGoal(i, goals[i]["protective_factor"], goals[i]["text"], goals[i]["text_es"])
        for i in data["order"] if i in goals)
    return SubscaleResult(instrument_id, scores, tuple(data["lowest_subscales"]), suggested)


def compare(instrument_id: str, earlier: dict[str, Any], later: dict[str, Any]) -> Comparison:
    """The engine's change per subscale between two stored results."""
    return compare_administrations(subscale_result(instrument_id, earlier),
                                   subscale_result(instrument_id, later))


def social_needs(instrument_id: str, data: dict[str, Any]) -> SocialNeedsSummary:
    """The engine's social-needs summary of a stored AHC HRSN result."""
    result = DomainScreenResult(
        instrument_id=instrument_id,
        domain_results={k: DomainStatus(data["domain_results"][k]) for k in data["order"]},
        totals=data.get("totals", {}),
    )
    return social_needs_summary(result)


def summary_text(data: dict[str, Any]) -> str:
    """One line for lists: what a staff member needs to see first."""
    titles = data.get("titles", {})

    def names(ids):
        return ", ".join(titles.get(i, i) for i in ids)

    match data.get("method"):
        case "subscale_mean":
            low = data["low_subscales"]
            return f"Low: {names(low)}" if low else "No factor low"
        case "domain_screen":
            positive, incomplete = data["positive_domains"], data["incomplete_domains"]
            text = f"Positive: {names(positive)}" if positive else "No domain positive"
            return text + (f" (incomplete: {names(incomplete)})" if incomplete else "")
        case "sequence_all_met":
            if data["qualifies"] is None:
                return "Undetermined: a question sequence was left unanswered"
            if data["qualifies"]:
                return f"Meets the CSHCN definition ({names(data['qualifying_domains'])})"
            return "Does not meet the CSHCN definition"
    return ""
