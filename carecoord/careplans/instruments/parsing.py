"""Turn one instrument file, as loaded by ``yaml.safe_load``, into an ``Instrument``.

Only the shape is checked here (required fields, types), each error naming its field; the
cross-references (items named by groups, skip logic, rules) are ``validation``'s job. The
machine-readable scoring rules live under ``scoring.engine``, a CareCoord addition next to the
publisher's plain-language ``scoring.rules`` (see ``data/README.md``).
"""

from collections.abc import Mapping
from fractions import Fraction
from types import MappingProxyType
from typing import Any

from .definitions import (
    AnswerOption,
    Condition,
    DomainRule,
    DomainScreenRules,
    Goal,
    Group,
    Instrument,
    Item,
    ItemType,
    MissingRule,
    ScoringRules,
    SequenceRules,
    SpanishStatus,
    SubscaleMeanRules,
)
from .errors import DefinitionError


class _Fields:
    """Read fields of one mapping, raising ``DefinitionError`` that names the field's path."""

    def __init__(self, data: Any, where: str, source: str):
        if not isinstance(data, Mapping):
            raise DefinitionError(source, [f"{where}: expected a mapping"])
        self.data, self.where, self.source = data, where, source

    def fail(self, key: str, problem: str) -> DefinitionError:
        return DefinitionError(self.source, [f"{self.where}.{key}: {problem}"])

    def required(self, key: str) -> Any:
        if self.data.get(key) is None:
            raise self.fail(key, "missing")
        return self.data[key]

    def text(self, key: str, *, optional: bool = False) -> str | None:
        value = self.data.get(key) if optional else self.required(key)
        if value is None:
            return None
        if not isinstance(value, str) or not value.strip():
            raise self.fail(key, f"expected text, got {value!r}")
        return value

    def choice(self, key: str, allowed: type, *, optional: bool = False) -> Any:
        value = self.text(key, optional=optional)
        if value is None:
            return None
        try:
            return allowed(value)
        except ValueError:
            options = ", ".join(member.value for member in allowed)
            raise self.fail(key, f"{value!r} is not one of: {options}") from None

    def flag(self, key: str) -> bool:
        """A true/false field that may be left out (meaning false)."""
        value = self.data.get(key, False)
        if not isinstance(value, bool):
            raise self.fail(key, f"expected true or false, got {value!r}")
        return value

    def tristate(self, key: str) -> bool | None:
        """A true/false field that must be written, null meaning "unknown"."""
        if key not in self.data:
            raise self.fail(key, "missing (write null if unknown)")
        value = self.data[key]
        if value is not None and not isinstance(value, bool):
            raise self.fail(key, f"expected true, false or null, got {value!r}")
        return value

    def integer(self, key: str) -> int | None:
        value = self.data.get(key)
        if value is not None and (isinstance(value, bool) or not isinstance(value, int)):
            raise self.fail(key, f"expected a whole number, got {value!r}")
        return value

    def sub(self, key: str) -> "_Fields":
        return _Fields(self.required(key), f"{self.where}.{key}", self.source)

    def entries(self, key: str) -> list["_Fields"]:
        value = self.required(key)
        if not isinstance(value, list):
            raise self.fail(key, "expected a list")
        return [self._entry(key, index, entry) for index, entry in enumerate(value)]

    def _entry(self, key: str, index: int, entry: Any) -> "_Fields":
        name = entry.get("id") or entry.get("code") if isinstance(entry, Mapping) else None
        label = f"{self.where}.{key}[{index}]" + (f" ({name})" if name else "")
        return _Fields(entry, label, self.source)

    def ids(self, key: str) -> tuple[str, ...]:
        value = self.data.get(key) or []
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise self.fail(key, "expected a list of ids")
        return tuple(value)


