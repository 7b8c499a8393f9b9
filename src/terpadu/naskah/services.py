"""Outgoing naskah: draft → verify (paraf) → sign → number → send; access grants; public verification.

The only code that changes outgoing naskah. Every function validates, writes in one transaction, records the
audit event, keeps the party index (`PihakNaskah`) that the gate reads, and publishes domain events.

The other parts are called through small adapters (`_render_draft`, `_render_final`, `_sign_pdf`,
`_allocate`, `_deliver_internal`, `_index`, `_propose_arsip`) so that each seam is visible in one place.
"""

from __future__ import annotations

import difflib
import hashlib
import io
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from terpadu.core import audit, events, files, notifications
from terpadu.core.models import OutgoingEmail, StoredFile
from terpadu.naskah import access
from terpadu.naskah.models import (
    AksesNaskah,
    Lampiran,
    Naskah,
    NaskahVersi,
    Penerima,
    PihakNaskah,
    Verifikasi,
)

EDITABLE = (Naskah.Status.DRAF, Naskah.Status.DIKEMBALIKAN)
CONTENT_FIELDS = ("jenis_id", "klasifikasi_id", "sifat", "urgensi", "hal", "ringkasan", "isi", "template_id")
SIGNER_FIELDS = ("penandatangan_jabatan", "atas_nama", "atas_nama_jabatan")
SIGNED_PDF_MAX_BYTES = 200 * 1024 * 1024  # a signed letter with appended attachments may exceed the upload limit
PUBLIC_UPLOAD_LIMIT_PER_HOUR = 30


class SignFailed(ValidationError):
    """Signing did not happen (wrong passphrase, expired certificate, backend down, render error…)."""

    def __init__(self, message: str, code: str = "sign_failed"):
        super().__init__(message, code=code)
        self.error_code = code


# -- adapters to the other parts ------------------------------------------------------------------


def _render_draft(naskah: Naskah, konten: dict) -> bytes:
    from terpadu.naskah import rendering

    return rendering.render_pdf(naskah, draft=True, konten=konten)


def _render_final(naskah: Naskah, *, nomor: str, tanggal, signature) -> tuple[bytes, tuple]:
    """The final PDF (no watermark) and the signature box (page, x1, y1, x2, y2) for the visible stamp."""
    from terpadu.naskah import rendering

    result = rendering.render_pdf_with_layout(naskah, nomor=nomor, tanggal=tanggal, signature=signature, draft=False)
    box = result.signature_box or (max(result.page_count - 1, 0), *UPLOAD_STAMP_BOX)
    return result.pdf, box


def _signature_block(naskah: Naskah, pegawai, jabatan, acting: str, on_date):
    """The signature block as rendered (its label is snapshotted into the naskah at signing)."""
    from terpadu.naskah import rendering

    return rendering.signature_block(naskah, pegawai, jabatan, acting, on_date)


def _tte():
    from terpadu.tte import services as tte

    return tte


def _sign_pdf(pdf: bytes, **kwargs):
    return _tte().sign_pdf(pdf, **kwargs)


def _validate_pdf(pdf: bytes):
    return _tte().validate_pdf(pdf)


def _allocate(naskah: Naskah, tahun: int):
    from terpadu.naskah import penomoran

    return penomoran.allocate(naskah, tahun=tahun)


def _deliver_internal(naskah: Naskah, penerima: Penerima) -> None:
    from terpadu.naskah import masuk

    masuk.deliver_internal(naskah, penerima)


def _mark_read(naskah: Naskah, user) -> None:
    from terpadu.naskah import masuk

    masuk.mark_read(naskah, user)


def _index(naskah: Naskah) -> None:
    from terpadu.naskah import pencarian

    pencarian.index_naskah(naskah)


def _propose_arsip(naskah: Naskah) -> None:
    from terpadu.arsip import services as arsip

    arsip.propose_for(naskah, naskah.unit)


# -- small helpers ---------------------------------------------------------------------------------


def _pegawai(user):
    pegawai = getattr(user, "pegawai", None)
    if pegawai is None:
        raise PermissionDenied(_("Only an employee (pegawai) can do this."))
    return pegawai


def holds(user, jabatan_id: int | None) -> bool:
    """Does the user hold this position today (definitively or as Plt./Plh.)?"""
    return jabatan_id is not None and jabatan_id in access.my_position_ids(user)


def forget_positions(user) -> None:
    """Drop the per-request caches of the user's positions and grants (after an assignment changed)."""
    from terpadu.core import authz

    if hasattr(user, "_terpadu_jabatan_ids"):
        del user._terpadu_jabatan_ids
    authz.forget(user)


def _acting_for(pegawai, jabatan) -> str | None:
    """ "" definitive, "plt"/"plh" acting, None when the pegawai does not hold the position today."""
    from terpadu.organisasi import services as org

    for held, acting in org.positions_held(pegawai):
        if held.pk == jabatan.pk:
            return acting
    return None


def _add_party(naskah: Naskah, peran: str, *, jabatan=None, pegawai=None) -> None:
    PihakNaskah.objects.get_or_create(naskah=naskah, peran=peran, jabatan=jabatan, pegawai=pegawai)


def _store_bytes(data: bytes, name: str, user=None, max_bytes: int | None = None) -> StoredFile:
    upload = ContentFile(data, name=name)
    return files.store(upload, {"pdf"}, user, max_bytes=max_bytes or SIGNED_PDF_MAX_BYTES)


def read_pdf_upload(uploaded) -> bytes:
    """Validate an uploaded PDF before anything is written; raises files.UploadRejected with a clear reason."""
    data, _kind = files.read_checked(uploaded, {"pdf"})
    return data


