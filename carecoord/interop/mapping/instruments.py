"""What the Observation and QuestionnaireResponse mappings need to know about an instrument
(careplans/instruments/data): its items and answers and their LOINC codes, the Gravity SDOH
categories of its domains, its LOINC panel and the LOINC codes of its derived totals.

Read from the definitions CareCoord ships, never from a center's licensed PFS-2 file: licensed
item wording does not leave CareCoord (an item still holding the placeholder has no text here).
An administration of an instrument no longer shipped, or of items since removed, still maps:
what is unknown is written with CareCoord's own codes and the stored ids."""

import re
from dataclasses import dataclass, field
from functools import lru_cache

from carecoord.careplans.instruments.definitions import Group, Instrument, Item
from carecoord.careplans.instruments.errors import DefinitionError
from carecoord.careplans.instruments.loader import DATA_DIR, load_instrument, read_yaml

from . import systems
from .common import coding

LOINC_ANSWER = re.compile(r"LA\d{1,8}-\d")


@dataclass(frozen=True)
class InstrumentInfo:
    id: str
    title: str
    definition: Instrument | None
    panel: tuple[str, str] | None = None  # LOINC (code, display)
    gravity: dict[str, tuple[str, ...]] = field(default_factory=dict)  # domain → categories
    totals: dict[str, tuple[str, str]] = field(default_factory=dict)  # total id → LOINC

    @property
    def sdoh(self) -> bool:
        """A social-needs screening: its domains name Gravity SDOH categories."""
        return bool(self.gravity)

    @property
    def items(self) -> tuple[Item, ...]:
        return self.definition.items if self.definition else ()

    def item(self, item_id: str) -> Item | None:
        if self.definition and self.definition.has_item(item_id):
            return self.definition.item(item_id)
        return None

    def group(self, group_id: str) -> Group | None:
        if self.definition and self.definition.has_group(group_id):
            return self.definition.group(group_id)
        return None

    def categories(self, item_id: str | None) -> tuple[str, ...]:
        """The SDOH categories of an item's domain; of every domain for the whole screening."""
        if item_id is None:
            return tuple(dict.fromkeys(c for cs in self.gravity.values() for c in cs))
        item = self.item(item_id)
        return self.gravity.get(item.group_id, ()) if item else ()

    def item_text(self, item: Item | None, language: str = "en") -> str:
        if item is None:
            return ""
        if self.definition.licensed_text_placeholder == item.text:
            return ""
        return (item.text_es if language == "es" and item.text_es else item.text).strip()

    def item_code(self, item_id: str) -> dict:
        """The item's LOINC code, else CareCoord's."""
        item = self.item(item_id)
        text = self.item_text(item) or f"{self.title}, item {item.number if item else item_id}"
        if item and item.loinc:
            return {"coding": [coding(systems.LOINC, item.loinc)], "text": text}
        return {"coding": [coding(systems.instrument_codes(self.id, "item"), item_id)],
                "text": text}

    def answer(self, item_id: str, code: str, language: str = "en") -> dict:
        """An answer as a Coding: LOINC's answer code where the item is LOINC-coded (with
        LOINC's English display), else CareCoord's (displayed in the language it was given)."""
        item = self.item(item_id)
        option = item.option(code) if item else None
        display = option.text if option else ""
        if item and item.loinc and LOINC_ANSWER.fullmatch(str(code)):
            return coding(systems.LOINC, str(code), display)
        if language == "es" and option and option.text_es:
            display = option.text_es
        return coding(systems.instrument_codes(self.id, "answer"), str(code), display)

    def positive(self, item_id: str, code: str) -> bool:
        item = self.item(item_id)
        option = item.option(code) if item else None
        return bool(option and option.positive)

    def panel_code(self) -> dict:
        if self.panel:
            return {"coding": [coding(systems.LOINC, *self.panel)], "text": self.title}
        return {"coding": [coding(systems.INSTRUMENT, self.id, self.title)], "text": self.title}

    def asked(self, answers: dict) -> list[str]:
        """The items of an administration that were asked, in the instrument's order (items
        skipped by its skip logic are not in the answers)."""
        known = [item.id for item in self.items if item.id in answers]
        return known + sorted(set(answers) - set(known))


@lru_cache(maxsize=1)
def _documents() -> dict[str, dict]:
    documents = {}
    for path in sorted(DATA_DIR.glob("*.yaml")):
        document = read_yaml(path)
        if isinstance(document, dict) and isinstance(document.get("id"), str):
            documents[document["id"]] = document
    return documents


@lru_cache(maxsize=32)
def info(instrument_id: str, title: str = "") -> InstrumentInfo:
    document = _documents().get(instrument_id, {})
    try:
        definition = load_instrument(instrument_id)
    except DefinitionError:
        return InstrumentInfo(instrument_id, title or instrument_id, None)
    panel = document.get("loinc_panel") or {}
    return InstrumentInfo(
        id=instrument_id,
        title=definition.title,
        definition=definition,
        panel=(str(panel["code"]), str(panel.get("display", ""))) if panel.get("code") else None,
        gravity={d["id"]: tuple(d["gravity_categories"]) for d in document.get("domains", [])
                 if isinstance(d, dict) and d.get("gravity_categories")},
        totals={d["id"]: (str(d["loinc"]), str(d.get("label", ""))) for d in
                document.get("derived", []) if isinstance(d, dict) and d.get("loinc")},
    )
