"""The reports page and its downloads: who sees what, suppression for the state and for other
centers, coordinators only of one's own center, CSV and XLSX matching the page, the audit."""

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from carecoord.audit.models import Action, AuditEvent
from carecoord.reporting.measures import SUPPRESSED, flat_rows
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def _get(client, username, name="reports", query=""):
    assert client.login(username=username, password=PASSWORD)
    return client.get(reverse(name) + query)


def _row(table, key):
    return next(r for r in table.rows if r.key == key)


def _tables(response):
    return {t.measure.id: t for t in response.context["report"].tables}


def test_a_supervisor_sees_their_center_unsuppressed(history, client):
    response = _get(client, "supervisor.nc")
    tables = _tables(response)
    served = tables["children_served"]
    assert [label for _, label in served.columns] == ["North Central"]
    assert [c.text for c in _row(served, "all").cells] == ["4"]  # small, but their own
    assert response.context["report"].suppressed == 0
    body = response.content.decode()
    assert "<caption>Children served (count)</caption>" in body
    assert '<th scope="col">North Central</th>' in body and "<details>" in body
    assert 'id="report-charts"' in body  # the place left for charts and the town map


def test_the_state_sees_every_center_with_small_counts_suppressed(history, client):
    response = _get(client, "titlev.state")
    tables = _tables(response)
    served = tables["children_served"]
    assert [label for _, label in served.columns] == ["North Central", "Eastern",
                                                       "All centers"]
    # 4, 1 and 5: all below 11, all hidden.
    assert [c.text for c in _row(served, "all").cells] == [SUPPRESSED] * 3
    assert "suppression-note" in response.content.decode()
    _no_small_count_shown(tables, foreign=(0, 1, 2))


def test_the_hub_sees_its_own_numbers_and_the_others_suppressed(history, client):
    tables = _tables(_get(client, "ta.hub"))
    served = tables["children_served"]
    # Its own 4 shown; Eastern's 1 hidden, and the network total (4 + 1) with it.
    assert [c.text for c in _row(served, "all").cells] == ["4", SUPPRESSED, SUPPRESSED]
    # (A network total the hub sees is its own count plus Eastern's, which is 0 or 11+.)
    _no_small_count_shown(tables, foreign=(1,))


def test_another_center_sees_only_itself(history, client):
    tables = _tables(_get(client, "supervisor.ea"))
    assert [label for _, label in tables["children_served"].columns] == ["Eastern"]
    assert [c.text for c in _row(tables["children_served"], "all").cells] == ["1"]


def _no_small_count_shown(tables, foreign):
    """No figure in a suppressed column rests on a count from 1 to 10."""
    for table in tables.values():
        for row in table.rows:
            for index in foreign:
                cell = row.cells[index]
                if cell.suppressed:
                    continue
                unit = table.measure.unit
                if unit == "count":
                    counts = [cell.value]
                elif unit == "percent":
                    counts = [cell.numerator, cell.denominator - cell.numerator]
                elif unit == "median days":
                    counts = [cell.denominator]
                else:
                    counts = [cell.numerator]
                assert all(c == 0 or c >= 11 for c in counts), (table.measure.id, row.key)


def test_counts_of_eleven_or_more_are_shown_to_the_state(history, client):
    from carecoord.contacts.models import Contact

    n = history.network
    # 11 more phone calls at the hub (14 in all) and 12 at Eastern; no other channel (a
    # single home visit would hide the hub's calls too: complementary suppression).
    Contact.objects.exclude(channel="phone").delete()
    for kid, user, count in ((n.child_nc, n["nurse.nc"], 11), (n.child_ea, n["nurse.ea"], 12)):
        for _ in range(count):
            Contact.objects.create(child=kid, staff=user, channel="phone", reached=True)
    phone = _row(_tables(_get(client, "titlev.state"))["contacts_by_channel"], "phone")
    assert [c.text for c in phone.cells] == ["14", "12", "26"]


def test_a_center_never_sees_another_centers_coordinators(history, client):
    response = _get(client, "supervisor.ea", query="?by=coordinator")
    body = response.content.decode()
    labels = [label for _, label in _tables(response)["children_served"].columns]
    assert labels == ["Nurse EA", "Social EA", "Supervisor EA", "No coordinator", "Eastern"]
    for name in ("Nurse NC", "Social NC", "Teen", "Rivera"):
        assert name not in body