def public_url(naskah: Naskah) -> str:
    """The absolute address of the public verification page (carried by the QR code and e-mails)."""
    return f"{settings.PUBLIC_BASE_URL.rstrip('/')}{reverse('naskah_public:verify', args=[naskah.kode_verifikasi])}"


def _holders_users(jabatan) -> list:
    from terpadu.organisasi import services as org

    pegawai, _acting = org.holder_of(jabatan)
    user = getattr(pegawai, "user", None) if pegawai else None
    return [user] if user is not None and user.is_active else []


def _notify_position(jabatan, title: str, naskah: Naskah, body: str = "") -> None:
    url = reverse("naskah:detail", args=[naskah.pk])
    for user in _holders_users(jabatan):
        notifications.notify(user, "naskah", title, body, url)


def _notify_pegawai(pegawai, title: str, naskah: Naskah, body: str = "") -> None:
    user = getattr(pegawai, "user", None)
    if user is not None and user.is_active:
        notifications.notify(user, "naskah", title, body, reverse("naskah:detail", args=[naskah.pk]))


# -- draft -----------------------------------------------------------------------------------------


@dataclass
class DraftInput:
    """What a draft is made of. Views, API and the demo fill it from their own input."""

    data: dict  # jenis, klasifikasi, sifat, urgensi, hal, ringkasan, isi, template, + SIGNER_FIELDS
    penerima: list[dict] | None = None  # [{"peran","jabatan","unit","nama","instansi","alamat","email"}]; None: keep
    dokumen: object | None = None  # an uploaded PDF (sumber "unggah")
    lampiran: list = field(default_factory=list)  # [(uploaded file, judul)] to add
    verifikator: list | None = None  # positions in order; None: default chain (new) / keep (edit)
    catatan: str = ""  # note of the version


def default_chain(drafter_jabatan, signer_jabatan) -> list:
    """Up the hierarchy from the drafter's position to the signer's, the signer and drafter excluded.

    When the walk never meets the signer (the signer is outside the drafter's line), only the positions of
    units below the signer's level are proposed; the drafter edits the chain before submitting."""
    from terpadu.organisasi import services as org

    if drafter_jabatan is None or signer_jabatan is None or drafter_jabatan.pk == signer_jabatan.pk:
        return []
    chain, current = [], drafter_jabatan
    for _step in range(12):
        current = org.atasan_of(current)
        if current is None or current.pk == signer_jabatan.pk:
            break
        chain.append(current)
    else:
        current = None
    if current is None:
        depth = signer_jabatan.unit.depth
        chain = [j for j in chain if j.unit.depth > depth]
    return chain


def _check_draft(data: dict) -> None:
    errors = {}
    signer = data.get("penandatangan_jabatan")
    if signer is None:
        errors["penandatangan_jabatan"] = _("Choose the signing position.")
    if data.get("atas_nama") and not data.get("atas_nama_jabatan"):
        errors["atas_nama_jabatan"] = _("Choose the position signed on behalf of (a.n./u.b.).")
    if not (data.get("hal") or "").strip():
        errors["hal"] = _("The subject (hal) is required.")
    if data.get("jenis") is None:
        errors["jenis"] = _("Choose the kind of naskah.")
    if data.get("klasifikasi") is None:
        errors["klasifikasi"] = _("Choose the classification.")
    if errors:
        raise ValidationError(errors)


def _check_penerima(rows: list[dict]) -> list[dict]:
    clean = []
    for index, row in enumerate(rows):
        if not any(row.get(key) for key in ("jabatan", "unit", "nama", "instansi", "email")):
            continue
        internal = bool(row.get("jabatan") or row.get("unit"))
        if internal and (row.get("email") or row.get("instansi")):
            raise ValidationError(
                _("Recipient %(n)s: choose a position/unit or an outside agency, not both.") % {"n": index + 1}
            )
        if not internal and not (row.get("nama") or row.get("instansi")):
            raise ValidationError(_("Recipient %(n)s: name the outside agency or person.") % {"n": index + 1})
        clean.append(row)
    if not any(r.get("peran", Penerima.Peran.TUJUAN) == Penerima.Peran.TUJUAN for r in clean):
        raise ValidationError({"penerima": _("Name at least one addressee.")})
    return clean


def _accept_uploads(draft: DraftInput) -> tuple[bytes | None, list[tuple[bytes, str, str]]]:
    """Validate every uploaded PDF first, so a rejected file leaves nothing written."""
    dokumen = read_pdf_upload(draft.dokumen) if draft.dokumen is not None else None
    lampiran = []
    for uploaded, judul in draft.lampiran:
        try:
            lampiran.append((read_pdf_upload(uploaded), uploaded.name or "lampiran.pdf", judul or uploaded.name))
        except files.UploadRejected as exc:
            raise files.UploadRejected(
                _("Attachment %(name)s: %(reason)s") % {"name": uploaded.name, "reason": exc}
            ) from exc
    return dokumen, lampiran


@transaction.atomic
def create_draft(user, draft: DraftInput) -> Naskah:
    """A new outgoing naskah (status draf) with its first version; the drafter becomes a party."""
    pegawai = _pegawai(user)
    data = dict(draft.data)
    _check_draft(data)
    penerima = _check_penerima(draft.penerima or [])
    dokumen, lampiran = _accept_uploads(draft)
    if data.get("sumber") == Naskah.Sumber.UNGGAH and dokumen is None:
        raise ValidationError({"dokumen": _("Upload the PDF of the naskah.")})
    naskah = Naskah(arah=Naskah.Arah.KELUAR, status=Naskah.Status.DRAF, pembuat=pegawai)
    _apply(naskah, data, dokumen is not None)
    naskah.full_clean(exclude=["kode_verifikasi"])
    naskah.save()
    _replace_penerima(naskah, penerima)
    _add_lampiran(naskah, lampiran, user)
    _add_party(naskah, PihakNaskah.Peran.PEMBUAT, pegawai=pegawai)
    _sync_signer_party(naskah)
    chain = (
        draft.verifikator
        if draft.verifikator is not None
        else default_chain(pegawai.jabatan, naskah.penandatangan_jabatan)
    )
    _plan_chain(naskah, chain)
    _new_version(naskah, pegawai, user, dokumen, draft.catatan or _("First draft"))
    audit.record(naskah, "create", audit.diff(None, audit.snapshot(naskah, [*CONTENT_FIELDS, *SIGNER_FIELDS])))
    events.publish("naskah.draft_created", {"naskah_id": naskah.pk})
    _index(naskah)
    return naskah


