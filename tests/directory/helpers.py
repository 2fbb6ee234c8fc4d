"""Small HSDS documents for the directory tests, and a way to load them as an import would."""

import copy
import json
import uuid
from pathlib import Path

from carecoord.directory import hsds, taxonomy

REFERENCE = Path(__file__).resolve().parents[3] / "shared" / "reference" / "hsds"
EXAMPLES = REFERENCE / "examples"
FOOD = taxonomy.by_code()["food-assistance"]
HUSKY_A = taxonomy.by_code()["insurance-husky-a"]


def new_id() -> str:
    return str(uuid.uuid4())


def service_doc(name="Food pantry (test)", *, organization=None, service_id=None, town="Hartford",
                term=FOOD, **fields) -> dict:
    """A complete, valid HSDS service: its organization, a phone, weekday hours, a site with an
    address in `town`, the town as its service area, English and Spanish, free, and a CareCoord
    taxonomy term."""
    service_id = service_id or new_id()
    organization = organization or {"id": new_id(), "name": "Test Organization (synthetic)",
                                    "description": "A synthetic organization for tests."}
    location_id = new_id()
    doc = {
        "id": service_id, "organization_id": organization["id"], "name": name,
        "description": "Synthetic test service.", "status": "active",
        "minimum_age": 0, "maximum_age": 21, "assured_date": "2026-01-15",
        "organization": organization,
        "phones": [{"id": new_id(), "number": "860-555-0142", "type": "voice",
                    "languages": [{"id": new_id(), "name": "Spanish", "code": "es"}]}],
        "schedules": [{"id": new_id(), "freq": "WEEKLY", "byday": "MO,TU,WE,TH,FR",
                       "opens_at": "09:00-05:00", "closes_at": "17:00-05:00"}],
        "service_areas": [{"id": new_id(), "name": town}],
        "languages": [{"id": new_id(), "name": "English", "code": "en"},
                      {"id": new_id(), "name": "Spanish", "code": "es"}],
        "cost_options": [{"id": new_id(), "option": "Everyone", "amount": 0,
                          "currency": "USD"}],
        "service_at_locations": [{"id": new_id(), "location_id": location_id, "location": {
            "id": location_id, "location_type": "physical",
            "organization_id": organization["id"], "name": f"{name} site",
            "latitude": 41.76, "longitude": -72.67,
            "addresses": [{"id": new_id(), "address_1": "1 Fictional Way", "city": town,
                           "state_province": "CT", "postal_code": "06106", "country": "US",
                           "address_type": "physical"}]}}],
        "attributes": [{"id": new_id(), "link_type": term.link_type,
                        "taxonomy_term_id": term.id}] if term else [],
    }
    doc.update(fields)
    return doc


def write(path: Path, data) -> Path:
    path.write_text(json.dumps(data, indent=2), encoding="utf-8")
    return path


def example(name: str) -> dict:
    return json.loads((EXAMPLES / name).read_text(encoding="utf-8"))


def load(documents, *, center=None, keep_others=True) -> hsds.Plan:
    """Import parsed HSDS JSON and write it (the tests' way of filling the directory)."""
    dataset = hsds.read_documents(copy.deepcopy(documents), "test.json")
    plan = hsds.plan_import(dataset, center=center, keep_others=keep_others)
    assert plan.ok, [str(p) for p in plan.problems]
    return hsds.apply_plan(plan)
