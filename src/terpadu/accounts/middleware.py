from __future__ import annotations

import datetime as dt

from django.http import HttpResponseForbidden, JsonResponse
from django.shortcuts import redirect
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from terpadu.accounts.models import UserSession

# Paths a signed-in user who still owes the second factor may reach.
OPEN_PREFIXES = ("/akun/2fa/", "/akun/keluar/", "/static/", "/bahasa/", "/health", "/favicon.ico")


class UserLanguageMiddleware:
    """A signed-in user's own language choice wins over the browser's."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.language:
            translation.activate(user.language)
            request.LANGUAGE_CODE = user.language
        return self.get_response(request)


class SessionActivityMiddleware:
    """Keeps a signed-in session alive and UserSession.last_seen fresh, at most once a minute.

    The session remembers when this last wrote (SEEN_KEY, epoch seconds). Writing that key marks the session
    modified, so SessionMiddleware saves it and pushes its expiry forward by SESSION_COOKIE_AGE: the idle
    timeout, with a minute's granularity. The requests in between send no write at all (SESSION_SAVE_EVERY_REQUEST
    is off)."""

    SEEN_KEY = "_terpadu_seen"
    EVERY = 60  # seconds

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        session = getattr(request, "session", None)
        key = getattr(session, "session_key", None)
        if user is not None and user.is_authenticated and key:
            now = timezone.now()
            seen = session.get(self.SEEN_KEY)
            if not isinstance(seen, int | float) or not 0 <= now.timestamp() - seen < self.EVERY:
                stale = now - dt.timedelta(seconds=self.EVERY)
                UserSession.objects.filter(session_key=key, last_seen__lt=stale).update(last_seen=now)
                session[self.SEEN_KEY] = now.timestamp()
        return response


class RequireTwoFactorMiddleware:
    """Users whose roles sign or administer must set up and pass TOTP before anything else."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or request.path.startswith(OPEN_PREFIXES):
            return self.get_response(request)
        if user.is_verified():
            return self.get_response(request)
        from terpadu.accounts import services

        if not services.requires_2fa(user):
            return self.get_response(request)
        if request.path.startswith("/api/"):
            return JsonResponse(
                {
                    "error": {
                        "status": 403,
                        "code": "2fa_required",
                        "message": _("Two-factor authentication is required for this account."),
                    }
                },
                status=403,
            )
        if request.headers.get("HX-Request"):
            # A background htmx request (e.g. the unread badge) must not follow the redirect to the set-up
            # page: that GET would replace the key the user is scanning, and the page would land in the badge.
            return HttpResponseForbidden()
        has_device = services.totp_device(user) is not None
        return redirect("accounts:2fa_verify" if has_device else "accounts:2fa_setup")