@transaction.atomic
def update_draft(naskah: Naskah, user, draft: DraftInput) -> Naskah:
    """Save edited content: a new version every time (versions are never changed)."""
    pegawai = _pegawai(user)
    naskah = Naskah.objects.select_for_update().get(pk=naskah.pk)
    _require_editable(naskah, pegawai)
    data = {**_current_data(naskah), **draft.data}
    _check_draft(data)
    penerima = _check_penerima(draft.penerima) if draft.penerima is not None else None
    dokumen, lampiran = _accept_uploads(draft)
    before = audit.snapshot(naskah, [*CONTENT_FIELDS, *SIGNER_FIELDS])
    signer_before = naskah.penandatangan_jabatan_id
    _apply(naskah, data, dokumen is not None or naskah.sumber == Naskah.Sumber.UNGGAH)
    naskah.full_clean(exclude=["kode_verifikasi"])
    naskah.save()
    if penerima is not None:
        _replace_penerima(naskah, penerima)
    _add_lampiran(naskah, lampiran, user)
    _sync_signer_party(naskah)
    if draft.verifikator is not None:
        _plan_chain(naskah, draft.verifikator)
    elif signer_before != naskah.penandatangan_jabatan_id and naskah.status == Naskah.Status.DRAF:
        _plan_chain(naskah, default_chain(pegawai.jabatan, naskah.penandatangan_jabatan))
    if dokumen is None and naskah.sumber == Naskah.Sumber.UNGGAH:
        dokumen = _latest_pdf_bytes(naskah)
    versi = _new_version(naskah, pegawai, user, dokumen, draft.catatan)
    audit.record(
        naskah,
        "update",
        {**audit.diff(before, audit.snapshot(naskah, [*CONTENT_FIELDS, *SIGNER_FIELDS])), "versi": [None, versi.nomor]},
    )
    _index(naskah)
    return naskah


def _current_data(naskah: Naskah) -> dict:
    return {
        "jenis": naskah.jenis,
        "klasifikasi": naskah.klasifikasi,
        "sifat": naskah.sifat,
        "urgensi": naskah.urgensi,
        "hal": naskah.hal,
        "ringkasan": naskah.ringkasan,
        "isi": naskah.isi,
        "template": naskah.template,
        "penandatangan_jabatan": naskah.penandatangan_jabatan,
        "atas_nama": naskah.atas_nama,
        "atas_nama_jabatan": naskah.atas_nama_jabatan,
    }


def _apply(naskah: Naskah, data: dict, uploaded: bool) -> None:
    for name in ("jenis", "klasifikasi", "sifat", "urgensi", "hal", "ringkasan", "template", *SIGNER_FIELDS):
        if name in data:
            setattr(naskah, name, data[name])
    naskah.isi = data.get("isi") or {}
    naskah.hal = (naskah.hal or "").strip()
    if not naskah.atas_nama:
        naskah.atas_nama, naskah.atas_nama_jabatan = "", None
    naskah.sumber = Naskah.Sumber.UNGGAH if uploaded else Naskah.Sumber.TEMPLATE
    if naskah.sumber == Naskah.Sumber.TEMPLATE and naskah.template_id is None:
        naskah.template = _template_for(naskah)
    naskah.unit = naskah.penandatangan_jabatan.unit  # the naskah belongs to the signing position's unit
    naskah.teks = "\n".join(str(v) for v in [naskah.hal, naskah.ringkasan, *naskah.isi.values()] if v)


def _template_for(naskah: Naskah):
    from terpadu.naskah import tata

    return tata.template_for(naskah.jenis, naskah.penandatangan_jabatan.unit)


def _require_editable(naskah: Naskah, pegawai) -> None:
    if naskah.pembuat_id != pegawai.pk:
        raise PermissionDenied(_("Only the drafter may edit this naskah."))
    if naskah.status not in EDITABLE:
        raise ValidationError(
            _("Only a draft or a returned naskah can be edited (now: %(status)s).")
            % {"status": naskah.get_status_display()}
        )


def _replace_penerima(naskah: Naskah, rows: list[dict]) -> None:
    naskah.penerima.all().delete()
    for order, row in enumerate(rows):
        Penerima.objects.create(
            naskah=naskah,
            peran=row.get("peran") or Penerima.Peran.TUJUAN,
            urutan=order,
            jabatan=row.get("jabatan"),
            unit=row.get("unit") if not row.get("jabatan") else None,
            nama=(row.get("nama") or "")[:255],
            instansi=(row.get("instansi") or "")[:255],
            alamat=(row.get("alamat") or "")[:500],
            email=row.get("email") or "",
        )


def _add_lampiran(naskah: Naskah, lampiran: list[tuple[bytes, str, str]], user) -> None:
    start = naskah.lampiran.count()
    for offset, (data, name, judul) in enumerate(lampiran):
        stored = _store_bytes(data, name, user)
        Lampiran.objects.create(naskah=naskah, file=stored, judul=(judul or name)[:255], urutan=start + offset)


