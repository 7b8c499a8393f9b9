"""Sign-in (with throttling and TOTP), the user's own account page, and the access administration UI."""

from __future__ import annotations

import base64
import io

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST
from django_otp import login as otp_login

from terpadu.accounts import services
from terpadu.accounts.forms import (
    ApiTokenForm,
    LanguageForm,
    LoginForm,
    RoleAssignForm,
    RoleCloneForm,
    RoleForm,
    TokenForm,
    UserCreateForm,
    UserEditForm,
)
from terpadu.accounts.models import ApiToken, Role, RoleAssignment, User, UserSession
from terpadu.core import authz
from terpadu.core.middleware import client_ip
from terpadu.core.views import history_for
from terpadu.organisasi.models import Pegawai

PENDING_USER = "terpadu_pending_2fa_user"
BACKEND = "terpadu.accounts.backends.NipOrUsernameBackend"


def _next_url(request, default="core:home"):
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return redirect(default).url


def _complete_login(request, user: User, device=None):
    login(request, user, backend=BACKEND)
    if device is not None:
        otp_login(request, device)
    services.track_session(request, user)
    response = HttpResponseRedirect(_next_url(request))
    response.set_cookie(settings.LANGUAGE_COOKIE_NAME, user.language, samesite="Lax")
    return response


