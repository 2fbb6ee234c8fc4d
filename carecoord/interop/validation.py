"""Checking a resource against the two definitions of FHIR R4 the project trusts: HL7's official
JSON Schema (data/fhir.schema.json) and the `fhir.resources` R4B models. Neither knows about
profiles; together they catch wrong element names, wrong types and missing required elements.
Used by the tests for everything the API produces, and available to code that receives FHIR."""

import json
from functools import lru_cache

from jsonschema import Draft6Validator

from .mapping.common import DATA


@lru_cache(maxsize=1)
def _schema() -> dict:
    with open(DATA / "fhir.schema.json", encoding="utf-8") as handle:
        return json.load(handle)


def _validator(resource_type: str) -> Draft6Validator | None:
    """A validator for one resource's definition, picked by the schema's own discriminator;
    the errors then name the element instead of "not valid under any of the given schemas"."""
    target = _schema()["discriminator"]["mapping"].get(resource_type)
    return _validator_for(target) if target else None


@lru_cache(maxsize=None)
def _validator_for(target: str) -> Draft6Validator:
    schema = _schema()
    return Draft6Validator({"$schema": schema["$schema"], "definitions": schema["definitions"],
                            "$ref": target})


def schema_problems(resource: dict) -> list[str]:
    """What the official R4 JSON Schema finds wrong, one line per problem."""
    resource_type = resource.get("resourceType") if isinstance(resource, dict) else None
    validator = _validator(resource_type) if isinstance(resource_type, str) else None
    if validator is None:
        return [f"resourceType: '{resource_type}' is not an R4 resource"]
    return [f"{'.'.join(map(str, error.absolute_path)) or resource_type}: {error.message}"
            for error in sorted(validator.iter_errors(resource), key=lambda e: list(map(
                str, e.absolute_path)))]


def model_problems(resource: dict) -> list[str]:
    """What the fhir.resources R4B model of the resource finds wrong."""
    from fhir.resources.R4B import get_fhir_model_class
    from pydantic import ValidationError

    try:
        model = get_fhir_model_class(resource["resourceType"])
    except (KeyError, TypeError, ValueError, AttributeError):
        return [f"resourceType: '{resource.get('resourceType')}' is not an R4B resource"]
    try:
        model.model_validate(resource)
    except ValidationError as error:
        return [f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in error.errors()]
    return []


def problems(resource: dict) -> list[str]:
    return schema_problems(resource) + model_problems(resource)
