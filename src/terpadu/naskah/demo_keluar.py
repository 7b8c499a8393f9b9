"""Demo data of the outgoing part, built through the services at Diskominfo of Kota Sukamaju (demo/city.py):
two drafts, one waiting for the paraf of the Kepala Bidang Aplikasi Informatika, and one signed by the Kepala
Dinas with the instance CA and sent (to the Dinas Kesehatan and, by e-mail, to BPS).

Idempotent: a naskah with the same subject drafted by the same pegawai is not made again. The demo signer's
certificate passphrase is DEMO_PASSPHRASE (the CA and the certificate are created when missing).
"""

from __future__ import annotations

import datetime as dt
import logging

from terpadu.core.context import acting

logger = logging.getLogger("terpadu.demo")

UNIT = "401.106"  # Dinas Komunikasi dan Informatika
BIDANG = "401.106.2"  # Bidang Aplikasi Informatika
ADDRESSEE_UNIT = "401.102"  # Dinas Kesehatan
DEMO_PASSPHRASE = "demo-ttd-sukamaju"

# (hal, ringkasan, jenis kode, sifat, what to do: "draft" | "paraf" | "sent")
NASKAH = [
    (
        "Konsep petunjuk teknis penggunaan tanda tangan elektronik",
        "Petunjuk teknis ini mengatur tata cara penggunaan tanda tangan elektronik di lingkungan Pemerintah Kota.",
        "nota_dinas",
        "biasa",
        "draft",
    ),
    (
        "Permohonan data aset aplikasi perangkat daerah",
        "Dalam rangka penyusunan arsitektur SPBE, kami mohon data aset aplikasi perangkat daerah.",
        "surat_dinas",
        "biasa",
        "draft",
    ),
    (
        "Undangan rapat forum satu data",
        "Kami mengundang Bapak/Ibu untuk hadir pada rapat forum satu data kota.",
        "surat_undangan",
        "biasa",
        "paraf",
    ),
    (
        "Penyampaian jadwal integrasi layanan kesehatan ke portal kota",
        "Bersama ini kami sampaikan jadwal integrasi layanan Dinas Kesehatan ke portal pelayanan kota.",
        "surat_dinas",
        "biasa",
        "sent",
    ),
]


def _user_of(pegawai):
    from terpadu.accounts.models import User

    return User.objects.filter(pegawai=pegawai, is_active=True).first() if pegawai else None


def _people():
    """(drafter user, signer user, head of the addressee unit) or None when the demo city lacks them."""
    from terpadu.organisasi import services as org
    from terpadu.organisasi.models import Pegawai, UnitKerja

    unit = UnitKerja.objects.current().filter(kode=UNIT).first()
    bidang = UnitKerja.objects.current().filter(kode=BIDANG).first()
    other = UnitKerja.objects.current().filter(kode=ADDRESSEE_UNIT).first()
    if unit is None or bidang is None or other is None:
        return None
    staff = Pegawai.objects.filter(unit=bidang, aktif=True, jabatan__is_kepala_unit=False).order_by("pk")
    drafter = next((user for user in (_user_of(p) for p in staff[:20]) if user is not None), None)
    signer_pegawai, _acting = org.holder_of(org.head_of(unit)) if org.head_of(unit) else (None, "")
    signer = _user_of(signer_pegawai)
    if drafter is None or signer is None:
        return None
    return drafter, signer, org.head_of(other)


def _reference(kode: str):
    from terpadu.arsip.models import Klasifikasi
    from terpadu.naskah.models import JenisNaskah

    jenis = JenisNaskah.objects.filter(kode=kode, aktif=True).first() or JenisNaskah.objects.filter(aktif=True).first()
    if jenis is None:
        return None, None
    codes = Klasifikasi.objects.filter(versi__aktif=True, aktif=True)
    klasifikasi = (jenis.klasifikasi_bawaan and codes.filter(kode=jenis.klasifikasi_bawaan).first()) or codes.order_by(
        "kode"
    ).first()
    return jenis, klasifikasi


def _ensure_certificate(signer) -> bool:
    """The instance CA and a certificate for the demo signer; False when signing is not possible."""
    from terpadu.tte import services as tte

    try:
        if tte.active_ca() is None:
            tte.init_ca()
        if not any(option.code == "ca" for option in tte.signing_options(signer.pegawai)):
            tte.enrol(signer.pegawai, DEMO_PASSPHRASE)
    except tte.SigningError as exc:
        logger.warning("demo_keluar: no signing certificate (%s); the sent naskah stays unsigned", exc)
        return False
    return any(option.code == "ca" for option in tte.signing_options(signer.pegawai))


def seed(today: dt.date) -> None:  # noqa: ARG001  (the services date everything themselves)
    from terpadu.naskah import services
    from terpadu.naskah.models import Naskah

    people = _people()
    if people is None:
        logger.warning("demo_keluar: the demo city has no %s drafter/signer accounts; nothing seeded", UNIT)
        return
    drafter, signer, addressee = people
    for hal, ringkasan, kode, sifat, stage in NASKAH:
        if Naskah.objects.filter(pembuat=drafter.pegawai, hal=hal).exists():
            continue
        jenis, klasifikasi = _reference(kode)
        if jenis is None or klasifikasi is None:
            logger.warning("demo_keluar: no kinds of naskah or classification loaded; nothing seeded")
            return
        data = {
            "jenis": jenis,
            "klasifikasi": klasifikasi,
            "sifat": sifat,
            "urgensi": "biasa",
            "hal": hal,
            "ringkasan": ringkasan,
            "penandatangan_jabatan": signer.pegawai.jabatan,
        }
        penerima = [{"peran": "tujuan", "jabatan": addressee}] if addressee else []
        penerima.append(
            {"peran": "tujuan", "nama": "Kepala BPS Kota Sukamaju", "instansi": "BPS", "email": "bps@sukamaju.example"}
        )
        with acting(drafter, via="command"):
            naskah = services.create_draft(drafter, services.DraftInput(data=data, penerima=penerima))
            if stage in ("paraf", "sent"):
                naskah = services.submit(naskah, drafter)
        if stage == "sent":
            _approve_all(naskah)
            _sign_and_send(naskah, signer)


def _approve_all(naskah) -> None:
    from terpadu.naskah import services
    from terpadu.organisasi import services as org

    naskah.refresh_from_db()
    while (step := services.current_step(naskah)) is not None:
        holder, _acting = org.holder_of(step.jabatan)
        user = _user_of(holder)
        if user is None:
            logger.warning("demo_keluar: %s has no account; the naskah stays in verification", step.jabatan)
            return
        with acting(user, via="command"):
            naskah = services.approve(naskah, user, "Sudah sesuai.")


def _sign_and_send(naskah, signer) -> None:
    from terpadu.naskah import services
    from terpadu.naskah.models import Naskah

    naskah.refresh_from_db()
    if naskah.status != Naskah.Status.SIAP_TTD:
        return
    with acting(signer, via="command"):
        if not _ensure_certificate(signer):
            return
        try:
            naskah = services.sign(naskah, signer, backend="ca", passphrase=DEMO_PASSPHRASE, otp_verified=True)
        except services.SignFailed as exc:
            logger.warning("demo_keluar: signing failed: %s", exc)
            return
        services.send(naskah, signer)
