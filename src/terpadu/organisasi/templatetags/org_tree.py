"""The unit tree of the organisation page, written in Python.

The tree has one node per current unit (~640 in a city at benchmark scale, more with kelurahan and
seksi); a recursive template `{% include %}` per node, with a `reverse()` per link, took about 0.3 ms
per node, i.e. most of the page. This writes the same markup in a fraction of that.
"""

from __future__ import annotations

from django import template
from django.urls import reverse
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

register = template.Library()

_PK = "2147483647"  # reversed once; each unit's link is the prefix, its pk and the suffix


@register.simple_tag
def unit_tree(roots: list[dict]) -> str:
    """<li> items for `organisasi.services.current_tree()` nodes (put them inside a <ul>)."""
    prefix, suffix = reverse("organisasi:unit_detail", args=[_PK]).split(_PK)
    prefix, suffix = conditional_escape(prefix), conditional_escape(suffix)
    vacant = f'<span class="text-secondary">{conditional_escape(_("vacant"))}</span>'
    parts: list[str] = []

    def node_html(node: dict) -> None:
        unit, head, children = node["unit"], node["head"], node["children"]
        parts.append("<li>")
        if children:
            parts.append("<details open><summary>" if unit.depth < 1 else "<details><summary>")
        nama, kode = conditional_escape(unit.nama), conditional_escape(unit.kode)
        parts.append(f'<a href="{prefix}{unit.pk}{suffix}">{nama}</a> ')
        parts.append(f'<span class="text-secondary small">{kode}</span>')
        if head:
            if head["pegawai"] is None:
                who = vacant
            else:
                acting = "Plt." if head["acting"] == "plt" else "Plh."
                badge = f'<span class="badge bg-yellow-lt">{acting}</span> ' if head["acting"] else ""
                who = f"{badge}{conditional_escape(head['pegawai'])}"
            parts.append(f' <span class="small d-block d-sm-inline ms-sm-2">— {who}</span>')
        if children:
            parts.append("</summary><ul>")
            for child in children:
                node_html(child)
            parts.append("</ul></details>")
        parts.append("</li>\n")

    for root in roots:
        node_html(root)
    return mark_safe("".join(parts))  # noqa: S308 (every value above is escaped)
