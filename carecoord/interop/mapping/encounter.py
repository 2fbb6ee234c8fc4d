"""A contact of the contact log (contacts.Contact) as a US Core Encounter: when, by which
channel, for how long, and who took part. An attempt that did not reach anyone (an unanswered
call, a missed visit) is a cancelled Encounter.

The coordinator's notes are not sent: they are the center's working record (the contact log is
not shown to providers' sign-ins either) and may hold what the family said in confidence."""

import datetime

from . import systems
from .common import (
    center_reference,
    coding,
    concept,
    guardian_reference,
    meta,
    patient_reference,
    staff_reference,
)

# The channel as the encounter's class (v3 ActEncounterCode).
CLASS = {
    "phone": "VR", "text": "VR", "email": "VR", "video": "VR",
    "home_visit": "HH", "school_meeting": "FLD", "clinic_visit": "AMB", "in_center": "AMB",
}
CLASS_DISPLAY = {"VR": "virtual", "HH": "home health", "FLD": "field", "AMB": "ambulatory"}
STATUS = {True: "finished", False: "cancelled"}


def _participants(contact) -> list[dict]:
    people = [{"type": [concept(systems.PARTICIPATION_TYPE, "PPRF", "primary performer",
                                "Care coordination staff")],
               "individual": staff_reference(contact.staff)}]
    if contact.guardian_id:
        people.append({"type": [concept(systems.PARTICIPATION_TYPE, "PART", "Participation",
                                        contact.guardian.get_relationship_display())],
                       "individual": guardian_reference(contact.guardian, contact.child)})
    interpreted = contact.interpreter_language.name if contact.interpreter_language_id else ""
    for code, label in zip(contact.participants, contact.participant_labels):
        if code == "child" or (code == "guardian" and contact.guardian_id):
            continue  # the child is the subject; a named guardian is above
        if code == "interpreter":
            text = f"{label} ({interpreted})" if interpreted else label
            kind = concept(systems.PARTICIPANT_TYPE, "translator", "Translator", text)
        else:
            kind = {"coding": [coding(systems.PARTICIPATION_TYPE, "PART", "Participation"),
                               coding(systems.CONTACT_PARTICIPANT, code, label)],
                    "text": label}
        people.append({"type": [kind]})
    if interpreted and "interpreter" not in contact.participants:
        people.append({"type": [concept(systems.PARTICIPANT_TYPE, "translator", "Translator",
                                        f"Interpreter ({interpreted})")]})
    return people


def encounter(contact) -> dict:
    """Reads contact.child (with center), staff, guardian, interpreter_language and
    enrollment (with center)."""
    start = contact.occurred_at
    period = {"start": start.isoformat(timespec="seconds")}
    if contact.reached and contact.duration_minutes:
        end = start + datetime.timedelta(minutes=contact.duration_minutes)
        period["end"] = end.isoformat(timespec="seconds")
    class_code = CLASS[contact.channel]
    label = contact.get_channel_display()
    resource = {
        "resourceType": "Encounter",
        "id": str(contact.pk),
        "meta": meta("Encounter"),
        "status": STATUS[contact.reached],
        "class": coding(systems.ACT_CODE, class_code, CLASS_DISPLAY[class_code]),
        "type": [concept(systems.CONTACT_CHANNEL, contact.channel, label,
                         f"Care coordination contact: {label.lower()}"
                         + ("" if contact.reached else " (attempt, not reached)"))],
        "subject": patient_reference(contact.child),
        "participant": _participants(contact),
        "period": period,
        "serviceProvider": center_reference(
            contact.enrollment.center if contact.enrollment_id else contact.child.center),
    }
    if contact.reached and contact.duration_minutes:
        resource["length"] = {"value": contact.duration_minutes, "unit": "min",
                              "system": systems.UCUM, "code": "min"}
    return resource
