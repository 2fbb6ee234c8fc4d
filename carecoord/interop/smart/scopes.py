"""SMART system scopes, as plain data: which resource types a scope lets a client read,
search or create. Pure Python: the token endpoint grants with it, the API checks with it.

Both SMART v1 (`system/CarePlan.read`, `system/*.read`, `system/ServiceRequest.write`) and v2
(`system/CarePlan.rs`, `.r`, `.s`, `system/ServiceRequest.c`) spellings are understood. Reading
and searching are granted on every type served; creating only on the types a client may send
(a referral: ServiceRequest, in a transaction Bundle). Nothing is ever updated or deleted, so a
v1 `.*` or a v2 `.cruds` scope is granted as its read and create parts; a user or patient scope,
or a v2 granular scope (`?category=…`), is not granted."""

import re

# The resource types the API serves, in the order the CapabilityStatement lists them.
RESOURCE_TYPES = ("Patient", "RelatedPerson", "Practitioner", "PractitionerRole",
                  "Organization", "CarePlan", "Goal", "Condition", "Encounter", "Task",
                  "Consent", "Observation", "QuestionnaireResponse", "ServiceRequest")
READ, SEARCH, CREATE = "read", "search", "create"
# The types a client may create (e-referrals in).
WRITABLE_TYPES = ("ServiceRequest",)

_SCOPE = re.compile(r"system/(?P<type>\*|[A-Z][A-Za-z]{1,63})\.(?P<access>read|write|\*|"
                    r"c?r?u?d?s?)")

Grant = frozenset  # of (resource type, READ, SEARCH or CREATE)


def parse(scope: str) -> Grant:
    """What one scope string grants on this server (empty when nothing)."""
    match = _SCOPE.fullmatch(scope)
    if match is None or not match["access"]:
        return Grant()
    known = RESOURCE_TYPES + tuple(t for t in WRITABLE_TYPES if t not in RESOURCE_TYPES)
    types = known if match["type"] == "*" else (match["type"],)
    if not set(types) <= set(known):
        return Grant()
    access = match["access"]
    if access == "*":
        interactions = {READ, SEARCH, CREATE}
    elif access == "read":
        interactions = {READ, SEARCH}
    elif access == "write":
        interactions = {CREATE}
    else:
        interactions = {i for letter, i in (("c", CREATE), ("r", READ), ("s", SEARCH))
                        if letter in access}
    return Grant((t, i) for t in types for i in interactions
                 if t in (WRITABLE_TYPES if i == CREATE else RESOURCE_TYPES))


def parse_all(scopes: str) -> Grant:
    return Grant(pair for scope in scopes.split() for pair in parse(scope))


def unknown(scopes: str) -> list[str]:
    """The scopes of a space-separated list that grant nothing here."""
    return [scope for scope in scopes.split() if not parse(scope)]


def _spell(resource_type: str, interactions: set, v1: bool) -> list[str]:
    spelled = []
    if v1 and {READ, SEARCH} <= interactions:
        spelled.append(f"system/{resource_type}.read")
        interactions = interactions - {READ, SEARCH}
    if v1 and CREATE in interactions:
        spelled.append(f"system/{resource_type}.write")
        interactions = interactions - {CREATE}
    letters = "".join(letter for letter, i in (("c", CREATE), ("r", READ), ("s", SEARCH))
                      if i in interactions)
    return spelled + ([f"system/{resource_type}.{letters}"] if letters else [])


def _served_as_written(scope: str) -> bool:
    """The scope asks for nothing this server never does (updating, deleting), so it can be
    granted as written."""
    access = scope.rpartition(".")[2]
    return access in ("read", "write") or set(access) <= {"c", "r", "s"}


def grant(requested: str, allowed: str) -> str:
    """The scopes to grant a client that asked for `requested` and is registered for
    `allowed`: each requested scope narrowed to what the registration allows, written as the
    client wrote it where it is granted whole. Empty when nothing can be granted."""
    permitted = parse_all(allowed)
    granted: list[str] = []
    for scope in dict.fromkeys(requested.split()):
        asked = parse(scope)
        given = asked & permitted
        if not given:
            continue
        if given == asked and _served_as_written(scope):
            spelled = [scope]
        else:
            v1 = scope.endswith((".read", ".*"))
            by_type: dict[str, set] = {}
            for resource_type, interaction in given:
                by_type.setdefault(resource_type, set()).add(interaction)
            if len(by_type) == len(RESOURCE_TYPES) and len(set(map(frozenset,
                                                                  by_type.values()))) == 1:
                spelled = _spell("*", next(iter(by_type.values())), v1)
            else:
                order = RESOURCE_TYPES + WRITABLE_TYPES
                spelled = [s for t in dict.fromkeys(order) if t in by_type
                           for s in _spell(t, by_type[t], v1)]
        granted += [s for s in spelled if s not in granted]
    return " ".join(granted)


def allows(grant_: Grant, resource_type: str, interaction: str) -> bool:
    return (resource_type, interaction) in grant_


def needed_scope(resource_type: str, interaction: str) -> str:
    """How to name the missing scope in an error."""
    if interaction == CREATE:
        return f"system/{resource_type}.write (or system/{resource_type}.c)"
    letter = "r" if interaction == READ else "s"
    return f"system/{resource_type}.read (or system/{resource_type}.{letter})"