def parse_instrument(data: Any, source: str) -> Instrument:
    """Build an ``Instrument`` from a loaded YAML document (``source`` names it in errors)."""
    top = _Fields(data, "instrument", source)
    group_key = _group_key(top)
    languages = top.sub("languages") if "languages" in top.data else None
    licensed = top.sub("licensed_items") if "licensed_items" in top.data else None
    engine = top.sub("scoring").sub("engine")
    return Instrument(
        id=top.text("id"),
        title=top.text("title"),
        kind=top.text("kind"),
        status=top.text("status"),
        groups=tuple(_group(entry) for entry in top.entries(group_key)),
        items=tuple(_item(entry) for entry in top.entries("items")),
        rules=_rules(engine),
        source=source,
        missing_rule=engine.choice("missing_items", MissingRule, optional=True),
        es_status=languages and languages.choice("es_status", SpanishStatus, optional=True),
        label=top.text("label", optional=True),
        label_es=top.text("label_es", optional=True),
        licensed_text_placeholder=licensed and licensed.text("placeholder"),
    )


def _group_key(top: _Fields) -> str:
    present = [key for key in ("domains", "subscales") if key in top.data]
    if len(present) != 1:
        raise top.fail("domains", "give exactly one of 'domains' or 'subscales'")
    return present[0]


def _group(entry: _Fields) -> Group:
    low_below = entry.data.get("low_below")
    if isinstance(low_below, bool) or not isinstance(low_below, int | float | None):
        raise entry.fail("low_below", f"expected a number, got {low_below!r}")
    goal = entry.sub("suggested_goal") if "suggested_goal" in entry.data else None
    return Group(
        id=entry.text("id"),
        title=entry.text("title"),
        item_ids=entry.ids("items"),
        title_es=entry.text("title_es", optional=True),
        n_items=entry.integer("n_items"),
        protective_factor=entry.text("protective_factor", optional=True),
        low_below=None if low_below is None else Fraction(str(low_below)),
        suggested_goal=goal and Goal(goal.text("text"), goal.text("text_es", optional=True)),
    )


def _item(entry: _Fields) -> Item:
    group_keys = [key for key in ("domain", "subscale") if key in entry.data]
    if len(group_keys) != 1:
        raise entry.fail("domain", "give exactly one of 'domain' or 'subscale'")
    number = entry.required("number")
    return Item(
        id=entry.text("id"),
        number=str(number),
        group_id=entry.text(group_keys[0]),
        text=entry.text("text"),
        # The PFS-2 file leaves `type` out; every item in it is single choice.
        type=entry.choice("type", ItemType, optional=True) or ItemType.SINGLE_CHOICE,
        answers=tuple(_answer(answer) for answer in entry.entries("answers")),
        reverse_scored=entry.tristate("reverse_scored"),
        text_es=entry.text("text_es", optional=True),
        ask_if=_condition(entry),
        loinc=entry.text("loinc", optional=True),
    )


def _answer(entry: _Fields) -> AnswerOption:
    value = entry.required("value")
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise entry.fail("value", f"expected text or a whole number, got {value!r}")
    return AnswerOption(
        code=entry.text("code"),
        value=value,
        text=entry.text("text"),
        text_es=entry.text("text_es", optional=True),
        positive=entry.flag("positive"),
        exclusive=entry.flag("exclusive"),
    )


def _condition(entry: _Fields) -> Condition | None:
    text = entry.text("ask_if", optional=True)
    if text is None:
        return None
    item_id, operator, value = text.partition("==")
    if not operator or not item_id.strip() or not value.strip():
        raise entry.fail("ask_if", f"expected '<item id> == <answer value>', got {text!r}")
    return Condition(item_id=item_id.strip(), value=value.strip())


def _rules(engine: _Fields) -> ScoringRules:
    method = engine.text("method")
    if method == "domain_screen":
        domains = engine.sub("domains")
        rules = {
            domain_id: _domain_rule(domains.sub(domain_id)) for domain_id in domains.data
        }
        return DomainScreenRules(domain_rules=MappingProxyType(rules))
    if method == "sequence_all_met":
        return SequenceRules(met_value=engine.required("met_value"))
    if method == "subscale_mean":
        return SubscaleMeanRules(
            min_answered=engine.integer("min_answered"),
            exclude_from_lowest=engine.ids("exclude_from_lowest"),
        )
    raise engine.fail("method", f"unknown scoring method {method!r}")


def _domain_rule(entry: _Fields) -> DomainRule:
    return DomainRule(
        positive_if=entry.text("positive_if"),
        threshold=entry.integer("threshold"),
        total_id=entry.text("total_id", optional=True),
    )
