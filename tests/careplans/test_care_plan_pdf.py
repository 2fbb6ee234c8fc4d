"""The care plan PDF, read back as text with pypdf: page one for the fridge, the rest of the
plan, in English and Spanish, from an agreed version or the working copy; who may print it;
every copy printed audited as an export."""

import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from carecoord.accounts.models import Language
from carecoord.audit.models import AuditEvent
from carecoord.careplans import pdf, pdf_text, services
from carecoord.careplans.models import (
    Action,
    CarePlan,
    CarePlanVersion,
    FamilyPriority,
    Goal,
    Need,
    NeedDomain,
    Priority,
    Strength,
)
from carecoord.families.models import Guardian
from tests import factories

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
PRIORITY = "Que Sofía pueda ir a la escuela sin convulsiones"
TRANSLATION = "That Sofia can go to school without seizures"
EXPECTATION = "Le ayudamos con las solicitudes de vivienda; no podemos conseguir un apartamento."


def es(day):
    return pdf_text.long_date(day, "es")


def en(day):
    return pdf_text.long_date(day, "en")


def pages(response) -> list[str]:
    """Each page's text with runs of white space made one space (lines wrap in a PDF)."""
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    return [" ".join(page.extract_text().split()) for page in reader.pages]


def url(child, **query):
    base = reverse("care-plan-pdf", args=[child.pk])
    return base + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def add(network, plan, item):
    plan.refresh_from_db()
    return services.add_item(user=network["nurse.nc"], plan=plan,
                             expected_version=plan.version, item=item)


def agree(network, plan, on=TODAY):
    plan.refresh_from_db()
    return services.agree(user=network["nurse.nc"], plan=plan, expected_version=plan.version,
                          agreed_on=on, how="in_person",
                          guardian=network.child_nc.household.guardians.get())


@pytest.fixture
def plan(network):
    """Sofia's plan as written with her mother in Spanish: a priority in her words, a housing
    need outside the center's control, an IEP goal with actions for the family, the school
    and the coordinator, a strength; her PCP and the center's phone on file."""
    hub = network.hub
    hub.phone = "860-545-9000"
    hub.save()
    child = network.child_nc
    child.pcp = factories.clinician(network.practice_nc, phone="860-555-0199")
    child.save()
    plan = CarePlan.objects.get(child=child)
    assert plan.language.code == "es"
    add(network, plan, FamilyPriority(text=PRIORITY, translation=TRANSLATION,
                                      language=plan.language))
    housing = add(network, plan, Need(
        domain=NeedDomain.objects.get(code="housing"), description="Apartamento en un tercer "
        "piso sin ascensor", raised_by="family", family_priority=Priority.HIGH,
        reach="outside_control", expectation=EXPECTATION))
    add(network, plan, Need(domain=NeedDomain.objects.get(code="education"),
                            description="Evaluación para un IEP", raised_by="school",
                            family_priority=Priority.HIGH, provider_priority=Priority.MEDIUM,
                            reach="within_reach"))
    goal = add(network, plan, Goal(statement="Sofia has an IEP with speech therapy",
                                   measure="IEP meeting held and speech therapy twice a week",
                                   target_date=TODAY + datetime.timedelta(days=90)))
    add(network, plan, Goal(need=housing, statement="Apply for accessible housing",
                            measure="Applications at 2 housing authorities",
                            target_date=TODAY + datetime.timedelta(days=60)))
    add(network, plan, Action(goal=goal, description="Sign the evaluation request",
                              owner="family", due_on=TODAY + datetime.timedelta(days=7)))
    add(network, plan, Action(goal=goal, description="Schedule the PPT meeting",
                              owner="school", owner_name="Burns Elementary",
                              due_on=TODAY + datetime.timedelta(days=21)))
    add(network, plan, Action(goal=goal, description="Call the family before the meeting",
                              owner="coordinator", due_on=TODAY + datetime.timedelta(days=20)))
    add(network, plan, Strength(text="La abuela ayuda todos los días",
                                protective_factor="social_connections"))
    plan.refresh_from_db()
    return plan


