"""The demo logins as people need them to try the product: who to sign in as, for which role
and center. Read from the database, so it lists what the generator actually created."""

from dataclasses import dataclass

from carecoord.accounts.models import Role, User

from .directory import DEMO_EMAIL_DOMAIN

DEMO_URL = "http://127.0.0.1:8000"
ROLE_ORDER = [Role.COORDINATOR, Role.SUPERVISOR, Role.CENTER_ADMIN, Role.HUB_TA, Role.PROVIDER,
              Role.TITLE_V, ""]


@dataclass(frozen=True)
class DemoLogin:
    center: str
    role: str
    username: str
    name: str
    notes: str


def demo_logins() -> list[DemoLogin]:
    """Every demo user: center staff by center (the hub first), then the people outside the
    centers (providers, the Title V analyst, the superuser)."""
    users = (User.objects.filter(email__endswith=f"@{DEMO_EMAIL_DOMAIN}")
             .select_related("center", "practice").prefetch_related("languages"))

    def order(user):
        if user.center is None:
            return (2, "", ROLE_ORDER.index(user.role), user.username)
        return (0 if user.center.is_hub else 1, user.center.short_name,
                ROLE_ORDER.index(user.role), user.username)

    logins = []
    for user in sorted(users, key=order):
        notes = []
        if user.discipline:
            notes.append(user.get_discipline_display())
        if user.caseload_capacity:
            notes.append(f"FTE {user.fte}, caseload capacity {user.caseload_capacity}")
        if user.practice:
            notes.append(user.practice.name)
        spoken = sorted(lang.name for lang in user.languages.all() if lang.code != "en")
        if spoken:
            notes.append("speaks " + ", ".join(spoken))
        logins.append(DemoLogin(
            center=user.center.short_name if user.center else "",
            role=user.get_role_display() if user.role else "Superuser (Django admin)",
            username=user.username, name=user.get_full_name(), notes="; ".join(notes),
        ))
    return logins
