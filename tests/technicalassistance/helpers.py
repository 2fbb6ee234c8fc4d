import datetime
import io
import zipfile

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from carecoord.demo.technical_assistance import tiny_pdf
from carecoord.technicalassistance import services
from carecoord.technicalassistance.models import Consultation, LibraryItem, TARequest, Training


def days_ago(n: int) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=n)


def ta_request(network, center=None, **fields) -> TARequest:
    values = {"center": center or network.east, "asked_by_name": "Elizabeth Crane",
              "asked_by_role": "Supervisor", "topic": "caseload", "urgency": "soon",
              "subject": "Stratifying a growing caseload (Eastern)",
              "description": "How does the hub weigh social complexity?",
              "requested_on": days_ago(30), **fields}
    return services.log_request(user=network["ta.hub"], request=TARequest(**values))


def consultation(network, *, centers, request=None, attendees="", **fields) -> Consultation:
    values = {"held_on": days_ago(10), "mode": "video", "topic": "caseload",
              "notes": "Talked it through.", **fields}
    return services.log_consultation(user=network["ta.hub"], consultation=Consultation(**values),
                                     centers=centers, request=request, attendees_text=attendees)


def training(network, *, centers, **fields) -> Training:
    values = {"title": "Strengthening Families training", "held_on": days_ago(20), "hours": 6,
              "mode": "on_site", "trainer": "Monique Harrington",
              "topic": "strengthening_families", **fields}
    return services.log_training(user=network["ta.hub"], training=Training(**values),
                                 centers=centers)


def pdf_upload(name="guide.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, tiny_pdf("Guide", ["line"]), content_type="application/pdf")


def office_upload(name: str, part: str) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        package.writestr("[Content_Types].xml", "<Types/>")
        package.writestr(part, "<x/>")
    return SimpleUploadedFile(name, buffer.getvalue())


def library_item(network, **fields) -> LibraryItem:
    values = {"title": "Care plan template", "topic": "care_plan", **fields}
    return services.add_library_item(user=network["ta.hub"], item=LibraryItem(**values),
                                     upload=pdf_upload())
