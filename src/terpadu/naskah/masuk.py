"""Incoming naskah: registration of external letters (agenda book), delivery into the inboxes of internal
recipients, read receipts, the inbox query and the dashboard counters.

Services here are the only code that changes these records: each runs in one transaction, writes the audit
trail, adds the PihakNaskah rows that make people parties (so they may see secret letters), and publishes
domain events. Delivery (`deliver_internal`) is shared with the outgoing side: a signed naskah sent to
internal recipients reaches their inbox through it.
"""

from __future__ import annotations

import datetime as dt
import heapq
import logging
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from terpadu.core import audit, authz, events, files, notifications
from terpadu.naskah import access
from terpadu.naskah.models import (
    Disposisi,
    Lampiran,
    Naskah,
    NaskahVersi,
    Penerima,
    PihakNaskah,
    Verifikasi,
)
from terpadu.organisasi import services as org
from terpadu.organisasi.models import PenugasanSementara, RiwayatJabatan

logger = logging.getLogger("terpadu.naskah")

DOKUMEN_KINDS = {"pdf", "png", "jpg"}  # a scan may arrive as an image; the record prefers PDF
LAMPIRAN_KINDS = {"pdf", "png", "jpg", "xlsx", "csv"}
COUNT_CAP = 100  # counters stop counting here ("99+"): a head's inbox may hold tens of thousands of rows


class DuplicateWarning(ValidationError):
    """The same sender and number were registered before in this unit; `duplicates` are the visible ones."""

    def __init__(self, message, duplicates):
        super().__init__(message, code="duplicate")
        self.duplicates = duplicates


# -- small helpers shared by the incoming side ---------------------------------------------------


def agenda_label(naskah) -> str:
    """An agenda number as people write it: "12/2026"."""
    if not naskah.nomor_agenda:
        return ""
    return f"{naskah.nomor_agenda}/{naskah.nomor_tahun or (naskah.diterima or naskah.dibuat).year}"


def holders_of(jabatan, on: dt.date | None = None) -> list:
    """Everyone exercising a position today: the definitive holder and active Plt./Plh. (pegawai objects)."""
    on = on or timezone.localdate()
    people = {}
    riwayat = (
        RiwayatJabatan.objects.filter(jabatan=jabatan, tmt_mulai__lte=on)
        .filter(Q(tmt_selesai__isnull=True) | Q(tmt_selesai__gte=on))
        .select_related("pegawai")
    )
    for row in riwayat:
        people[row.pegawai_id] = row.pegawai
    for row in PenugasanSementara.objects.filter(PenugasanSementara.active_q(on), jabatan=jabatan).select_related(
        "pegawai"
    ):
        people[row.pegawai_id] = row.pegawai
    return list(people.values())


def notify_position(jabatan, verb: str, title: str, body: str = "", url: str = "") -> int:
    """Notify every user holding `jabatan` (incl. Plt./Plh.); returns how many were told."""
    from terpadu.accounts.models import User

    pegawai_ids = [p.pk for p in holders_of(jabatan)]
    users = User.objects.filter(pegawai_id__in=pegawai_ids, is_active=True)
    for user in users:
        notifications.notify(user, verb, title, body, url)
    return len(users)


def add_party(naskah, peran: str, *, jabatan=None, pegawai=None) -> None:
    """Make a position or person a party to the naskah (the access index of the gate); idempotent."""
    PihakNaskah.objects.get_or_create(
        naskah=naskah, peran=peran, jabatan=jabatan if jabatan else None, pegawai=pegawai if pegawai else None
    )


def _after_registration(naskah) -> None:
    """Hand the registered naskah to search and propose it for a berkas of the registering unit."""
    from terpadu.arsip.services import propose_for
    from terpadu.naskah.pencarian import index_naskah

    index_naskah(naskah)
    propose_for(naskah, naskah.unit)


# -- agenda numbers --------------------------------------------------------------------------------


def next_agenda(unit, tahun: int) -> int:
    """The next agenda number of a unit's incoming book for a year (atomic: the counter row is locked by
    naskah.penomoran; call inside the registering transaction)."""
    from terpadu.naskah import penomoran

    return penomoran.next_agenda(unit, tahun)


# -- registration ----------------------------------------------------------------------------------