def login_view(request):
    if request.user.is_authenticated:
        return redirect("core:home")
    form = LoginForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        username, ip = form.cleaned_data["username"], client_ip(request)
        key = services.login_key(username)  # one allowance per account, whether signed in by username or NIP
        wait = services.lockout_remaining(key, ip)
        if wait:
            minutes = max(1, (wait + 59) // 60)
            form.add_error(
                None,
                ngettext(
                    "Too many failed attempts. Try again in %(m)d minute.",
                    "Too many failed attempts. Try again in %(m)d minutes.",
                    minutes,
                )
                % {"m": minutes},
            )
        else:
            from django.contrib.auth import authenticate

            user = authenticate(request, username=username, password=form.cleaned_data["password"])
            if user is None:
                services.record_login_attempt(key, ip, success=False)
                form.add_error(None, _("The username/NIP or password is wrong."))
            elif services.totp_device(user) is not None:
                # No success yet: it would reset the count of wrong codes. The code step records the outcome.
                request.session[PENDING_USER] = user.pk
                return redirect(f"{reverse('accounts:2fa_verify')}?{urlencode({'next': _next_url(request)})}")
            else:
                services.record_login_attempt(key, ip, success=True)
                return _complete_login(request, user)
    return render(request, "accounts/login.html", {"form": form, "next": request.GET.get("next", "")})


def two_factor_verify(request):
    """Second step of sign-in (or re-verification of a session that has not passed 2FA)."""
    user_id = request.session.get(PENDING_USER) or (request.user.pk if request.user.is_authenticated else None)
    user = User.objects.filter(pk=user_id, is_active=True).first() if user_id else None
    if user is None:
        return redirect("accounts:login")
    device = services.totp_device(user)
    if device is None:
        return redirect("accounts:2fa_setup") if request.user.is_authenticated else redirect("accounts:login")
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        ip = client_ip(request)
        if services.lockout_remaining(user.username, ip):
            form.add_error(None, _("Too many failed attempts. Try again later."))
        elif device.verify_token(form.cleaned_data["token"]):
            request.session.pop(PENDING_USER, None)
            services.record_login_attempt(user.username, ip, success=True)
            return _complete_login(request, user, device)
        else:
            services.record_login_attempt(user.username, ip, success=False)
            form.add_error("token", _("The code is wrong or expired."))
    return render(request, "accounts/2fa_verify.html", {"form": form, "next": request.GET.get("next", "")})


def _qr_svg(uri: str) -> str:
    import qrcode  # imported when used (2FA setup only): ~4 MB per web worker otherwise
    import qrcode.image.svg

    image = qrcode.make(uri, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    buffer = io.BytesIO()
    image.save(buffer)
    return base64.b64encode(buffer.getvalue()).decode()


@login_required
def two_factor_setup(request):
    device = services.totp_device(request.user, confirmed=False)
    if request.method == "POST":
        form = TokenForm(request.POST)
        if form.is_valid() and services.confirm_totp(request.user, form.cleaned_data["token"]):
            otp_login(request, services.totp_device(request.user))
            messages.success(request, _("Two-factor authentication is on."))
            return redirect("accounts:profile")
        if form.is_valid():
            form.add_error("token", _("The code does not match. Check the time on your phone and try again."))
    else:
        form = TokenForm()
        # Reuse a pending key: reloading the page must not break a key the user has already scanned.
        device = device or services.start_totp_setup(request.user)
    if device is None:
        device = services.start_totp_setup(request.user)
    secret = base64.b32encode(device.bin_key).decode()
    context = {
        "form": form,
        "secret": secret,
        "qr": _qr_svg(device.config_url),
        "required": services.requires_2fa(request.user),
        "page_title": _("Set up two-factor authentication"),
    }
    return render(request, "accounts/2fa_setup.html", context)


@require_POST
def logout_view(request):
    if request.user.is_authenticated:
        UserSession.objects.filter(session_key=request.session.session_key).delete()
    logout(request)
    return redirect("accounts:login")


@login_required
def profile(request):
    context = {
        "device": services.totp_device(request.user),
        "requires_2fa": services.requires_2fa(request.user),
        "sessions": request.user.tracked_sessions.all(),
        "current_key": request.session.session_key,
        "roles": services.held_roles(request.user),
        "tokens": request.user.api_tokens.all(),
        "page_title": _("My account"),
    }
    return render(request, "accounts/profile.html", context)


@login_required
@require_POST
def end_session(request, pk: int):
    if not services.end_session(request.user, pk):
        raise Http404  # only one's own sessions
    messages.success(request, _("The session was ended."))
    return redirect("accounts:profile")


@login_required
@require_POST
def disable_2fa(request):
    if services.requires_2fa(request.user):
        messages.error(request, _("Your roles require two-factor authentication; it cannot be switched off."))
    else:
        services.disable_totp(request.user)
        messages.success(request, _("Two-factor authentication is off."))
    return redirect("accounts:profile")


@require_POST
def set_language(request):
    form = LanguageForm(request.POST)
    language = form.cleaned_data["language"] if form.is_valid() else settings.LANGUAGE_CODE
    if request.user.is_authenticated and request.user.language != language:
        services.update_user(request.user, {"language": language})
    response = HttpResponseRedirect(_next_url(request, "portal:home"))
    response.set_cookie(settings.LANGUAGE_COOKIE_NAME, language, samesite="Lax", max_age=365 * 86400)
    return response


# -- API tokens (own) ----------------------------------------------------------------------


@login_required
def token_create(request):
    return _token_form(request, request.user)


def _token_form(request, owner: User):
    form = ApiTokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            token, secret = services.create_token(
                owner, form.cleaned_data["name"], form.cleaned_data["scopes"], form.cleaned_data["days"]
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            return render(
                request,
                "accounts/token_created.html",
                {"token": token, "secret": secret, "page_title": _("API token created")},
            )
    title = _("New API token") if owner == request.user else _("New API token for %(user)s") % {"user": owner}
    return render(request, "accounts/token_form.html", {"form": form, "page_title": title})


@login_required
def user_token_create(request, pk: int):
    """An administrator creates a token for another account, e.g. the service account of an integrating system."""
    owner = get_object_or_404(User, pk=pk)
    _require(request, "accounts.manage", owner)
    return _token_form(request, owner)


@login_required
@require_POST
def token_revoke(request, pk: int):
    token = get_object_or_404(ApiToken, pk=pk)
    if token.user_id != request.user.pk and not authz.has_action(request.user, "accounts.manage"):
        raise PermissionDenied
    services.revoke_token(token)
    messages.success(request, _("The token was revoked."))
    return redirect(request.POST.get("next") or "accounts:profile")


def _add_errors(form, exc: ValidationError):
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


# -- access administration -----------------------------------------------------------------


def _require(request, action: str, obj=None):
    if not authz.can(request.user, action, obj):
        raise PermissionDenied


@login_required
def user_list(request):
    _require(request, "accounts.view")
    users = authz.restrict(User.objects.select_related("pegawai"), request.user, "accounts.view")
    query = request.GET.get("q", "").strip()
    if query:
        users = users.filter(
            Q(username__icontains=query) | Q(pegawai__nama__icontains=query) | Q(pegawai__nip__startswith=query)
        )
    context = {"users": users.order_by("username")[:200], "query": query, "page_title": _("Users")}
    return render(request, "accounts/user_list.html", context)


@login_required
def user_detail(request, pk: int):
    user = get_object_or_404(authz.restrict(User.objects.all(), request.user, "accounts.view"), pk=pk)
    can_manage = authz.can(request.user, "accounts.manage", user)
    edit_form = UserEditForm(instance=user)
    assign_form = RoleAssignForm()
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied
        if "assign" in request.POST:
            assign_form = RoleAssignForm(request.POST)
            if assign_form.is_valid():
                data = assign_form.cleaned_data
                try:
                    services.assign_role(user, data["role"], data["unit"], data["valid_from"], data["valid_to"])
                except ValidationError as exc:
                    _add_errors(assign_form, exc)
                else:
                    messages.success(request, _("The role was assigned."))
                    return redirect("accounts:user_detail", pk=user.pk)
        else:
            edit_form = UserEditForm(request.POST, instance=User.objects.get(pk=user.pk))
            if edit_form.is_valid():
                services.update_user(user, {k: edit_form.cleaned_data[k] for k in edit_form.fields})
                messages.success(request, _("Saved."))
                return redirect("accounts:user_detail", pk=user.pk)
    context = {
        "account": user,
        "can_manage": can_manage,
        "edit_form": edit_form,
        "assign_form": assign_form,
        "assignments": user.role_assignments.select_related("role", "unit"),
        "held": services.held_roles(user),
        "tokens": user.api_tokens.all(),
        "history": history_for(request.user, user),
        "page_title": str(user),
    }
    return render(request, "accounts/user_detail.html", context)


@login_required
@require_POST
def assignment_revoke(request, pk: int):
    assignment = get_object_or_404(RoleAssignment.objects.select_related("user"), pk=pk)
    _require(request, "accounts.manage", assignment.user)
    services.revoke_role(assignment)
    messages.success(request, _("The role was revoked."))
    return redirect("accounts:user_detail", pk=assignment.user_id)


@login_required
def user_create(request):
    _require(request, "accounts.manage")
    pegawai_qs = authz.restrict(Pegawai.objects.filter(user__isnull=True), request.user, "organisasi.view")
    form = UserCreateForm(request.POST or None, pegawai_queryset=pegawai_qs)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = services.create_user(
                data["username"], data["password"] or None, pegawai=data["pegawai"], email=data["email"]
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("The user was created."))
            return redirect("accounts:user_detail", pk=user.pk)
    return render(request, "accounts/user_form.html", {"form": form, "page_title": _("New user")})


@login_required
def role_list(request):
    _require(request, "accounts.view")
    return render(request, "accounts/role_list.html", {"roles": Role.objects.all(), "page_title": _("Roles")})


@login_required
def role_detail(request, pk: int):
    _require(request, "accounts.view")
    role = get_object_or_404(Role, pk=pk)
    can_manage = authz.has_action(request.user, "accounts.manage")
    form = RoleForm(instance=role)
    clone_form = RoleCloneForm()
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied
        if "clone" in request.POST:
            clone_form = RoleCloneForm(request.POST)
            if clone_form.is_valid():
                copy = services.clone_role(role, clone_form.cleaned_data["code"], clone_form.cleaned_data["name"])
                messages.success(request, _("The role was copied."))
                return redirect("accounts:role_detail", pk=copy.pk)
        else:
            form = RoleForm(request.POST, instance=Role.objects.get(pk=role.pk))
            if form.is_valid():
                try:
                    services.save_role(role, {k: form.cleaned_data[k] for k in form.fields})
                except ValidationError as exc:
                    _add_errors(form, exc)
                else:
                    messages.success(request, _("Saved."))
                    return redirect("accounts:role_detail", pk=role.pk)
    context = {
        "role": role,
        "form": form,
        "clone_form": clone_form,
        "can_manage": can_manage,
        "unknown": services.unknown_actions(role.actions),
        "history": history_for(request.user, role),
        "page_title": role.name,
    }
    return render(request, "accounts/role_detail.html", context)
