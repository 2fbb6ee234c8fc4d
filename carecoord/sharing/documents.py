"""The agreed version as the PDF that goes out by secure email and fax: the care plan PDF of
carecoord/careplans/pdf.py, printed from the version's snapshot, in the family's language (the
plan's language when the PDF has it, else English), exactly as the family's own copy."""

from dataclasses import dataclass

from django.utils import timezone

from carecoord.careplans import pdf, pdf_text


@dataclass(frozen=True)
class PlanPdf:
    file_name: str
    language: str
    content: bytes


def language_of(version, plan) -> str:
    return pdf.default_language(version.snapshot.get("language") or plan.language.code)


def version_pdf(version, plan, child) -> PlanPdf:
    """`child` as selectors.child_for_sharing loads it (what pdf.people_around reads)."""
    language = language_of(version, plan)
    current = version.pk == plan.current_version_id
    review_due_on = (plan.review_due_on or version.review_due_on) if current else (
        version.review_due_on)
    context = pdf.document(
        version.snapshot, language=language, child_name=child.full_name,
        date_of_birth=child.date_of_birth, people=pdf.people_around(child, plan),
        printed_on=timezone.localdate(), version=version, review_due_on=review_due_on,
        domain_labels_es=pdf.spanish_domain_labels())
    t = pdf_text.text(language)
    initials = f"{child.first_name[:1]}{child.last_name[:1]}".upper()
    return PlanPdf(file_name=f"{t['file_name']}-{initials}-v{version.number}.pdf",
                   language=language, content=pdf.render(context))
