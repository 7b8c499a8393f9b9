"""Disposisi: a pejabat's instruction about a naskah to positions below theirs, re-disposed further down,
cancelled while unread, completed (tindak lanjut) with a note and files, reminded once when overdue.

Who may dispose: a holder of a recipient position of the naskah, or of a position that received a
(still open) disposition on it — then the new one hangs below the one received (induk). Targets must be
below the giver in the structure: their atasan chain (organisasi.services.atasan_of) reaches the giver.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from terpadu.core import audit, events, files
from terpadu.naskah import access, masuk
from terpadu.naskah.models import Disposisi, LampiranTindakLanjut, Penerima, PihakNaskah
from terpadu.organisasi import services as org
from terpadu.organisasi.models import Jabatan

OPEN = (Disposisi.Status.TERKIRIM, Disposisi.Status.DIBACA)
FILE_KINDS = {"pdf", "png", "jpg", "xlsx", "csv"}
MAX_CHAIN = 30  # a guard against a cycle in atasan overrides


# -- the structure ---------------------------------------------------------------------------------


def is_below(target: Jabatan, giver: Jabatan) -> bool:
    """Does target's atasan chain reach giver?"""
    seen = set()
    current = org.atasan_of(target)
    while current is not None and current.pk not in seen and len(seen) < MAX_CHAIN:
        if current.pk == giver.pk:
            return True
        seen.add(current.pk)
        current = org.atasan_of(current)
    return False


def subordinates_of(giver: Jabatan) -> list[Jabatan]:
    """Current positions below giver: in its unit's subtree (heads and staff) or pointing at it by override.

    Computed from one load of the subtree (the rule of atasan_of: the override, else the head of the
    nearest unit above); positions whose chain leaves the subtree are checked with is_below."""
    unit_path = giver.unit.path
    candidates = {
        j.pk: j
        for j in Jabatan.objects.current()
        .filter(unit__path__startswith=unit_path)
        .exclude(pk=giver.pk)
        .select_related("unit")
    }
    for j in Jabatan.objects.current().filter(atasan_override=giver).select_related("unit"):
        candidates.setdefault(j.pk, j)
    heads = {j.unit_id: j for j in candidates.values() if j.is_kepala_unit}
    if giver.is_kepala_unit:
        heads[giver.unit_id] = giver
    reaches: dict[int, bool] = {giver.pk: True}

    def atasan_id(j: Jabatan) -> int | None:
        if j.atasan_override_id:
            return j.atasan_override_id
        for unit_id in reversed([int(part) for part in j.unit.path.rstrip(".").split(".")]):
            head = heads.get(unit_id)
            if head is not None and head.pk != j.pk:
                return head.pk
        return None  # above the subtree: cannot reach giver except through an override (below)

    def resolve(j: Jabatan, depth: int = 0) -> bool:
        if j.pk in reaches:
            return reaches[j.pk]
        reaches[j.pk] = False  # cycle guard
        up = atasan_id(j)
        if up is None or depth > MAX_CHAIN:
            result = False
        elif up in candidates or up == giver.pk:
            result = up == giver.pk or resolve(candidates[up], depth + 1)
        else:
            result = is_below(Jabatan.objects.get(pk=up), giver)
        reaches[j.pk] = result
        return result

    below = [j for j in candidates.values() if resolve(j)]
    return sorted(below, key=lambda j: (j.unit.path, not j.is_kepala_unit, j.nama))


# -- who may do what -------------------------------------------------------------------------------


@dataclass
class GiverChoice:
    """A position from which the user may dispose this naskah, and the disposition it continues (if any)."""

    jabatan: Jabatan
    induk: Disposisi | None = None
    targets: list[Jabatan] = field(default_factory=list)

    @property
    def key(self) -> str:
        return f"{self.jabatan.pk}:{self.induk.pk if self.induk else ''}"


def giver_choices(user, naskah, with_targets: bool = False) -> list[GiverChoice]:
    """The positions from which the user may dispose this naskah (as addressee or as receiver of a disposition)."""
    positions = access.my_position_ids(user)
    if not positions or getattr(user, "pegawai_id", None) is None:
        return []
    choices = []
    addressed = Penerima.objects.filter(naskah=naskah, jabatan_id__in=positions, terkirim__isnull=False)
    for jabatan in Jabatan.objects.filter(pk__in=addressed.values("jabatan_id")).select_related("unit"):
        choices.append(GiverChoice(jabatan))
    received = Disposisi.objects.filter(naskah=naskah, kepada_jabatan_id__in=positions, status__in=OPEN)
    for induk in received.select_related("kepada_jabatan__unit"):
        choices.append(GiverChoice(induk.kepada_jabatan, induk))
    if with_targets:
        for choice in choices:
            choice.targets = subordinates_of(choice.jabatan)
        choices = [c for c in choices if c.targets]
    return choices