def duplicates_of(unit, asal_instansi: str, nomor: str):
    """Incoming naskah of this unit from the same sender with the same number (a letter registered twice).

    A circular sent to every OPD is registered once per OPD, so only the registering unit counts."""
    if not (asal_instansi or "").strip() or not (nomor or "").strip():
        return Naskah.objects.none()
    same = Naskah.objects.filter(
        arah=Naskah.Arah.MASUK,
        unit=unit,
        nomor__iexact=nomor.strip(),
        asal_instansi__iexact=asal_instansi.strip(),
    ).exclude(status=Naskah.Status.DIBATALKAN)
    return same.order_by("-diterima", "-pk")


def register_incoming(user, data: dict, dokumen, lampiran=(), *, allow_duplicate: bool = False) -> Naskah:
    """Register an external letter in `data["unit"]`'s agenda book and deliver it to its addressees.

    data: unit, nomor, tanggal, asal_instansi, asal_nama, hal, ringkasan, jenis, klasifikasi, sifat, urgensi,
    tujuan (positions; default the unit's head), tembusan (positions). `dokumen` is the uploaded scan/PDF,
    `lampiran` further uploads. Raises PermissionDenied, ValidationError (nothing written) or
    DuplicateWarning (pass allow_duplicate=True once the registrar confirmed).
    """
    if not authz.can(user, "naskah.register", data["unit"]):
        raise PermissionDenied("naskah.register")
    pegawai = getattr(user, "pegawai", None)
    if pegawai is None:
        raise ValidationError(_("Only an employee (a user linked to a pegawai) can register letters."))
    return record_incoming(pegawai, data, dokumen, lampiran, user=user, allow_duplicate=allow_duplicate)


def record_incoming(pegawai, data: dict, dokumen, lampiran=(), *, user=None, allow_duplicate=False) -> Naskah:
    """The registration itself, for a registrar already allowed (register_incoming checks; the demo and
    imports call this as the system)."""
    unit = data["unit"]
    tujuan = list(data.get("tujuan") or [])
    if not tujuan:
        head = org.head_of(unit)
        if head is None:
            raise ValidationError({"tujuan": _("This unit has no head position; choose the addressees.")})
        tujuan = [head]
    tembusan = [j for j in data.get("tembusan") or [] if j not in tujuan]
    _check_metadata(data)
    if not allow_duplicate:
        _check_duplicates(user, unit, data)
    with transaction.atomic():
        naskah = _create_incoming(user, pegawai, data, dokumen, lampiran)
        for order, (jabatan, peran) in enumerate(
            [(j, Penerima.Peran.TUJUAN) for j in tujuan] + [(j, Penerima.Peran.TEMBUSAN) for j in tembusan]
        ):
            penerima = Penerima.objects.create(naskah=naskah, peran=peran, urutan=order, jabatan=jabatan)
            deliver_internal(naskah, penerima)
        add_party(naskah, PihakNaskah.Peran.PENCATAT, pegawai=pegawai)
        audit.record(
            naskah,
            "register",
            {
                "nomor_agenda": [None, agenda_label(naskah)],
                "nomor": [None, naskah.nomor],
                "asal_instansi": [None, naskah.asal_instansi],
                "tujuan": [None, [str(j) for j in tujuan]],
                "tembusan": [None, [str(j) for j in tembusan]],
            },
        )
        events.publish("naskah.diterima", {"naskah_id": naskah.pk})
        _after_registration(naskah)
    return naskah


def _check_metadata(data: dict) -> None:
    errors = {}
    tanggal = data.get("tanggal")
    if tanggal and tanggal > timezone.localdate():
        errors["tanggal"] = _("The letter's date cannot be in the future.")
    if not (data.get("hal") or "").strip():
        errors["hal"] = _("Enter the subject (hal).")
    if not (data.get("asal_instansi") or "").strip():
        errors["asal_instansi"] = _("Enter the sending agency.")
    if len(data.get("nomor") or "") > 255:
        errors["nomor"] = _("The number is longer than 255 characters.")
    klasifikasi = data.get("klasifikasi")
    if klasifikasi is not None and not klasifikasi.aktif:
        errors["klasifikasi"] = _("This classification code is no longer in use.")
    jenis = data.get("jenis")
    if jenis is not None and not jenis.aktif:
        errors["jenis"] = _("This kind of naskah is no longer in use.")
    if errors:
        raise ValidationError(errors)


