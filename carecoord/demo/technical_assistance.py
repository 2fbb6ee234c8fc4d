"""The hub's technical assistance year in the demo network: requests from each of the four
other centers over the last year (resolved, in progress, open), consultations on them and on
their own, a Strengthening Families training attended by several centers and one coming up,
follow-ups (some overdue) and a shared library of small generated PDF files.

Rows are written like the rest of the demo (bulk, no per-row audit events). The library's files
go to MEDIA_ROOT/ta-library under fixed names (demo-….pdf) and are written only when missing,
so loading the demo again does not pile up files."""

import datetime
import random
from collections import Counter

from django.core.files.base import ContentFile

from carecoord.accounts.models import Center, Role
from carecoord.directory.models import Service
from carecoord.technicalassistance.models import (
    Attendee,
    Consultation,
    FollowUp,
    LibraryItem,
    RequestComment,
    TARequest,
    Training,
)
from carecoord.technicalassistance.storage import library_storage

from . import bulk
from .directory import StaffDirectory

# Dependents first, for the generator's delete list.
TA_MODELS = (
    Attendee, FollowUp, Training.materials.through, Training.centers.through, Training,
    LibraryItem.services.through, LibraryItem, Consultation.centers.through, RequestComment,
    Consultation, TARequest,
)

REQUESTS = [  # (topic, subject, description, urgency)
    ("caseload", "Stratifying a growing caseload",
     "Our coordinators carry more tier 3 families than last year. How does the hub weigh "
     "social complexity when it assigns families?", "soon"),
    ("care_plan", "Care plan reviews with primary care",
     "Practices rarely answer our shared plans. What has worked for the hub to get a "
     "provider's acknowledgment?", "routine"),
    ("strengthening_families", "Protective factors check-ins",
     "New staff ask how to bring up the protective factors with a family at the first visit.",
     "routine"),
    ("transition", "Transition at 18 for youth with behavioral health needs",
     "Two families lose their pediatric behavioral health provider this spring; adult "
     "providers have waiting lists.", "urgent"),
    ("data_reporting", "Title V quarterly counts",
     "Our unmet-needs counts differ from last quarter's report: help us check the "
     "definitions.", "soon"),
    ("resource_directory", "Statewide entries for respite care",
     "Families ask for respite; the statewide entries look out of date.", "routine"),
    ("family_engagement", "Family advisory group",
     "Few families come to our advisory meetings. What did the hub try?", "routine"),
]

LIBRARY = [  # (topic, title, description, lines of the PDF, link statewide services)
    ("care_plan", "Care plan template", "A blank shared plan with the family's priorities "
     "first.", ["Family priorities", "Strengths", "Needs and goals", "Actions: who, by when"],
     False),
    ("strengthening_families", "Protective factors conversation guide",
     "Questions for each of the five protective factors.",
     ["Parental resilience", "Social connections", "Knowledge of parenting and child "
      "development", "Concrete support in times of need", "Social and emotional competence "
      "of children"], False),
    ("caseload", "Stratification worksheet", "Scoring medical and social complexity.",
     ["Medical complexity: 0-3", "Social complexity: 0-3", "Tier = the higher of the two"],
     False),
    ("resource_directory", "Statewide resources one-pager",
     "The statewide programs every center refers to.",
     ["Statewide programs", "See the linked directory entries"], True),
]


def tiny_pdf(title: str, lines: list[str]) -> bytes:
    """A one-page PDF with a title and a few lines of text (Helvetica), built by hand: small,
    the same bytes every time."""
    def escape(text):
        return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")

    text = [f"BT /F1 16 Tf 72 740 Td ({escape(title)}) Tj ET"]
    text += [f"BT /F1 11 Tf 72 {712 - 18 * i} Td ({escape(line)}) Tj ET"
             for i, line in enumerate(lines)]
    text.append("BT /F1 8 Tf 72 60 Td (CareCoord demo material: synthetic.) Tj ET")
    stream = "\n".join(text).encode("latin-1", "replace")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1, xref)
    return bytes(out)


def _library_file(slug: str, content: bytes) -> str:
    storage, name = library_storage(), f"demo-{slug}.pdf"
    if not storage.exists(name) or storage.size(name) != len(content):
        if storage.exists(name):
            storage.delete(name)
        storage.save(name, ContentFile(content))
    return name