def may_dispose(user, naskah) -> bool:
    return any(subordinates_of(c.jabatan) for c in giver_choices(user, naskah))


def is_receiver(user, disposisi: Disposisi) -> bool:
    return disposisi.kepada_jabatan_id in access.my_position_ids(user)


def is_giver(user, disposisi: Disposisi) -> bool:
    pegawai_id = getattr(user, "pegawai_id", None)
    return (pegawai_id is not None and disposisi.dari_pegawai_id == pegawai_id) or (
        disposisi.dari_jabatan_id in access.my_position_ids(user)
    )


# -- services --------------------------------------------------------------------------------------


def dispose(user, naskah, data: dict) -> list[Disposisi]:
    """Give one disposition per target position.

    data: giver (a GiverChoice key "jabatan_pk:induk_pk", optional when there is one choice), kepada (positions),
    instruksi (InstruksiDisposisi), catatan, batas_waktu. Raises PermissionDenied or ValidationError."""
    choice = _giver(user, naskah, data.get("giver") or "")
    targets = list(data.get("kepada") or [])
    _check_disposition(naskah, choice, targets, data)
    pegawai = user.pegawai
    created = []
    with transaction.atomic():
        add_party = masuk.add_party
        add_party(naskah, PihakNaskah.Peran.DISPOSISI, jabatan=choice.jabatan)
        add_party(naskah, PihakNaskah.Peran.DISPOSISI, pegawai=pegawai)
        for target in targets:
            disposisi = Disposisi.objects.create(
                naskah=naskah,
                induk=choice.induk,
                dari_jabatan=choice.jabatan,
                dari_pegawai=pegawai,
                kepada_jabatan=target,
                kepada_pegawai=org.holder_of(target)[0],
                catatan=(data.get("catatan") or "").strip(),
                batas_waktu=data.get("batas_waktu"),
            )
            disposisi.instruksi.set(data.get("instruksi") or [])
            add_party(naskah, PihakNaskah.Peran.DISPOSISI, jabatan=target)
            audit.record(
                disposisi,
                "create",
                {
                    "kepada_jabatan": [None, str(target)],
                    "instruksi": [None, [str(i) for i in data.get("instruksi") or []]],
                    "catatan": [None, disposisi.catatan],
                    "batas_waktu": [None, disposisi.batas_waktu],
                    "induk": [None, choice.induk.pk if choice.induk else None],
                },
            )
            events.publish("naskah.disposisi_dibuat", _payload(disposisi, pegawai))
            masuk.notify_position(
                target,
                "naskah.disposisi",
                _("Disposition: %(hal)s") % {"hal": _subject(naskah)},
                _("From %(giver)s") % {"giver": choice.jabatan},
                naskah.get_absolute_url(),
            )
            created.append(disposisi)
    return created


def _subject(naskah) -> str:
    return _("(secret)") if naskah.rahasia else naskah.hal


def _payload(disposisi: Disposisi, pegawai) -> dict:
    return {"disposisi_id": disposisi.pk, "naskah_id": disposisi.naskah_id, "pegawai_id": pegawai.pk}


def _giver(user, naskah, key: str) -> GiverChoice:
    choices = giver_choices(user, naskah, with_targets=True)  # a position with nobody below cannot dispose
    if not choices:
        raise PermissionDenied(_("You may not dispose this naskah."))
    if not key and len(choices) == 1:
        return choices[0]
    for choice in choices:
        if choice.key == key:
            return choice
    raise ValidationError({"giver": _("Choose the position you dispose from.")})


def _check_disposition(naskah, choice: GiverChoice, targets, data: dict) -> None:
    errors = {}
    if not targets:
        errors["kepada"] = _("Choose at least one position to dispose to.")
    not_below = [str(t) for t in targets if t.pk == choice.jabatan.pk or not is_below(t, choice.jabatan)]
    if not_below:
        errors["kepada"] = _("A disposition goes only to positions below yours: %(names)s is not.") % {
            "names": ", ".join(not_below)
        }
    already = Disposisi.objects.filter(
        naskah=naskah, dari_jabatan=choice.jabatan, kepada_jabatan__in=targets, status__in=OPEN
    ).select_related("kepada_jabatan")
    if already and "kepada" not in errors:
        errors["kepada"] = _("%(names)s already has an open disposition from you on this naskah.") % {
            "names": ", ".join(str(d.kepada_jabatan) for d in already)
        }
    batas = data.get("batas_waktu")
    if batas and batas < timezone.localdate():
        errors["batas_waktu"] = _("The deadline cannot be in the past.")
    if not data.get("instruksi") and not (data.get("catatan") or "").strip():
        errors["instruksi"] = _("Choose an instruction or write a note.")
    if any(not i.aktif for i in data.get("instruksi") or []):
        errors["instruksi"] = _("This instruction is no longer in use.")
    if errors:
        raise ValidationError(errors)


