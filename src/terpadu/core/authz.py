"""The one authorization gate: role × action × unit scope, plus object rules a module may add.

Views, API, exports, search and reports all ask this module; nothing filters by hand.

- An *action* is "module.verb" (e.g. "organisasi.change"), declared by the module in `registry`.
- A user's *grants* map each action to a Scope: the whole pemda, or a set of unit subtrees
  (materialised paths of UnitKerja). They come from role assignments and from the positions the
  user's pegawai holds (including active Plt./Plh.), computed once per request.
- A model says how to reach its unit with `register_model(model, unit_path="unit__path")`.
  Models without a unit are visible only through whole-pemda grants.
- A module may add object rules: `register_rule(model, action, q=..., check=...)` narrows further
  (e.g. confidential letters visible only to their chain).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Q


@dataclass(frozen=True)
class Scope:
    whole: bool = False
    paths: frozenset[str] = frozenset()

    def union(self, other: Scope) -> Scope:
        if self.whole or other.whole:
            return Scope(whole=True)
        return Scope(paths=self.paths | other.paths)

    def covers_path(self, path: str | None) -> bool:
        if self.whole:
            return True
        return bool(path) and any(path.startswith(p) for p in self.paths)

    def q(self, lookup: str) -> Q:
        if self.whole:
            return Q()
        query = Q(pk__in=[])
        for path in sorted(self.paths):
            query |= Q(**{f"{lookup}__startswith": path})
        return query


NOTHING = Scope()
EVERYTHING = Scope(whole=True)


@dataclass
class ModelRule:
    unit_path: str | None = None  # lookup to UnitKerja.path, e.g. "unit__path"
    self_lookup: str | None = None  # lookup to the user's own pk, e.g. "pk" for User: own record always visible
    # Parties to an object (e.g. the sender chain and addressees of a letter) may *view* it whatever
    # their unit scope: parties_q(user) -> Q for querysets, parties_check(user, obj) -> bool for one object.
    parties_q: Callable | None = None
    parties_check: Callable | None = None
    rules: dict[str, list] = field(default_factory=dict)  # action -> [(q_fn, check_fn)]


_models: dict[type[models.Model], ModelRule] = {}


def register_model(
    model,
    *,
    unit_path: str | None = None,
    self_lookup: str | None = None,
    parties_q: Callable | None = None,
    parties_check: Callable | None = None,
) -> None:
    """How the gate reaches `model`'s unit; optionally who, as a party to an object, may always view it."""
    _models[model] = ModelRule(
        unit_path=unit_path, self_lookup=self_lookup, parties_q=parties_q, parties_check=parties_check
    )


def register_rule(model, action: str, *, q: Callable | None = None, check: Callable | None = None) -> None:
    """Narrow `action` on `model`: q(user) -> Q for querysets, check(user, obj) -> bool for one object."""
    _models.setdefault(model, ModelRule()).rules.setdefault(action, []).append((q, check))


def _rule_for(model) -> ModelRule:
    for klass in model.__mro__:
        if klass in _models:
            return _models[klass]
    return ModelRule()


def grants(user) -> dict[str, Scope]:
    """action -> Scope for this user (cached: see accounts.services.access)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return {}
    from terpadu.accounts.services import compute_grants

    return compute_grants(user)


def forget(user) -> None:
    """Recompute the user's grants at the next check (after a change made in this request)."""
    from terpadu.accounts.services import forget_access

    forget_access(user)


def scope(user, action: str) -> Scope:
    if getattr(user, "is_superuser", False) and user.is_active:
        return EVERYTHING
    return grants(user).get(action, NOTHING)


def has_action(user, action: str) -> bool:
    """May the user do `action` anywhere (for menus and route-level checks)?"""
    s = scope(user, action)
    return s.whole or bool(s.paths)


def restrict(queryset, user, action: str):
    """The part of `queryset` the user may `action`."""
    rule = _rule_for(queryset.model)
    s = scope(user, action)
    if not s.whole:  # an empty Q() would swallow an OR, so the whole-pemda case filters nothing
        allowed = s.q(rule.unit_path) if rule.unit_path and s.paths else Q(pk__in=[])
        if _own_record_counts(rule, action) and getattr(user, "is_authenticated", False):
            allowed |= Q(**{rule.self_lookup: user.pk})
        if _parties_count(rule, action, user):
            allowed |= rule.parties_q(user)
        queryset = queryset.filter(allowed)
    for q_fn, _check in rule.rules.get(action, []):
        if q_fn is not None:
            queryset = queryset.filter(q_fn(user))
    return queryset


def can(user, action: str, obj: models.Model | None = None) -> bool:
    if obj is None:
        return has_action(user, action)
    rule = _rule_for(type(obj))
    if not _scope_allows(user, action, obj, rule):
        return False
    return all(check is None or check(user, obj) for _q, check in rule.rules.get(action, []))


def _scope_allows(user, action, obj, rule: ModelRule) -> bool:
    s = scope(user, action)
    if s.whole:
        return True
    if (
        _own_record_counts(rule, action)
        and getattr(user, "is_authenticated", False)
        and _lookup(obj, rule.self_lookup) == user.pk
    ):
        return True
    if rule.unit_path and s.paths and s.covers_path(_lookup(obj, rule.unit_path)):
        return True
    return _parties_count(rule, action, user) and rule.parties_check is not None and rule.parties_check(user, obj)


def _parties_count(rule: ModelRule, action: str, user) -> bool:
    """A party (made one by the module's services, e.g. an addressee) may view the object, whatever its roles."""
    return (
        rule.parties_q is not None
        and action.partition(".")[2].startswith("view")
        and getattr(user, "is_authenticated", False)
        and getattr(user, "is_active", False)
    )


def _own_record_counts(rule: ModelRule, action: str) -> bool:
    """One's own record (self_lookup) is always *visible*; changing or managing it still needs a grant."""
    return bool(rule.self_lookup) and action.partition(".")[2].startswith("view")


def _lookup(obj, path: str):
    value = obj
    for part in path.split("__"):
        value = getattr(value, part, None)
        if value is None:
            return None
    return value


def require(user, action: str, obj: models.Model | None = None) -> None:
    if not can(user, action, obj):
        raise PermissionDenied(action)