def test_the_hub_and_the_state_cannot_drill_down_to_coordinators(history, client):
    for username in ("ta.hub", "titlev.state"):
        response = _get(client, username, query="?by=coordinator")
        labels = [label for _, label in _tables(response)["children_served"].columns]
        assert labels == ["North Central", "Eastern", "All centers"], username
        assert "Nurse NC" not in response.content.decode()


def test_a_supervisor_drills_down_to_coordinators(history, client):
    tables = _tables(_get(client, "supervisor.nc", query="?by=coordinator"))
    served = tables["children_served"]
    labels = [label for _, label in served.columns]
    assert labels == ["Nurse NC", "Social NC", "Supervisor NC", "No coordinator",
                      "North Central"]
    assert [c.text for c in _row(served, "all").cells] == ["2", "2", "0", "0", "4"]


def test_the_center_filter(history, client):
    tables = _tables(_get(client, "titlev.state",
                          query=f"?center={history.network.east.pk}"))
    assert [label for _, label in tables["children_served"].columns] == ["Eastern"]


def test_coordinators_and_providers_get_a_404(history, client):
    for username in ("nurse.nc", "social.ea", "provider.nc", "norole"):
        for name in ("reports", "reports-csv", "reports-xlsx"):
            assert _get(client, username, name).status_code == 404, (username, name)


def test_a_bad_period_is_refused(history, client):
    response = _get(client, "supervisor.nc", query="?start=2026-02-01&end=2026-01-01")
    assert response.status_code == 400


def _csv_rows(response):
    reader = csv.reader(io.StringIO(response.content.decode()))
    rows = list(reader)
    return rows[0], [r for r in rows[1:] if r and r[0] != "note"], rows


def _as_text(rows):
    """Cells as comparable values: numbers as numbers (a spreadsheet reads 100.0 back as
    100), the rest as text."""
    def value(v):
        try:
            return float(v)
        except (TypeError, ValueError):
            return "" if v is None else str(v)
    return [[value(v) for v in row] for row in rows]


@pytest.mark.parametrize("username", ["supervisor.nc", "titlev.state", "ta.hub"])
def test_the_downloads_match_the_page(history, client, username):
    page = _get(client, username)
    expected = _as_text(flat_rows(page.context["report"]))
    header, rows, everything = _csv_rows(client.get(reverse("reports-csv")))
    assert header[:6] == ["measure_id", "measure", "unit", "row", "column", "value"]
    assert _as_text(rows) == expected
    workbook = load_workbook(io.BytesIO(client.get(reverse("reports-xlsx")).content))
    sheet = workbook["Measures"]
    xlsx = [list(r) for r in sheet.iter_rows(min_row=2, values_only=True)]
    xlsx = [r for r in xlsx if any(v not in (None, "") for v in r) and r[0] != "note"]
    assert _as_text(xlsx) == expected
    assert {m for m, *_ in expected} == {r[0] for r in workbook["Definitions"].iter_rows(
        min_row=2, max_row=19, values_only=True)}
    if username == "titlev.state":
        assert any(r[5] == SUPPRESSED for r in rows)
        assert everything[-1][0] == "note" and "<11" in everything[-1][1]
    # A figure the page shows is in the files: the hub's children served.
    served = next(r for r in rows if r[0] == "children_served" and r[4] == "North Central")
    # (as the CSV writes it)
    assert served[5] == ("4" if username != "titlev.state" else SUPPRESSED)


def test_the_page_and_the_downloads_are_audited(history, client):
    _get(client, "supervisor.nc")
    client.get(reverse("reports-csv"))
    client.get(reverse("reports-xlsx"))
    events = AuditEvent.objects.filter(object_type="reporting.measures").order_by("pk")
    assert [e.action for e in events] == [Action.LIST, Action.EXPORT, Action.EXPORT]
    assert [e.detail.get("format") for e in events[1:]] == ["csv", "xlsx"]


def test_the_menu_shows_reports_to_its_readers(history, client):
    assert 'href="/reports/"' in _get(client, "supervisor.nc", "center").content.decode()
    assert 'href="/reports/"' not in _get(client, "nurse.nc", "my-day").content.decode()
