"""Read instrument definitions: the product's own copies in ``data/`` (by instrument id), or
any file by path. Every definition is validated on the way in."""

from functools import cache
from pathlib import Path
from typing import Any

import yaml

from .definitions import Instrument
from .errors import DefinitionError
from .parsing import parse_instrument
from .validation import validate

DATA_DIR = Path(__file__).resolve().parent / "data"
SCORED_KINDS = ("screening", "assessment")


def read_yaml(path: Path) -> Any:
    """One YAML document, read safely (the files are YAML 1.1-safe: see data/README.md)."""
    with open(path, encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def load_instrument_file(path: Path) -> Instrument:
    """Parse and validate the instrument defined in ``path``."""
    return validate(parse_instrument(read_yaml(path), source=str(path)))


@cache
def _files_by_id() -> dict[str, Path]:
    files = {}
    for path in sorted(DATA_DIR.glob("*.yaml")):
        document = read_yaml(path)
        if document.get("kind") in SCORED_KINDS:
            files[document["id"]] = path
    return files


def instrument_ids() -> tuple[str, ...]:
    """The ids of the screenings and assessments shipped in ``data/``."""
    return tuple(_files_by_id())


@cache
def load_instrument(instrument_id: str) -> Instrument:
    """The shipped instrument with this id (e.g. ``ahc-hrsn-core``), read once per process."""
    path = _files_by_id().get(instrument_id)
    if path is None:
        known = ", ".join(instrument_ids())
        raise DefinitionError(instrument_id, [f"no such instrument in {DATA_DIR} ({known})"])
    return load_instrument_file(path)
