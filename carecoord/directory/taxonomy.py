"""The CareCoord taxonomy (data/carecoord_taxonomy.csv): the terms CareCoord tags services with
and what each means here: a care plan need domain (`service_category` terms) or an insurance
the service accepts (`insurance_accepted` terms). A directory from elsewhere may use any other
taxonomy as well; only these terms are mapped. Pure Python: no Django imports."""

import csv
from dataclasses import dataclass
from functools import cache
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data" / "carecoord_taxonomy.csv"

# The taxonomy record itself, in HSDS fields. Its id, like the terms', is fixed (a UUID 5 of
# the taxonomy's address) so every CareCoord installation exports the same identifiers.
TAXONOMY = {
    "id": "04a83e00-6e79-5e62-a673-47929e58bc82",
    "name": "CareCoord",
    "description": "CareCoord's service categories, each mapped to a care plan need domain, and "
                   "the health insurance a service accepts.",
    "version": "1",
}
TAXONOMY_ID = TAXONOMY["id"]
SERVICE_CATEGORY = "service_category"
INSURANCE_ACCEPTED = "insurance_accepted"


@dataclass(frozen=True)
class Term:
    id: str
    code: str
    name: str
    description: str
    link_type: str
    need_domain: str
    insurance: str

    def hsds(self) -> dict:
        """The term as an HSDS taxonomy_term record."""
        return {"id": self.id, "code": self.code, "name": self.name,
                "description": self.description, "taxonomy": TAXONOMY["name"],
                "language": "en", "taxonomy_id": TAXONOMY_ID}


@cache
def terms() -> dict[str, Term]:
    """The CareCoord terms by id."""
    with open(DATA, newline="", encoding="utf-8") as handle:
        rows = [Term(**row) for row in csv.DictReader(handle)]
    return {term.id: term for term in rows}


@cache
def by_code() -> dict[str, Term]:
    return {term.code: term for term in terms().values()}


def claims_carecoord(fields: dict) -> bool:
    """Whether an HSDS taxonomy_term says it belongs to the CareCoord taxonomy."""
    return (fields.get("id") in terms() or fields.get("taxonomy_id") == TAXONOMY_ID
            or str(fields.get("taxonomy") or "").strip().lower() == TAXONOMY["name"].lower())
