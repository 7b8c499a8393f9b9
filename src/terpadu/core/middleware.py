from __future__ import annotations

import logging

from terpadu.core import audit
from terpadu.core.context import Actor, new_request_id, reset_actor, set_actor

logger = logging.getLogger("terpadu.request")


def client_ip(request) -> str | None:
    # Behind nginx (deploy/nginx) the real address is the last hop nginx appended.
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR")
    if forwarded:
        return forwarded.split(",")[-1].strip() or None
    return request.META.get("REMOTE_ADDR")


class RequestIdMiddleware:
    """Gives every request an id (or keeps the proxy's X-Request-ID) for logs and audit events, and a scope in
    which the audit head is read once."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.headers.get("X-Request-ID", "")
        request.request_id = incoming[:64] if incoming.isascii() and incoming else new_request_id()
        token = set_actor(Actor(request_id=request.request_id, ip=client_ip(request), via="web"))
        try:
            with audit.head_scope():  # the audit head is read once per request (caches keyed on it)
                response = self.get_response(request)
        finally:
            reset_actor(token)
        response["X-Request-ID"] = request.request_id
        return response


class AuditContextMiddleware:
    """After authentication: record who acts (and as which position) for the audit trail."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            via = "api" if request.path.startswith("/api/") else "web"
            token = set_actor(
                Actor(
                    user_id=user.pk,
                    username=user.get_username(),
                    user=user,
                    request_id=request.request_id,
                    ip=client_ip(request),
                    via=via,
                )
            )
            try:
                return self.get_response(request)
            finally:
                reset_actor(token)
        return self.get_response(request)


class LocaleMiddleware:
    """Bahasa Indonesia unless the visitor chose otherwise (the language cookie; a signed-in user's own
    choice is applied later by accounts' UserLanguageMiddleware). The browser's Accept-Language is not
    followed on purpose: an official government service speaks the official language by default."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.conf import settings
        from django.utils import translation
        from django.utils.cache import patch_vary_headers

        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        patch_vary_headers(response, ("Cookie",))
        response.headers.setdefault("Content-Language", translation.get_language())
        return response
