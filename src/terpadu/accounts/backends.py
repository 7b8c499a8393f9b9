from __future__ import annotations

from django.contrib.auth.backends import ModelBackend
from django.db.models import Q

from terpadu.accounts.models import User


class NipOrUsernameBackend(ModelBackend):
    """Sign in with a username or with the NIP of the linked pegawai (spaces in the NIP are ignored)."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if not username or not password:
            return None
        login = username.strip()
        nip = login.replace(" ", "")
        query = Q(username__iexact=login)
        if nip.isdigit() and len(nip) == 18:
            query |= Q(pegawai__nip=nip)
        user = User.objects.filter(query).select_related("pegawai").first()
        if user is None:
            User().set_password(password)  # same work as a real check, so timing does not reveal accounts
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None