def _locked(disposisi: Disposisi) -> Disposisi:
    return Disposisi.objects.select_for_update(of=("self",)).select_related("naskah").get(pk=disposisi.pk)


@transaction.atomic
def cancel(user, disposisi: Disposisi) -> Disposisi:
    """The giver takes a disposition back — only while it is unread."""
    disposisi = _locked(disposisi)
    if not is_giver(user, disposisi):
        raise PermissionDenied(_("Only the giver can cancel a disposition."))
    if disposisi.status != Disposisi.Status.TERKIRIM:
        raise ValidationError(
            _("This disposition was already read (or is closed) and can no longer be cancelled.")
            if disposisi.status != Disposisi.Status.DIBATALKAN
            else _("This disposition was already cancelled.")
        )
    disposisi.status, disposisi.dibatalkan = Disposisi.Status.DIBATALKAN, timezone.now()
    disposisi.save(update_fields=["status", "dibatalkan"])
    still_open = (
        Disposisi.objects.filter(naskah=disposisi.naskah, kepada_jabatan=disposisi.kepada_jabatan)
        .exclude(status=Disposisi.Status.DIBATALKAN)
        .exists()
    )
    if not still_open:  # the receiver never read it: they lose the access it gave
        PihakNaskah.objects.filter(
            naskah=disposisi.naskah, peran=PihakNaskah.Peran.DISPOSISI, jabatan=disposisi.kepada_jabatan
        ).delete()
    audit.record(disposisi, "cancel", {"status": [Disposisi.Status.TERKIRIM, disposisi.status]})
    return disposisi


@transaction.atomic
def read(user, disposisi: Disposisi) -> Disposisi:
    """The receiver opened it: from now on it cannot be cancelled. Other users reading change nothing."""
    if disposisi.status != Disposisi.Status.TERKIRIM or not is_receiver(user, disposisi):
        return disposisi
    disposisi = _locked(disposisi)
    if disposisi.status != Disposisi.Status.TERKIRIM:
        return disposisi
    disposisi.status, disposisi.dibaca = Disposisi.Status.DIBACA, timezone.now()
    if disposisi.kepada_pegawai_id is None and getattr(user, "pegawai_id", None):
        disposisi.kepada_pegawai_id = user.pegawai_id
    disposisi.save(update_fields=["status", "dibaca", "kepada_pegawai"])
    audit.record(disposisi, "read", {"status": [Disposisi.Status.TERKIRIM, disposisi.status]})
    return disposisi


def read_mine(user, naskah) -> int:
    """Mark every unread disposition of this naskah addressed to the user's positions as read."""
    unread = Disposisi.objects.filter(
        naskah=naskah, kepada_jabatan_id__in=access.my_position_ids(user), status=Disposisi.Status.TERKIRIM
    )
    count = 0
    for disposisi in unread:
        read(user, disposisi)
        count += 1
    return count


def complete(user, disposisi: Disposisi, tindak_lanjut: str, lampiran=()) -> Disposisi:
    """The receiver reports the follow-up (note and files); the giver is told."""
    if not is_receiver(user, disposisi):
        raise PermissionDenied(_("Only the receiver can complete a disposition."))
    if not (tindak_lanjut or "").strip():
        raise ValidationError({"tindak_lanjut": _("Describe the follow-up.")})
    pegawai = getattr(user, "pegawai", None)
    if pegawai is None:
        raise PermissionDenied(_("Only an employee can complete a disposition."))
    with transaction.atomic():
        disposisi = _locked(disposisi)
        if disposisi.status not in OPEN:
            raise ValidationError(
                _("This disposition is already %(status)s.") % {"status": disposisi.get_status_display()}
            )
        for upload in lampiran:
            try:
                stored = files.store(upload, FILE_KINDS, user)
            except files.UploadRejected as exc:
                raise ValidationError({"lampiran": str(exc)}) from exc
            LampiranTindakLanjut.objects.create(disposisi=disposisi, file=stored, judul=(upload.name or "")[:255])
        before = disposisi.status
        now = timezone.now()
        disposisi.status, disposisi.selesai, disposisi.tindak_lanjut = Disposisi.Status.SELESAI, now, tindak_lanjut
        disposisi.dibaca = disposisi.dibaca or now
        disposisi.kepada_pegawai = pegawai
        disposisi.save(update_fields=["status", "selesai", "tindak_lanjut", "dibaca", "kepada_pegawai"])
        audit.record(
            disposisi,
            "complete",
            {"status": [before, disposisi.status], "tindak_lanjut": [None, tindak_lanjut], "files": len(lampiran)},
        )
        events.publish("naskah.disposisi_selesai", _payload(disposisi, pegawai))
        masuk.notify_position(
            disposisi.dari_jabatan,
            "naskah.disposisi_selesai",
            _("Disposition completed: %(hal)s") % {"hal": _subject(disposisi.naskah)},
            _("By %(who)s") % {"who": pegawai},
            disposisi.naskah.get_absolute_url(),
        )
    return disposisi


