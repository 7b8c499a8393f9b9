"""Pickers: choose one object out of thousands (a pegawai, a position, a unit) by typing.

A module registers a Picker (what model, which search spec, which gate action); forms use
`core.forms.PickerWidget(key)`, which posts the primary key like a select would. The options come
from `core:pick` through the same gate and search as everything else.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from terpadu.core import authz, search


@dataclass(frozen=True)
class Picker:
    key: str
    model: type
    action: str
    search_key: str
    describe: Callable = field(default=str)
    base: Callable | None = None  # () -> queryset, e.g. only active pegawai


PICKERS: dict[str, Picker] = {}


def register_picker(picker: Picker) -> None:
    PICKERS[picker.key] = picker


def _base(picker: Picker):
    return picker.base() if picker.base else picker.model.objects.all()


def options(user, key: str, query: str, limit: int = 20) -> list[tuple[int, str]]:
    """(pk, label) of the objects matching `query` that the user may see."""
    picker = PICKERS[key]
    visible = authz.restrict(_base(picker), user, picker.action)
    matches = search.filter_queryset(visible, search.SPECS[picker.search_key], query)
    return [(obj.pk, picker.describe(obj)) for obj in matches[:limit]]


def label_of(key: str, pk) -> str:
    """The label of the currently chosen object (for re-displaying a form)."""
    if pk in (None, ""):
        return ""
    picker = PICKERS[key]
    obj = picker.model.objects.filter(pk=pk).first() if str(pk).isdigit() else None
    return picker.describe(obj) if obj else ""
