"""Rows of the access matrix (tests/accounts/test_access_matrix.py) for this app's pages. No
page is about a child, so `rows` gives none; `center_rows` makes one request, consultation and
training per center (hub and Eastern) and a library item."""

from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from carecoord.demo.technical_assistance import tiny_pdf
from carecoord.technicalassistance.models import Consultation, LibraryItem, TARequest, Training
from carecoord.technicalassistance.storage import library_storage

HUB = {"ta.hub"}
NC_READERS = HUB | {"supervisor.nc", "admin.nc"}
EA_READERS = HUB | {"supervisor.ea", "admin.ea"}
LIBRARY_READERS = {"nurse.nc", "social.nc", "supervisor.nc", "admin.nc", "ta.hub",
                   "nurse.ea", "social.ea", "supervisor.ea", "admin.ea"}


def rows(child, *, staff, editors, provider):
    return []  # never a child's data


def _records(network, center, tag):
    today, ta = timezone.localdate(), network["ta.hub"]
    request = TARequest.objects.create(
        center=center, asked_by_name=f"Supervisor {tag}", topic="caseload",
        subject=f"Matrix request {tag}", description="x", requested_on=today, created_by=ta)
    consultation = Consultation.objects.create(request=request, held_on=today, mode="phone",
                                               topic="caseload", created_by=ta)
    consultation.centers.set([center])
    training = Training.objects.create(title=f"Matrix training {tag}", held_on=today, hours=1,
                                       mode="video", trainer="x", topic="other", created_by=ta)
    training.centers.set([center])
    return request, consultation, training


def center_rows(network):
    """Pages not about one child: (url name, method, url, users who may, status)."""
    content, storage = tiny_pdf("Matrix", ["x"]), library_storage()
    if not storage.exists("matrix.pdf"):  # one file, whatever the number of runs
        storage.save("matrix.pdf", ContentFile(content))
    item = LibraryItem.objects.create(
        title="Matrix item", topic="other", file="matrix.pdf", original_name="matrix.pdf",
        kind="pdf", size=len(content), uploaded_by=network["ta.hub"])
    result = [
        ("ta-home", "get", reverse("ta-home"), LIBRARY_READERS, 200),
        ("ta-request-new", "get", reverse("ta-request-new"), HUB, 200),
        ("ta-request-new", "post", reverse("ta-request-new"), HUB, 400),
        ("ta-consultation-new", "get", reverse("ta-consultation-new"), HUB, 200),
        ("ta-consultation-new", "post", reverse("ta-consultation-new"), HUB, 400),
        ("ta-training-new", "get", reverse("ta-training-new"), HUB, 200),
        ("ta-training-new", "post", reverse("ta-training-new"), HUB, 400),
        ("ta-library", "get", reverse("ta-library"), LIBRARY_READERS, 200),
        ("ta-library-upload", "get", reverse("ta-library-upload"), HUB, 200),
        ("ta-library-upload", "post", reverse("ta-library-upload"), HUB, 400),
        ("ta-library-download", "get", reverse("ta-library-download", args=[item.pk]),
         LIBRARY_READERS, 200),
        ("ta-follow-up-done", "post", reverse("ta-follow-up-done", args=[999999]), set(), 404),
    ]
    for center, tag, readers in ((network.hub, "nc", NC_READERS),
                                 (network.east, "ea", EA_READERS)):
        request, consultation, training = _records(network, center, tag)
        commenters = readers  # the request is open
        result += [
            ("ta-request-detail", "get", reverse("ta-request-detail", args=[request.pk]),
             readers, 200),
            ("ta-request-edit", "get", reverse("ta-request-edit", args=[request.pk]), HUB, 200),
            ("ta-request-edit", "post", reverse("ta-request-edit", args=[request.pk]), HUB,
             400),
            # Empty: refused by the form, so nothing changes while the matrix walks.
            ("ta-request-step", "post", reverse("ta-request-step", args=[request.pk, "start"]),
             HUB, 400),
            ("ta-request-step", "post", reverse("ta-request-step",
                                                args=[request.pk, "no-such-step"]), set(), 404),
            ("ta-request-comment", "post", reverse("ta-request-comment", args=[request.pk]),
             commenters, 400),
            ("ta-consultation-new", "get", reverse("ta-consultation-new")
             + f"?request={request.pk}", HUB, 200),
            ("ta-consultation-detail", "get",
             reverse("ta-consultation-detail", args=[consultation.pk]), readers, 200),
            ("ta-consultation-edit", "get",
             reverse("ta-consultation-edit", args=[consultation.pk]), HUB, 200),
            ("ta-training-detail", "get", reverse("ta-training-detail", args=[training.pk]),
             readers, 200),
            ("ta-training-edit", "get", reverse("ta-training-edit", args=[training.pk]), HUB,
             200),
            ("ta-follow-up-new", "post", reverse("ta-follow-up-new",
                                                 args=["consultations", consultation.pk]),
             HUB, 400),
            ("ta-follow-up-new", "post", reverse("ta-follow-up-new",
                                                 args=["trainings", training.pk]), HUB, 400),
        ]
    return result
