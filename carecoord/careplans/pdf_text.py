"""The fixed words of the care plan PDF in each language a family can have it in: headings,
labels, status and owner words, and dates written out ("12 de marzo de 2026").

A plain dictionary rather than gettext catalogs, so a fresh clone prints Spanish without a
compile step and each phrase sits next to its translation for review. The family's own words
are never looked up here: they print as written, in the language they were written in."""

import datetime

LANGUAGES = {"en": "English", "es": "Español"}

MONTHS = {
    "en": ["January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December"],
    "es": ["enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto",
           "septiembre", "octubre", "noviembre", "diciembre"],
}

# Headings and labels. Placeholders in braces are filled by carecoord/careplans/pdf.py.
TEXT = {
    "file_name": {"en": "care-plan", "es": "plan-de-cuidado"},
    "file_draft": {"en": "draft", "es": "borrador"},
    "title": {"en": "Care plan for {name}", "es": "Plan de cuidado de {name}"},
    "born": {"en": "Born {date}", "es": "Fecha de nacimiento: {date}"},
    "version": {"en": "Version {number}, agreed {date}",
                "es": "Versión {number}, acordada el {date}"},
    "agreed_with": {"en": "Agreed with {name} ({how}) on {date}.",
                    "es": "Acordada con {name} ({how}) el {date}."},
    "draft": {"en": "Draft — not yet agreed", "es": "Borrador — aún no acordado"},
    "draft_note": {
        "en": "This is the plan as it is being written with your family. It becomes a version "
              "of your plan when your family agrees to it.",
        "es": "Este es el plan tal como se está escribiendo con su familia. Será una versión de "
              "su plan cuando su familia lo acuerde.",
    },
    "replaced_by": {"en": "A newer version of this plan exists: version {number}.",
                    "es": "Existe una versión más reciente de este plan: la versión {number}."},
    "printed": {"en": "Printed {date}", "es": "Impreso el {date}"},
    "page": {"en": "Page", "es": "Página"},
    "of": {"en": "of", "es": "de"},
    "priorities": {"en": "What matters most to our family",
                   "es": "Lo más importante para nuestra familia"},
    "priorities_note": {"en": "In your own words.", "es": "En sus propias palabras."},
    "translation": {"en": "Staff translation", "es": "Traducción del personal"},
    "no_priorities": {"en": "No priorities written down yet.",
                      "es": "Todavía no hay prioridades escritas."},
    "who_to_call": {"en": "Who to call", "es": "A quién llamar"},
    "your_coordinator": {"en": "Your care coordinator", "es": "Su coordinador(a) de cuidado"},
    "no_coordinator": {"en": "Call the center: a care coordinator will be assigned to you.",
                       "es": "Llame al centro: se le asignará un(a) coordinador(a) de cuidado."},
    "center": {"en": "The care coordination center", "es": "El centro de coordinación de cuidado"},
    "your_pcp": {"en": "Your child's doctor (primary care)",
                 "es": "El médico de su hijo(a) (atención primaria)"},
    "no_pcp": {"en": "No primary care provider on file: tell your care coordinator.",
               "es": "No tenemos registrado un médico de atención primaria: dígaselo a su "
                     "coordinador(a) de cuidado."},
    "phone": {"en": "Phone", "es": "Teléfono"},
    "what_next": {"en": "What happens next", "es": "Lo que sigue"},
    "what": {"en": "What", "es": "Qué"},
    "who": {"en": "Who", "es": "Quién"},
    "by_when": {"en": "By when", "es": "Para cuándo"},
    "no_next_actions": {"en": "No open actions.", "es": "No hay acciones pendientes."},
    "next_review": {"en": "Next review of this plan with your family: {date}",
                    "es": "Próxima revisión de este plan con su familia: {date}"},
    "review_when_agreed": {
        "en": "The next review is set when your family agrees to this plan.",
        "es": "La próxima revisión se fija cuando su familia acuerde este plan.",
    },
    "goals": {"en": "Goals and actions", "es": "Metas y acciones"},
    "no_goals": {"en": "No goals written down yet.", "es": "Todavía no hay metas escritas."},
    "measure": {"en": "How we will know it is met", "es": "Cómo sabremos que se logró"},
    "target_date": {"en": "Target date", "es": "Fecha meta"},
    "status": {"en": "Status", "es": "Estado"},
    "outcome": {"en": "Outcome", "es": "Resultado"},
    "action": {"en": "Action", "es": "Acción"},
    "due": {"en": "Due", "es": "Fecha límite"},
    "done_on": {"en": "{status} {date}", "es": "{status} el {date}"},
    "no_actions": {"en": "No actions for this goal yet.",
                   "es": "Todavía no hay acciones para esta meta."},
    "needs": {"en": "Needs and what we agreed", "es": "Necesidades y lo que acordamos"},
    "no_needs": {"en": "No needs written down yet.",
                 "es": "Todavía no hay necesidades escritas."},
    "area": {"en": "Area", "es": "Área"},
    "need": {"en": "Need", "es": "Necesidad"},
    "raised_by": {"en": "Raised by", "es": "Planteada por"},
    "priority": {"en": "Priority", "es": "Prioridad"},
    "family_priority": {"en": "Family", "es": "Familia"},
    "provider_priority": {"en": "Provider", "es": "Proveedor"},
    "what_we_agreed": {"en": "What we agreed", "es": "Lo que acordamos"},
    "within_reach": {"en": "The center can help with this.",
                     "es": "El centro puede ayudar con esto."},
    "outside_control": {"en": "Outside the center's control.",
                        "es": "Fuera del control del centro."},
    "strengths": {"en": "Our family's strengths", "es": "Las fortalezas de nuestra familia"},
    "no_strengths": {"en": "No strengths written down yet.",
                     "es": "Todavía no hay fortalezas escritas."},
    "care_team": {"en": "Care team", "es": "Equipo de cuidado"},
    "family": {"en": "Family", "es": "Familia"},
    "care_coordinator": {"en": "Care coordinator", "es": "Coordinador(a) de cuidado"},
    "pcp": {"en": "Primary care provider", "es": "Médico de atención primaria"},
    "named_in_plan": {"en": "Also named in this plan", "es": "También nombrados en este plan"},
}