def _check_duplicates(user, unit, data: dict) -> None:
    duplicates = list(duplicates_of(unit, data.get("asal_instansi", ""), data.get("nomor", ""))[:5])
    if duplicates:
        labels = ", ".join(agenda_label(n) for n in duplicates)
        message = _(
            "A letter from %(asal)s with number %(nomor)s was already registered in this unit (agenda %(agenda)s)."
        ) % {"asal": data["asal_instansi"], "nomor": data["nomor"], "agenda": labels}
        ids = [n.pk for n in duplicates]
        visible = authz.restrict(Naskah.objects.filter(pk__in=ids), user, "naskah.view") if user else []
        raise DuplicateWarning(message, list(visible))


def _store(uploaded, kinds, user, field: str):
    try:
        return files.store(uploaded, kinds, user)
    except files.UploadRejected as exc:
        raise ValidationError({field: str(exc)}) from exc


def _create_incoming(user, pegawai, data: dict, dokumen, lampiran) -> Naskah:
    if dokumen is None:
        raise ValidationError({"dokumen": _("Upload the scan or PDF of the letter.")})
    stored = _store(dokumen, DOKUMEN_KINDS, user, "dokumen")
    stored_lampiran = [_store(f, LAMPIRAN_KINDS, user, "lampiran") for f in lampiran]
    now = timezone.now()
    tahun = timezone.localdate().year
    naskah = Naskah.objects.create(
        arah=Naskah.Arah.MASUK,
        status=Naskah.Status.DITERIMA,
        jenis=data["jenis"],
        klasifikasi=data["klasifikasi"],
        sifat=data.get("sifat") or Naskah._meta.get_field("sifat").default,
        urgensi=data.get("urgensi") or Naskah._meta.get_field("urgensi").default,
        hal=data["hal"].strip(),
        ringkasan=data.get("ringkasan", ""),
        sumber=Naskah.Sumber.UNGGAH if stored.content_type == "application/pdf" else Naskah.Sumber.PINDAI,
        unit=data["unit"],
        pembuat=pegawai,
        nomor=(data.get("nomor") or "").strip(),
        tanggal=data.get("tanggal"),
        nomor_agenda=next_agenda(data["unit"], tahun),
        nomor_tahun=tahun,
        asal_instansi=data["asal_instansi"].strip(),
        asal_nama=(data.get("asal_nama") or "").strip(),
        diterima=now,
        dokumen=stored,
        hash_sha256=stored.sha256,
    )
    NaskahVersi.objects.create(
        naskah=naskah, nomor=1, pdf=stored, konten={"hal": naskah.hal}, catatan="registrasi", dibuat_oleh=pegawai
    )
    for order, (upload, stored_file) in enumerate(zip(lampiran, stored_lampiran, strict=True)):
        Lampiran.objects.create(naskah=naskah, file=stored_file, judul=(upload.name or "")[:255], urutan=order)
    return naskah


# -- delivery and reading --------------------------------------------------------------------------


@transaction.atomic
def deliver_internal(naskah, penerima: Penerima) -> None:
    """Put a naskah into an internal recipient's inbox: resolve a unit to its head's position, stamp the
    delivery time, make the position a party and notify its holders (incl. Plt./Plh.). Idempotent."""
    penerima = Penerima.objects.select_for_update().get(pk=penerima.pk)
    if penerima.terkirim is not None and penerima.jabatan_id:
        return
    if penerima.jabatan_id is None:
        if penerima.unit_id is None:
            raise ValidationError(_("%(who)s is not an internal recipient.") % {"who": penerima})
        head = org.head_of(penerima.unit)
        if head is None:
            raise ValidationError(_("%(unit)s has no head position to deliver to.") % {"unit": penerima.unit})
        penerima.jabatan = head
    penerima.terkirim = timezone.now()
    penerima.save(update_fields=["jabatan", "terkirim"])
    peran = PihakNaskah.Peran.TEMBUSAN if penerima.peran == Penerima.Peran.TEMBUSAN else PihakNaskah.Peran.TUJUAN
    add_party(naskah, peran, jabatan=penerima.jabatan)
    audit.record(penerima, "deliver", {"jabatan": [None, str(penerima.jabatan)], "naskah": [None, naskah.pk]})
    title = (
        _("Copy (tembusan): %(hal)s") if penerima.peran == Penerima.Peran.TEMBUSAN else _("New letter: %(hal)s")
    ) % {"hal": naskah.hal if not naskah.rahasia else _("(secret)")}
    body = _("From %(asal)s") % {"asal": naskah.asal_instansi or naskah.unit}
    # The bell and e-mail show the subject; of a secret letter only "(secret)" (e-mail leaves the system).
    notify_position(penerima.jabatan, "naskah.masuk", title, body, naskah.get_absolute_url())


