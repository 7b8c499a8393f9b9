"""Struktur organisasi: the pemda, its unit kerja tree, jabatan, pegawai and acting assignments.

Everything else in Terpadu hangs on this: authorization scopes are unit subtrees, letters carry
unit codes and kop surat, SKP follows the atasan chain. Units and jabatan have validity dates so a
reorganisation closes old rows instead of rewriting them.
"""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from terpadu.organisasi import reference
from terpadu.organisasi.nip import validate_nip

PATH_STEP = 7  # each level of UnitKerja.path is a zero-padded 6-digit id and a dot


def today() -> dt.date:
    return timezone.localdate()


class ValidityQuerySet(models.QuerySet):
    def current(self, on: dt.date | None = None):
        on = on or today()
        return self.filter(Q(valid_from__lte=on) | Q(valid_from__isnull=True)).filter(
            Q(valid_to__isnull=True) | Q(valid_to__gte=on)
        )


class Pemda(models.Model):
    """The one Pemerintah Daerah of this deployment."""

    class Jenis(models.TextChoices):
        KOTA = "kota", _("City (Kota)")
        KABUPATEN = "kabupaten", _("Regency (Kabupaten)")
        PROVINSI = "provinsi", _("Province")

    nama = models.CharField(_("name"), max_length=200)
    jenis = models.CharField(_("kind"), max_length=16, choices=Jenis.choices, default=Jenis.KOTA)
    kode_wilayah = models.CharField(
        _("region code"), max_length=13, unique=True, help_text=_("Kode wilayah Kemendagri, e.g. 35.77")
    )
    provinsi = models.CharField(_("province"), max_length=100)
    alamat = models.CharField(_("address"), max_length=255, blank=True)
    telepon = models.CharField(_("phone"), max_length=50, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    website = models.URLField(_("website"), blank=True)
    logo = models.ImageField(_("logo"), upload_to="logo/", blank=True)
    kepala_daerah_sebutan = models.CharField(_("title of the head"), max_length=50, default="Wali Kota")

    class Meta:
        verbose_name = _("regional government")
        verbose_name_plural = _("regional governments")

    def __str__(self):
        return self.nama


class UnitKerja(models.Model):
    """A unit in the tree (OPD → bidang/bagian → seksi; kecamatan → kelurahan)."""

    pemda = models.ForeignKey(Pemda, on_delete=models.PROTECT, related_name="units", verbose_name=_("pemda"))
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children", verbose_name=_("parent")
    )
    kode = models.CharField(_("code"), max_length=30, help_text=_("Unit code used in letter numbers, e.g. 401.106"))
    nama = models.CharField(_("name"), max_length=200)
    singkatan = models.CharField(_("abbreviation"), max_length=30, blank=True)
    jenis = models.CharField(_("kind"), max_length=30, choices=reference.jenis_unit_choices)
    path = models.CharField(max_length=255, db_index=True, editable=False)
    depth = models.PositiveSmallIntegerField(default=0, editable=False)
    alamat = models.CharField(_("address"), max_length=255, blank=True)
    telepon = models.CharField(_("phone"), max_length=50, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    website = models.URLField(_("website"), blank=True)
    kode_pos = models.CharField(_("postal code"), max_length=10, blank=True)
    logo = models.ImageField(_("logo for the letterhead"), upload_to="logo/", blank=True)
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid to"), null=True, blank=True)

    objects = ValidityQuerySet.as_manager()

    class Meta:
        ordering = ["path"]
        verbose_name = _("work unit")
        verbose_name_plural = _("work units")
        constraints = [
            models.UniqueConstraint(
                fields=["pemda", "kode"],
                condition=Q(valid_to__isnull=True),
                name="unit_kode_unique_while_open",
                violation_error_message=_("Another open unit already has this code."),
            ),
        ]

    def __str__(self):
        return self.nama

    def get_absolute_url(self):
        return reverse("organisasi:unit_detail", args=[self.pk])

    @property
    def is_opd(self) -> bool:
        return self.jenis in reference.opd_kinds()

    def is_current(self, on: dt.date | None = None) -> bool:
        on = on or today()
        return (self.valid_from is None or self.valid_from <= on) and (self.valid_to is None or self.valid_to >= on)

    def opd(self) -> UnitKerja:
        """The OPD this unit belongs to (itself if it is one)."""
        node = self
        while node is not None and not node.is_opd and node.parent_id:
            node = node.parent
        return node

    def kop_surat(self) -> dict:
        """Letterhead lines of the unit's OPD (the pemda name on top), for the naskah templates."""
        opd = self.opd() or self
        return {
            "pemda": self.pemda.nama.upper(),
            "unit": opd.nama.upper(),
            "alamat": opd.alamat or self.pemda.alamat,
            "telepon": opd.telepon or self.pemda.telepon,
            "email": opd.email or self.pemda.email,
            "website": opd.website or self.pemda.website,
            "kode_pos": opd.kode_pos,
            "logo": (opd.logo or self.pemda.logo).name or "",
        }


class Jabatan(models.Model):
    class Jenis(models.TextChoices):
        KEPALA_DAERAH = "kepala_daerah", _("Head of region (political office)")
        STRUKTURAL = "struktural", _("Structural (with eselon)")
        FUNGSIONAL = "fungsional", _("Functional")
        PELAKSANA = "pelaksana", _("Executor (pelaksana)")

    unit = models.ForeignKey(UnitKerja, on_delete=models.PROTECT, related_name="jabatan", verbose_name=_("unit"))
    kode = models.CharField(_("code"), max_length=40, blank=True)
    nama = models.CharField(_("name"), max_length=200)
    jenis = models.CharField(_("kind"), max_length=16, choices=Jenis.choices)
    eselon = models.CharField(_("eselon"), max_length=5, choices=reference.eselon_choices, blank=True)
    is_kepala_unit = models.BooleanField(_("heads the unit"), default=False)
    atasan_override = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("superior (explicit)"),
        help_text=_("Leave empty to derive the superior from the unit tree."),
    )
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid to"), null=True, blank=True)

    objects = ValidityQuerySet.as_manager()

    class Meta:
        ordering = ["unit__path", "-is_kepala_unit", "nama"]
        verbose_name = _("position")
        verbose_name_plural = _("positions")
        constraints = [
            models.UniqueConstraint(
                fields=["unit"],
                condition=Q(is_kepala_unit=True, valid_to__isnull=True),
                name="one_open_head_per_unit",
                violation_error_message=_("This unit already has a head position."),
            ),
        ]

    def __str__(self):
        return self.nama

    def get_absolute_url(self):
        return reverse("organisasi:jabatan_detail", args=[self.pk])


