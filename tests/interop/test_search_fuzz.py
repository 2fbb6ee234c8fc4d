"""Whatever a client puts in a search or a read, the answer is a Bundle or an OperationOutcome
(200, 400 or 404), never a server error."""

from urllib.parse import quote, urlencode

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from carecoord.interop import query
from carecoord.interop.api.resources import KINDS
from carecoord.interop.validation import schema_problems

pytestmark = pytest.mark.django_db

NAMES = sorted({name for kind in KINDS.values() for name in kind.parameters}
               | query.RESULT_PARAMETERS | {"name", "_sort", "_summary", "status:not",
                                            "patient:Patient", "_id:missing", ""})
CODES = ["active", "draft", "completed", "planned", "resolved", "assess-plan", "sdoh",
         "food-insecurity", "problem-list-item", "CarePlan:goal", "CarePlan:goal:Goal", "json",
         "true", "finished", "cancelled", "ready", "inactive", "final", "entered-in-error",
         "amended", "survey", "IDSCL", "HH", "VR", "88122-7", "96777-8", "coordinator-1",
         "clinician-1"]
values = st.one_of(
    st.text(max_size=30),
    st.sampled_from(CODES),
    st.integers(min_value=-10**20, max_value=10**20).map(str),
    st.builds(lambda p, d: p + d, st.sampled_from(["", "ge", "le", "gt", "lt", "eq", "ap", "xx"]),
              st.one_of(st.dates().map(str), st.datetimes().map(lambda d: d.isoformat()),
                        st.from_regex(r"\d{4}(-\d{2}(-\d{2}(T\d{2}:\d{2}(:\d{2})?"
                                      r"(Z|[+-]\d{2}:\d{2})?)?)?)?", fullmatch=True))),
    st.builds(lambda t, i: f"{t}/{i}", st.sampled_from(["Patient", "Goal", "", "http://x/Patient"]),
              st.text(max_size=8)),
    st.builds(lambda s, c: f"{s}|{c}", st.sampled_from(["", "http://hl7.org/fhir/request-status",
                                                        "x"]), st.sampled_from(CODES + [""])),
    st.lists(st.sampled_from(CODES + ["", "1"]), max_size=4).map(",".join),
)
params = st.lists(st.tuples(st.one_of(st.sampled_from(NAMES), st.text(max_size=12)), values),
                  max_size=5)
types = st.one_of(st.sampled_from(sorted(KINDS)), st.text(min_size=1, max_size=12))
FUZZ = settings(max_examples=150, deadline=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture,
                                       HealthCheck.too_slow])


@FUZZ
@given(resource_type=types, pairs=params)
def test_searches_never_fail(network, sofia, fhir, resource_type, pairs):
    response = fhir(f"/fhir/{quote(resource_type, safe='')}?{urlencode(pairs)}")
    assert response.status_code in (200, 400, 404), (resource_type, pairs, response.content)
    body = response.json()
    assert body["resourceType"] == ("Bundle" if response.status_code == 200
                                    else "OperationOutcome")
    assert schema_problems(body) == []


@FUZZ
@given(resource_type=types, resource_id=st.one_of(
    st.text(min_size=1, max_size=40),
    st.from_regex(r"(practice|center|need|diagnosis|clinician|coordinator)-\d{1,25}",
                  fullmatch=True),
    st.from_regex(r"\d{1,25}-[a-z0-9-]{0,20}", fullmatch=True),
    st.from_regex(r"\d{1,25}-\d{1,25}", fullmatch=True)))
def test_reads_never_fail(network, sofia, fhir, resource_type, resource_id):
    response = fhir(f"/fhir/{quote(resource_type, safe='')}/{quote(resource_id, safe='')}")
    assert response.status_code in (200, 400, 404), (resource_type, resource_id)
    assert schema_problems(response.json()) == []


@settings(max_examples=500, deadline=None)
@given(resource_type=st.sampled_from(sorted(KINDS)), pairs=params)
def test_parsing_refuses_only_with_bad_parameter(resource_type, pairs):
    kind = KINDS[resource_type]
    try:
        parsed = query.parse(resource_type, pairs, kind.parameters, kind.includes)
    except query.BadParameter as bad:
        assert bad.parameter and bad.reason
    else:
        assert 0 <= parsed.count <= query.MAX_COUNT and parsed.offset >= 0