def build_technical_assistance(*, rng: random.Random, as_of: datetime.date,
                               centers: list[Center], staff: StaffDirectory) -> Counter:
    counts = Counter()
    hub = next(c for c in centers if c.is_hub)
    others = [c for c in centers if not c.is_hub]
    ta = next(u for u in staff.users if u.role == Role.HUB_TA)
    day = datetime.timedelta(days=1)

    def person(center):
        return staff.supervisors[center.pk]

    # The library.
    statewide = list(Service.objects.filter(center__isnull=True).order_by("pk")[:3])
    items = []
    for topic, title, description, lines, linked in LIBRARY:
        content = tiny_pdf(title, lines)
        slug = title.lower().replace(" ", "-")
        items.append(LibraryItem(
            title=title, description=description, topic=topic,
            file=_library_file(slug, content), original_name=f"{slug}.pdf", kind="pdf",
            size=len(content), uploaded_by=ta))
    LibraryItem.objects.bulk_create(items)  # a file field: the ORM adapts it (four rows)
    bulk.save_new([LibraryItem.services.through(libraryitem_id=item.pk, service_id=s.pk)
                   for item, row in zip(items, LIBRARY, strict=True) if row[4]
                   for s in statewide])

    # Requests: each center asks three times over the year; the oldest resolved, the next in
    # progress, the latest open.
    requests, consultations, follow_ups, attendees, through = [], [], [], [], []
    for n, center in enumerate(others):
        asker = person(center)
        for k, status in enumerate(("resolved", "in_progress", "open")):
            topic, subject, description, urgency = REQUESTS[(3 * n + k) % len(REQUESTS)]
            requested_on = as_of - day * (330 - 120 * k - rng.randint(0, 30))
            started = requested_on + day * rng.randint(1, 7) if status != "open" else None
            resolved = started + day * rng.randint(20, 60) if status == "resolved" else None
            requests.append(TARequest(
                center=center, asked_by_name=asker.get_full_name(),
                asked_by_role="Supervisor", topic=topic, urgency=urgency, subject=subject,
                description=description, requested_on=requested_on, status=status,
                started_on=started, resolved_on=resolved,
                resolution=("Walked through the hub's approach on a call; shared the template "
                            "from the library." if resolved else ""),
                created_by=ta))
    bulk.save_new(requests)
    for request in requests:
        if request.status == "open":
            continue
        consultations.append(Consultation(
            request=request, held_on=request.started_on + day * 2,
            mode=rng.choice(["phone", "video", "on_site"]), topic=request.topic,
            notes=f"Talked through “{request.subject}” with the center's team.",
            created_by=ta))
    # A network call on its own, with every center.
    consultations.append(Consultation(
        held_on=as_of - day * 45, mode="video", topic="data_reporting",
        notes="Quarterly network call: Title V counts and definitions.", created_by=ta))
    bulk.save_new(consultations)
    for consultation in consultations:
        taking_part = [consultation.request.center] if consultation.request else centers
        through += [Consultation.centers.through(consultation_id=consultation.pk,
                                                 center_id=c.pk) for c in taking_part]
        for c in taking_part:
            attendees.append(Attendee(consultation=consultation, center=c,
                                      name=person(c).get_full_name(), role="Supervisor"))
        due = consultation.held_on + day * 21
        done = due < as_of and rng.random() < 0.6
        follow_ups.append(FollowUp(
            consultation=consultation, description="Send the center the materials discussed",
            owner=ta.get_full_name(), owner_center=hub, due_on=due, done=done,
            done_on=due - day * 3 if done else None))
    bulk.save_new(through)

    # The Strengthening Families training (four months ago) and the next one.
    trained = [hub, *others[:3]]
    trainings = [
        Training(title="Strengthening Families training", held_on=as_of - day * 120,
                 hours=6, mode="on_site", trainer=ta.get_full_name(),
                 topic="strengthening_families",
                 description="The five protective factors in care coordination.",
                 created_by=ta),
        Training(title="Care plan practice refresher", held_on=as_of + day * 21, hours=2,
                 mode="video", trainer=ta.get_full_name(), topic="care_plan", created_by=ta),
    ]
    bulk.save_new(trainings)
    bulk.save_new([Training.centers.through(training_id=trainings[0].pk, center_id=c.pk)
                   for c in trained]
                  + [Training.centers.through(training_id=trainings[1].pk, center_id=c.pk)
                     for c in centers])
    bulk.save_new([Training.materials.through(training_id=trainings[0].pk,
                                              libraryitem_id=items[1].pk)])
    for c in trained:
        for coordinator in staff.coordinators_of(c.pk)[:2]:
            attendees.append(Attendee(training=trainings[0], center=c,
                                      name=coordinator.get_full_name(),
                                      role=coordinator.get_discipline_display()))
        follow_ups.append(FollowUp(
            training=trainings[0], owner=person(c).get_full_name(), owner_center=c,
            description="Try the protective factors check-in with three new families",
            due_on=as_of - day * 60 + day * 30 * (c.pk % 3), done=False))
    bulk.save_new(attendees)
    bulk.save_new(follow_ups)

    counts["ta_requests"] = len(requests)
    counts["ta_consultations"] = len(consultations)
    counts["ta_trainings"] = len(trainings)
    counts["ta_library_items"] = len(items)
    counts["ta_follow_ups_overdue"] = sum(1 for f in follow_ups
                                          if not f.done and f.due_on < as_of)
    return counts