@transaction.atomic
def mark_read(naskah, user) -> None:
    """Record the first reading by a holder of a recipient position (read receipt per recipient)."""
    pegawai = getattr(user, "pegawai", None)
    positions = access.my_position_ids(user)
    if pegawai is None or not positions:
        return
    unread = Penerima.objects.select_for_update().filter(
        naskah=naskah, jabatan_id__in=positions, terkirim__isnull=False, dibaca__isnull=True
    )
    for penerima in unread:
        penerima.dibaca, penerima.dibaca_oleh = timezone.now(), pegawai
        penerima.save(update_fields=["dibaca", "dibaca_oleh"])
        audit.record(penerima, "read", {"dibaca_oleh": [None, str(pegawai)]})


# -- the inbox -------------------------------------------------------------------------------------


@dataclass
class InboxItem:
    """One line of the inbox: a letter addressed to one of my positions, or a disposition to me."""

    kind: str  # "penerima" | "disposisi"
    when: dt.datetime
    naskah: Naskah
    unread: bool
    penerima: Penerima | None = None
    disposisi: Disposisi | None = None

    @property
    def url(self) -> str:
        return masuk_url(self)

    @property
    def tembusan(self) -> bool:
        return self.penerima is not None and self.penerima.peran == Penerima.Peran.TEMBUSAN


def masuk_url(item: InboxItem) -> str:
    """Letters open on the naskah page; a disposition opens on the naskah's disposition tree."""
    if item.kind == "disposisi":
        return reverse("naskah:disposisi_tree", args=[item.naskah.pk])
    return item.naskah.get_absolute_url()


def visible_naskah(user):
    """The naskah the user may see (the gate: unit scope, parties, the secret rule)."""
    return authz.restrict(Naskah.objects.all(), user, "naskah.view")


def _gated(queryset, user, lookup: str = "naskah"):
    """Keep the rows whose naskah the user may see; EXISTS lets the planner drive from the inbox index."""
    allowed = visible_naskah(user).filter(pk=OuterRef(f"{lookup}_id"))
    return queryset.filter(Exists(allowed))


def inbox_letters(user, *, unread=False, tembusan=None, urgensi=""):
    """Penerima rows delivered to the user's positions, through the gate (not ordered: see inbox_page)."""
    positions = access.my_position_ids(user)
    rows = Penerima.objects.filter(jabatan_id__in=positions, terkirim__isnull=False)
    if unread:
        rows = rows.filter(dibaca__isnull=True)
    if tembusan is not None:
        rows = rows.filter(peran=Penerima.Peran.TEMBUSAN if tembusan else Penerima.Peran.TUJUAN)
    if urgensi:
        rows = rows.filter(naskah__urgensi=urgensi)
    return _gated(rows, user)


def dispositions_to(user, *, unread=False, urgensi=""):
    positions = access.my_position_ids(user)
    rows = Disposisi.objects.filter(kepada_jabatan_id__in=positions).exclude(status=Disposisi.Status.DIBATALKAN)
    if unread:
        rows = rows.filter(status=Disposisi.Status.TERKIRIM)
    if urgensi:
        rows = rows.filter(naskah__urgensi=urgensi)
    return _gated(rows, user)


def inbox_page(user, page: int = 1, per_page: int = 25, *, unread=False, tembusan=None, urgensi="", disposisi=True):
    """(items, has_more) of one inbox page, newest first.

    Each position is read separately along the index Penerima(jabatan, -terkirim) and only the first
    page*per_page+1 rows of each are fetched; the lists are merged here. No COUNT over the whole inbox."""
    page = max(1, page)
    need = page * per_page + 1
    streams = []
    positions = access.my_position_ids(user)
    letters = inbox_letters(user, unread=unread, tembusan=tembusan, urgensi=urgensi)
    for jabatan_id in positions:
        top = letters.filter(jabatan_id=jabatan_id).order_by("-terkirim", "-pk").values_list("terkirim", "pk")[:need]
        streams.append([(when, "penerima", pk) for when, pk in top])
    if disposisi and not tembusan:
        dispositions = dispositions_to(user, unread=unread, urgensi=urgensi)
        top = dispositions.order_by("-dibuat", "-pk").values_list("dibuat", "pk")[:need]
        streams.append([(when, "disposisi", pk) for when, pk in top])
    merged = list(heapq.merge(*streams, key=lambda row: (row[0], row[2]), reverse=True))
    chosen = merged[(page - 1) * per_page : page * per_page]
    return _load_items(chosen), len(merged) > page * per_page


