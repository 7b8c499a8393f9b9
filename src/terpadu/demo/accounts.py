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
    """The first staff member of the unit who has no account yet (one person, one account)."""
    free = Pegawai.objects.filter(jabatan__is_kepala_unit=False, user__isnull=True).order_by("pk")
    # the unit itself first, then its sub-units, then its parent OPD's other units
    opd = unit_kode.rsplit(".", 1)[0]
    return (
        free.filter(unit__kode=unit_kode).first()
        or free.filter(unit__kode__startswith=f"{unit_kode}.").first()
        or free.filter(unit__kode__startswith=f"{opd}.").first()
        or _new_staff(unit_kode)
    )


def _new_staff(unit_kode: str) -> Pegawai:
    """A further pelaksana for a persona when the unit's demo staff all have accounts already."""
    import datetime as dt

    from terpadu.organisasi import services as org
    from terpadu.organisasi.nip import make_nip

    unit = UnitKerja.objects.get(kode=unit_kode)
    n = Pegawai.objects.count() + 1
    jabatan = org.create_jabatan(
        {"unit": unit, "kode": f"J-{unit_kode}-P{n}", "nama": "Pranata Komputer", "jenis": "fungsional"}
    )
    born = dt.date(1990 + n % 8, 1 + n % 12, 1 + n % 28)
    pegawai = org.create_pegawai(
        {
            "nip": make_nip(born, born.year + 24, 1 + n % 12, "L" if n % 2 else "P", 900 + n % 99),
            "nama": f"Pegawai Demo {n}",
            "status": "PNS",
            "golongan": "III/a",
            "email": f"pegawai{n}@sukamaju.go.id.example",
        }
    )
    org.assign_jabatan(pegawai, jabatan, dt.date.today() - dt.timedelta(days=365))
    return pegawai


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
    kominfo = UnitKerja.objects.get(kode="401.106")
    # each pegawai is looked up only when its account is made, so "the first without an account" moves on
    for persona, username, who, description, roles, unit, totp in (
        (
            "pimpinan daerah",
            "sekda",
            lambda: _pegawai_at("J-100"),
            "Sekretaris Daerah: the leader's view",
            ["pimpinan-daerah"],
            None,
            True,
        ),
        (
            "perencana",
            "bappeda",
            lambda: _staff_in("401.201.2"),
            "Perencana, Bappedalitbang (whole pemda)",
            ["perencana"],
            None,
            True,
        ),
        ("TAPD", "tapd", lambda: _staff_in("401.202.2"), "Verifikator TAPD, BKAD (whole pemda)", ["tapd"], None, True),
        (
            "admin anggaran",
            "bkad",
            lambda: _staff_in("401.202.2"),
            "Admin anggaran, BKAD: rounds, ceilings, SSH",
            ["admin-anggaran"],
            None,
            True,
        ),
        ("BUD", "bud", lambda: _staff_in("401.202.3"), "Pengelola keuangan (BUD), BKAD: SP2D", ["bud"], None, True),
        (
            "PPK",
            "ppk.kominfo",
            lambda: _staff_in("401.106.3"),
            "PPK, Dinas Komunikasi dan Informatika",
            ["ppk"],
            kominfo,
            False,
        ),
        (
            "pengelola SPBE",
            "spbe.kominfo",
            lambda: _staff_in("401.106.3"),
            "Pengelola SPBE (Diskominfo, Tim Koordinasi SPBE): architecture, catalogue, proposals, evaluation",
            ["admin-spbe"],
            None,
            True,
        ),
        (
            "operator OPD",
            "operator.kominfo",
            lambda: _staff_in("401.106.2"),
            "Operator perencanaan & keuangan, Diskominfo",
            ["operator-opd"],
            kominfo,
            False,
        ),
    ):
        make(persona, username, who(), description, roles, unit, totp=totp)
    del bkpsdm
    return accounts