def test_spanish_pdf_of_an_agreed_version(network, plan, login):
    version = agree(network, plan)
    response = login(network["nurse.nc"]).get(url(network.child_nc, language="es", version=1))
    assert response["Content-Disposition"] == 'inline; filename="plan-de-cuidado-SR-v1.pdf"'
    text = pages(response)
    first, rest = text[0], " ".join(text[1:])

    # Page one, for the fridge: priorities as said, who to call, what happens next.
    assert "Plan de cuidado de Sofia Rivera" in first
    assert "Lo más importante para nuestra familia" in first
    assert f"“{PRIORITY}”" in first and TRANSLATION not in " ".join(text)
    assert "A quién llamar" in first and "Su coordinador(a) de cuidado" in first
    assert "Nurse NC" in first and "Teléfono: 860-545-9000" in first
    assert network.child_nc.pcp.last_name in first and "Teléfono: 860-555-0199" in first
    assert "Lo que sigue" in first
    assert ("Sign the evaluation request Familia "
            f"{es(TODAY + datetime.timedelta(days=7))}") in first
    assert ("Call the family before the meeting Coordinador(a) de cuidado "
            f"{es(TODAY + datetime.timedelta(days=20))}") in first
    assert ("Próxima revisión de este plan con su familia: "
            f"{es(version.review_due_on)}") in first
    assert f"Acordada con Maria Rivera (en persona) el {es(TODAY)}." in first
    assert "Metas y acciones" not in first  # the fridge page stands alone

    # Then the whole plan.
    assert "Metas y acciones" in rest and "Cómo sabremos que se logró" in rest
    assert f"Fecha meta: {es(TODAY + datetime.timedelta(days=90))}" in rest
    assert "Escuela: Burns Elementary" in rest and "Por hacer" in rest
    assert "Necesidades y lo que acordamos" in rest
    assert "Vivienda Apartamento en un tercer piso sin ascensor" in rest
    assert f"Fuera del control del centro. {EXPECTATION}" in rest
    assert "Educación: planes IEP y 504" in rest and "Planteada por: La escuela" in rest
    assert "El centro puede ayudar con esto." in rest
    assert "La abuela ayuda todos los días (Conexiones sociales)" in rest
    assert "Equipo de cuidado" in rest and "Maria Rivera (Madre)" in rest

    # The header and page numbers on every page.
    for number, page in enumerate(text, start=1):
        assert "Sofia Rivera" in page and "Fecha de nacimiento: 2 de abril de 2016" in page
        assert f"Versión 1, acordada el {es(TODAY)}" in page
        assert f"Impreso el {es(TODAY)}" in page
        assert f"Página {number} de {len(text)}" in page


def test_english_pdf_keeps_the_family_words_and_shows_the_staff_translation(network, plan,
                                                                            login):
    agree(network, plan)
    response = login(network["nurse.nc"]).get(url(network.child_nc, language="en"))
    assert response["Content-Disposition"] == 'inline; filename="care-plan-SR-v1.pdf"'
    text = pages(response)
    first, everything = text[0], " ".join(text)
    assert "Care plan for Sofia Rivera" in first and "What matters most to our family" in first
    assert f"“{PRIORITY}” Staff translation: {TRANSLATION}" in first
    review = plan.versions.get().review_due_on
    assert f"Next review of this plan with your family: {en(review)}" in first
    assert "Born April 2, 2016" in first and f"Version 1, agreed {en(TODAY)}" in first
    assert "Housing Apartamento en un tercer piso sin ascensor" in everything
    assert f"Outside the center's control. {EXPECTATION}" in everything
    assert "School: Burns Elementary" in everything
    assert f"Page 1 of {len(text)}" in first


def test_the_language_defaults_to_the_plan_language_when_it_is_spanish(network, plan, login):
    client = login(network["nurse.nc"])
    assert "Plan de cuidado de Sofia Rivera" in pages(client.get(url(network.child_nc)))[0]
    plan.language = Language.objects.get(code="pl")  # a language the PDF has not: English
    plan.save()
    assert "Care plan for Sofia Rivera" in pages(client.get(url(network.child_nc)))[0]
    assert pdf.default_language("es-PR") == "es" and pdf.default_language("en") == "en"


def test_the_working_copy_prints_as_a_draft_and_each_version_as_agreed(network, plan, login):
    client = login(network["nurse.nc"])
    draft = client.get(url(network.child_nc))
    assert draft["Content-Disposition"] == 'inline; filename="plan-de-cuidado-SR-borrador.pdf"'
    text = pages(draft)
    assert all("Borrador — aún no acordado" in page for page in text)
    assert "La próxima revisión se fija cuando su familia acuerde este plan." in text[0]

    agree(network, plan)
    assert client.get(url(network.child_nc, version="draft")).status_code == 404  # none now
    add(network, plan, Action(goal=plan.goals.first(), description="Ask about WIC",
                              owner="coordinator", due_on=TODAY + datetime.timedelta(days=3)))
    working = " ".join(pages(client.get(url(network.child_nc, version="draft"))))
    assert "Borrador — aún no acordado" in working and "Ask about WIC" in working
    agreed = " ".join(pages(client.get(url(network.child_nc, version=1))))
    assert "Borrador" not in agreed and "Ask about WIC" not in agreed
    assert f"Versión 1, acordada el {es(TODAY)}" in agreed

    agree(network, plan)
    older = " ".join(pages(client.get(url(network.child_nc, version=1))))
    assert "Existe una versión más reciente de este plan: la versión 2." in older
    current = pages(client.get(url(network.child_nc)))
    assert "Ask about WIC" in current[0] and f"Versión 2, acordada el {es(TODAY)}" in current[0]
    assert client.get(url(network.child_nc, version=3)).status_code == 404


