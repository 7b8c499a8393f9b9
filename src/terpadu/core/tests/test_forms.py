"""LongSelect: the markup of forms.Select, written without a template per option."""

from __future__ import annotations

import re

import pytest
from django import forms

from terpadu.core.forms import LongSelect


def _attrs_sorted(html: str) -> str:
    """Whitespace-free markup with each tag's attributes in a fixed order (LongSelect writes
    boolean attributes such as `required` after the others)."""
    html = re.sub(r">\s+<", "><", re.sub(r"\s+", " ", html)).strip()

    def tag(match):
        name, attrs = match.group(1), re.findall(r'\s([\w-]+(?:="[^"]*")?)', match.group(2))
        return "<" + " ".join([name, *sorted(attrs)]) + ">"

    return re.sub(r"<(\w+)((?:\s[\w-]+(?:=\"[^\"]*\")?)*)>", tag, html)


CHOICES = [("", "---------"), (1, "Dinas <Alfa> & Co"), (2, 'Bidang "Dua"'), (10, "Sepuluh")]


@pytest.mark.parametrize("value", [None, "", "1", 2, "10", "99", "x"])
@pytest.mark.parametrize("required", [False, True])
def test_long_select_writes_what_select_writes(value, required):
    class Plain(forms.Form):
        unit = forms.ChoiceField(choices=CHOICES, required=required)

    class Long(forms.Form):
        unit = forms.ChoiceField(choices=CHOICES, required=required, widget=LongSelect)

    data = None if value is None else {"unit": value}
    plain, long = Plain(data), Long(data)
    plain.is_valid(), long.is_valid()
    assert _attrs_sorted(str(long["unit"])) == _attrs_sorted(str(plain["unit"]))


def test_long_select_escapes_labels_and_marks_one_option():
    html = LongSelect(choices=CHOICES).render("unit", "1", {"id": "id_unit"})
    assert '<option value="1" selected>Dinas &lt;Alfa&gt; &amp; Co</option>' in html
    assert "Bidang &quot;Dua&quot;" in html
    assert html.count("selected") == 1


def test_long_select_with_option_groups_falls_back_to_select():
    grouped = [("Dinas", [(1, "Satu"), (2, "Dua")]), ("Badan", [(3, "Tiga")])]
    assert LongSelect(choices=grouped).render("unit", 3) == forms.Select(choices=grouped).render("unit", 3)