def _load_items(chosen) -> list[InboxItem]:
    penerima_ids = [pk for _when, kind, pk in chosen if kind == "penerima"]
    disposisi_ids = [pk for _when, kind, pk in chosen if kind == "disposisi"]
    penerima = Penerima.objects.select_related("naskah__jenis", "naskah__unit", "jabatan").in_bulk(penerima_ids)
    disposisi = Disposisi.objects.select_related(
        "naskah__jenis", "naskah__unit", "dari_jabatan", "dari_pegawai", "kepada_jabatan"
    ).in_bulk(disposisi_ids)
    items = []
    for when, kind, pk in chosen:
        if kind == "penerima":
            row = penerima[pk]
            items.append(InboxItem("penerima", when, row.naskah, row.dibaca is None, penerima=row))
        else:
            row = disposisi[pk]
            unread = row.status == Disposisi.Status.TERKIRIM
            items.append(InboxItem("disposisi", when, row.naskah, unread, disposisi=row))
    return items


def bounded_count(queryset, cap: int = COUNT_CAP) -> int:
    """COUNT over at most `cap` rows (SELECT COUNT(*) FROM (… LIMIT cap)): cheap on a huge inbox."""
    return queryset[:cap].count()


def count_label(value: int, cap: int = COUNT_CAP) -> str:
    return f"{cap - 1}+" if value >= cap else str(value)


# -- dashboard counters ----------------------------------------------------------------------------


def incoming_counters(user) -> dict[str, int]:
    """Unread letters and copies, and the dispositions waiting for me (bounded counts, through the gate)."""
    from terpadu.naskah import disposisi as disposisi_services

    today = timezone.localdate()
    mine = dispositions_to(user)
    return {
        "inbox_unread": bounded_count(inbox_letters(user, unread=True, tembusan=False)),
        "tembusan_unread": bounded_count(inbox_letters(user, unread=True, tembusan=True)),
        "disposisi_unread": bounded_count(mine.filter(status=Disposisi.Status.TERKIRIM)),
        "disposisi_open": bounded_count(mine.filter(status__in=disposisi_services.OPEN)),
        "disposisi_overdue": bounded_count(mine.filter(status__in=disposisi_services.OPEN, batas_waktu__lt=today)),
    }


def outgoing_counters(user) -> dict[str, int]:
    """Drafts, to verify, to sign and signed-but-not-sent for the user (used when the outgoing part has no card)."""
    positions = access.my_position_ids(user)
    pegawai_id = getattr(user, "pegawai_id", None)
    visible = visible_naskah(user)
    S = Naskah.Status
    drafts = visible.filter(pembuat_id=pegawai_id, status__in=[S.DRAF, S.DIKEMBALIKAN]) if pegawai_id else None
    to_sign = visible.filter(status=S.SIAP_TTD, penandatangan_jabatan_id__in=positions)
    not_sent = visible.filter(status=S.DITANDATANGANI).filter(
        Q(pembuat_id=pegawai_id) | Q(penandatangan_jabatan_id__in=positions)
    )
    return {
        "drafts": bounded_count(drafts) if drafts is not None else 0,
        "to_verify": bounded_count(_gated(verifications_waiting(positions), user)),
        "to_sign": bounded_count(to_sign),
        "signed_not_sent": bounded_count(not_sent),
    }


def verifications_waiting(positions):
    """Verification steps whose turn it is, for these positions: waiting, in the naskah's current round,
    and every earlier step of that round approved."""
    waiting = Verifikasi.Status.MENUNGGU
    earlier_open = Verifikasi.objects.filter(
        naskah=OuterRef("naskah"), putaran=OuterRef("putaran"), urutan__lt=OuterRef("urutan")
    ).exclude(status=Verifikasi.Status.DISETUJUI)
    later_round = Verifikasi.objects.filter(naskah=OuterRef("naskah"), putaran__gt=OuterRef("putaran"))
    return Verifikasi.objects.filter(
        jabatan_id__in=positions, status=waiting, naskah__status=Naskah.Status.VERIFIKASI
    ).filter(~Exists(earlier_open), ~Exists(later_round))
