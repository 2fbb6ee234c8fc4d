"""The care plan as a PDF a family keeps: page one is what goes on the fridge (their
priorities in their own words, who to call, what happens next), then the goals, actions,
needs and what was agreed about them, strengths and the care team.

It prints from a plan snapshot (services.snapshot), the same plain data an agreed version
freezes, so any version prints as it was agreed and the working copy prints the same way.
`document` turns a snapshot into the template's context without touching the database;
`render` lays it out with WeasyPrint, which may read local files only.

No benchmark and no performance target: a PDF is one family's plan, printed on request."""

import datetime
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit
from urllib.request import url2pathname

from django.template.loader import render_to_string
from weasyprint import HTML
from weasyprint.urls import URLFetcher

from . import pdf_text
from .models import Action, Need, NeedDomain

TEMPLATE = "careplans/pdf/plan.html"
TEMPLATE_DIR = Path(__file__).resolve().parent.parent / "templates" / "careplans" / "pdf"
NEXT_ACTIONS = 5  # what fits on page one beside the priorities and who to call
OPEN_ACTION = ("to_do", "in_progress")

# Snapshots store an action's owner and a need's "raised by" as their English labels.
OWNER_CODES = {label: code for code, label in Action.Owner.choices}
RAISED_BY_CODES = {label: code for code, label in Need.RaisedBy.choices}


@dataclass(frozen=True)
class Person:
    name: str
    organization: str = ""
    phone: str = ""
    relationship: str = ""  # a guardian's relationship code


@dataclass(frozen=True)
class People:
    """Who the family calls and who is on the care team, as plain data."""

    center: Person
    coordinator: Person | None = None
    pcp: Person | None = None
    guardians: tuple[Person, ...] = ()


def default_language(plan_language_code: str) -> str:
    """The plan's own language when the PDF has it (es, es-PR… print in Spanish), else
    English."""
    code = plan_language_code.split("-")[0].lower()
    return code if code in pdf_text.LANGUAGES else "en"


def people_around(child, plan) -> People:
    """The center, coordinator, PCP and guardians, from what selectors.plan_for_child loaded
    (the child's enrollments with their center and assignments, PCP, practice, guardians)."""
    enrollment = next((e for e in child.enrollments.all() if e.pk == plan.enrollment_id), None)
    center = enrollment.center if enrollment is not None else child.center
    assignment = (enrollment.current_assignment
                  if enrollment is not None and enrollment.is_open else None)
    coordinator = None
    if assignment is not None:
        user = assignment.coordinator
        coordinator = Person(name=user.get_full_name() or user.get_username(),
                             organization=center.name, phone=center.phone)
    practice = child.pcp_practice
    pcp = None
    if child.pcp is not None:
        pcp = Person(name=str(child.pcp), organization=practice.name if practice else "",
                     phone=child.pcp.phone or (practice.phone if practice else ""))
    elif practice is not None:
        pcp = Person(name=practice.name, phone=practice.phone)
    guardians = tuple(
        Person(name=str(g), phone=g.phone, relationship=g.relationship)
        for g in child.household.guardians.all()
    )
    return People(center=Person(name=center.name, organization=center.address,
                                phone=center.phone),
                  coordinator=coordinator, pcp=pcp, guardians=guardians)


def spanish_domain_labels() -> dict[str, str]:
    """English need domain label → Spanish label (snapshots store the English label)."""
    return dict(NeedDomain.objects.values_list("label", "label_es"))


def _day(value: str | None) -> datetime.date | None:
    return datetime.date.fromisoformat(value) if value else None


