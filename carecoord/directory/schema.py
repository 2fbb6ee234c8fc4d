"""The HSDS 3.0 schema files CareCoord ships (data/hsds/, see PROVENANCE.md), read once: the
tables with their fields and links, and the validators for a JSON service document and for one
flat record (a CSV row). Pure Python: no Django imports."""

import copy
import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from jsonschema import Draft202012Validator, FormatChecker
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

SCHEMA_DIR = Path(__file__).resolve().parent / "data" / "hsds"
DATAPACKAGE = SCHEMA_DIR / "datapackage.json"

# An embedded object's id is written on its parent under this name (service.organization →
# service.organization_id). The names are HSDS's; taxonomy_term embeds its taxonomy as
# `taxonomy_detail` because `taxonomy` is a free-text field of the term.
ONE_TO_ONE_LINK = {
    "organization": "organization_id",
    "program": "program_id",
    "location": "location_id",
    "taxonomy_term": "taxonomy_term_id",
    "taxonomy_detail": "taxonomy_id",
}


@dataclass(frozen=True)
class Table:
    """One HSDS object: its CSV file, its plain fields in the datapackage's order with their
    datapackage types, what must be present, its foreign keys, and what a JSON document nests
    in it (arrays of child objects, single embedded objects)."""

    name: str
    csv: str
    fields: tuple[str, ...]
    types: dict[str, str]
    required: tuple[str, ...]
    tabular_required: tuple[str, ...]
    references: dict[str, str]
    many: dict[str, str]
    one: dict[str, str]

    def link_to(self, parent: str) -> str:
        """The field of this table that a parent it is nested in fills (phone in
        service.phones → service_id)."""
        return f"{parent}_id"


def _load(name: str) -> dict:
    with open(SCHEMA_DIR / name, encoding="utf-8") as handle:
        return json.load(handle)


def _ref_table(ref: str) -> str:
    return ref.removesuffix(".json")


@cache
def tables() -> dict[str, Table]:
    """Every HSDS table, in the datapackage's order."""
    package = _load("datapackage.json")
    result = {}
    for resource in package["resources"]:
        name = resource["name"]
        schema = _load(f"{name}.json")
        many, one = {}, {}
        for key, prop in schema["properties"].items():
            if prop.get("type") == "array" and "$ref" in prop.get("items", {}):
                many[key] = _ref_table(prop["items"]["$ref"])
            elif "$ref" in prop:
                one[key] = _ref_table(prop["$ref"])
        fields = resource["schema"]["fields"]
        result[name] = Table(
            name=name,
            csv=resource["path"],
            fields=tuple(field["name"] for field in fields),
            types={field["name"]: field["type"] for field in fields},
            required=tuple(schema.get("required", ())),
            tabular_required=tuple(schema.get("tabular_required", ())),
            references={key["fields"]: key["reference"]["resource"]
                        for key in resource["schema"].get("foreignKeys", ())},
            many=many,
            one=one,
        )
    return result


def _strict(node):
    """A copy of a schema with `additionalProperties: false` on every object that lists its
    properties: a field HSDS does not define is an error, not something silently dropped."""
    if isinstance(node, dict):
        node = {key: _strict(value) for key, value in node.items()}
        if isinstance(node.get("properties"), dict) and node.get("type") == "object":
            node.setdefault("additionalProperties", False)
        return node
    if isinstance(node, list):
        return [_strict(value) for value in node]
    return node


def _uri(name: str) -> str:
    return f"{SCHEMA_DIR.as_uri()}/{name}.json"


@cache
def _registry() -> Registry:
    resources = []
    for name in tables():
        schema = _strict(copy.deepcopy(_load(f"{name}.json")))
        schema["$id"] = _uri(name)
        resources.append((_uri(name), Resource.from_contents(schema,
                                                            default_specification=DRAFT202012)))
    return Registry().with_resources(resources)


@cache
def validator(table: str) -> Draft202012Validator:
    """The validator of one HSDS object (with what it nests, for a JSON document; a flat CSV
    row simply has none of the nested keys). Format checking is on: ids must be UUIDs."""
    registry = _registry()
    schema = registry.contents(_uri(table))
    return Draft202012Validator(schema, registry=registry, format_checker=FormatChecker())
