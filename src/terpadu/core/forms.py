"""The platform pages have no forms of their own; modules use templates/partials/form.html.

Shared widgets live here.
"""

from __future__ import annotations

from django import forms
from django.forms.utils import flatatt
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe


class LongSelect(forms.Select):
    """forms.Select for long lists (every unit, every position): the same markup, but the options are
    written in Python instead of rendering two templates per option (~0.15 ms each, i.e. ~100 ms for
    the ~640 units of a city). Choices with option groups fall back to forms.Select."""

    def render(self, name, value, attrs=None, renderer=None):
        selected = set(self.format_value(value))
        final_attrs = self.build_attrs(self.attrs, attrs)
        parts = [f'<select name="{conditional_escape(name)}"{flatatt(final_attrs)}>']
        found = False
        for option_value, label in self._options():
            if isinstance(label, list | tuple):
                return super().render(name, value, attrs, renderer)
            option_value = "" if option_value is None else str(option_value)
            chosen = not found and option_value in selected
            found = found or chosen
            parts.append(
                f'<option value="{conditional_escape(option_value)}"{" selected" if chosen else ""}>'
                f"{conditional_escape(label)}</option>"
            )
        parts.append("</select>")
        return mark_safe("".join(parts))  # noqa: S308 (every value above is escaped)

    def _options(self):
        choices = self.choices  # not list(): len(ModelChoiceIterator) is a COUNT query
        queryset = getattr(choices, "queryset", None)
        if queryset is None:
            return choices
        # A ModelChoiceIterator walks queryset.iterator(): a server-side cursor, three round trips on PostgreSQL.
        head = [("", choices.field.empty_label)] if choices.field.empty_label is not None else []
        return head + [choices.choice(obj) for obj in queryset]


class PickerWidget(forms.Widget):
    """A search box that fills a hidden input with the chosen object's pk (see core.pickers).

    Posts exactly what a select posts, so forms, validation and tests stay the same."""

    template_name = "core/widgets/picker.html"

    def __init__(self, key: str, attrs=None):
        super().__init__(attrs)
        self.key = key

    def get_context(self, name, value, attrs):
        from django.urls import reverse

        from terpadu.core.pickers import label_of

        context = super().get_context(name, value, attrs)
        context["picker"] = {"url": reverse("core:pick", args=[self.key]), "label": label_of(self.key, value)}
        return context