@transaction.atomic
def remove_lampiran(lampiran: Lampiran, user) -> None:
    pegawai = _pegawai(user)
    naskah = Naskah.objects.select_for_update().get(pk=lampiran.naskah_id)
    _require_editable(naskah, pegawai)
    audit.record(naskah, "lampiran_removed", {"lampiran": [lampiran.judul, None]})
    lampiran.delete()


def _sync_signer_party(naskah: Naskah) -> None:
    naskah.pihak.filter(peran=PihakNaskah.Peran.PENANDATANGAN).exclude(jabatan=naskah.penandatangan_jabatan).delete()
    _add_party(naskah, PihakNaskah.Peran.PENANDATANGAN, jabatan=naskah.penandatangan_jabatan)


def konten_of(naskah: Naskah) -> dict:
    """The content snapshot a version keeps: everything a reader compares between versions."""
    return {
        "jenis": str(naskah.jenis),
        "klasifikasi": f"{naskah.klasifikasi.kode} {naskah.klasifikasi.nama}",
        "sifat": naskah.sifat,
        "urgensi": naskah.urgensi,
        "hal": naskah.hal,
        "ringkasan": naskah.ringkasan,
        "isi": dict(naskah.isi or {}),
        "penandatangan_jabatan": str(naskah.penandatangan_jabatan or ""),
        "atas_nama": naskah.atas_nama,
        "atas_nama_jabatan": str(naskah.atas_nama_jabatan or ""),
        "penerima": [
            {
                "peran": p.peran,
                "jabatan": p.jabatan_id,
                "unit": p.unit_id,
                "nama": p.nama,
                "instansi": p.instansi,
                "alamat": p.alamat,
                "email": p.email,
                "tampil": str(p),  # for comparing versions; the renderer titles positions itself
            }
            for p in naskah.penerima.select_related("jabatan", "unit")
        ],
        "lampiran": [f"{item.judul} ({item.file.sha256[:12]})" for item in naskah.lampiran.select_related("file")],
    }


def _new_version(naskah: Naskah, pegawai, user, uploaded_pdf: bytes | None, catatan: str) -> NaskahVersi:
    konten = konten_of(naskah)
    if uploaded_pdf is not None:
        pdf_bytes = uploaded_pdf
    else:
        try:
            pdf_bytes = _render_draft(naskah, konten)
        except Exception as exc:  # a template error must become a form error, not a half-written draft
            raise ValidationError(_("The draft could not be rendered: %(reason)s") % {"reason": exc}) from exc
    nomor = (naskah.versi.aggregate(m=Max("nomor"))["m"] or 0) + 1
    pdf = _store_bytes(pdf_bytes, f"naskah-{naskah.pk}-v{nomor}.pdf", user) if pdf_bytes else None
    return NaskahVersi.objects.create(
        naskah=naskah, nomor=nomor, konten=konten, pdf=pdf, catatan=(catatan or "")[:500], dibuat_oleh=pegawai
    )


def _latest_pdf_bytes(naskah: Naskah) -> bytes | None:
    versi = naskah.versi.exclude(pdf=None).order_by("-nomor").select_related("pdf").first()
    if versi is None:
        return None
    with versi.pdf.file.open("rb") as handle:
        return handle.read()


def latest_version(naskah: Naskah) -> NaskahVersi | None:
    return naskah.versi.order_by("-nomor").first()


# -- verification chain (paraf) --------------------------------------------------------------------


def current_round(naskah: Naskah) -> int:
    return naskah.verifikasi.aggregate(m=Max("putaran"))["m"] or 1


def planned_chain(naskah: Naskah) -> list[Verifikasi]:
    """The steps of the current round, in order."""
    return list(naskah.verifikasi.filter(putaran=current_round(naskah)).select_related("jabatan", "pegawai"))


def _round_is_open(naskah: Naskah) -> bool:
    """No step of the current round has been acted on: its plan may still change."""
    return (
        not naskah.verifikasi.filter(putaran=current_round(naskah)).exclude(status=Verifikasi.Status.MENUNGGU).exists()
    )


def _plan_chain(naskah: Naskah, jabatan_list: list) -> None:
    """Replace the plan of the round to come (before submission only)."""
    seen, unique = set(), []
    for jabatan in jabatan_list:
        if jabatan is not None and jabatan.pk not in seen and jabatan.pk != naskah.penandatangan_jabatan_id:
            seen.add(jabatan.pk)
            unique.append(jabatan)
    putaran = current_round(naskah) if _round_is_open(naskah) else current_round(naskah) + 1
    naskah.verifikasi.filter(putaran=putaran).delete()
    for order, jabatan in enumerate(unique, start=1):
        Verifikasi.objects.create(naskah=naskah, putaran=putaran, urutan=order, jabatan=jabatan)
    keep = set(naskah.verifikasi.values_list("jabatan_id", flat=True))
    naskah.pihak.filter(peran=PihakNaskah.Peran.VERIFIKATOR).exclude(jabatan_id__in=keep).delete()


@transaction.atomic
def set_chain(naskah: Naskah, user, jabatan_list: list) -> Naskah:
    """The drafter edits the ordered verifikators before submitting."""
    pegawai = _pegawai(user)
    naskah = Naskah.objects.select_for_update().get(pk=naskah.pk)
    _require_editable(naskah, pegawai)
    before = [v.jabatan_id for v in planned_chain(naskah)]
    _plan_chain(naskah, jabatan_list)
    after = [v.jabatan_id for v in planned_chain(naskah)]
    audit.record(naskah, "chain_set", {"verifikator": [before, after]})
    return naskah


