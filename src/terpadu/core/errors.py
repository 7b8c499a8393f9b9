"""Error pages: HTML for people, the API error body for anything under /api/."""

from __future__ import annotations

from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.defaults import bad_request as default_bad_request
from django.views.defaults import server_error as default_server_error

from terpadu.core.drf import json_error


def _is_api(request) -> bool:
    return request.path.startswith("/api/")


def bad_request(request, exception=None):
    if _is_api(request):
        return json_error(request, 400, "bad_request", _("Bad request."))
    return default_bad_request(request, exception)


def permission_denied(request, exception=None):
    if _is_api(request):
        message = _("You do not have permission to perform this action.")
        return json_error(request, 403, "permission_denied", message)
    return render(request, "errors/403.html", status=403)


def page_not_found(request, exception=None):
    if _is_api(request):
        return json_error(request, 404, "not_found", _("Not found."))
    return render(request, "errors/404.html", status=404)


def server_error(request):
    if _is_api(request):
        return json_error(request, 500, "server_error", _("Internal server error."))
    return default_server_error(request)
