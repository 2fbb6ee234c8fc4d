"""Forms for administering an instrument. The questions come from the instrument's data, so
they are read from the request and laid out for the template here rather than as Django form
fields; checking them is the engine's job (``assessments.checked_answers``)."""

from dataclasses import dataclass, field

from django import forms
from django.utils import timezone

from carecoord.families.forms import DATE

from .assessments import NEED_DOMAINS_FOR
from .instruments.definitions import Instrument, Item, ItemType
from .models import Assessment, NeedDomain, Priority

DECLINED = "_not_answered"
YOUTH = "youth"


class AdministrationForm(forms.Form):
    """Who answered, when and why: the parts of an administration that are not answers."""

    context = forms.ChoiceField(choices=Assessment.Context.choices, label="When")
    administered_on = forms.DateField(widget=DATE, label="Given on")
    respondent = forms.ChoiceField(label="Answered by")

    def __init__(self, *args, child, **kwargs):
        super().__init__(*args, **kwargs)
        self.guardians = {str(g.pk): g for g in child.household.guardians.all()}
        self.fields["respondent"].choices = [
            *[(pk, f"{g} ({g.get_relationship_display().lower()})")
              for pk, g in self.guardians.items()],
            (YOUTH, f"{child.full_name} (the youth)"),
        ]
        primary = next((pk for pk, g in self.guardians.items() if g.is_primary_contact), None)
        self.fields["respondent"].initial = primary
        self.fields["administered_on"].initial = timezone.localdate()

    def service_arguments(self) -> dict:
        who = self.cleaned_data["respondent"]
        return {"context": self.cleaned_data["context"],
                "administered_on": self.cleaned_data["administered_on"],
                "respondent": self.guardians.get(who), "youth": who == YOUTH}


def answers_from(instrument: Instrument, data) -> tuple[dict, dict[str, list[str]]]:
    """Answers as the service takes them (item id → code, list of codes, or None for "not
    answered"); a question with nothing chosen is left out. Also the problems found on the way
    (both an answer and "not answered" chosen)."""
    answers, problems = {}, {}
    for item in instrument.items:
        values = [value for value in data.getlist(item.id) if value]
        if not values:
            continue
        if DECLINED in values:
            if len(values) > 1:
                problems[item.id] = [f"Question {item.number}: choose answers or “Not "
                                     f"answered”, not both."]
            answers[item.id] = None
        elif item.type is ItemType.MULTIPLE_CHOICE or len(values) > 1:
            answers[item.id] = values  # the engine refuses a list for a single-choice item
        else:
            answers[item.id] = values[0]
    return answers, problems


# ---------------------------------------------------------------- laying the questions out


@dataclass
class OptionView:
    code: str
    text: str
    checked: bool


@dataclass
class ItemView:
    item: Item
    text: str
    options: list[OptionView]
    declined: bool
    errors: list[str]
    lang: str
    condition: str = ""  # "Asked only if …"
    shown: bool = True

    @property
    def multiple(self) -> bool:
        return self.item.type is ItemType.MULTIPLE_CHOICE


@dataclass
class GroupView:
    id: str
    title: str
    lang: str  # the language of the title: English where the data has no Spanish
    items: list[ItemView] = field(default_factory=list)


def _chosen(data, item_id: str) -> list[str]:
    return [value for value in data.getlist(item_id) if value] if data is not None else []


def question_views(instrument: Instrument, language: str, data=None,
                   errors: dict[str, list[str]] | None = None) -> list[GroupView]:
    """The instrument's questions by domain or subscale, in ``language`` where the data has it,
    with what ``data`` has chosen. A follow-up (``ask_if``) is hidden once the answer it depends
    on is known to be something else, so the family is not asked it; until then it shows, with
    a note saying when to ask it (the engine refuses it if it is answered but not asked)."""
    spanish = language == Assessment.Language.SPANISH
    errors = errors or {}
    shown: dict[str, bool] = {}
    views = {group.id: GroupView(group.id, (spanish and group.title_es) or group.title,
                                 "es" if spanish and group.title_es else "en")
             for group in instrument.groups}
    for item in instrument.items:
        chosen = _chosen(data, item.id)
        view = ItemView(
            item=item, text=(spanish and item.text_es) or item.text,
            options=[OptionView(option.code, (spanish and option.text_es) or option.text,
                                option.code in chosen) for option in item.answers],
            declined=DECLINED in chosen, errors=errors.get(item.id, []),
            lang="es" if spanish and item.text_es else "en",
        )
        if item.ask_if is not None:
            stem = instrument.item(item.ask_if.item_id)
            wanted = stem.option(item.ask_if.value)
            view.condition = (f"Asked only if the answer to question {stem.number} is "
                              f"“{wanted.text}”.")
            stem_chosen = _chosen(data, stem.id)
            view.shown = shown[stem.id] and (not stem_chosen or stem_chosen == [wanted.code])
        shown[item.id] = view.shown
        views[item.group_id].items.append(view)
    return list(views.values())


# ---------------------------------------------------------------- what a result suggests


class ScreeningNeedForm(forms.Form):
    """A need for the plan from a positive social-needs domain."""

    need_domain = forms.ChoiceField(label="Need domain")
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}))
    family_priority = forms.ChoiceField(choices=Priority.choices, initial=Priority.HIGH,
                                        label="The family's priority")
    expectation = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 2}),
        label="Expectation discussed with the family",
        help_text="Required when the need is outside the center's control (housing).")

    def __init__(self, *args, domain_id: str, description: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        codes = NEED_DOMAINS_FOR.get(domain_id, ())
        domains = {d.code: d for d in NeedDomain.objects.filter(code__in=codes)}
        self.fields["need_domain"].choices = [
            (code, domains[code].label + (" (outside the center's control)"
                                          if domains[code].usual_reach == "outside_control"
                                          else ""))
            for code in codes if code in domains]
        self.fields["description"].initial = description
