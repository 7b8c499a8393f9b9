"""Who is acting, for which request: carried in contextvars so services need no request argument.

The web middleware fills it per request; jobs and commands use `acting()` to say who they act for.
"""

from __future__ import annotations

import contextlib
import contextvars
import uuid
from dataclasses import dataclass


@dataclass(frozen=True)
class Actor:
    user_id: int | None = None
    username: str = ""
    acting_as: str = ""  # e.g. "Plt. Kepala Dinas Kesehatan"
    request_id: str = ""
    ip: str | None = None
    via: str = "system"  # web, api, job, command, system
    user: object = None  # the signed-in user; acting_as is derived from it only when an event is written

    def position_label(self) -> str:
        if self.acting_as or self.user is None:
            return self.acting_as
        from terpadu.accounts.services import acting_as_label

        return acting_as_label(self.user)


NOBODY = Actor()  # frozen, so sharing it as the default is safe
_current: contextvars.ContextVar[Actor] = contextvars.ContextVar("terpadu_actor", default=NOBODY)  # noqa: B039


def current_actor() -> Actor:
    return _current.get()


def current_request_id() -> str:
    return _current.get().request_id


def new_request_id() -> str:
    return uuid.uuid4().hex[:16]


def set_actor(actor: Actor) -> contextvars.Token:
    return _current.set(actor)


def reset_actor(token: contextvars.Token) -> None:
    _current.reset(token)


@contextlib.contextmanager
def acting(user=None, *, via: str = "command", acting_as: str = ""):
    """Run a block of service calls on behalf of `user` (None = the system itself)."""
    actor = Actor(
        user_id=getattr(user, "pk", None),
        username=getattr(user, "username", "") or "system",
        acting_as=acting_as,
        request_id=current_request_id() or new_request_id(),
        via=via,
        user=user,
    )
    token = set_actor(actor)
    try:
        yield actor
    finally:
        reset_actor(token)
