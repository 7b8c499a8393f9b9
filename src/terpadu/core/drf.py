"""DRF settings classes (kept free of rest_framework.views imports to avoid import cycles).

API building blocks shared by every module: the gate as a DRF permission, a viewset base that
restricts its queryset through the gate, pagination, and one error body for every 4xx/5xx:

    {"error": {"status": 403, "code": "permission_denied", "message": "...", "details": {...}}}
"""

from __future__ import annotations

import logging

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, JsonResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import exceptions, pagination, permissions
from rest_framework.response import Response

from terpadu.core import authz

logger = logging.getLogger("terpadu.api")


def error_body(status: int, code: str, message: str, details=None, request_id: str = "") -> dict:
    body = {"status": status, "code": code, "message": message}
    if details:
        body["details"] = details
    if request_id:
        body["request_id"] = request_id
    return {"error": body}


def exception_handler(exc, context):
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(
            exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        )
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    from rest_framework.views import exception_handler as drf_exception_handler

    response = drf_exception_handler(exc, context)
    request = context.get("request")
    request_id = getattr(request, "request_id", "") if request else ""
    if response is None:
        logger.exception("unhandled API error", exc_info=exc)
        body = error_body(500, "server_error", _("Internal server error."), request_id=request_id)
        return Response(body, status=500)
    if isinstance(exc, exceptions.ValidationError):
        message, details = _("Invalid input."), response.data
    else:
        detail = response.data.get("detail", "") if isinstance(response.data, dict) else response.data
        message, details = str(detail) or exc.default_detail, None
    code = getattr(exc, "default_code", "error")
    if isinstance(exc, exceptions.ValidationError):
        code = "invalid"
    response.data = error_body(response.status_code, code, str(message), details, request_id)
    return response


def json_error(request, status: int, code: str, message: str) -> JsonResponse:
    return JsonResponse(error_body(status, code, message, request_id=getattr(request, "request_id", "")), status=status)


class Pagination(pagination.PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500


def token_allows(request, action: str) -> bool:
    """An API token may only use the actions it was created with (on top of its user's rights)."""
    token = getattr(request, "auth", None)
    scopes = getattr(token, "scopes", None)
    return scopes is None or action in scopes


SIGNED_IN = "@signed-in"  # a gate action meaning: any signed-in user (the data itself is per-user)


class GatePermission(permissions.BasePermission):
    """Asks the one gate. Views declare `gate_actions` (DRF action -> Terpadu action) or `gate_action`.

    A view without either is refused (deny by default); `public = True` opens it to everyone.
    """

    message = gettext_lazy("You do not have permission to perform this action.")

    def action_for(self, request, view) -> str | None:
        mapping = getattr(view, "gate_actions", None) or {}
        drf_action = getattr(view, "action", None) or request.method.lower()
        return mapping.get(drf_action) or getattr(view, "gate_action", None)

    def has_permission(self, request, view) -> bool:
        if getattr(view, "public", False):
            return True
        if request.method not in getattr(view, "allowed_methods", [request.method]):
            return True  # let DRF answer 405 Method Not Allowed instead of a misleading 403
        if not request.user or not request.user.is_authenticated:
            return False
        action = self.action_for(request, view)
        if action is None:
            return False
        if action == SIGNED_IN:
            return True
        return token_allows(request, action) and authz.has_action(request.user, action)

    def has_object_permission(self, request, view, obj) -> bool:
        if getattr(view, "public", False):
            return True
        action = self.action_for(request, view)
        return action == SIGNED_IN or (action is not None and authz.can(request.user, action, obj))
