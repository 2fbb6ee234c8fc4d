"""SMART system scopes, as plain data: which resource types a scope lets a client read and
search. Pure Python: the token endpoint grants with it, the API checks with it.

Both SMART v1 (`system/CarePlan.read`, `system/*.read`) and v2 (`system/CarePlan.rs`,
`.r`, `.s`) spellings are understood. The API is read-only, so only reading and searching are
ever granted: a v1 `.*` or a v2 `.cruds` scope is granted as its read part, a scope that asks
only to write, a user or patient scope, or a v2 granular scope (`?category=…`) is not granted."""

import re

# The resource types the API serves, in the order the CapabilityStatement lists them.
RESOURCE_TYPES = ("Patient", "RelatedPerson", "Practitioner", "Organization", "CarePlan",
                  "Goal", "Condition")
READ, SEARCH = "read", "search"

_SCOPE = re.compile(r"system/(?P<type>\*|[A-Z][A-Za-z]{1,63})\.(?P<access>read|write|\*|"
                    r"c?r?u?d?s?)")

Grant = frozenset  # of (resource type, READ or SEARCH)


def parse(scope: str) -> Grant:
    """What one scope string grants on this server (empty when nothing)."""
    match = _SCOPE.fullmatch(scope)
    if match is None or not match["access"]:
        return Grant()
    types = RESOURCE_TYPES if match["type"] == "*" else (match["type"],)
    if not set(types) <= set(RESOURCE_TYPES):
        return Grant()
    access = match["access"]
    if access in ("read", "*"):
        interactions = {READ, SEARCH}
    elif access == "write":
        interactions = set()
    else:
        interactions = {i for letter, i in (("r", READ), ("s", SEARCH)) if letter in access}
    return Grant((t, i) for t in types for i in interactions)


def parse_all(scopes: str) -> Grant:
    return Grant(pair for scope in scopes.split() for pair in parse(scope))


def unknown(scopes: str) -> list[str]:
    """The scopes of a space-separated list that grant nothing here."""
    return [scope for scope in scopes.split() if not parse(scope)]


def _spell(resource_type: str, interactions: set, v1: bool) -> str:
    if interactions == {READ, SEARCH}:
        return f"system/{resource_type}.{'read' if v1 else 'rs'}"
    return f"system/{resource_type}.{'r' if READ in interactions else 's'}"


def _reads_only(scope: str) -> bool:
    """The scope asks for nothing beyond reading and searching (so it can be granted as is)."""
    access = scope.rpartition(".")[2]
    return access == "read" or set(access) <= {"r", "s"}


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
        if given == asked and _reads_only(scope):
            spelled = [scope]
        else:
            v1 = scope.endswith((".read", ".*"))
            by_type: dict[str, set] = {}
            for resource_type, interaction in given:
                by_type.setdefault(resource_type, set()).add(interaction)
            if len(by_type) == len(RESOURCE_TYPES) and len(set(map(frozenset,
                                                                  by_type.values()))) == 1:
                spelled = [_spell("*", next(iter(by_type.values())), v1)]
            else:
                spelled = [_spell(t, by_type[t], v1) for t in RESOURCE_TYPES if t in by_type]
        granted += [s for s in spelled if s not in granted]
    return " ".join(granted)


def allows(grant_: Grant, resource_type: str, interaction: str) -> bool:
    return (resource_type, interaction) in grant_


def needed_scope(resource_type: str, interaction: str) -> str:
    """How to name the missing scope in an error."""
    letter = "r" if interaction == READ else "s"
    return f"system/{resource_type}.read (or system/{resource_type}.{letter})"
