from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions

from terpadu.core.context import Actor, current_actor, set_actor
from terpadu.core.middleware import client_ip


class ApiTokenAuthentication(authentication.BaseAuthentication):
    """`Authorization: Bearer tpd_…` — tokens are scoped, expiring, revocable; last use is recorded."""

    keyword = "Bearer"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).decode("latin-1")
        if not header:
            return None
        parts = header.split()
        if len(parts) != 2 or parts[0] not in (self.keyword, "Token"):
            raise exceptions.AuthenticationFailed(_("Malformed Authorization header; use 'Bearer <token>'."))
        from terpadu.accounts import services

        token = services.token_from_secret(parts[1])
        if token is None:
            raise exceptions.AuthenticationFailed(_("Unknown API token."))
        if not token.is_usable():
            raise exceptions.AuthenticationFailed(_("This API token is expired or revoked."))
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed(_("The token's user is disabled."))
        ip = client_ip(request)
        services.touch_token(token, ip)
        actor = current_actor()
        set_actor(
            Actor(
                user_id=token.user.pk,
                username=token.user.username,
                acting_as=f"token:{token.name}"[:255],
                request_id=actor.request_id,
                ip=ip,
                via="api",
            )
        )
        return token.user, token

    def authenticate_header(self, request):
        return self.keyword


class ApiTokenScheme(OpenApiAuthenticationExtension):
    target_class = "terpadu.accounts.api_auth.ApiTokenAuthentication"
    name = "apiToken"

    def get_security_definition(self, auto_schema):
        return {"type": "http", "scheme": "bearer", "description": "Terpadu API token (tpd_…)"}
