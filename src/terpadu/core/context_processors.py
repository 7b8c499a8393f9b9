from __future__ import annotations

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse
from django.utils import translation

from terpadu.core import authz, registry


def platform(request):
    user = getattr(request, "user", None)
    context = {"site_name": settings.SITE_NAME, "is_demo": settings.PROFILE == "demo"}
    if user is not None and user.is_authenticated:
        context["menu_html"] = _menu_html(request, user)
    return context


# Menu URLs reversed once per process (per URLconf and script prefix): reversing some forty names cost every
# signed-in page about a millisecond.
_menu_urls: dict[tuple, str | None] = {}


def _menu_url(url_name: str) -> str | None:
    key = (get_urlconf(), get_script_prefix(), url_name)
    if key not in _menu_urls:
        try:
            _menu_urls[key] = reverse(url_name)
        except NoReverseMatch:  # a module whose URLs are not mounted (e.g. a test URLconf)
            _menu_urls[key] = None
    return _menu_urls[key]


def _menu_for(request, user) -> list[dict]:
    """The menu items the user may see, grouped in the order their groups first appear."""
    groups: dict[str, list] = {}
    for item in registry.MENU:
        if item.action and not authz.has_action(user, item.action):
            continue
        url = _menu_url(item.url_name)
        if url is None:
            continue
        groups.setdefault(str(item.group), []).append(
            {"label": item.label, "url": url, "icon": item.icon, "active": request.path.startswith(url)}
        )
    return [item for items in groups.values() for item in items]


# The menu's HTML, per process, for each (language, items shown, item marked current): rendering some forty
# items with their icons cost every signed-in page about 1.5 ms, and a city has few distinct menus.
_menu_cache: dict[tuple, str] = {}
MENU_CACHE_SIZE = 2000


def _menu_html(request, user) -> str:
    items = _menu_for(request, user)
    key = (translation.get_language(), tuple((item["url"], item["active"]) for item in items))
    html = _menu_cache.get(key)
    if html is None:
        html = render_to_string("partials/menu_items.html", {"menu_items": items})
        if len(_menu_cache) >= MENU_CACHE_SIZE:
            _menu_cache.clear()
        _menu_cache[key] = html
    return html