# -- overdue ---------------------------------------------------------------------------------------


def overdue(on: dt.date | None = None):
    on = on or timezone.localdate()
    return Disposisi.objects.filter(status__in=OPEN, batas_waktu__lt=on)


def remind_overdue(on: dt.date | None = None) -> int:
    """Tell the assignee and their superior, once, about each open disposition past its deadline."""
    count = 0
    for pk in overdue(on).filter(diingatkan__isnull=True).values_list("pk", flat=True)[:1000]:
        count += _remind_one(pk, on)
    return count


@transaction.atomic
def _remind_one(pk: int, on: dt.date | None) -> int:
    disposisi = (
        Disposisi.objects.select_for_update(skip_locked=True, of=("self",))
        .filter(pk=pk, diingatkan__isnull=True, status__in=OPEN)
        .select_related("naskah", "kepada_jabatan__unit")
        .first()
    )
    if disposisi is None:  # reminded meanwhile, completed, or being handled by another worker
        return 0
    disposisi.diingatkan = timezone.now()
    disposisi.save(update_fields=["diingatkan"])
    title = _("Overdue disposition: %(hal)s") % {"hal": _subject(disposisi.naskah)}
    body = _("The deadline was %(date)s (%(who)s).") % {"date": disposisi.batas_waktu, "who": disposisi.kepada_jabatan}
    url = disposisi.naskah.get_absolute_url()
    masuk.notify_position(disposisi.kepada_jabatan, "naskah.disposisi_terlambat", title, body, url)
    superior = org.atasan_of(disposisi.kepada_jabatan)
    if superior is not None:
        masuk.notify_position(superior, "naskah.disposisi_terlambat", title, body, url)
    audit.record(disposisi, "overdue_reminder", {"diingatkan": [None, disposisi.diingatkan]})
    return 1


# -- the tree --------------------------------------------------------------------------------------


@dataclass
class Node:
    disposisi: Disposisi
    children: list[Node] = field(default_factory=list)


def tree(naskah) -> list[Node]:
    """The whole disposition chain of a naskah as a forest (roots: given by the addressees)."""
    rows = list(
        Disposisi.objects.filter(naskah=naskah)
        .select_related("dari_jabatan", "dari_pegawai", "kepada_jabatan", "kepada_pegawai")
        .prefetch_related("instruksi", "lampiran__file")
        .order_by("dibuat", "pk")
    )
    nodes = {d.pk: Node(d) for d in rows}
    roots = []
    for d in rows:
        parent = nodes.get(d.induk_id) if d.induk_id else None
        (parent.children if parent else roots).append(nodes[d.pk])
    return roots


def tree_json(naskah) -> list[dict]:
    def as_dict(node: Node) -> dict:
        d = node.disposisi
        return {
            "id": d.pk,
            "dari_jabatan": {"id": d.dari_jabatan_id, "nama": str(d.dari_jabatan)},
            "dari_pegawai": {"id": d.dari_pegawai_id, "nama": str(d.dari_pegawai)},
            "kepada_jabatan": {"id": d.kepada_jabatan_id, "nama": str(d.kepada_jabatan)},
            "kepada_pegawai": {"id": d.kepada_pegawai_id, "nama": str(d.kepada_pegawai)} if d.kepada_pegawai else None,
            "instruksi": [i.teks for i in d.instruksi.all()],
            "catatan": d.catatan,
            "batas_waktu": d.batas_waktu.isoformat() if d.batas_waktu else None,
            "status": d.status,
            "dibuat": d.dibuat.isoformat(),
            "dibaca": d.dibaca.isoformat() if d.dibaca else None,
            "selesai": d.selesai.isoformat() if d.selesai else None,
            "tindak_lanjut": d.tindak_lanjut,
            "lampiran": [{"id": f.pk, "judul": f.judul} for f in d.lampiran.all()],
            "turunan": [as_dict(child) for child in node.children],
        }

    return [as_dict(node) for node in tree(naskah)]
