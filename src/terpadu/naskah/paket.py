"""The export package of a signed naskah, for exchange with SRIKANDI or another Terpadu instance.

A zip with the signed PDF (`naskah.pdf`), its attachments (`lampiran/NN-<name>.pdf`) and `metadata.json`
(schema `terpadu.naskah.paket/1`). `import_` reads a package back and checks every hash; it does not create
records (registering an incoming letter is the inbox part's service).
"""

from __future__ import annotations

import hashlib
import io
import json
import re
import zipfile

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from terpadu.core import authz
from terpadu.naskah import access, services
from terpadu.naskah.models import Naskah

SCHEMA = "terpadu.naskah.paket/1"
MAX_IMPORT_BYTES = 200 * 1024 * 1024


def may_export(naskah: Naskah, user) -> bool:
    """naskah.export in scope (secret naskah: parties only, by the gate's secret rule) or a party."""
    return authz.can(user, "naskah.export", naskah) or access.is_party(user, naskah)


def filename(naskah: Naskah) -> str:
    slug = re.sub(r"[^A-Za-z0-9]+", "-", naskah.nomor or f"naskah-{naskah.pk}").strip("-")
    return f"paket-{slug or naskah.pk}.zip"


def _read(stored) -> bytes:
    with stored.file.open("rb") as handle:
        return handle.read()


def metadata(naskah: Naskah) -> dict:
    signer = naskah.penandatangan
    return {
        "schema": SCHEMA,
        "dibuat": timezone.now().isoformat(),
        "nomor": naskah.nomor,
        "tanggal": naskah.tanggal.isoformat() if naskah.tanggal else None,
        "jenis": {"kode": naskah.jenis.kode, "nama": naskah.jenis.nama},
        "klasifikasi": {"kode": naskah.klasifikasi.kode, "nama": naskah.klasifikasi.nama},
        "sifat": naskah.sifat,
        "urgensi": naskah.urgensi,
        "hal": naskah.hal,
        "ringkasan": naskah.ringkasan,
        "unit": {"kode": naskah.unit.kode, "nama": naskah.unit.nama},
        "penandatangan": {
            "nama": signer.nama_lengkap if signer else "",
            "nip": signer.nip if signer else "",
            "jabatan": naskah.penandatangan_label,
        },
        "ditandatangani": naskah.ditandatangani.isoformat() if naskah.ditandatangani else None,
        "tte_backend": naskah.tte_backend,
        "hash_sha256": naskah.hash_sha256,
        "kode_verifikasi": naskah.kode_verifikasi,
        "url_verifikasi": services.public_url(naskah),
        "penerima": [
            {
                "peran": p.peran,
                "nama": str(p),
                "instansi": p.instansi,
                "email": p.email,
                "internal": p.internal,
                "terkirim": p.terkirim.isoformat() if p.terkirim else None,
            }
            for p in naskah.penerima.select_related("jabatan", "unit")
        ],
        "lampiran": [],
        "dokumen": "naskah.pdf",
    }


def export(naskah: Naskah) -> bytes:
    """The package as zip bytes. Only a signed naskah whose content still exists can be exported."""
    if naskah.dokumen_id is None or not naskah.hash_sha256:
        raise ValidationError(_("Only a signed naskah can be exported as a package."))
    if naskah.konten_dimusnahkan:
        raise ValidationError(_("The content of this naskah was destroyed."))
    meta = metadata(naskah)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("naskah.pdf", _read(naskah.dokumen))
        for index, item in enumerate(naskah.lampiran.select_related("file"), start=1):
            name = f"lampiran/{index:02d}-{re.sub(r'[^A-Za-z0-9._-]+', '-', item.file.original_name)}"
            archive.writestr(name, _read(item.file))
            meta["lampiran"].append(
                {"judul": item.judul, "file": name, "sha256": item.file.sha256, "ukuran": item.file.size}
            )
        archive.writestr("metadata.json", json.dumps(meta, ensure_ascii=False, indent=2))
    return buffer.getvalue()


def import_(data: bytes) -> dict:
    """Read a package and check it: the metadata, and that every file matches its hash. Returns the metadata
    with `files` {name: bytes}; raises ValidationError with the reason otherwise."""
    if len(data) > MAX_IMPORT_BYTES:
        raise ValidationError(_("The package is too large."))
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        meta = json.loads(archive.read("metadata.json"))
        pdf = archive.read(meta.get("dokumen") or "naskah.pdf")
        attachments = {item["file"]: archive.read(item["file"]) for item in meta.get("lampiran", [])}
    except (zipfile.BadZipFile, KeyError, ValueError, TypeError) as exc:
        raise ValidationError(_("This is not a naskah package (%(reason)s).") % {"reason": exc}) from exc
    if meta.get("schema") != SCHEMA:
        raise ValidationError(_("Unknown package schema %(schema)s.") % {"schema": meta.get("schema")})
    if hashlib.sha256(pdf).hexdigest() != meta.get("hash_sha256"):
        raise ValidationError(_("The document does not match the hash in the metadata."))
    for item in meta.get("lampiran", []):
        if hashlib.sha256(attachments[item["file"]]).hexdigest() != item.get("sha256"):
            raise ValidationError(_("Attachment %(name)s does not match its hash.") % {"name": item["file"]})
    return {**meta, "files": {"naskah.pdf": pdf, **attachments}}
