"""Destroying a naskah's content after a berita acara pemusnahan (UU 43/2009, JRA nasib akhir "musnah").

Only the content goes: the stored files (document, version PDFs, attachments, disposition follow-up
files), the extracted text, the field values and the summary. What proves the naskah existed stays:
number, date, subject (hal), classification, document hash, signer, parties, and the StoredFile rows
with their name, size and SHA-256. The audit event names the berita acara and lists every file removed.

The database changes run in one transaction; the files are removed from storage only after it commits,
so a rolled-back destruction leaves nothing missing.
"""

from __future__ import annotations

import logging

from django.db import transaction
from django.utils import timezone

from terpadu.core import audit
from terpadu.core.models import StoredFile

logger = logging.getLogger("terpadu.naskah")
CLEARED_FIELDS = ("teks", "isi", "ringkasan", "search_vector")


def content_file_ids(naskah) -> set[int]:
    """The StoredFile ids holding the naskah's content."""
    from terpadu.naskah.models import LampiranTindakLanjut

    ids = {naskah.dokumen_id} if naskah.dokumen_id else set()
    ids |= set(naskah.versi.exclude(pdf__isnull=True).values_list("pdf_id", flat=True))
    ids |= set(naskah.lampiran.values_list("file_id", flat=True))
    ids |= set(LampiranTindakLanjut.objects.filter(disposisi__naskah=naskah).values_list("file_id", flat=True))
    return ids


def _shared_with_other_naskah(naskah, ids: set[int]) -> set[int]:
    """Files also used by another naskah whose content is not destroyed (kept: they are that naskah's content)."""
    from terpadu.naskah.models import Lampiran, LampiranTindakLanjut, Naskah, NaskahVersi

    alive = {"konten_dimusnahkan__isnull": True}
    shared = set(
        Naskah.objects.filter(dokumen_id__in=ids, **alive).exclude(pk=naskah.pk).values_list("dokumen_id", flat=True)
    )
    shared |= set(
        NaskahVersi.objects.filter(pdf_id__in=ids, **{f"naskah__{k}": v for k, v in alive.items()})
        .exclude(naskah=naskah)
        .values_list("pdf_id", flat=True)
    )
    shared |= set(
        Lampiran.objects.filter(file_id__in=ids, **{f"naskah__{k}": v for k, v in alive.items()})
        .exclude(naskah=naskah)
        .values_list("file_id", flat=True)
    )
    shared |= set(
        LampiranTindakLanjut.objects.filter(file_id__in=ids, **{f"disposisi__naskah__{k}": v for k, v in alive.items()})
        .exclude(disposisi__naskah=naskah)
        .values_list("file_id", flat=True)
    )
    return shared


def _delete_after_commit(paths: list[tuple]) -> None:
    def delete():
        for storage, name in paths:
            try:
                storage.delete(name)
            except OSError:  # the row already says it is gone; a leftover file is logged for the operator
                logger.exception("could not delete destroyed file %s", name)

    transaction.on_commit(delete)


def destroy_content(naskah, berita_acara) -> dict:
    """Destroy the content of `naskah` under `berita_acara` (an arsip.BeritaAcara). Idempotent.

    Returns {"files": [{"id", "name", "sha256", "size"}...], "kept_shared": [ids]}."""
    from terpadu.naskah.models import Naskah, NaskahVersi

    with transaction.atomic():
        naskah = Naskah.objects.select_for_update().get(pk=naskah.pk)
        if naskah.konten_dimusnahkan is not None:
            return {"files": [], "kept_shared": [], "already": True}
        ids = content_file_ids(naskah)
        shared = _shared_with_other_naskah(naskah, ids)
        stored = list(StoredFile.objects.filter(pk__in=ids - shared).order_by("pk"))
        removed = [{"id": f.pk, "name": f.original_name, "sha256": f.sha256, "size": f.size} for f in stored]
        paths = [(f.file.storage, f.file.name) for f in stored if f.file.name]
        StoredFile.objects.filter(pk__in=[f.pk for f in stored]).update(file="")
        NaskahVersi.objects.filter(naskah=naskah).update(konten={})
        now = timezone.now()
        Naskah.objects.filter(pk=naskah.pk).update(
            teks="", isi={}, ringkasan="", search_vector=None, konten_dimusnahkan=now, diubah=now
        )
        audit.record(
            naskah,
            "destroy_content",
            {
                "konten_dimusnahkan": [None, now],
                "berita_acara": [
                    None,
                    {"id": berita_acara.pk, "nomor": berita_acara.nomor, "tanggal": berita_acara.tanggal},
                ],
                "files": [None, removed],
                "kept_shared": [None, sorted(shared)],
                "cleared": [None, [*CLEARED_FIELDS, "versi.konten"]],
            },
        )
        _delete_after_commit(paths)
    return {"files": removed, "kept_shared": sorted(shared)}
