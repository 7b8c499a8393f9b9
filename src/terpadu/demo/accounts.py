"""Demo accounts, one per persona. Personas that must use 2FA get a TOTP key printed by `make demo`."""

from __future__ import annotations

import base64
from dataclasses import dataclass

from django.db import transaction

from terpadu.accounts import services as access
from terpadu.accounts.models import Role
from terpadu.organisasi.models import Pegawai, UnitKerja

DEMO_PASSWORD = "Sukamaju-Demo-2026"


@dataclass
class DemoAccount:
    persona: str
    username: str
    nip: str
    description: str
    totp_secret: str = ""


def _pegawai_at(jabatan_kode: str) -> Pegawai:
    return Pegawai.objects.filter(jabatan__kode=jabatan_kode).order_by("pk").first()


def _staff_in(unit_kode: str) -> Pegawai:
    return Pegawai.objects.filter(unit__kode=unit_kode, jabatan__is_kepala_unit=False).order_by("pk").first()


def _with_totp(user) -> str:
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.create(user=user, name="demo authenticator", confirmed=True)
    return base64.b32encode(device.bin_key).decode()


@transaction.atomic
def create_demo_accounts() -> list[DemoAccount]:
    access.load_default_roles()
    role = {r.code: r for r in Role.objects.all()}
    accounts = []

    def make(persona, username, pegawai, description, roles=(), unit=None, totp=False):
        user = access.create_user(username, DEMO_PASSWORD, pegawai=pegawai)
        for code in roles:
            access.assign_role(user, role[code], unit)
        secret = _with_totp(user) if totp else ""
        accounts.append(DemoAccount(persona, username, pegawai.nip if pegawai else "", description, secret))
        return user

    bkpsdm = UnitKerja.objects.get(kode="401.204")
    make(
        "admin",
        "admin",
        _pegawai_at("J-401.106.2"),
        "Administrator sistem (Diskominfo)",
        ["admin-sistem"],
        None,
        totp=True,
    )
    make(
        "kepala OPD",
        "kadis.kominfo",
        _pegawai_at("J-401.106"),
        "Kepala Dinas Komunikasi dan Informatika",
        [],
        totp=True,
    )
    make("staff", "staf.kominfo", _staff_in("401.106.2"), "Pelaksana, Dinas Komunikasi dan Informatika")
    make(
        "arsiparis",
        "arsiparis",
        _staff_in("401.115.3"),
        "Arsiparis, unit kearsipan (Dinas Perpustakaan dan Kearsipan), whole pemda",
        ["arsiparis"],
        None,
    )
    make(
        "pencatat surat",
        "tu.kominfo",
        _staff_in("401.106.4"),
        "Pencatat surat (TU), Dinas Komunikasi dan Informatika",
        ["pencatat-surat"],
        UnitKerja.objects.get(kode="401.106"),
    )
    make(
        "operator layanan",
        "operator.mpp",
        _staff_in("401.111.3"),
        "Operator layanan, DPMPTSP (Mal Pelayanan Publik)",
        ["operator-layanan"],
        UnitKerja.objects.get(kode="401.111"),
    )
    make(
        "admin kepegawaian",
        "bkpsdm",
        _staff_in("401.204.2"),
        "Admin kepegawaian, BKPSDM",
        ["admin-kepegawaian"],
        None,
        totp=True,
    )
    make(
        "Plt. kepala OPD",
        "plt.dishub",
        _pegawai_at("J-401.108.1"),
        "Sekretaris Dishub, Plt. Kepala Dinas Perhubungan",
        [],
        totp=True,
    )
    del bkpsdm
    return accounts