# Status, owner and other choice words, by the code a plan stores.
CHOICES = {
    "goal_status": {
        "not_started": {"en": "Not started", "es": "Sin empezar"},
        "in_progress": {"en": "In progress", "es": "En curso"},
        "met": {"en": "Met", "es": "Lograda"},
        "partly_met": {"en": "Partly met", "es": "Lograda en parte"},
        "not_met": {"en": "Not met", "es": "No lograda"},
        "discontinued": {"en": "Discontinued", "es": "Suspendida"},
    },
    "action_status": {
        "to_do": {"en": "To do", "es": "Por hacer"},
        "in_progress": {"en": "In progress", "es": "En curso"},
        "done": {"en": "Done", "es": "Hecha"},
        "cancelled": {"en": "Cancelled", "es": "Cancelada"},
    },
    "need_status": {
        "open": {"en": "Open", "es": "Abierta"},
        "in_progress": {"en": "Being worked on", "es": "En trámite"},
        "met": {"en": "Met", "es": "Atendida"},
        "unmet": {"en": "Could not be met", "es": "No se pudo atender"},
        "withdrawn": {"en": "No longer needed", "es": "Ya no se necesita"},
    },
    "priority": {
        "high": {"en": "High", "es": "Alta"},
        "medium": {"en": "Medium", "es": "Media"},
        "low": {"en": "Low", "es": "Baja"},
        "not_now": {"en": "Not a priority now", "es": "No es prioridad ahora"},
    },
    "owner": {
        "family": {"en": "Family", "es": "Familia"},
        "coordinator": {"en": "Care coordinator", "es": "Coordinador(a) de cuidado"},
        "pcp": {"en": "Primary care provider", "es": "Médico de atención primaria"},
        "specialist": {"en": "Specialist", "es": "Especialista"},
        "school": {"en": "School", "es": "Escuela"},
        "agency": {"en": "Community agency", "es": "Agencia comunitaria"},
        "peer_family": {"en": "Another family (peer support)",
                        "es": "Otra familia (apoyo entre familias)"},
    },
    "raised_by": {
        "family": {"en": "Family", "es": "La familia"},
        "pcp": {"en": "Primary care provider", "es": "Médico de atención primaria"},
        "referrer": {"en": "Referring provider", "es": "Proveedor que hizo la referencia"},
        "coordinator": {"en": "Care coordinator", "es": "Coordinador(a) de cuidado"},
        "school": {"en": "School", "es": "La escuela"},
        "screening": {"en": "A screening", "es": "Un cuestionario de detección"},
    },
    "protective_factor": {
        "parental_resilience": {"en": "Parental resilience",
                                "es": "Resiliencia de los padres"},
        "social_connections": {"en": "Social connections", "es": "Conexiones sociales"},
        "knowledge_of_parenting": {
            "en": "Knowledge of parenting and child development",
            "es": "Conocimiento sobre la crianza y el desarrollo infantil"},
        "concrete_support": {"en": "Concrete support in times of need",
                             "es": "Apoyo concreto en momentos de necesidad"},
        "social_emotional_competence": {
            "en": "Social and emotional competence of children",
            "es": "Competencia social y emocional de los niños"},
    },
    "agreed_how": {
        "in_person": {"en": "in person", "es": "en persona"},
        "phone": {"en": "by phone", "es": "por teléfono"},
        "video": {"en": "by video", "es": "por video"},
        "portal": {"en": "in the family portal", "es": "en el portal familiar"},
    },
    "relationship": {
        "mother": {"en": "Mother", "es": "Madre"},
        "father": {"en": "Father", "es": "Padre"},
        "stepparent": {"en": "Stepparent", "es": "Padrastro o madrastra"},
        "grandparent": {"en": "Grandparent", "es": "Abuelo(a)"},
        "aunt_uncle": {"en": "Aunt or uncle", "es": "Tío(a)"},
        "sibling": {"en": "Adult sibling", "es": "Hermano(a) adulto(a)"},
        "foster": {"en": "Foster parent", "es": "Padre o madre de crianza"},
        "legal_guardian": {"en": "Legal guardian", "es": "Tutor(a) legal"},
        "other": {"en": "Other caregiver", "es": "Otro(a) cuidador(a)"},
    },
}


def long_date(day: datetime.date | None, language: str) -> str:
    """A date written out the way a family reads it: "March 12, 2026", "12 de marzo de 2026"."""
    if day is None:
        return ""
    month = MONTHS[language][day.month - 1]
    if language == "es":
        return f"{day.day} de {month} de {day.year}"
    return f"{month} {day.day}, {day.year}"


def text(language: str) -> dict[str, str]:
    """Every heading and label in one language, for the template."""
    return {key: words[language] for key, words in TEXT.items()}


def choice(group: str, code: str, language: str) -> str:
    """A status, owner or other choice word; a code no longer in the list prints as stored, so
    an old version always prints."""
    words = CHOICES[group].get(code)
    return words[language] if words else code
