"""Identity and access services: grants for the gate, login throttling, sessions, roles, tokens."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import secrets
import time
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from terpadu.accounts.models import ApiToken, LoginAttempt, Role, RoleAssignment, User, UserSession
from terpadu.core import audit, registry
from terpadu.core.authz import Scope

ROLES_FILE = Path(__file__).resolve().parent / "data" / "roles.json"


# -- grants for the authorization gate ----------------------------------------------------


@dataclass(frozen=True)
class HeldRole:
    role: Role
    scope: Scope
    source: str  # "assigned" or the position label it comes from


def held_roles(user: User, on: dt.date | None = None) -> list[HeldRole]:
    """Every role the user holds today, with its scope: explicit assignments and position-derived ones."""
    cached = getattr(user, "_terpadu_roles", None)
    if cached is not None and on is None:
        return cached
    from terpadu.organisasi import services as org

    on = on or timezone.localdate()
    result: list[HeldRole] = []
    valid = RoleAssignment.active_q(on)
    for assignment in user.role_assignments.filter(*valid).select_related("role", "unit"):
        if assignment.unit_id and not assignment.unit.is_current(on):
            continue
        scope = Scope(paths=frozenset([assignment.unit.path])) if assignment.unit_id else Scope(whole=True)
        result.append(HeldRole(assignment.role, scope, "assigned"))
    pegawai = user.pegawai if user.pegawai_id else None
    if pegawai is not None and pegawai.aktif:
        held = org.positions_held(pegawai, on)
        for role in Role.objects.exclude(auto_assign=""):
            if role.auto_assign == Role.Auto.ALL_PEGAWAI and role.auto_scope == Role.AutoScope.PEMDA:
                # every pegawai, with or without a position, once
                result.append(HeldRole(role, Scope(whole=True), Role.Auto.ALL_PEGAWAI.label))
                continue
            for jabatan, acting in held:
                if role.auto_assign == Role.Auto.KEPALA and not jabatan.is_kepala_unit:
                    continue
                scope = (
                    Scope(whole=True)
                    if role.auto_scope == Role.AutoScope.PEMDA
                    else Scope(paths=frozenset([jabatan.unit.path]))
                )
                result.append(HeldRole(role, scope, org.position_label(jabatan, acting)))
    if on == timezone.localdate():
        user._terpadu_roles = result
    return result


@dataclass(frozen=True)
class Access:
    """What the gate needs to know about a user today: action -> scope, and whether a held role needs 2FA."""

    grants: dict[str, Scope]
    role_needs_2fa: bool


# Access is cached per process across requests, one entry per user, valid for the day and the audit chain head
# it was computed at. Everything that can move a grant (a role's actions, an assignment, a position, a Plt./Plh.
# appointment, a unit's or a pegawai's status) changes through a service, and every service change appends to
# the audit log: a new head means "recompute", so a revoked role stops at the next request in every process.
# The head is its seq and hash (a rolled-back append's seq comes again, its hash does not). The date covers
# assignments and positions that start or end at midnight; ACCESS_MAX_AGE bounds anything changed outside the
# services (a manual SQL fix). Reading the head is one primary-key lookup, where computing access is six queries.
ACCESS_MAX_AGE = 300  # seconds
ACCESS_MAX_USERS = 20_000
_access_cache: dict[int, tuple[dt.date, tuple[int, str], float, Access]] = {}


def access(user: User) -> Access:
    cached = getattr(user, "_terpadu_access", None)
    if cached is not None:
        return cached
    key = (timezone.localdate(), audit.head_state())
    entry = _access_cache.get(user.pk)
    if entry is not None and entry[:2] == key and time.monotonic() - entry[2] < ACCESS_MAX_AGE:
        result = entry[3]
    else:
        result = _compute_access(user)
        if len(_access_cache) >= ACCESS_MAX_USERS:
            _access_cache.clear()
        _access_cache[user.pk] = (*key, time.monotonic(), result)
    user._terpadu_access = result
    return result


def forget_access(user: User | None = None) -> None:
    """Drop the cached access of one user (or of everyone): tests, and changes made outside the services."""
    if user is None:
        _access_cache.clear()
    else:
        _access_cache.pop(user.pk, None)
        for cached in ("_terpadu_access", "_terpadu_roles"):
            if hasattr(user, cached):
                delattr(user, cached)


def _compute_access(user: User) -> Access:
    grants: dict[str, Scope] = {}
    held = held_roles(user)
    for each in held:
        for action in each.role.actions:
            grants[action] = grants.get(action, Scope()).union(each.scope)
    return Access(grants=grants, role_needs_2fa=any(each.role.requires_2fa for each in held))


def compute_grants(user: User) -> dict[str, Scope]:
    return access(user).grants


def requires_2fa(user: User) -> bool:
    return user.is_superuser or user.is_staff or access(user).role_needs_2fa


def acting_as_label(user: User) -> str:
    """The positions the user acts in, for the audit trail ("Kepala Seksi X; Plt. Kepala Bidang Y")."""
    if not user.pegawai_id:
        return ""
    cached = getattr(user, "_terpadu_acting_as", None)
    if cached is None:
        from terpadu.organisasi import services as org

        cached = "; ".join(org.position_label(j, a) for j, a in org.positions_held(user.pegawai))[:255]
        user._terpadu_acting_as = cached
    return cached


# -- roles ---------------------------------------------------------------------------------


@transaction.atomic
def load_default_roles(update: bool = False) -> int:
    """Create the roles shipped in data/roles.json that are missing (idempotent).

    Existing roles are left alone — administrators may have edited them — unless update=True.
    """
    count = 0
    for spec in json.loads(ROLES_FILE.read_text(encoding="utf-8")):
        role = Role.objects.filter(code=spec["code"]).first()
        if role is not None and not update:
            continue
        before = audit.snapshot(role) if role else None
        role = role or Role(code=spec["code"])
        for key in ("name", "module", "description", "actions", "requires_2fa", "auto_assign", "auto_scope"):
            setattr(role, key, spec[key])
        role.full_clean()
        role.save()
        changes = audit.diff(before, audit.snapshot(role))
        if changes:
            audit.record(role, "create" if before is None else "update", changes)
            count += 1
    return count


def unknown_actions(actions: list[str]) -> list[str]:
    return [a for a in actions if a not in registry.ACTIONS]


@transaction.atomic
def save_role(role: Role | None, data: dict) -> Role:
    before = audit.snapshot(role) if role and role.pk else None
    role = role or Role()
    for key, value in data.items():
        setattr(role, key, value)
    if not isinstance(role.actions, list) or not all(isinstance(a, str) for a in role.actions):
        raise ValidationError({"actions": _("Actions must be a list of action names.")})
    role.full_clean()
    role.save()
    audit.record(role, "create" if before is None else "update", audit.diff(before, audit.snapshot(role)))
    return role


@transaction.atomic
def clone_role(role: Role, code: str, name: str) -> Role:
    return save_role(
        None,
        {
            "code": code,
            "name": name,
            "module": role.module,
            "description": role.description,
            "actions": list(role.actions),
            "requires_2fa": role.requires_2fa,
            "auto_assign": "",
            "auto_scope": role.auto_scope,
        },
    )


@transaction.atomic
def assign_role(user: User, role: Role, unit=None, valid_from=None, valid_to=None) -> RoleAssignment:
    if valid_from and valid_to and valid_to < valid_from:
        raise ValidationError({"valid_to": _("The end date is before the start date.")})
    assignment = RoleAssignment(user=user, role=role, unit=unit, valid_from=valid_from, valid_to=valid_to)
    assignment.full_clean()
    assignment.save()
    audit.record(user, "role_assigned", {"role": [None, role.code], "unit": [None, unit.kode if unit else "*"]})
    return assignment


@transaction.atomic
def revoke_role(assignment: RoleAssignment) -> None:
    audit.record(
        assignment.user,
        "role_revoked",
        {"role": [assignment.role.code, None], "unit": [assignment.unit.kode if assignment.unit else "*", None]},
    )
    assignment.delete()


# -- users ---------------------------------------------------------------------------------


@transaction.atomic
def create_user(
    username: str,
    password: str | None,
    *,
    pegawai=None,
    email: str = "",
    first_name: str = "",
    last_name: str = "",
    is_superuser: bool = False,
) -> User:
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError({"username": _("This username is taken.")})
    user = User(
        username=username,
        pegawai=pegawai,
        email=email or (pegawai.email if pegawai else ""),
        first_name=first_name,
        last_name=last_name,
        is_superuser=is_superuser,
        is_staff=is_superuser,
    )
    if password:
        from django.contrib.auth.password_validation import validate_password

        validate_password(password, user)
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.full_clean(exclude=["password"])
    user.save()
    audit.record(user, "create", audit.diff(None, audit.snapshot(user)))
    return user


@transaction.atomic
def update_user(user: User, data: dict) -> User:
    before = audit.snapshot(user)
    for key, value in data.items():
        setattr(user, key, value)
    user.full_clean(exclude=["password"])
    user.save()
    changes = audit.diff(before, audit.snapshot(user))
    if changes:
        audit.record(user, "update", changes)
    if "is_active" in changes and not user.is_active:
        end_all_sessions(user)
    return user


@transaction.atomic
def set_password(user: User, password: str) -> None:
    user.set_password(password)
    user.save(update_fields=["password"])
    audit.record(user, "password_changed", {})


# -- login throttling ----------------------------------------------------------------------


def lockout_remaining(username: str, ip: str | None) -> int:
    """Seconds until this username (or client address) may try again; 0 = not locked.

    An address gets three times the allowance of one account: an office shares one NAT address.
    """
    now = timezone.now()
    by_user = _locked_for(Q(username=username.lower()[:150]), settings.LOGIN_MAX_FAILURES, now)
    by_ip = _locked_for(Q(ip=ip), settings.LOGIN_MAX_FAILURES * 3, now) if ip else 0
    return max(by_user, by_ip)


def _locked_for(query: Q, limit: int, now) -> int:
    since = now - dt.timedelta(seconds=settings.LOGIN_FAILURE_WINDOW)
    last_success = LoginAttempt.objects.filter(query, success=True, time__gt=since).order_by("-time").first()
    if last_success is not None:
        since = last_success.time
    failures = list(
        LoginAttempt.objects.filter(query, success=False, time__gt=since)
        .order_by("-time")
        .values_list("time", flat=True)[:limit]
    )
    if len(failures) < limit:
        return 0
    unlock = failures[0] + dt.timedelta(seconds=settings.LOGIN_LOCKOUT_SECONDS)
    return max(0, int((unlock - now).total_seconds()))


def login_key(login: str) -> str:
    """The name sign-in attempts are counted under: the account's username when the login (a username, or
    a NIP with or without spaces) names an account, so that every spelling shares one allowance."""
    login = (login or "").strip()
    nip = login.replace(" ", "")
    query = Q(username__iexact=login)
    if nip.isdigit() and len(nip) == 18:
        query |= Q(pegawai__nip=nip)
    user = User.objects.filter(query).only("username").first()
    return user.username if user else (nip if nip.isdigit() else login)


def record_login_attempt(username: str, ip: str | None, success: bool) -> None:
    # Stored lower-case so the lockout check is an exact match on the indexed column.
    LoginAttempt.objects.create(username=username.lower()[:150], ip=ip, success=success)
    # Locked attempts are refused before they are recorded, so a failure that finds the lock set has set it.
    if not success and lockout_remaining(username, ip):
        audit.record(
            None,
            "login_locked",
            {"username": [None, username]},
            object_type="accounts.login",
            object_id=username[:64],
            object_repr=username,
        )


def prune_login_attempts(older_than_days: int = 30) -> int:
    """Attempts only matter for the lockout window; keep a month for investigations, drop the rest."""
    cutoff = timezone.now() - dt.timedelta(days=older_than_days)
    deleted, _detail = LoginAttempt.objects.filter(time__lt=cutoff).delete()
    return deleted


# -- sessions ------------------------------------------------------------------------------


def track_session(request, user: User) -> None:
    key = request.session.session_key
    if not key:
        request.session.save()
        key = request.session.session_key
    from terpadu.core.middleware import client_ip

    UserSession.objects.update_or_create(
        session_key=key,
        defaults={
            "user": user,
            "ip": client_ip(request),
            "user_agent": request.headers.get("User-Agent", "")[:255],
            "last_seen": timezone.now(),
        },
    )


def end_session(user: User, session_id: int) -> bool:
    tracked = UserSession.objects.filter(user=user, pk=session_id).first()
    if tracked is None:
        return False
    Session.objects.filter(session_key=tracked.session_key).delete()
    tracked.delete()
    audit.record(user, "session_ended", {"session": [tracked.session_key[:8], None]})
    return True


def end_all_sessions(user: User, except_key: str | None = None) -> int:
    tracked = UserSession.objects.filter(user=user).exclude(session_key=except_key or "")
    keys = list(tracked.values_list("session_key", flat=True))
    Session.objects.filter(session_key__in=keys).delete()
    tracked.delete()
    return len(keys)


# -- two-factor ----------------------------------------------------------------------------


def totp_device(user: User, confirmed: bool | None = True):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    qs = TOTPDevice.objects.filter(user=user)
    if confirmed is not None:
        qs = qs.filter(confirmed=confirmed)
    return qs.first()


@transaction.atomic
def start_totp_setup(user: User):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    return TOTPDevice.objects.create(user=user, name="authenticator", confirmed=False)


@transaction.atomic
def confirm_totp(user: User, token: str) -> bool:
    device = totp_device(user, confirmed=False)
    if device is None or not device.verify_token((token or "").strip()):
        return False
    from django_otp.plugins.otp_totp.models import TOTPDevice

    TOTPDevice.objects.filter(user=user, confirmed=True).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    audit.record(user, "2fa_enabled", {})
    return True


@transaction.atomic
def disable_totp(user: User) -> None:
    from django_otp.plugins.otp_totp.models import TOTPDevice

    TOTPDevice.objects.filter(user=user).delete()
    audit.record(user, "2fa_disabled", {})


# -- API tokens ----------------------------------------------------------------------------

TOKEN_PREFIX = "tpd_"


def _hash_token(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


@transaction.atomic
def create_token(user: User, name: str, scopes: list[str], days: int) -> tuple[ApiToken, str]:
    """Returns the token row and the secret, which is shown once and never stored."""
    if not 1 <= days <= 730:
        raise ValidationError({"days": _("A token lives between 1 and 730 days.")})
    if not scopes:
        raise ValidationError({"scopes": _("Choose at least one scope.")})
    unknown = unknown_actions(scopes)
    if unknown:
        raise ValidationError({"scopes": _("Unknown actions: %(a)s") % {"a": ", ".join(unknown)}})
    prefix = secrets.token_hex(4)
    secret = f"{TOKEN_PREFIX}{prefix}_{secrets.token_urlsafe(32)}"
    token = ApiToken(
        user=user,
        name=name,
        prefix=prefix,
        token_hash=_hash_token(secret),
        scopes=scopes,
        expires=timezone.now() + dt.timedelta(days=days),
    )
    token.full_clean()
    token.save()
    audit.record(token, "create", {"name": [None, name], "scopes": [None, scopes], "expires": [None, token.expires]})
    return token, secret


def token_from_secret(secret: str) -> ApiToken | None:
    parts = (secret or "").split("_")
    if len(parts) < 3 or f"{parts[0]}_" != TOKEN_PREFIX:
        return None
    token = ApiToken.objects.select_related("user").filter(prefix=parts[1]).first()
    if token is None or not secrets.compare_digest(token.token_hash, _hash_token(secret)):
        return None
    return token


def touch_token(token: ApiToken, ip: str | None) -> None:
    ApiToken.objects.filter(pk=token.pk).update(last_used=timezone.now(), last_used_ip=ip)


@transaction.atomic
def revoke_token(token: ApiToken) -> None:
    if token.revoked is None:
        token.revoked = timezone.now()
        token.save(update_fields=["revoked"])
        audit.record(token, "revoke", {"revoked": [None, token.revoked]})