@transaction.atomic
def submit(naskah: Naskah, user) -> Naskah:
    """Send the draft up the chain (or straight to the signer when there is no verifikator)."""
    pegawai = _pegawai(user)
    naskah = Naskah.objects.select_for_update().get(pk=naskah.pk)
    _require_editable(naskah, pegawai)
    if naskah.penerima.filter(peran=Penerima.Peran.TUJUAN).count() == 0:
        raise ValidationError(_("Name at least one addressee before submitting."))
    if not _round_is_open(naskah):  # a returned naskah: a new round with the same positions
        _plan_chain(naskah, [v.jabatan for v in planned_chain(naskah)])
    steps = planned_chain(naskah)
    versi = latest_version(naskah)
    for step in steps:
        step.versi = versi
        step.save(update_fields=["versi"])
        _add_party(naskah, PihakNaskah.Peran.VERIFIKATOR, jabatan=step.jabatan)
    before = naskah.status
    naskah.status = Naskah.Status.VERIFIKASI if steps else Naskah.Status.SIAP_TTD
    naskah.save(update_fields=["status", "diubah"])
    audit.record(naskah, "submit", {"status": [before, naskah.status], "putaran": [None, current_round(naskah)]})
    events.publish("naskah.diajukan", {"naskah_id": naskah.pk})
    if steps:
        _notify_position(
            steps[0].jabatan, _("A naskah waits for your paraf: %(hal)s") % {"hal": _safe_hal(naskah)}, naskah
        )
    else:
        _notify_position(
            naskah.penandatangan_jabatan,
            _("A naskah waits for your signature: %(hal)s") % {"hal": _safe_hal(naskah)},
            naskah,
        )
    return naskah


def _safe_hal(naskah: Naskah) -> str:
    """Notifications go by e-mail: never put the subject of a secret naskah there."""
    return naskah.get_sifat_display() if naskah.rahasia else naskah.hal[:120]


def current_step(naskah: Naskah) -> Verifikasi | None:
    """The step whose turn it is (only while the naskah is being verified)."""
    if naskah.status != Naskah.Status.VERIFIKASI:
        return None
    return (
        naskah.verifikasi.filter(putaran=current_round(naskah), status=Verifikasi.Status.MENUNGGU)
        .select_related("jabatan")
        .order_by("urutan")
        .first()
    )


def may_verify(naskah: Naskah, user) -> bool:
    step = current_step(naskah)
    return step is not None and holds(user, step.jabatan_id)


def _take_turn(naskah: Naskah, user) -> tuple[Naskah, Verifikasi]:
    naskah = Naskah.objects.select_for_update().get(pk=naskah.pk)
    if naskah.status != Naskah.Status.VERIFIKASI:
        raise ValidationError(
            _("This naskah is not being verified (now: %(status)s).") % {"status": naskah.get_status_display()}
        )
    step = current_step(naskah)
    if step is None or not holds(user, step.jabatan_id):
        raise PermissionDenied(_("It is not your turn to verify this naskah."))
    return naskah, step


@transaction.atomic
def approve(naskah: Naskah, user, catatan: str = "") -> Naskah:
    """Paraf by the holder of the current step's position; after the last one the signer is asked."""
    pegawai = _pegawai(user)
    naskah, step = _take_turn(naskah, user)
    step.status, step.pegawai, step.catatan, step.diproses = (
        Verifikasi.Status.DISETUJUI,
        pegawai,
        catatan,
        timezone.now(),
    )
    step.save()
    audit.record(naskah, "paraf", {"langkah": [None, step.urutan], "jabatan": [None, str(step.jabatan)]})
    following = current_step(naskah)
    if following is not None:
        _notify_position(
            following.jabatan, _("A naskah waits for your paraf: %(hal)s") % {"hal": _safe_hal(naskah)}, naskah
        )
        return naskah
    naskah.status = Naskah.Status.SIAP_TTD
    naskah.save(update_fields=["status", "diubah"])
    audit.record(naskah, "ready_to_sign", {"status": [Naskah.Status.VERIFIKASI, naskah.status]})
    events.publish("naskah.siap_ttd", {"naskah_id": naskah.pk})
    _notify_position(
        naskah.penandatangan_jabatan,
        _("A naskah waits for your signature: %(hal)s") % {"hal": _safe_hal(naskah)},
        naskah,
    )
    return naskah


@transaction.atomic
def return_to_drafter(naskah: Naskah, user, catatan: str) -> Naskah:
    """Return with notes: back to the drafter, who edits (a new version) and resubmits (a new round)."""
    pegawai = _pegawai(user)
    if not (catatan or "").strip():
        raise ValidationError({"catatan": _("Say what must change.")})
    naskah = Naskah.objects.select_for_update().get(pk=naskah.pk)
    if naskah.status == Naskah.Status.SIAP_TTD and holds(user, naskah.penandatangan_jabatan_id):
        pass  # the signer may also send it back instead of signing; the next submission opens a new round
    else:
        naskah, step = _take_turn(naskah, user)
        step.status, step.pegawai, step.catatan, step.diproses = (
            Verifikasi.Status.DIKEMBALIKAN,
            pegawai,
            catatan.strip(),
            timezone.now(),
        )
        step.save()
    before = naskah.status
    naskah.status = Naskah.Status.DIKEMBALIKAN
    naskah.save(update_fields=["status", "diubah"])
    audit.record(naskah, "return", {"status": [before, naskah.status], "catatan": [None, catatan.strip()]})
    events.publish("naskah.dikembalikan", {"naskah_id": naskah.pk})
    _notify_pegawai(
        naskah.pembuat, _("A naskah was returned to you: %(hal)s") % {"hal": _safe_hal(naskah)}, naskah, catatan
    )
    return naskah


# -- signing ---------------------------------------------------------------------------------------


