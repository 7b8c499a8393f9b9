"""Outgoing naskah pages: lists, draft form, detail with its actions, versions, documents, public verification.

Every query goes through the gate (`authz.restrict(..., "naskah.view")`: unit scope for open naskah, parties for
all); every change through `naskah.services`. Objects outside the user's sight answer 404.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from terpadu.core import authz, files
from terpadu.core.views import history_for
from terpadu.naskah import access, paket, services
from terpadu.naskah.forms import (
    CatatanForm,
    ChainFormSet,
    GrantForm,
    NaskahForm,
    PenerimaFormSet,
    ReturnForm,
    SignForm,
    VerifyCopyForm,
)
from terpadu.naskah.models import AksesNaskah, JenisNaskah, Lampiran, Naskah, NaskahVersi, Sifat, Verifikasi

# -- helpers ---------------------------------------------------------------------------------------


def visible(user):
    """The naskah this user may see: unit scope for open ones, parties for every one (secret rule included)."""
    return authz.restrict(Naskah.objects.all(), user, "naskah.view")


def _get_visible(request, pk: int) -> Naskah:
    queryset = visible(request.user).select_related(
        "jenis", "klasifikasi", "unit", "pembuat", "penandatangan_jabatan", "atas_nama_jabatan", "penandatangan"
    )
    return get_object_or_404(queryset, pk=pk)


def _show_error(request, exc: Exception) -> None:
    if isinstance(exc, ValidationError):
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.error(request, str(exc) or _("You may not do this."))


def _form_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for name, errors in exc.message_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def _otp_verified(request) -> bool:
    check = getattr(request.user, "is_verified", None)
    return bool(check and check())


# -- lists -----------------------------------------------------------------------------------------


def _list(request, queryset, title: str, empty: str):
    page = Paginator(queryset.select_related("jenis", "unit", "penandatangan_jabatan"), 50).get_page(
        request.GET.get("page")
    )
    context = {
        "page": page,
        "page_title": title,
        "empty": empty,
        "can_draft": authz.has_action(request.user, "naskah.draft"),
    }
    return render(request, "naskah/keluar_list.html", context)


@login_required
def draft_list(request):
    pegawai_id = getattr(request.user, "pegawai_id", None)
    queryset = visible(request.user).filter(
        arah=Naskah.Arah.KELUAR,
        pembuat_id=pegawai_id,
        status__in=[*services.EDITABLE, Naskah.Status.VERIFIKASI, Naskah.Status.SIAP_TTD],
    )
    return _list(request, queryset, _("Drafts"), _("You have no drafts."))


@login_required
def to_verify(request):
    mine = access.my_position_ids(request.user)
    waiting = Verifikasi.objects.filter(jabatan_id__in=mine, status=Verifikasi.Status.MENUNGGU).values("naskah_id")
    candidates = visible(request.user).filter(status=Naskah.Status.VERIFIKASI, pk__in=waiting)
    ids = [n.pk for n in candidates if services.may_verify(n, request.user)]  # only those whose turn it is
    return _list(
        request, Naskah.objects.filter(pk__in=ids), _("Waiting for my paraf"), _("Nothing waits for your paraf.")
    )


@login_required
def to_sign(request):
    mine = access.my_position_ids(request.user)
    queryset = (
        visible(request.user)
        .filter(
            Q(status=Naskah.Status.SIAP_TTD) | Q(status=Naskah.Status.DRAF, verifikasi__isnull=True),
            arah=Naskah.Arah.KELUAR,
            penandatangan_jabatan_id__in=mine,
        )
        .distinct()
    )
    return _list(request, queryset, _("Waiting for my signature"), _("Nothing waits for your signature."))


@login_required
def sent(request):
    mine = access.my_position_ids(request.user)
    pegawai_id = getattr(request.user, "pegawai_id", None)
    queryset = visible(request.user).filter(
        Q(pembuat_id=pegawai_id) | Q(penandatangan_id=pegawai_id) | Q(penandatangan_jabatan_id__in=mine),
        arah=Naskah.Arah.KELUAR,
        status__in=[Naskah.Status.DITANDATANGANI, Naskah.Status.TERKIRIM],
    )
    return _list(request, queryset, _("Signed and sent"), _("Nothing signed or sent yet."))


# -- draft form ------------------------------------------------------------------------------------


def _template_of(jenis, unit):
    if jenis is None:
        return None
    from terpadu.naskah import tata

    return tata.template_for(jenis, unit)


def _initial_for(request, naskah: Naskah | None) -> dict:
    if naskah is not None:
        initial = {
            "jenis": naskah.jenis_id,
            "klasifikasi": naskah.klasifikasi_id,
            "sifat": naskah.sifat,
            "urgensi": naskah.urgensi,
            "hal": naskah.hal,
            "ringkasan": naskah.ringkasan,
            "penandatangan_jabatan": naskah.penandatangan_jabatan_id,
            "atas_nama": naskah.atas_nama,
            "atas_nama_jabatan": naskah.atas_nama_jabatan_id,
        }
        initial.update({f"isi_{key}": value for key, value in (naskah.isi or {}).items()})
        return initial
    jenis = JenisNaskah.objects.filter(pk=request.GET.get("jenis") or 0, aktif=True).first()
    initial = {"jenis": jenis.pk if jenis else None}
    if jenis and jenis.klasifikasi_bawaan:  # the kind's default classification is suggested
        from terpadu.naskah.forms import klasifikasi_queryset

        suggested = klasifikasi_queryset().filter(kode=jenis.klasifikasi_bawaan).first()
        initial["klasifikasi"] = suggested.pk if suggested else None
    return initial


def _penerima_initial(naskah: Naskah | None) -> list[dict]:
    if naskah is None:
        return []
    return [
        {
            "peran": p.peran,
            "jabatan": p.jabatan_id,
            "unit": p.unit_id,
            "nama": p.nama,
            "instansi": p.instansi,
            "email": p.email,
        }
        for p in naskah.penerima.all()
    ]


def _penerima_rows(formset) -> list[dict]:
    return [form.cleaned_data for form in formset.forms if form.cleaned_data]


@login_required
def create(request):
    if not authz.has_action(request.user, "naskah.draft") or getattr(request.user, "pegawai", None) is None:
        raise PermissionDenied
    return _edit(request, None)


@login_required
def edit(request, pk: int):
    naskah = _get_visible(request, pk)
    if naskah.pembuat_id != getattr(request.user, "pegawai_id", None) or naskah.status not in services.EDITABLE:
        raise PermissionDenied
    return _edit(request, naskah)


def _edit(request, naskah: Naskah | None):
    initial = _initial_for(request, naskah)
    jenis_pk = request.POST.get("jenis") or initial.get("jenis")
    jenis = JenisNaskah.objects.filter(pk=jenis_pk).first() if str(jenis_pk or "").isdigit() else None
    pegawai = request.user.pegawai
    unit = naskah.unit if naskah else getattr(pegawai, "unit", None)
    template = (
        naskah.template
        if naskah and naskah.template_id and naskah.jenis_id == getattr(jenis, "pk", None)
        else _template_of(jenis, unit)
    )
    data = request.POST if request.method == "POST" else None
    form = NaskahForm(data, request.FILES or None, initial=initial, template=template)
    formset = PenerimaFormSet(data, initial=_penerima_initial(naskah), prefix="penerima")
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        cleaned = form.cleaned_data
        draft = services.DraftInput(
            data={**form.data_for_service(), "template": template},
            penerima=_penerima_rows(formset),
            dokumen=cleaned.get("dokumen"),
            lampiran=[(cleaned["lampiran"], cleaned.get("lampiran_judul"))] if cleaned.get("lampiran") else [],
            catatan=cleaned.get("catatan") or "",
        )
        try:
            naskah = (
                services.update_draft(naskah, request.user, draft)
                if naskah
                else services.create_draft(request.user, draft)
            )
        except files.UploadRejected as exc:
            form.add_error(None, str(exc))
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("Saved as a new version."))
            return redirect("naskah:detail", pk=naskah.pk)
    context = {
        "form": form,
        "formset": formset,
        "naskah": naskah,
        "template": template,
        "jenis_list": JenisNaskah.objects.filter(aktif=True),
        "page_title": _("Edit draft") if naskah else _("New naskah"),
    }
    return render(request, "naskah/keluar_form.html", context)


@login_required
def chain(request, pk: int):
    """Edit the ordered verifikators before submitting."""
    naskah = _get_visible(request, pk)
    if naskah.pembuat_id != getattr(request.user, "pegawai_id", None) or naskah.status not in services.EDITABLE:
        raise PermissionDenied
    initial = [{"jabatan": step.jabatan_id} for step in services.planned_chain(naskah)]
    formset = ChainFormSet(request.POST or None, initial=initial, prefix="rantai")
    if request.method == "POST" and formset.is_valid():
        positions = [f.cleaned_data["jabatan"] for f in formset.forms if f.cleaned_data.get("jabatan")]
        if request.POST.get("bawaan"):
            positions = services.default_chain(naskah.pembuat.jabatan, naskah.penandatangan_jabatan)
        try:
            services.set_chain(naskah, request.user, positions)
        except (ValidationError, PermissionDenied) as exc:
            _show_error(request, exc)
        else:
            messages.success(request, _("The verification chain was saved."))
            return redirect("naskah:detail", pk=naskah.pk)
    context = {"naskah": naskah, "formset": formset, "page_title": _("Verification chain")}
    return render(request, "naskah/keluar_rantai.html", context)


# -- detail and actions ----------------------------------------------------------------------------


@login_required
def detail(request, pk: int):
    naskah = _get_visible(request, pk)
    services.record_read(naskah, request.user)
    user = request.user
    is_drafter = naskah.pembuat_id == getattr(user, "pegawai_id", None)
    context = {
        "naskah": naskah,
        "versions": naskah.versi.select_related("dibuat_oleh", "pdf").order_by("-nomor"),
        "steps": naskah.verifikasi.select_related("jabatan", "pegawai").order_by("-putaran", "urutan"),
        "current_step": services.current_step(naskah),
        "penerima": naskah.penerima.select_related("jabatan", "unit", "dibaca_oleh"),
        "lampiran": naskah.lampiran.select_related("file"),
        "grants": naskah.akses.select_related("pegawai") if services.may_grant(naskah, user) else None,
        "can_edit": is_drafter and naskah.status in services.EDITABLE,
        "can_verify": services.may_verify(naskah, user),
        "can_sign": services.may_sign(naskah, user),
        "can_return_as_signer": naskah.status == Naskah.Status.SIAP_TTD
        and services.holds(user, naskah.penandatangan_jabatan_id),
        "can_send": services.may_send(naskah, user),
        "can_grant": services.may_grant(naskah, user),
        "can_export": paket.may_export(naskah, user),
        "has_pdf": naskah.dokumen_id is not None or naskah.versi.exclude(pdf=None).exists(),
        "sign_form": _sign_form(user) if services.may_sign(naskah, user) else None,
        "otp_verified": _otp_verified(request),
        # Both forms have a "catatan" field: distinct ids, or each label names the other form's textarea.
        "approve_form": CatatanForm(auto_id="id_paraf_%s"),
        "return_form": ReturnForm(auto_id="id_kembali_%s"),
        "grant_form": GrantForm(),
        "history": history_for(user, naskah),
        "page_title": naskah.nomor or _("Draft"),
    }
    return render(request, "naskah/keluar_detail.html", context)


def _sign_form(user, data=None) -> SignForm:
    return SignForm(data, options=_signing_options(getattr(user, "pegawai", None)))


def _signing_options(pegawai) -> list[tuple[str, str]]:
    """(value, label) of the signing methods open to this pegawai, from the tte part."""
    from terpadu.tte import services as tte

    options = []
    for option in tte.signing_options(pegawai) if pegawai else []:
        if isinstance(option, tuple | list):
            options.append((str(option[0]), str(option[1])))
            continue
        credential = getattr(option, "credential_id", None)
        value = f"{option.code}:{credential}" if credential else option.code
        detail = getattr(option, "detail", "")
        options.append((value, f"{option.label} — {detail}" if detail else str(option.label)))
    return options


def _action(request, pk: int, run, success: str):
    """Run a service on a visible naskah: a refusal of the person is 403, a refusal of the state a message."""
    naskah = _get_visible(request, pk)
    try:
        run(naskah)
    except ValidationError as exc:
        _show_error(request, exc)
    else:
        messages.success(request, success)
    return redirect("naskah:detail", pk=naskah.pk)


@login_required
@require_POST
def submit(request, pk: int):
    return _action(request, pk, lambda n: services.submit(n, request.user), _("Submitted for verification."))


@login_required
@require_POST
def approve(request, pk: int):
    form = CatatanForm(request.POST)
    catatan = form.cleaned_data["catatan"] if form.is_valid() else ""
    return _action(request, pk, lambda n: services.approve(n, request.user, catatan), _("Paraf given."))


@login_required
@require_POST
def return_(request, pk: int):
    catatan = request.POST.get("catatan", "")
    return _action(
        request, pk, lambda n: services.return_to_drafter(n, request.user, catatan), _("Returned to the drafter.")
    )


@login_required
@require_POST
def sign(request, pk: int):
    naskah = _get_visible(request, pk)
    if not services.holds(request.user, naskah.penandatangan_jabatan_id):
        raise PermissionDenied  # a signer without the right; a wrong status is explained by the service
    form = _sign_form(request.user, request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a signing method and type your passphrase."))
        return redirect("naskah:detail", pk=naskah.pk)
    backend, _sep, credential = form.cleaned_data["backend"].partition(":")
    try:
        services.sign(
            naskah,
            request.user,
            backend=backend,
            passphrase=form.cleaned_data["passphrase"],
            credential_id=credential or form.cleaned_data.get("credential_id") or None,
            otp_verified=_otp_verified(request),
        )
    except ValidationError as exc:
        _show_error(request, exc)
    else:
        messages.success(request, _("Signed and numbered."))
    return redirect("naskah:detail", pk=naskah.pk)


@login_required
@require_POST
def send(request, pk: int):
    naskah = _get_visible(request, pk)
    if naskah.status == Naskah.Status.DITANDATANGANI and not services.may_send(naskah, request.user):
        raise PermissionDenied
    return _action(request, pk, lambda n: services.send(n, request.user), _("Sent."))


@login_required
@require_POST
def grant(request, pk: int):
    naskah = _get_visible(request, pk)
    if not services.may_grant(naskah, request.user):
        raise PermissionDenied
    form = GrantForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect("naskah:detail", pk=naskah.pk)
    data = form.cleaned_data
    return _action(
        request,
        pk,
        lambda n: services.grant_access(n, request.user, data["pegawai"], data["alasan"], data["sampai"]),
        _("Access granted."),
    )


@login_required
@require_POST
def revoke(request, pk: int):
    akses = get_object_or_404(AksesNaskah.objects.select_related("naskah"), pk=pk)
    naskah = _get_visible(request, akses.naskah_id)
    if not services.may_grant(naskah, request.user):
        raise PermissionDenied
    services.revoke_access(akses, request.user)
    messages.success(request, _("Access revoked."))
    return redirect("naskah:detail", pk=naskah.pk)


# -- documents -------------------------------------------------------------------------------------


def _file_response(stored, filename: str, inline: bool = True):
    if stored is None:
        raise Http404
    response = FileResponse(stored.file.open("rb"), content_type=stored.content_type or "application/pdf")
    disposition = "inline" if inline else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def dokumen(request, pk: int):
    """The signed PDF, or the newest draft version's PDF before signing (shown inline)."""
    naskah = _get_visible(request, pk)
    if naskah.konten_dimusnahkan:
        return HttpResponse(
            _("The content of this naskah was destroyed."), status=410, content_type="text/plain; charset=utf-8"
        )
    stored = naskah.dokumen
    if stored is None:
        versi = naskah.versi.exclude(pdf=None).order_by("-nomor").select_related("pdf").first()
        stored = versi.pdf if versi else None
    inline = request.GET.get("unduh") is None
    return _file_response(stored, f"naskah-{naskah.pk}.pdf", inline)