def document(snapshot: dict, *, language: str, child_name: str,
             date_of_birth: datetime.date, people: People, printed_on: datetime.date,
             version=None, review_due_on: datetime.date | None = None,
             newer_version: int | None = None,
             domain_labels_es: dict[str, str] | None = None) -> dict:
    """The PDF template's context for one snapshot in one language. `version` is the agreed
    CarePlanVersion printed (its number, date, who agreed and how), or None for the working
    copy, which prints as a draft."""
    t = pdf_text.text(language)

    def date(value) -> str:
        return pdf_text.long_date(_day(value) if isinstance(value, str) else value, language)

    def word(group: str, code: str) -> str:
        return pdf_text.choice(group, code, language) if code else ""

    def domain(label: str) -> str:
        if language == "es":
            return (domain_labels_es or {}).get(label, label)
        return label

    def owner(action: dict) -> str:
        who = word("owner", OWNER_CODES.get(action["owner"], action["owner"]))
        return f"{who}: {action['owner_name']}" if action.get("owner_name") else who

    def action_row(action: dict) -> dict:
        status = word("action_status", action["status"])
        if action.get("completed_on"):
            status = t["done_on"].format(status=status, date=date(action["completed_on"]))
        return {"description": action["description"], "owner": owner(action),
                "due": date(action["due_on"]), "status": status}

    family_language = snapshot.get("language", "")
    priorities = [
        {"text": p["text"],
         # A staff translation helps English readers; the family's words stay first, as said.
         "translation": p.get("translation", "") if language == "en" else ""}
        for p in snapshot.get("priorities", [])
    ]
    needs_by_id = {n["id"]: n for n in snapshot.get("needs", [])}
    actions = snapshot.get("actions", [])
    goals = []
    for g in snapshot.get("goals", []):
        need = needs_by_id.get(g.get("need_id"))
        goals.append({
            "statement": g["statement"], "measure": g["measure"],
            "target_date": date(g["target_date"]), "status": word("goal_status", g["status"]),
            "outcome": g.get("outcome", ""), "domain": domain(need["domain"]) if need else "",
            "actions": [action_row(a) for a in actions if a["goal_id"] == g["id"]],
        })
    open_actions = sorted((a for a in actions if a["status"] in OPEN_ACTION),
                          key=lambda a: (a["due_on"], a["id"]))
    needs = [{
        "domain": domain(n["domain"]), "description": n["description"],
        "raised_by": word("raised_by", RAISED_BY_CODES.get(n["raised_by"], n["raised_by"])),
        "family_priority": word("priority", n["family_priority"]),
        "provider_priority": word("priority", n.get("provider_priority", "")),
        "outside_control": n["reach"] == NeedDomain.Reach.OUTSIDE,
        "expectation": n.get("expectation", ""), "status": word("need_status", n["status"]),
    } for n in snapshot.get("needs", [])]
    strengths = [{"text": s["text"],
                  "factor": word("protective_factor", s.get("protective_factor", ""))}
                 for s in snapshot.get("strengths", [])]
    named = sorted({owner(a) for a in actions if a.get("owner_name")
                    and OWNER_CODES.get(a["owner"], a["owner"]) not in ("family",
                                                                        "coordinator")})
    if version is not None:
        version_line = t["version"].format(number=version.number,
                                           date=date(version.agreed_on))
        agreed_line = t["agreed_with"].format(name=version.agreed_by_name,
                                              how=word("agreed_how", version.agreed_how),
                                              date=date(version.agreed_on))
    else:
        version_line, agreed_line = t["draft"], ""
    return {
        "language": language, "family_language": family_language or language, "t": t,
        "title": t["title"].format(name=child_name), "child_name": child_name,
        "born": t["born"].format(date=date(date_of_birth)),
        "is_draft": version is None, "version_line": version_line, "agreed_line": agreed_line,
        "replaced_by": (t["replaced_by"].format(number=newer_version)
                        if newer_version else ""),
        "printed": t["printed"].format(date=date(printed_on)),
        "priorities": priorities,
        "people": people,
        "guardians": [{"name": g.name, "phone": g.phone,
                       "relationship": word("relationship", g.relationship)}
                      for g in people.guardians],
        "next_actions": [action_row(a) for a in open_actions[:NEXT_ACTIONS]],
        "next_review": (t["next_review"].format(date=date(review_due_on)) if review_due_on
                        else t["review_when_agreed"]),
        "goals": goals, "needs": needs, "strengths": strengths, "named_in_plan": named,
    }


class LocalFilesOnly(URLFetcher):
    """Lets WeasyPrint read files under one folder and nothing else: a care plan PDF never
    reaches the network (no remote fonts, images or style sheets), whatever a plan's text
    holds. Fonts come from the machine through fontconfig, not through this fetcher."""

    def __init__(self, root: Path):
        super().__init__(allowed_protocols={"file"})
        self.root = root.resolve()

    def fetch(self, url, headers=None):
        parts = urlsplit(url)
        if parts.scheme != "file" or parts.netloc not in ("", "localhost"):
            raise ValueError(f"The care plan PDF reads local files only, not {url}")
        if not Path(url2pathname(parts.path)).resolve().is_relative_to(self.root):
            raise ValueError(f"The care plan PDF reads its own folder only, not {url}")
        return super().fetch(url, headers)


def render(context: dict) -> bytes:
    html = render_to_string(TEMPLATE, context)
    return HTML(string=html, base_url=TEMPLATE_DIR.as_uri() + "/",
                url_fetcher=LocalFilesOnly(TEMPLATE_DIR)).write_pdf(pdf_tags=True)
