"""Merge a center's licensed PFS-2 item text into the PFS-2 structure that CareCoord ships.

The PFS-2 wording belongs to FRIENDS / KU and is not in CareCoord (``data/pfs-2.yaml`` holds
the structure with ``TO BE LICENSED`` placeholders). A center that has the form supplies a YAML
file in this shape; every item of the structure must be there, and nothing else:

    instrument: pfs-2
    licence: how the center may use the wording (for the record)
    es_status: official            # only with text_es
    answer_labels: {"1": ..., "2": ..., "3": ..., "4": ..., "5": ...}
    answer_labels_es: {...}        # optional
    items:
      - {id: pfs2_01, text: ..., text_es: ..., reverse_scored: false}
"""

from collections import Counter
from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any

from .definitions import Instrument, Item, SpanishStatus
from .errors import DefinitionError
from .loader import load_instrument, read_yaml
from .validation import validate

FILE_KEYS = {"instrument", "licence", "es_status", "answer_labels", "answer_labels_es", "items"}
ITEM_KEYS = {"id", "text", "text_es", "reverse_scored"}


def load_licensed_items(path: Path, base: Instrument | None = None) -> Instrument:
    """The PFS-2 (or ``base``) with the center's item text from ``path``; refuses a file whose
    item ids do not match the structure, naming the missing and unexpected ids."""
    base = base or load_instrument("pfs-2")
    data = read_yaml(path)
    if not isinstance(data, Mapping):
        raise DefinitionError(str(path), ["expected a mapping with 'instrument' and 'items'"])
    problems = _file_problems(base, data)
    if problems:
        raise DefinitionError(str(path), problems)
    entries = {entry["id"]: entry for entry in data["items"]}
    labels, labels_es = data.get("answer_labels") or {}, data.get("answer_labels_es") or {}
    merged = replace(
        base,
        items=tuple(_merge_item(item, entries[item.id], labels, labels_es) for item in base.items),
        status="licensed-items-loaded",
        source=f"{base.source} + {path}",
        es_status=SpanishStatus(data["es_status"]) if data.get("es_status") else None,
    )
    return validate(merged)


def _file_problems(base: Instrument, data: Mapping[str, Any]) -> list[str]:
    problems = [f"unexpected key {key!r}" for key in data if key not in FILE_KEYS]
    if data.get("instrument") != base.id:
        problems.append(f"instrument is {data.get('instrument')!r}, expected {base.id!r}")
    entries = data.get("items")
    if not isinstance(entries, list) or not all(isinstance(e, Mapping) for e in entries):
        return [*problems, "items: expected a list of mappings"]
    ids = Counter(entry.get("id") for entry in entries)
    expected = [item.id for item in base.items]
    problems += [f"item {item_id}: missing from the file" for item_id in expected
                 if item_id not in ids]
    problems += [f"item {item_id}: not an item of {base.id}" for item_id in ids
                 if item_id not in expected]
    problems += [f"item {item_id}: listed more than once" for item_id, n in ids.items() if n > 1]
    for entry in entries:
        problems += _entry_problems(entry)
    codes = {option.code for item in base.items for option in item.answers}
    for key in ("answer_labels", "answer_labels_es"):
        labels = data.get(key) or {}
        problems += [f"{key}: unknown answer code {code!r}" for code in labels if code not in codes]
    if data.get("answer_labels") and set(data["answer_labels"]) != codes:
        problems.append(f"answer_labels: give a label for every code ({', '.join(sorted(codes))})")
    if data.get("es_status") not in (None, *SpanishStatus):
        problems.append(f"es_status: {data['es_status']!r} is not one of "
                        f"{', '.join(SpanishStatus)}")
    return problems


def _entry_problems(entry: Mapping[str, Any]) -> list[str]:
    where = f"item {entry.get('id')}"
    problems = [f"{where}: unexpected key {key!r}" for key in entry if key not in ITEM_KEYS]
    if not isinstance(entry.get("text"), str) or not entry["text"].strip():
        problems.append(f"{where}: text missing")
    if not isinstance(entry.get("reverse_scored"), bool):
        problems.append(f"{where}: reverse_scored must be true or false")
    return problems


def _merge_item(item: Item, entry: Mapping[str, Any], labels: Mapping[str, str],
                labels_es: Mapping[str, str]) -> Item:
    answers = tuple(
        replace(option, text=labels.get(option.code, option.text),
                text_es=labels_es.get(option.code, option.text_es))
        for option in item.answers)
    return replace(item, text=entry["text"], text_es=entry.get("text_es"),
                   reverse_scored=entry["reverse_scored"], answers=answers)