def may_sign(naskah: Naskah, user) -> bool:
    ready = naskah.status == Naskah.Status.SIAP_TTD or (
        naskah.status == Naskah.Status.DRAF and not naskah.verifikasi.exists()
    )
    return ready and holds(user, naskah.penandatangan_jabatan_id)


def signature_label(naskah: Naskah, jabatan, acting: str) -> str:
    """The title of the signature block: a.n./u.b. and Plt./Plh. as Permendagri 1/2023 writes them."""
    from terpadu.organisasi import services as org

    own = org.position_label(jabatan, acting)
    if naskah.atas_nama == Naskah.AtasNama.AN and naskah.atas_nama_jabatan:
        return f"a.n. {naskah.atas_nama_jabatan.nama}\n{own}"
    if naskah.atas_nama == Naskah.AtasNama.UB and naskah.atas_nama_jabatan:
        return f"u.b. {naskah.atas_nama_jabatan.nama}\n{own}"
    return own


def _check_signer(naskah: Naskah, user, otp_verified: bool) -> tuple[object, str]:
    pegawai = _pegawai(user)
    if not otp_verified:
        raise SignFailed(_("Signing needs a session that passed two-factor authentication."), "otp_required")
    acting = _acting_for(pegawai, naskah.penandatangan_jabatan) if naskah.penandatangan_jabatan else None
    if acting is None:
        raise SignFailed(
            _("You do not hold the signing position of this naskah: a signer without the right."), "not_signer"
        )
    ready = naskah.status == Naskah.Status.SIAP_TTD or (
        naskah.status == Naskah.Status.DRAF and not naskah.verifikasi.exists()
    )
    if not ready:
        raise SignFailed(
            _("This naskah cannot be signed now (status: %(status)s).") % {"status": naskah.get_status_display()},
            "wrong_status",
        )
    return pegawai, acting


def sign(naskah: Naskah, user, *, backend: str, passphrase: str, credential_id=None, otp_verified: bool) -> Naskah:
    """Number, render, sign and store in ONE transaction: any failure leaves no number used and nothing signed."""
    tte = _tte()
    try:
        with transaction.atomic():
            return _sign_locked(naskah, user, tte, backend, passphrase, credential_id, otp_verified)
    except tte.SigningError as exc:
        raise SignFailed(str(getattr(exc, "message", exc)), getattr(exc, "code", "sign_failed")) from exc


def _sign_locked(naskah, user, tte, backend, passphrase, credential_id, otp_verified) -> Naskah:
    naskah = (
        Naskah.objects.select_for_update(of=("self",)).select_related("penandatangan_jabatan__unit").get(pk=naskah.pk)
    )
    pegawai, acting = _check_signer(naskah, user, otp_verified)
    before = audit.snapshot(naskah, ["status", "nomor", "tanggal"])
    tanggal = timezone.localdate()
    nomor = _allocate(naskah, tanggal.year)
    naskah.nomor, naskah.nomor_urut, naskah.nomor_tahun, naskah.tanggal = nomor.text, nomor.urut, nomor.tahun, tanggal
    block = _signature_block(naskah, pegawai, naskah.penandatangan_jabatan, acting, tanggal)
    label = _label_of(block) or signature_label(naskah, naskah.penandatangan_jabatan, acting)
    naskah.penandatangan_label = label[:500]
    pdf, box = _final_pdf(naskah, nomor.text, tanggal, block)
    stamp = tte.Stamp(
        page=box[0],
        box=tuple(box[1:]),
        qr_url=public_url(naskah),
        lines=[_("Signed electronically by"), *label.splitlines(), pegawai.nama_lengkap, f"NIP {pegawai.nip}"],
    )
    signed = _sign_pdf(
        pdf,
        pegawai=pegawai,
        backend=backend,
        passphrase=passphrase,
        stamp=stamp,
        reason=_("Naskah dinas %(nomor)s") % {"nomor": nomor.text},
        location=str(naskah.unit.pemda) if getattr(naskah.unit, "pemda_id", None) else "",
        credential_id=credential_id,
    )
    stored = _store_bytes(signed.data, f"naskah-{naskah.pk}-ttd.pdf", user)
    naskah.dokumen, naskah.hash_sha256 = stored, stored.sha256
    naskah.penandatangan, naskah.ditandatangani = pegawai, signed.signed_at or timezone.now()
    naskah.tte_backend, naskah.status = signed.backend or backend, Naskah.Status.DITANDATANGANI
    naskah.save()
    _add_party(naskah, PihakNaskah.Peran.PENANDATANGAN, pegawai=pegawai)
    _index(naskah)
    _propose_arsip(naskah)
    changes = audit.diff(before, audit.snapshot(naskah, ["status", "nomor", "tanggal"]))
    audit.record(naskah, "sign", {**changes, "hash_sha256": [None, naskah.hash_sha256], "label": [None, label]})
    events.publish("naskah.ditandatangani", {"naskah_id": naskah.pk, "pegawai_id": pegawai.pk})
    return naskah


def _label_of(block) -> str:
    """The block's position lines (a.n./u.b./Plt./Plh.), one per line, without the trailing commas."""
    lines = getattr(block, "jabatan_lines", None) or []
    return "\n".join(line.rstrip(",") for line in lines if line.strip())


def _final_pdf(naskah: Naskah, nomor: str, tanggal, block) -> tuple[bytes, tuple]:
    try:
        if naskah.sumber == Naskah.Sumber.UNGGAH:
            return stamp_number(_latest_pdf_bytes(naskah) or b"", nomor, tanggal)
        return _render_final(naskah, nomor=nomor, tanggal=tanggal, signature=block)
    except (ValidationError, PermissionDenied):
        raise
    except Exception as exc:  # render errors roll the whole signing back and are shown to the signer
        raise SignFailed(
            _("The final document could not be made: %(reason)s") % {"reason": exc}, "render_failed"
        ) from exc


