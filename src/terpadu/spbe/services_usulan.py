"""Aplikasi khusus proposals (Perpres 95/2018 Pasal 39) and the budget gate.

An OPD drafts a proposal with the seven items KemenPANRB asks for, sees the overlapping applications before it
submits (and confirms it saw them), Diskominfo reviews it against a checklist (data/usulan_checklist.csv),
returns it with notes or recommends it, drafts the Wali Kota's cover letter through the naskah module, marks it
sent (or the naskah's signature/sending does), and records KemenPANRB's pertimbangan. The budget gate refuses
TAPD approval of an RKA that budgets a new aplikasi khusus without an approved pertimbangan.

Every function that changes state validates first, writes in one transaction, audits and publishes an event.
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
import logging
from dataclasses import dataclass
from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from terpadu.core import audit, authz, events, files
from terpadu.spbe.models import Aplikasi, AplikasiNasional, UsulanAplikasi

logger = logging.getLogger("terpadu.spbe")
DATA = Path(__file__).resolve().parent / "data"
S = UsulanAplikasi.Status

ITEM_LABELS = {
    "latar_belakang": gettext_lazy("background and urgency"),
    "fungsi_bisnis": gettext_lazy("business function and services"),
    "metode_pembangunan": gettext_lazy("development method"),
    "kebutuhan_data": gettext_lazy("data and information needs"),
    "teknologi": gettext_lazy("technology"),
    "jadwal": gettext_lazy("schedule"),
    "pendanaan": gettext_lazy("funding"),
}
DRAFT_FIELDS = ("nama_aplikasi", "bidang", *UsulanAplikasi.SEVEN_ITEMS, "sub_kegiatan")
EDITABLE = (S.DRAFT, S.DIKEMBALIKAN)
ACTIVE_CATALOGUE = (Aplikasi.Status.USULAN, Aplikasi.Status.PENGEMBANGAN)


# --- reference data ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ChecklistItem:
    kode: str
    uraian: str
    keyakinan: str
    catatan: str


@functools.cache
def checklist_items() -> tuple[ChecklistItem, ...]:
    """Diskominfo's review checklist, from data/usulan_checklist.csv (the city's own choice)."""
    with open(DATA / "usulan_checklist.csv", encoding="utf-8") as handle:
        return tuple(
            ChecklistItem(r["kode"].strip(), r["uraian"].strip(), r.get("keyakinan", "local"), r.get("catatan", ""))
            for r in csv.DictReader(handle)
            if (r.get("kode") or "").strip()
        )


# --- permissions ---------------------------------------------------------------------------------------------


def may_propose(user, usulan: UsulanAplikasi) -> bool:
    return authz.can(user, "spbe.propose", usulan)


def may_review(user, usulan: UsulanAplikasi | None = None) -> bool:
    return authz.can(user, "spbe.review", usulan)


def _require(user, action: str, usulan) -> None:
    if user is not None and not authz.can(user, action, usulan):
        raise PermissionDenied(_("You may not do this with this proposal."))


def _locked(usulan: UsulanAplikasi) -> UsulanAplikasi:
    return UsulanAplikasi.objects.select_for_update().get(pk=usulan.pk)


def _status_is(usulan: UsulanAplikasi, allowed: tuple, what: str) -> None:
    if usulan.status not in allowed:
        raise ValidationError(
            _("The proposal is %(status)s: it cannot be %(what)s now.")
            % {"status": usulan.get_status_display().lower(), "what": what}
        )


def _publish(name: str, usulan: UsulanAplikasi) -> None:
    events.publish(f"spbe.usulan_{name}", {"usulan_id": usulan.pk, "status": usulan.status})


# --- draft ---------------------------------------------------------------------------------------------------


def _clean(data: dict, unit) -> dict:
    cleaned = {}
    for name in DRAFT_FIELDS:
        if name not in data:
            continue
        value = data[name]
        cleaned[name] = value if name == "sub_kegiatan" else (value or "").strip()
    if "nama_aplikasi" in cleaned and not cleaned["nama_aplikasi"]:
        raise ValidationError({"nama_aplikasi": _("Name the application.")})
    sub = cleaned.get("sub_kegiatan")
    if sub is not None and unit is not None and sub.unit_id != unit.pk:
        raise ValidationError(
            {"sub_kegiatan": _("The sub kegiatan %(kode)s belongs to another OPD.") % {"kode": _sub_code(sub)}}
        )
    return cleaned


def _sub_code(sub) -> str:
    return f"{sub.sub_kegiatan.kode} ({sub.tahun})" if sub is not None else ""


def buat(user, unit, data: dict) -> UsulanAplikasi:
    """A new draft proposal of `unit` (the OPD must hold spbe.propose there)."""
    probe = UsulanAplikasi(unit=unit)
    _require(user, "spbe.propose", probe)
    if not (data.get("nama_aplikasi") or "").strip():
        raise ValidationError({"nama_aplikasi": _("Name the application.")})
    cleaned = _clean(data, unit)
    with transaction.atomic():
        usulan = UsulanAplikasi.objects.create(
            unit=unit, dibuat_oleh=user if getattr(user, "is_authenticated", False) else None, **cleaned
        )
        audit.record(usulan, "create", audit.diff(None, audit.snapshot(usulan)))
        _publish("dibuat", usulan)
    return usulan


def ubah(user, usulan: UsulanAplikasi, data: dict) -> UsulanAplikasi:
    """Edit a draft or a returned proposal."""
    _require(user, "spbe.propose", usulan)
    with transaction.atomic():
        usulan = _locked(usulan)
        _status_is(usulan, EDITABLE, _("edited"))
        cleaned = _clean(data, usulan.unit)
        before = audit.snapshot(usulan)
        for name, value in cleaned.items():
            setattr(usulan, name, value)
        usulan.save()
        changes = audit.diff(before, audit.snapshot(usulan))
        if changes:
            audit.record(usulan, "update", changes)
    return usulan


def missing_items(usulan: UsulanAplikasi) -> list[str]:
    return [name for name in UsulanAplikasi.SEVEN_ITEMS if not (getattr(usulan, name) or "").strip()]


# --- overlaps ------------------------------------------------------------------------------------------------


def _as_dict(obj, skor=None, alasan=None) -> dict:
    nasional = isinstance(obj, AplikasiNasional)
    return {
        "jenis": "nasional" if nasional else "kota",
        "id": obj.pk,
        "nama": obj.nama,
        "bidang": obj.bidang,
        "umum": bool(obj.aplikasi_umum) if nasional else obj.jenis == Aplikasi.Jenis.UMUM,
        "unit": "" if nasional or obj.unit_id is None else str(obj.unit),
        "skor": round(float(skor), 3) if skor is not None else None,
        "alasan": [str(a) for a in (alasan or [])],
    }


def _fallback_overlaps(bidang: str, nama: str) -> list:
    # TODO(katalog): only used while services_katalog.overlaps is missing; same bidang, national umum or city apps.
    from django.db.models import Q

    if not (bidang or "").strip():
        return []
    found = list(AplikasiNasional.objects.filter(aplikasi_umum=True, bidang__iexact=bidang.strip()))
    found += list(Aplikasi.objects.filter(Q(bidang__iexact=bidang.strip())).exclude(status=Aplikasi.Status.DIHENTIKAN))
    return found


def tumpang_tindih(usulan: UsulanAplikasi) -> list[dict]:
    """The existing / aplikasi umum applications overlapping the proposal (what the OPD is shown)."""
    from terpadu.spbe import services_katalog

    fn = getattr(services_katalog, "overlaps", None)
    found = (
        fn(usulan.bidang, usulan.nama_aplikasi, usulan.fungsi_bisnis)
        if fn
        else _fallback_overlaps(usulan.bidang, usulan.nama_aplikasi)
    )
    own = usulan.aplikasi_id
    return [
        _as_dict(o, getattr(o, "skor", None), getattr(o, "alasan", None))
        for o in found
        if not (isinstance(o, Aplikasi) and o.pk == own)
    ]


def overlap_key(item: dict) -> str:
    return f"{item['jenis']}:{item['id']}"


def ajukan(
    user, usulan: UsulanAplikasi, *, konfirmasi: bool = False, justifikasi: str = "", dilihat: list[str] | None = None
) -> UsulanAplikasi:
    """Submit to Diskominfo: all seven items present; the overlaps shown are stored and, when there are any,
    the OPD confirms it saw them and says why its application is still needed. `dilihat` (the keys of the
    overlaps the page showed) guards against a list that changed between showing and submitting."""
    _require(user, "spbe.propose", usulan)
    justifikasi = (justifikasi or "").strip()
    with transaction.atomic():
        usulan = _locked(usulan)
        _status_is(usulan, EDITABLE, _("submitted"))
        missing = missing_items(usulan)
        if missing:
            raise ValidationError(
                _("The proposal is missing: %(items)s.") % {"items": ", ".join(str(ITEM_LABELS[m]) for m in missing)},
                code="missing_items",
            )
        shown = tumpang_tindih(usulan)
        if dilihat is not None and sorted(dilihat) != sorted(overlap_key(o) for o in shown):
            raise ValidationError(
                _("The list of overlapping applications changed since the page was shown: review it again."),
                code="overlaps_changed",
            )
        if shown and not konfirmasi:
            raise ValidationError(
                {"konfirmasi": _("Confirm that you have seen the %(n)s overlapping applications.") % {"n": len(shown)}}
            )
        if shown and not justifikasi:
            raise ValidationError(
                {"justifikasi": _("Explain why the application is needed although these applications exist.")}
            )
        before = audit.snapshot(usulan)
        usulan.tumpang_tindih = shown
        usulan.tumpang_tindih_dikonfirmasi = bool(shown) and konfirmasi
        usulan.tumpang_tindih_justifikasi = justifikasi if shown else ""
        usulan.status = S.DIAJUKAN
        usulan.diajukan = timezone.now()
        usulan.save()
        audit.record(usulan, "submit", audit.diff(before, audit.snapshot(usulan)))
        _publish("diajukan", usulan)
    return usulan


def hapus(user, usulan: UsulanAplikasi) -> None:
    """Delete a draft that was never submitted."""
    _require(user, "spbe.propose", usulan)
    with transaction.atomic():
        usulan = _locked(usulan)
        if usulan.status != S.DRAFT or usulan.diajukan:
            raise ValidationError(_("Only a draft that was never submitted can be deleted."))
        audit.record(usulan, "delete", audit.diff(audit.snapshot(usulan), None))
        usulan.delete()


# --- review --------------------------------------------------------------------------------------------------


def _clean_checklist(checklist: dict | None) -> dict:
    known = {item.kode for item in checklist_items()}
    checklist = dict(checklist or {})
    unknown = sorted(set(checklist) - known)
    if unknown:
        raise ValidationError({"checklist": _("Unknown checklist items: %(k)s.") % {"k": ", ".join(unknown)}})
    return {kode: bool(checklist.get(kode)) for kode in sorted(known)}


def simpan_checklist(user, usulan: UsulanAplikasi, checklist: dict) -> UsulanAplikasi:
    _require(user, "spbe.review", usulan)
    with transaction.atomic():
        usulan = _locked(usulan)
        _status_is(usulan, (S.DIAJUKAN,), _("reviewed"))
        cleaned = _clean_checklist(checklist)
        if cleaned != usulan.checklist:
            audit.record(usulan, "checklist", {"checklist": [usulan.checklist, cleaned]})
            usulan.checklist = cleaned
            usulan.save(update_fields=["checklist"])
    return usulan


def kembalikan(user, usulan: UsulanAplikasi, catatan: str, checklist: dict | None = None) -> UsulanAplikasi:
    """Return to the OPD with notes (it can edit and submit again)."""
    _require(user, "spbe.review", usulan)
    catatan = (catatan or "").strip()
    if not catatan:
        raise ValidationError({"catatan_review": _("Say what the OPD must correct.")})
    with transaction.atomic():
        usulan = _locked(usulan)
        _status_is(usulan, (S.DIAJUKAN,), _("returned"))
        before = audit.snapshot(usulan)
        if checklist is not None:
            usulan.checklist = _clean_checklist(checklist)
        usulan.catatan_review = catatan
        usulan.status = S.DIKEMBALIKAN
        usulan.save()
        audit.record(usulan, "return", audit.diff(before, audit.snapshot(usulan)))
        _publish("dikembalikan", usulan)
    return usulan


def rekomendasikan(user, usulan: UsulanAplikasi, checklist: dict, catatan: str = "") -> UsulanAplikasi:
    """Diskominfo recommends the proposal: every checklist item must be ticked."""
    _require(user, "spbe.review", usulan)
    cleaned = _clean_checklist(checklist)
    unticked = [i.uraian for i in checklist_items() if not cleaned.get(i.kode)]
    if unticked:
        raise ValidationError(
            {
                "checklist": _(
                    "Tick every checklist item before recommending (or return the proposal with notes). "
                    "Not ticked: %(items)s."
                )
                % {"items": "; ".join(unticked)}
            }
        )
    with transaction.atomic():
        usulan = _locked(usulan)
        _status_is(usulan, (S.DIAJUKAN,), _("recommended"))
        before = audit.snapshot(usulan)
        usulan.checklist = cleaned
        if (catatan or "").strip():
            usulan.catatan_review = catatan.strip()
        usulan.status = S.DIREKOMENDASIKAN
        usulan.save()
        audit.record(usulan, "recommend", audit.diff(before, audit.snapshot(usulan)))
        _publish("direkomendasikan", usulan)
    return usulan


# --- cover letter (naskah) -----------------------------------------------------------------------------------


def wali_kota_jabatan():
    """The head of region's position (the top unit's kepala daerah), or None."""
    from terpadu.organisasi.models import Jabatan

    return (
        Jabatan.objects.filter(jenis=Jabatan.Jenis.KEPALA_DAERAH, is_kepala_unit=True, unit__parent__isnull=True)
        .select_related("unit")
        .order_by("pk")
        .first()
    )


def isi_surat(usulan: UsulanAplikasi) -> tuple[str, str, dict]:
    """(hal, ringkasan, isi) of the cover letter: the subject and a summary of the seven items."""
    hal = _("Permohonan Pertimbangan Pembangunan Aplikasi Khusus %(nama)s") % {"nama": usulan.nama_aplikasi}
    ringkasan = _(
        "In accordance with Perpres 95/2018 Pasal 39 we request the Minister's consideration for the development "
        "of the aplikasi khusus %(nama)s proposed by %(unit)s. The proposal is attached in summary below."
    ) % {"nama": usulan.nama_aplikasi, "unit": usulan.unit}
    isi = {name: f"{ITEM_LABELS[name]}: {getattr(usulan, name)}" for name in UsulanAplikasi.SEVEN_ITEMS}
    return hal, ringkasan, isi


def buat_surat_pengantar(user, usulan: UsulanAplikasi, *, penandatangan_jabatan=None, klasifikasi=None, drafter=None):
    """Draft the Wali Kota's cover letter to the Menteri PANRB (naskah module, surat dinas) and link it. The
    drafter (a pegawai's account) is the user unless given (the system drafts for a named Diskominfo account)."""
    from terpadu.arsip.models import Klasifikasi
    from terpadu.naskah import services as naskah_services
    from terpadu.naskah.models import JenisNaskah

    _require(user, "spbe.review", usulan)
    if usulan.status != S.DIREKOMENDASIKAN:
        raise ValidationError(_("Only a recommended proposal gets a cover letter."))
    if usulan.surat_pengantar_id:
        raise ValidationError(_("This proposal already has a cover letter."))
    signer = penandatangan_jabatan or wali_kota_jabatan()
    if signer is None:
        raise ValidationError(
            {"penandatangan_jabatan": _("No Wali Kota position is set up: choose the signing position.")}
        )
    jenis = JenisNaskah.objects.filter(kode="surat_dinas", aktif=True).first()
    if jenis is None:
        raise ValidationError(_("The kind of naskah surat_dinas is not loaded."))
    if klasifikasi is None and jenis.klasifikasi_bawaan:
        klasifikasi = Klasifikasi.objects.filter(versi__aktif=True, aktif=True, kode=jenis.klasifikasi_bawaan).first()
    if klasifikasi is None:
        raise ValidationError({"klasifikasi": _("Choose the classification of the cover letter.")})
    hal, ringkasan, isi = isi_surat(usulan)
    data = {
        "jenis": jenis,
        "klasifikasi": klasifikasi,
        "sifat": "biasa",
        "urgensi": "biasa",
        "hal": hal,
        "ringkasan": ringkasan,
        "isi": isi,
        "penandatangan_jabatan": signer,
    }
    penerima = [
        {
            "peran": "tujuan",
            "nama": "Menteri Pendayagunaan Aparatur Negara dan Reformasi Birokrasi",
            "instansi": "Kementerian PANRB",
            "alamat": "Jl. Jend. Sudirman Kav. 69, Jakarta 12190",
        }
    ]
    with transaction.atomic():
        usulan = _locked(usulan)
        if usulan.status != S.DIREKOMENDASIKAN or usulan.surat_pengantar_id:
            raise ValidationError(_("The proposal changed meanwhile: reload the page."))
        naskah = naskah_services.create_draft(drafter or user, naskah_services.DraftInput(data=data, penerima=penerima))
        usulan.surat_pengantar = naskah
        usulan.save(update_fields=["surat_pengantar"])
        audit.record(usulan, "cover_letter", {"surat_pengantar": [None, naskah.pk]})
        _publish("surat_pengantar", usulan)
    return naskah


def tandai_dikirim(user, usulan: UsulanAplikasi, alasan: str = "") -> UsulanAplikasi:
    """The request went to KemenPANRB (Diskominfo marks it, or the cover letter's signing/sending does)."""
    _require(user, "spbe.review", usulan)
    with transaction.atomic():
        usulan = _locked(usulan)
        _status_is(usulan, (S.DIREKOMENDASIKAN,), _("marked as sent"))
        usulan.status = S.DIKIRIM
        usulan.save(update_fields=["status"])
        audit.record(usulan, "send", {"status": [S.DIREKOMENDASIKAN, S.DIKIRIM], "alasan": [None, alasan]})
        _publish("dikirim", usulan)
    return usulan


def on_naskah_event(event: str, payload: dict) -> None:
    """naskah.ditandatangani / naskah.dikirim: a proposal whose cover letter it is moves to dikirim."""
    from terpadu.core.context import acting

    naskah_id = payload.get("naskah_id")
    if not naskah_id:
        return
    for usulan in UsulanAplikasi.objects.filter(surat_pengantar_id=naskah_id, status=S.DIREKOMENDASIKAN):
        with acting(None, via="event"):
            tandai_dikirim(None, usulan, alasan=event)


# --- pertimbangan --------------------------------------------------------------------------------------------


def catat_pertimbangan(
    user, usulan: UsulanAplikasi, *, keputusan: str, nomor: str, tanggal: dt.date | None, dokumen
) -> UsulanAplikasi:
    """Record KemenPANRB's consideration: approved or rejected, its number, date and the PDF. On approval the
    catalogue entry (aplikasi khusus, status usulan/pengembangan) is created or updated and linked."""
    _require(user, "spbe.review", usulan)
    errors: dict[str, str] = {}
    if keputusan not in (S.DISETUJUI, S.DITOLAK):
        errors["keputusan"] = _("Say whether KemenPANRB approved or rejected the proposal.")
    nomor = (nomor or "").strip()
    if not nomor:
        errors["pertimbangan_nomor"] = _("The number of the pertimbangan letter is required.")
    if tanggal is None:
        errors["pertimbangan_tanggal"] = _("The date of the pertimbangan letter is required.")
    elif tanggal > timezone.localdate():
        errors["pertimbangan_tanggal"] = _("The date of the pertimbangan letter is in the future.")
    if dokumen is None:
        errors["pertimbangan_dokumen"] = _("Upload the pertimbangan letter (PDF).")
    else:
        try:
            files.read_checked(dokumen, {"pdf"})
            dokumen.seek(0)
        except files.UploadRejected as exc:
            errors["pertimbangan_dokumen"] = str(exc)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        usulan = _locked(usulan)
        _status_is(usulan, (S.DIKIRIM,), _("given a pertimbangan (mark it sent first)"))
        if tanggal and usulan.diajukan and tanggal < timezone.localtime(usulan.diajukan).date():
            raise ValidationError(
                {"pertimbangan_tanggal": _("The pertimbangan cannot be dated before the proposal was submitted.")}
            )
        before = audit.snapshot(usulan)
        usulan.pertimbangan_dokumen = files.store(dokumen, {"pdf"}, user)
        usulan.pertimbangan_nomor = nomor
        usulan.pertimbangan_tanggal = tanggal
        usulan.status = keputusan
        if keputusan == S.DISETUJUI:
            usulan.aplikasi = _catalogue_entry(user, usulan)
        usulan.save()
        audit.record(usulan, "pertimbangan", audit.diff(before, audit.snapshot(usulan)))
        _publish(keputusan, usulan)
    return usulan


def _catalogue_entry(user, usulan: UsulanAplikasi) -> Aplikasi:
    """Create (or update) the catalogue entry of an approved proposal through the katalog services."""
    from terpadu.spbe import services_katalog

    values = {
        "nama": usulan.nama_aplikasi,
        "jenis": Aplikasi.Jenis.KHUSUS,
        "unit": usulan.unit,
        "fungsi_bisnis": usulan.fungsi_bisnis,
        "bidang": usulan.bidang,
        "teknologi": (usulan.teknologi or "")[:300],
    }
    actor = None  # the reviewer acts for the catalogue here; the OPD's own scope is checked by the katalog part
    aplikasi = usulan.aplikasi
    if aplikasi is not None and aplikasi.status in ACTIVE_CATALOGUE:
        return services_katalog.update_aplikasi(actor, aplikasi, values)
    if aplikasi is not None:
        raise ValidationError(
            _("The linked catalogue entry %(a)s is %(s)s: it cannot become a proposed application again.")
            % {"a": aplikasi.nama, "s": aplikasi.get_status_display().lower()}
        )
    values["status"] = Aplikasi.Status.USULAN
    return services_katalog.create_aplikasi(actor, values)


# --- the budget gate -----------------------------------------------------------------------------------------


def pertimbangan_disetujui(sub_kegiatan) -> bool:
    """Is there an approved pertimbangan for an aplikasi khusus budgeted by this sub kegiatan?"""
    return UsulanAplikasi.objects.filter(sub_kegiatan=sub_kegiatan, status=S.DISETUJUI).exists()


def check_budget(sub_kegiatan) -> list[str]:
    """Blocking reasons for budgeting `sub_kegiatan` (RenjaSubKegiatan): it budgets a new aplikasi khusus (a
    proposal for it, or an aplikasi khusus in usulan/pengembangan whose ICT spending or proposal points at it)
    without KemenPANRB's approved pertimbangan. Empty when nothing blocks."""
    from terpadu.spbe.models import BelanjaTik

    if sub_kegiatan is None:
        return []
    reasons: list[str] = []
    usulan = list(UsulanAplikasi.objects.filter(sub_kegiatan=sub_kegiatan).select_related("aplikasi"))
    approved_apps = {u.aplikasi_id for u in usulan if u.status == S.DISETUJUI and u.aplikasi_id}
    approved_names = {u.nama_aplikasi.strip().lower() for u in usulan if u.status == S.DISETUJUI}
    reported_apps: set[int] = set()
    for u in usulan:
        if u.status == S.DISETUJUI:
            continue
        if (u.aplikasi_id and u.aplikasi_id in approved_apps) or u.nama_aplikasi.strip().lower() in approved_names:
            continue  # an earlier / later proposal for the same application was approved
        if u.aplikasi_id:
            reported_apps.add(u.aplikasi_id)
        if u.status == S.DITOLAK:
            what = _("KemenPANRB rejected its pertimbangan (%(nomor)s)") % {"nomor": u.pertimbangan_nomor or "-"}
        else:
            what = _("the proposal is %(status)s and has no approved KemenPANRB pertimbangan") % {
                "status": u.get_status_display().lower()
            }
        reasons.append(
            _("Sub kegiatan %(sub)s budgets the new aplikasi khusus %(app)s, but %(what)s (Perpres 95/2018 Pasal 39).")
            % {"sub": _sub_code(sub_kegiatan), "app": u.nama_aplikasi, "what": what}
        )
    app_ids = set(
        BelanjaTik.objects.filter(dpa_baris__sub_kegiatan=sub_kegiatan, aplikasi__isnull=False).values_list(
            "aplikasi_id", flat=True
        )
    ) | {u.aplikasi_id for u in usulan if u.aplikasi_id}
    app_ids -= reported_apps
    if app_ids:
        apps = Aplikasi.objects.filter(pk__in=app_ids, jenis=Aplikasi.Jenis.KHUSUS, status__in=ACTIVE_CATALOGUE)
        approved_any = set(
            UsulanAplikasi.objects.filter(aplikasi__in=apps, status=S.DISETUJUI).values_list("aplikasi_id", flat=True)
        )
        for app in apps.order_by("nama"):
            if app.pk in approved_any:
                continue
            reasons.append(
                _(
                    "Sub kegiatan %(sub)s budgets the new aplikasi khusus %(app)s (%(status)s in the catalogue), but "
                    "no approved KemenPANRB pertimbangan is recorded for it (Perpres 95/2018 Pasal 39)."
                )
                % {"sub": _sub_code(sub_kegiatan), "app": app.nama, "status": app.get_status_display().lower()}
            )
    return reasons


def rka_approval_check(rka) -> list[str]:
    """Registered on anggaran.services_rka: TAPD may not approve an RKA the budget gate blocks."""
    return check_budget(rka.sub_kegiatan)
