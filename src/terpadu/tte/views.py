"""TTE pages: my signing certificates (enrol, upload PKCS#12, renew, revoke) and the CA admin page.

Changing a certificate needs a session that passed the second factor (TOTP), whatever the roles say.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from terpadu.core import authz
from terpadu.core.views import history_for
from terpadu.tte import bsre, services
from terpadu.tte.forms import EnrolForm, Pkcs12Form, RenewForm, RevokeForm
from terpadu.tte.models import SertifikatPenandatangan


def _pegawai(request):
    return getattr(request.user, "pegawai", None)


def _need_second_factor(request):
    """A redirect to the TOTP step when this session has not passed it; None when it has."""
    if request.user.is_verified():
        return None
    from terpadu.accounts import services as accounts

    target = "accounts:2fa_verify" if accounts.totp_device(request.user) else "accounts:2fa_setup"
    messages.info(request, _("Confirm it is you with your authenticator code first."))
    return redirect(f"{reverse(target)}?{urlencode({'next': request.get_full_path()})}")


def _require_enrol(request):
    if _pegawai(request) is None or not authz.has_action(request.user, "tte.enrol"):
        raise PermissionDenied


def _visible_certs(user):
    """Own certificates, plus those in the user's tte.manage scope."""
    own = Q(pegawai__user=user) if getattr(user, "pegawai_id", None) else Q(pk__in=[])
    managed = authz.restrict(SertifikatPenandatangan.objects.all(), user, "tte.manage")
    return SertifikatPenandatangan.objects.filter(own | Q(pk__in=managed.values("pk"))).select_related(
        "pegawai", "pegawai__unit"
    )


@login_required
def mine(request):
    pegawai = _pegawai(request)
    certs = (
        SertifikatPenandatangan.objects.filter(pegawai=pegawai) if pegawai else SertifikatPenandatangan.objects.none()
    )
    context = {
        "certs": certs.order_by("-dibuat"),
        "may_enrol": pegawai is not None and authz.has_action(request.user, "tte.enrol"),
        "ca": services.active_ca(),
        "bsre_configured": services.bsre_config() is not None,
        "pegawai": pegawai,
        "options": services.signing_options(pegawai) if pegawai else [],
        "page_title": _("My signing certificates"),
    }
    return render(request, "tte/mine.html", context)


def _form_error(form, exc: services.SigningError) -> None:
    form.add_error(None, exc.message)


@sensitive_post_parameters("passphrase", "passphrase_again")
@login_required
def enrol(request):
    _require_enrol(request)
    if (step := _need_second_factor(request)) is not None:
        return step
    form = EnrolForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            cert = services.enrol(_pegawai(request), form.cleaned_data["passphrase"], form.cleaned_data["key_type"])
        except services.SigningError as exc:
            _form_error(form, exc)
        else:
            messages.success(request, _("Your signing certificate was issued."))
            return redirect("tte:detail", pk=cert.pk)
    context = {"form": form, "no_ca": services.active_ca() is None, "page_title": _("Enrol for a signing certificate")}
    return render(request, "tte/form.html", context)


@sensitive_post_parameters("password")
@login_required
def upload(request):
    _require_enrol(request)
    if (step := _need_second_factor(request)) is not None:
        return step
    form = Pkcs12Form(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            cert = services.upload_pkcs12(
                _pegawai(request), form.cleaned_data["file"].read(), form.cleaned_data["password"]
            )
        except services.SigningError as exc:
            _form_error(form, exc)
        else:
            messages.success(request, _("The certificate was checked and saved."))
            return redirect("tte:detail", pk=cert.pk)
    return render(request, "tte/form.html", {"form": form, "page_title": _("Upload a PKCS#12 certificate")})


def _cert_or_404(request, pk: int) -> SertifikatPenandatangan:
    return get_object_or_404(_visible_certs(request.user), pk=pk)


@login_required
def detail(request, pk: int):
    cert = _cert_or_404(request, pk)
    own = cert.pegawai_id == getattr(request.user, "pegawai_id", None)
    context = {
        "cert": cert,
        "own": own,
        "may_revoke": cert.aktif and services.may_revoke(request.user, cert),
        "may_renew": own and cert.aktif and cert.backend == "ca" and authz.has_action(request.user, "tte.enrol"),
        "revoke_form": RevokeForm(),
        "history": history_for(request.user, cert),
        "page_title": _("Signing certificate"),
    }
    return render(request, "tte/detail.html", context)


@sensitive_post_parameters("passphrase")
@login_required
def renew(request, pk: int):
    cert = _cert_or_404(request, pk)
    if cert.pegawai_id != getattr(request.user, "pegawai_id", None):
        raise Http404
    _require_enrol(request)
    if (step := _need_second_factor(request)) is not None:
        return step
    form = RenewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            new = services.renew(cert, form.cleaned_data["passphrase"])
        except services.SigningError as exc:
            _form_error(form, exc)
        else:
            messages.success(request, _("The certificate was renewed."))
            return redirect("tte:detail", pk=new.pk)
    return render(request, "tte/form.html", {"form": form, "page_title": _("Renew the certificate")})


@login_required
@require_POST
def revoke(request, pk: int):
    cert = _cert_or_404(request, pk)
    if not services.may_revoke(request.user, cert):
        raise PermissionDenied
    if (step := _need_second_factor(request)) is not None:
        return step
    form = RevokeForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    services.revoke(cert, reason)
    messages.success(request, _("The certificate was revoked."))
    return redirect("tte:detail", pk=cert.pk)


@login_required
def ca_admin(request):
    if not authz.has_action(request.user, "tte.manage"):
        raise PermissionDenied
    certs = authz.restrict(SertifikatPenandatangan.objects.all(), request.user, "tte.manage")
    context = {
        "ca": services.active_ca(),
        "key_path": services.ca_key_path(),
        "key_present": services.ca_key_path().exists(),
        "certs": certs.select_related("pegawai", "pegawai__unit").order_by("-dibuat")[:500],
        "bsre": services.bsre_config(),
        "bsre_rules": bsre.error_rules(),
        "extra_roots": services.extra_trust_roots(),
        "page_title": _("Certificate authority"),
    }
    return render(request, "tte/ca.html", context)


def ca_pem(request):
    """Public: the instance CA certificate, to add as a trusted root in a PDF reader."""
    ca = services.active_ca()
    if ca is None:
        raise Http404
    response = HttpResponse(ca.sertifikat_pem, content_type="application/x-pem-file")
    response["Content-Disposition"] = 'attachment; filename="terpadu-tte-ca.pem"'
    return response