UPLOAD_STAMP_BOX = (36.0, 36.0, 246.0, 120.0)  # bottom-left of the last page, in PDF points


def stamp_number(pdf: bytes, nomor: str, tanggal) -> tuple[bytes, tuple]:
    """An uploaded PDF gets its number as a small header line on the first page (an overlay drawn by WeasyPrint
    and merged with pypdf); the visible signature goes in a fixed box at the bottom of the last page."""
    from django.utils.html import escape
    from pypdf import PdfReader, PdfWriter
    from weasyprint import HTML

    reader = PdfReader(io.BytesIO(pdf))
    first = reader.pages[0]
    width, height = float(first.mediabox.width), float(first.mediabox.height)
    html = (
        f"<style>@page {{ size: {width}pt {height}pt; margin: 0 }} body {{ margin: 0 }}"
        f"p {{ position: absolute; top: 14pt; right: 28pt; font: 9pt sans-serif; margin: 0;"
        f" background: white; padding: 2pt 4pt }}</style>"
        f"<p>{escape(_('Number'))}: {escape(nomor)} · {escape(tanggal.isoformat())}</p>"
    )
    overlay = PdfReader(io.BytesIO(HTML(string=html).write_pdf())).pages[0]
    writer = PdfWriter(clone_from=reader)
    writer.pages[0].merge_page(overlay)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue(), (len(reader.pages) - 1, *UPLOAD_STAMP_BOX)


# -- sending ---------------------------------------------------------------------------------------


def may_send(naskah: Naskah, user) -> bool:
    from terpadu.core import authz

    if naskah.status != Naskah.Status.DITANDATANGANI:
        return False
    signer = getattr(user, "pegawai_id", None) is not None and user.pegawai_id == naskah.penandatangan_id
    return signer or holds(user, naskah.penandatangan_jabatan_id) or authz.can(user, "naskah.register", naskah)


@transaction.atomic
def send(naskah: Naskah, user) -> Naskah:
    """Internal recipients: into their inbox at once. External: an e-mail with the signed PDF and the link."""
    naskah = Naskah.objects.select_for_update().get(pk=naskah.pk)
    if naskah.status != Naskah.Status.DITANDATANGANI:
        raise ValidationError(
            _("Only a signed naskah can be sent (now: %(status)s).") % {"status": naskah.get_status_display()}
        )
    if not may_send(naskah, user):
        raise PermissionDenied(_("Only the signer or the unit's registrar may send this naskah."))
    if getattr(user, "pegawai", None) is not None and not holds(user, naskah.penandatangan_jabatan_id):
        _add_party(naskah, PihakNaskah.Peran.PENCATAT, pegawai=user.pegawai)
    for penerima in naskah.penerima.select_related("jabatan", "unit"):
        if penerima.internal:
            _send_internal(naskah, penerima)
        elif penerima.email:
            _send_email(naskah, penerima)
    naskah.status = Naskah.Status.TERKIRIM
    naskah.save(update_fields=["status", "diubah"])
    audit.record(naskah, "send", {"status": [Naskah.Status.DITANDATANGANI, naskah.status]})
    events.publish("naskah.dikirim", {"naskah_id": naskah.pk})
    return naskah


def _send_internal(naskah: Naskah, penerima: Penerima) -> None:
    """The inbox part resolves a unit to its head's position, stamps the delivery, adds the party, notifies."""
    _deliver_internal(naskah, penerima)


def _send_email(naskah: Naskah, penerima: Penerima) -> None:
    subject = _("Naskah dinas %(nomor)s") % {"nomor": naskah.nomor}
    body = _(
        "Dear %(name)s,\n\nplease find attached the official document %(nomor)s of %(tanggal)s from %(unit)s"
        "%(hal)s.\n\nCheck that it is authentic at:\n%(url)s\n"
    ) % {
        "name": penerima.nama or penerima.instansi,
        "nomor": naskah.nomor,
        "tanggal": naskah.tanggal,
        "unit": naskah.unit,
        "hal": "" if naskah.sifat != "biasa" else f" ({naskah.hal})",
        "url": public_url(naskah),
    }
    message = notifications.queue_email([penerima.email], subject, body, attachments=[naskah.dokumen_id])
    penerima.surel, penerima.surel_id = Penerima.Surel.ANTRE, message.pk
    penerima.save(update_fields=["surel", "surel_id"])


EMAIL_STATUS = {OutgoingEmail.Status.SENT: Penerima.Surel.TERKIRIM, OutgoingEmail.Status.FAILED: Penerima.Surel.GAGAL}


@transaction.atomic
def email_status_changed(email_id: int, status: str) -> int:
    """Subscriber of core.email_status: mirror the e-mail job's outcome on the recipient rows."""
    surel = EMAIL_STATUS.get(status)
    if surel is None:
        return 0
    updated = 0
    for penerima in Penerima.objects.select_for_update().filter(surel_id=email_id).exclude(surel=surel):
        penerima.surel = surel
        if surel == Penerima.Surel.TERKIRIM and penerima.terkirim is None:
            penerima.terkirim = timezone.now()
        penerima.save(update_fields=["surel", "terkirim"])
        updated += 1
    return updated


def record_read(naskah: Naskah, user) -> None:
    """Opening a sent naskah as a recipient is the read receipt (kept by the inbox part)."""
    if naskah.arah != Naskah.Arah.KELUAR or naskah.status != Naskah.Status.TERKIRIM:
        return
    if not naskah.penerima.filter(jabatan_id__in=access.my_position_ids(user)).exists() and not _unit_recipient(
        naskah, user
    ):
        return
    _mark_read(naskah, user)