@login_required
def versi_pdf(request, pk: int, nomor: int):
    naskah = _get_visible(request, pk)
    versi = get_object_or_404(NaskahVersi.objects.select_related("pdf"), naskah=naskah, nomor=nomor)
    if naskah.konten_dimusnahkan:
        raise Http404
    return _file_response(versi.pdf, f"naskah-{naskah.pk}-v{nomor}.pdf")


@login_required
def lampiran(request, pk: int):
    item = get_object_or_404(Lampiran.objects.select_related("file"), pk=pk)
    naskah = _get_visible(request, item.naskah_id)
    if naskah.konten_dimusnahkan:
        raise Http404
    return _file_response(item.file, item.file.original_name, inline=False)


@login_required
def versi_compare(request, pk: int):
    naskah = _get_visible(request, pk)
    versions = list(naskah.versi.order_by("nomor"))
    if not versions:
        raise Http404
    by_number = {v.nomor: v for v in versions}

    def pick(name, default):
        value = request.GET.get(name, "")
        return by_number.get(int(value)) if value.isdigit() and int(value) in by_number else default

    new = pick("b", versions[-1])
    old = pick("a", versions[-2] if len(versions) > 1 else versions[0])
    context = {
        "naskah": naskah,
        "versions": versions,
        "old": old,
        "new": new,
        "rows": services.compare_versions(old, new),
        "page_title": _("Compare versions"),
    }
    return render(request, "naskah/keluar_compare.html", context)