def test_who_may_print_it(network, plan, client):
    agree(network, plan)
    child = network.child_nc
    for username in ("nurse.nc", "supervisor.nc", "admin.nc", "ta.hub", "provider.nc"):
        client.force_login(network[username])
        assert "Sofia Rivera" in pages(client.get(url(child)))[0], username
    for username in ("nurse.ea", "supervisor.ea", "provider.ea", "titlev.state", "norole"):
        client.force_login(network[username])
        assert client.get(url(child)).status_code == 404, username
    consent = child.consents.get()
    consent.revoked_on = consent.given_on
    consent.save()
    client.force_login(network["provider.nc"])
    assert client.get(url(child)).status_code == 404
    client.logout()
    assert client.get(url(child)).status_code == 302  # to the sign-in page


def test_a_language_it_does_not_print_in_is_refused(network, plan, client):
    client.force_login(network["nurse.nc"])
    refused = client.get(url(network.child_nc, language="fr"))
    assert refused.status_code == 400 and b"en, es" in refused.content
    client.force_login(network["nurse.ea"])
    assert client.get(url(network.child_nc, language="fr")).status_code == 404


def test_every_copy_printed_is_an_audited_export(network, plan, client):
    agree(network, plan)
    client.force_login(network["provider.nc"])
    client.head(url(network.child_nc))
    assert not AuditEvent.objects.filter(action="export").exists()  # headers only
    client.get(url(network.child_nc, language="en", version=1))
    event = AuditEvent.objects.get(action="export")
    assert event.actor_username == "provider.nc" and event.object_type == "careplans.careplan"
    assert (event.center_id, event.child_id) == (network.hub.pk, network.child_nc.pk)
    assert event.detail == {"count": 1, "plan_id": plan.pk, "version": 1, "language": "en"}
    client.force_login(network["nurse.nc"])
    client.get(url(network.child_nc, version=1))
    assert AuditEvent.objects.filter(action="export").count() == 2


def test_fonts_come_from_the_machine_and_cover_spanish(network, plan, client):
    client.force_login(network["nurse.nc"])
    reader = PdfReader(io.BytesIO(client.get(url(network.child_nc)).content))
    fonts = {str(font.get_object()["/BaseFont"])
             for page in reader.pages
             for font in page["/Resources"]["/Font"].values()}
    assert fonts and all("Liberation" in f or "DejaVu" in f for f in fonts), fonts
    assert "La próxima revisión se fija" in " ".join(reader.pages[0].extract_text().split())


def test_weasyprint_reads_nothing_but_its_own_folder():
    fetcher = pdf.LocalFilesOnly(pdf.TEMPLATE_DIR)
    for address in ("https://example.org/logo.png", "http://127.0.0.1:8000/static/x.css",
                    "ftp://example.org/x", "data:text/css,body{}", "file:///etc/passwd",
                    "file://fileserver/share/x.css",
                    (pdf.TEMPLATE_DIR / ".." / ".." / "base.html").as_uri()):
        with pytest.raises(ValueError):
            fetcher.fetch(address)
    css = fetcher.fetch((pdf.TEMPLATE_DIR / "plan.css").as_uri())
    assert b"@page" in css.read()
    css.close()


def test_the_plan_page_offers_the_pdf_in_either_language(network, plan, login):
    client = login(network["nurse.nc"])
    page = client.get(reverse("care-plan", args=[network.child_nc.pk])).content.decode()
    assert f'action="{url(network.child_nc)}"' in page
    assert '<label for="pdf-language">' in page
    assert '<option value="es" selected>' in page
    assert 'id="pdf-version"' not in page  # nothing agreed yet: the working copy prints
    agree(network, plan)
    add(network, plan, Strength(text="Sofia loves music"))
    page = client.get(reverse("care-plan", args=[network.child_nc.pk])).content.decode()
    assert 'id="pdf-version"' in page
    assert '<option value="draft" selected>' in page and '<option value="1">' in page


def test_every_word_is_there_in_every_language():
    for key, words in pdf_text.TEXT.items():
        assert set(words) == set(pdf_text.LANGUAGES), key
    model_choices = {
        "goal_status": Goal.Status, "action_status": Action.Status,
        "need_status": Need.Status, "priority": Priority, "owner": Action.Owner,
        "raised_by": Need.RaisedBy, "protective_factor": Strength.ProtectiveFactor,
        "agreed_how": CarePlanVersion.AgreedHow, "relationship": Guardian.Relationship,
    }
    assert set(model_choices) == set(pdf_text.CHOICES)
    for group, choices in model_choices.items():
        assert set(pdf_text.CHOICES[group]) == set(choices.values), group
        for code, words in pdf_text.CHOICES[group].items():
            assert set(words) == set(pdf_text.LANGUAGES), (group, code)
    assert pdf_text.long_date(datetime.date(2026, 3, 12), "es") == "12 de marzo de 2026"
    assert pdf_text.long_date(datetime.date(2026, 3, 12), "en") == "March 12, 2026"