def _unit_recipient(naskah: Naskah, user) -> bool:
    from terpadu.organisasi import services as org

    mine = set(access.my_position_ids(user))
    for penerima in naskah.penerima.filter(unit__isnull=False, jabatan__isnull=True).select_related("unit"):
        head = org.head_of(penerima.unit)
        if head is not None and head.pk in mine:
            return True
    return False


# -- explicit access -------------------------------------------------------------------------------


def may_grant(naskah: Naskah, user) -> bool:
    from terpadu.core import authz

    signer = naskah.penandatangan_id is not None and getattr(user, "pegawai_id", None) == naskah.penandatangan_id
    return signer or holds(user, naskah.penandatangan_jabatan_id) or authz.can(user, "naskah.grant", naskah)


@transaction.atomic
def grant_access(naskah: Naskah, user, pegawai, alasan: str, sampai=None) -> AksesNaskah:
    if not may_grant(naskah, user):
        raise PermissionDenied(_("Only the signer or a holder of naskah.grant may grant access."))
    if not (alasan or "").strip():
        raise ValidationError({"alasan": _("Give the reason for the access.")})
    if sampai is not None and sampai < timezone.localdate():
        raise ValidationError({"sampai": _("The end date is in the past.")})
    akses = AksesNaskah.objects.create(
        naskah=naskah, pegawai=pegawai, alasan=alasan.strip(), sampai=sampai, diberikan_oleh=user
    )
    _add_party(naskah, PihakNaskah.Peran.AKSES, pegawai=pegawai)
    audit.record(
        naskah, "grant", {"pegawai": [None, str(pegawai)], "alasan": [None, akses.alasan], "sampai": [None, sampai]}
    )
    return akses


@transaction.atomic
def revoke_access(akses: AksesNaskah, user) -> None:
    naskah = akses.naskah
    if not may_grant(naskah, user):
        raise PermissionDenied(_("Only the signer or a holder of naskah.grant may revoke access."))
    pegawai = akses.pegawai
    akses.delete()
    if not naskah.akses.filter(pegawai=pegawai).exists():
        naskah.pihak.filter(peran=PihakNaskah.Peran.AKSES, pegawai=pegawai).delete()
    audit.record(naskah, "revoke_grant", {"pegawai": [str(pegawai), None]})


@transaction.atomic
def expire_grants(today=None) -> int:
    """Remove the party rows of grants whose end date has passed (a periodic job calls this)."""
    today = today or timezone.localdate()
    count = 0
    for akses in AksesNaskah.objects.filter(sampai__lt=today).select_related("naskah", "pegawai"):
        naskah, pegawai = akses.naskah, akses.pegawai
        akses.delete()
        if not naskah.akses.filter(pegawai=pegawai).exists():
            naskah.pihak.filter(peran=PihakNaskah.Peran.AKSES, pegawai=pegawai).delete()
        audit.record(naskah, "grant_expired", {"pegawai": [str(pegawai), None]})
        count += 1
    return count


# -- comparing versions ----------------------------------------------------------------------------


def _flatten(konten: dict) -> dict[str, str]:
    flat = {}
    for key, value in konten.items():
        if isinstance(value, dict):
            for inner, inner_value in value.items():
                flat[f"{key}.{inner}"] = str(inner_value)
        elif isinstance(value, list):
            flat[key] = "\n".join(_item_text(item) for item in value)
        else:
            flat[key] = "" if value is None else str(value)
    return flat


def _item_text(item) -> str:
    if not isinstance(item, dict):
        return str(item)
    email = f" <{item['email']}>" if item.get("email") else ""
    return f"{item.get('peran', '')}: {item.get('tampil', '')}{email}"


def word_diff(old: str, new: str) -> list[tuple[str, str]]:
    """[(op, text)] with op "=", "-" or "+": a word-level diff for display."""
    a, b = old.split(), new.split()
    parts = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if op == "equal":
            parts.append(("=", " ".join(a[i1:i2])))
            continue
        if i2 > i1:
            parts.append(("-", " ".join(a[i1:i2])))
        if j2 > j1:
            parts.append(("+", " ".join(b[j1:j2])))
    return parts


def compare_versions(old: NaskahVersi, new: NaskahVersi) -> list[dict]:
    """Field by field: {"field", "old", "new", "changed", "words"}."""
    a, b = _flatten(old.konten), _flatten(new.konten)
    rows = []
    for key in [*a, *[k for k in b if k not in a]]:
        before, after = a.get(key, ""), b.get(key, "")
        rows.append(
            {"field": key, "old": before, "new": after, "changed": before != after, "words": word_diff(before, after)}
        )
    return rows


# -- verification of a copy ------------------------------------------------------------------------


@dataclass
class CopyVerdict:
    hash_matches: bool
    signature_valid: bool | None  # None: the validator could not run
    signers: list = field(default_factory=list)
    message: str = ""

    @property
    def valid(self) -> bool:
        return self.hash_matches and self.signature_valid is not False


def verify_copy(naskah: Naskah, data: bytes) -> CopyVerdict:
    """Is this file the document of record? Same SHA-256 AND an intact, trusted signature."""
    matches = bool(naskah.hash_sha256) and hashlib.sha256(data).hexdigest() == naskah.hash_sha256
    try:
        report = _validate_pdf(data)
    except Exception as exc:  # a damaged upload: not valid, say why
        return CopyVerdict(matches, False, [], str(exc))
    signers = [getattr(s, "signer", None) or getattr(s, "signer_subject", "") or str(s) for s in report.signatures]
    return CopyVerdict(matches, bool(report.valid), signers, report.message or "")
