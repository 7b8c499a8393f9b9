from __future__ import annotations

from django.conf import settings
from django.urls import NoReverseMatch, reverse

from terpadu.core import authz, registry


def platform(request):
    user = getattr(request, "user", None)
    context = {"site_name": settings.SITE_NAME, "is_demo": settings.PROFILE == "demo"}
    if user is not None and user.is_authenticated:
        context["menu"] = _menu_for(request, user)
    return context


def _menu_for(request, user) -> list[dict]:
    groups: dict[str, list] = {}
    for item in registry.MENU:
        if item.action and not authz.has_action(user, item.action):
            continue
        try:
            url = reverse(item.url_name)
        except NoReverseMatch:
            continue
        groups.setdefault(str(item.group), []).append(
            {"label": item.label, "url": url, "icon": item.icon, "active": request.path.startswith(url)}
        )
    return [{"group": name, "items": items} for name, items in groups.items()]
