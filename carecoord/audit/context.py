"""Who is acting, from where: set once per request (or command) and read by the audit writers,
so that a write deep inside a service is attributed without passing the request around."""

import contextvars
from contextlib import contextmanager
from dataclasses import dataclass


@dataclass(frozen=True)
class Actor:
    user_id: int | None = None
    username: str = ""
    ip_address: str | None = None
    path: str = ""


SYSTEM = Actor(username="system")
_current = contextvars.ContextVar("audit_actor", default=SYSTEM)


def current_actor() -> Actor:
    return _current.get()


@contextmanager
def acting_as(actor: Actor):
    token = _current.set(actor)
    try:
        yield actor
    finally:
        _current.reset(token)