class Pegawai(models.Model):
    class Status(models.TextChoices):
        PNS = "PNS", _("Civil servant (PNS)")
        PPPK = "PPPK", _("Contract civil servant (PPPK)")

    nip = models.CharField(_("NIP"), max_length=18, unique=True, validators=[validate_nip])
    nama = models.CharField(_("name"), max_length=150)
    gelar_depan = models.CharField(_("title before name"), max_length=50, blank=True)
    gelar_belakang = models.CharField(_("title after name"), max_length=80, blank=True)
    status = models.CharField(_("status"), max_length=4, choices=Status.choices, default=Status.PNS)
    golongan = models.CharField(_("rank (golongan)"), max_length=5, choices=reference.golongan_choices, blank=True)
    tanggal_lahir = models.DateField(_("date of birth"), editable=False)
    jenis_kelamin = models.CharField(_("gender"), max_length=1, editable=False)
    nik = models.CharField(_("NIK"), max_length=16, blank=True, help_text=_("Needed later for TTE (BSrE)."))
    email = models.EmailField(_("e-mail"), blank=True)
    telepon = models.CharField(_("phone"), max_length=30, blank=True)
    aktif = models.BooleanField(_("active"), default=True)
    # Denormalised from the current RiwayatJabatan (kept by services) so scopes and lists are one join.
    jabatan = models.ForeignKey(
        Jabatan, null=True, blank=True, on_delete=models.SET_NULL, related_name="pemangku", verbose_name=_("position")
    )
    unit = models.ForeignKey(
        UnitKerja, null=True, blank=True, on_delete=models.SET_NULL, related_name="pegawai", verbose_name=_("unit")
    )

    class Meta:
        ordering = ["nama"]
        verbose_name = _("employee")
        verbose_name_plural = _("employees")

    def __str__(self):
        return self.nama_lengkap

    def get_absolute_url(self):
        return reverse("organisasi:pegawai_detail", args=[self.pk])

    @property
    def nama_lengkap(self) -> str:
        name = f"{self.gelar_depan} {self.nama}".strip()
        return f"{name}, {self.gelar_belakang}" if self.gelar_belakang else name

    @property
    def pangkat(self) -> str:
        return reference.pangkat_of(self.golongan)


class RiwayatJabatan(models.Model):
    """Who held which position when (the definitive, i.e. non-acting, appointments)."""

    pegawai = models.ForeignKey(Pegawai, on_delete=models.CASCADE, related_name="riwayat_jabatan")
    jabatan = models.ForeignKey(Jabatan, on_delete=models.PROTECT, related_name="riwayat")
    tmt_mulai = models.DateField(_("from"))
    tmt_selesai = models.DateField(_("until"), null=True, blank=True)
    nomor_sk = models.CharField(_("decree number"), max_length=100, blank=True)

    class Meta:
        ordering = ["-tmt_mulai"]
        verbose_name = _("position history")
        verbose_name_plural = _("position history")

    def __str__(self):
        return f"{self.pegawai} — {self.jabatan}"


class PenugasanSementara(models.Model):
    """Plt. (pelaksana tugas) or Plh. (pelaksana harian): acting in a position between two dates."""

    class Jenis(models.TextChoices):
        PLT = "plt", "Plt."
        PLH = "plh", "Plh."

    pegawai = models.ForeignKey(Pegawai, on_delete=models.CASCADE, related_name="penugasan_sementara")
    jabatan = models.ForeignKey(Jabatan, on_delete=models.PROTECT, related_name="penugasan_sementara")
    jenis = models.CharField(_("kind"), max_length=3, choices=Jenis.choices)
    mulai = models.DateField(_("from"))
    selesai = models.DateField(_("until"))
    nomor_sk = models.CharField(_("decree number"), max_length=100, blank=True)
    dicabut = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        ordering = ["-mulai"]
        verbose_name = _("acting assignment")
        verbose_name_plural = _("acting assignments")

    def __str__(self):
        return f"{self.get_jenis_display()} {self.jabatan} — {self.pegawai}"

    def get_absolute_url(self):
        return reverse("organisasi:jabatan_detail", args=[self.jabatan_id])

    def is_active(self, on: dt.date | None = None) -> bool:
        on = on or today()
        return self.dicabut is None and self.mulai <= on <= self.selesai

    @classmethod
    def active_q(cls, on: dt.date | None = None) -> Q:
        on = on or today()
        return Q(dicabut__isnull=True, mulai__lte=on, selesai__gte=on)
