"""Domain events: a module publishes ("naskah.ditandatangani"), others subscribe.

Delivery happens after the publishing transaction commits, so a subscriber never sees an event
for a change that was rolled back. Subscribers run in-process by default; `durable=True`
subscribers run as background jobs (retried, surviving restarts). Subscribers must be idempotent.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction

from terpadu.core import jobs

logger = logging.getLogger("terpadu.events")


@dataclass(frozen=True)
class Subscriber:
    name: str
    func: Callable[[str, dict], None]
    durable: bool


_subscribers: dict[str, list[Subscriber]] = defaultdict(list)


def subscribe(event: str, *, durable: bool = False):
    """Decorator: call func(event_name, payload) after every committed `event`."""

    def decorate(func):
        name = f"{func.__module__}.{func.__qualname__}"
        if all(s.name != name for s in _subscribers[event]):
            _subscribers[event].append(Subscriber(name, func, durable))
        return func

    return decorate


def subscribers(event: str) -> list[Subscriber]:
    return list(_subscribers.get(event, []))


def publish(event: str, payload: dict) -> None:
    """Announce that something happened. Payload: JSON-safe values (ids, codes), not objects."""
    for subscriber in subscribers(event):
        if subscriber.durable:
            jobs.defer("core.deliver_event", event=event, payload=payload, subscriber=subscriber.name)
        else:
            transaction.on_commit(_deliver_now(subscriber, event, payload))


def _deliver_now(subscriber: Subscriber, event: str, payload: dict):
    def deliver():
        try:
            subscriber.func(event, payload)
        except Exception:
            # An in-process subscriber must not break the request that published the event.
            logger.exception("subscriber %s failed on %s", subscriber.name, event)

    return deliver


@jobs.task("core.deliver_event", max_attempts=8)
def deliver_event(event: str, payload: dict, subscriber: str) -> None:
    for candidate in subscribers(event):
        if candidate.name == subscriber:
            candidate.func(event, payload)
            return
    logger.warning("no subscriber %s for %s any more; event dropped", subscriber, event)