@login_required
def paket_view(request, pk: int):
    naskah = _get_visible(request, pk)
    if not paket.may_export(naskah, request.user):
        raise PermissionDenied
    try:
        content = paket.export(naskah)
    except ValidationError as exc:
        _show_error(request, exc)
        return redirect("naskah:detail", pk=naskah.pk)
    response = HttpResponse(content, content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{paket.filename(naskah)}"'
    return response


# -- public verification (no login) ----------------------------------------------------------------

SHOWS_HAL = (Sifat.BIASA,)


def public_naskah(code: str) -> Naskah:
    naskah = (
        Naskah.objects.select_related("penandatangan", "unit", "jenis")
        .filter(kode_verifikasi=code, status__in=[Naskah.Status.DITANDATANGANI, Naskah.Status.TERKIRIM])
        .first()
    )
    if naskah is None:
        raise Http404
    return naskah


def _client_ip(request) -> str:
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def _upload_allowed(request) -> bool:
    key = f"naskah-verify-upload:{_client_ip(request)}"
    count = cache.get(key, 0)
    if count >= services.PUBLIC_UPLOAD_LIMIT_PER_HOUR:
        return False
    cache.set(key, count + 1, 3600)
    return True


def verify_public(request, code: str):
    naskah = public_naskah(code)
    form = VerifyCopyForm(request.POST or None, request.FILES or None)
    verdict, status = None, 200
    if request.method == "POST":
        if not _upload_allowed(request):
            form.add_error(None, _("Too many checks from your address; try again in an hour."))
            status = 429
        elif form.is_valid():
            try:
                data = services.read_pdf_upload(form.cleaned_data["file"])
            except files.UploadRejected as exc:
                form.add_error("file", str(exc))
            else:
                verdict = services.verify_copy(naskah, data)
    context = {
        "naskah": naskah,
        "shows_hal": naskah.sifat in SHOWS_HAL,
        "public_pdf": naskah.sifat in SHOWS_HAL and naskah.dokumen_id and not naskah.konten_dimusnahkan,
        "form": form,
        "verdict": verdict,
        "page_title": _("Document verification"),
        "max_mb": round(settings.UPLOAD_MAX_BYTES / 1048576),
    }
    return render(request, "naskah/verifikasi_publik.html", context, status=status)


def verify_public_pdf(request, code: str):
    """The signed PDF of an ordinary (biasa) naskah; never of limited or secret ones."""
    naskah = public_naskah(code)
    if naskah.sifat not in SHOWS_HAL or naskah.konten_dimusnahkan or naskah.dokumen_id is None:
        raise Http404
    return _file_response(naskah.dokumen, f"{naskah.kode_verifikasi}.pdf")


def public_payload(naskah: Naskah, request=None) -> dict:
    """What the public may know of a signed naskah (the page and the JSON API show the same)."""
    open_naskah = naskah.sifat in SHOWS_HAL
    pdf_url = ""
    if open_naskah and naskah.dokumen_id and not naskah.konten_dimusnahkan:
        pdf_url = reverse("naskah_public:pdf", args=[naskah.kode_verifikasi])
        pdf_url = request.build_absolute_uri(pdf_url) if request is not None else pdf_url
    return {
        "kode_verifikasi": naskah.kode_verifikasi,
        "nomor": naskah.nomor,
        "tanggal": naskah.tanggal.isoformat() if naskah.tanggal else None,
        "jenis": str(naskah.jenis),
        "sifat": naskah.sifat,
        "sifat_label": str(naskah.get_sifat_display()),
        "hal": naskah.hal if open_naskah else str(naskah.get_sifat_display()),
        "penandatangan": naskah.penandatangan.nama_lengkap if naskah.penandatangan else "",
        "penandatangan_label": naskah.penandatangan_label,
        "unit": str(naskah.unit),
        "ditandatangani": naskah.ditandatangani.isoformat() if naskah.ditandatangani else None,
        "hash_sha256": naskah.hash_sha256,
        "konten_dimusnahkan": bool(naskah.konten_dimusnahkan),
        "pdf_url": pdf_url,
    }
