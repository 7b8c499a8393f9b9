"""Anggaran: kode rekening and standar harga per year, the KUA-PPAS ceiling per OPD, the RKA with its
rincian belanja, TAPD verification, the DPA and its versions (murni, pergeseran, perubahan), anggaran kas.

Versions are snapshots: every TahapAnggaran (budget round) has its own Rka and RincianBelanja rows, copied
from the previous adopted round when a new one opens, so any two rounds compare line by line (RincianBelanja
.kunci is the same line across rounds). The DPA line other modules spend against is DpaBaris: one per OPD
sub kegiatan × kode rekening, stable across rounds, its `pagu` the value of the latest approved round.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from terpadu.perencanaan.models import Keyakinan


class RekeningLevel(models.TextChoices):
    AKUN = "akun", _("Akun")
    KELOMPOK = "kelompok", _("Kelompok")
    JENIS = "jenis", _("Jenis")
    OBJEK = "objek", _("Objek")
    RINCIAN_OBJEK = "rincian_objek", _("Rincian objek")
    SUB_RINCIAN_OBJEK = "sub_rincian_objek", _("Sub rincian objek")


class VersiRekening(models.Model):
    """The chart of accounts (Permendagri 90/2019 as updated) in force for one tahun anggaran."""

    tahun = models.PositiveSmallIntegerField(_("budget year"), unique=True)
    nama = models.CharField(_("name"), max_length=200)
    dasar_hukum = models.CharField(_("legal basis"), max_length=300, blank=True)
    dibuat = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-tahun"]
        verbose_name = _("chart of accounts edition")
        verbose_name_plural = _("chart of accounts editions")

    def __str__(self):
        return f"{self.tahun} — {self.nama}"


class KodeRekening(models.Model):
    """A.K.JJ.OO.RR.SSSS: only the sub rincian objek level is budgeted."""

    versi = models.ForeignKey(VersiRekening, on_delete=models.PROTECT, related_name="kode")
    level = models.CharField(_("level"), max_length=20, choices=RekeningLevel.choices)
    kode = models.CharField(_("code"), max_length=24)
    nama = models.CharField(_("name"), max_length=300)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children")
    aktif = models.BooleanField(_("in use"), default=True)
    keyakinan = models.CharField(_("confidence"), max_length=12, choices=Keyakinan.choices, default=Keyakinan.LOCAL)
    sumber = models.CharField(_("source"), max_length=500, blank=True)

    class Meta:
        ordering = ["versi", "kode"]
        constraints = [models.UniqueConstraint(fields=["versi", "kode"], name="rekening_kode_unik_per_versi")]
        verbose_name = _("kode rekening")
        verbose_name_plural = _("kode rekening")

    def __str__(self):
        return f"{self.kode} {self.nama}"


class PemetaanRekening(models.Model):
    dari = models.ForeignKey(KodeRekening, on_delete=models.CASCADE, related_name="pemetaan_ke")
    ke = models.ForeignKey(KodeRekening, on_delete=models.CASCADE, related_name="pemetaan_dari")
    catatan = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["dari", "ke"], name="pemetaan_rekening_unik")]
        verbose_name = _("kode rekening mapping")
        verbose_name_plural = _("kode rekening mappings")

    def __str__(self):
        return f"{self.dari.kode} → {self.ke.kode}"


class StandarHarga(models.Model):
    """SSH / SBU / HSPK / ASB item of one year, and the accounts it may be budgeted on."""

    class Jenis(models.TextChoices):
        SSH = "ssh", _("SSH (standar satuan harga)")
        SBU = "sbu", _("SBU (standar biaya umum)")
        HSPK = "hspk", _("HSPK (harga satuan pokok kegiatan)")
        ASB = "asb", _("ASB (analisis standar belanja)")

    tahun = models.PositiveSmallIntegerField(_("year"))
    jenis = models.CharField(_("kind"), max_length=8, choices=Jenis.choices, default=Jenis.SSH)
    kode = models.CharField(_("code"), max_length=40)
    uraian = models.CharField(_("item"), max_length=300)
    spesifikasi = models.CharField(_("specification"), max_length=500, blank=True)
    satuan = models.CharField(_("unit"), max_length=40)
    harga = models.DecimalField(_("price"), max_digits=20, decimal_places=2)
    rekening = models.ManyToManyField(KodeRekening, related_name="standar_harga", verbose_name=_("allowed accounts"))
    aktif = models.BooleanField(_("in use"), default=True)

    class Meta:
        ordering = ["tahun", "kode"]
        constraints = [models.UniqueConstraint(fields=["tahun", "kode"], name="standar_harga_kode_unik")]
        verbose_name = _("standard price (SSH/SBU)")
        verbose_name_plural = _("standard prices (SSH/SBU)")

    def __str__(self):
        return f"{self.kode} {self.uraian} / {self.satuan}"


class TahapAnggaran(models.Model):
    """One budget round of a year: murni (the APBD), pergeseran 1..n, perubahan (P-APBD). Each is a snapshot."""

    class Jenis(models.TextChoices):
        MURNI = "murni", _("Original (murni)")
        PERGESERAN = "pergeseran", _("Shift (pergeseran)")
        PERUBAHAN = "perubahan", _("Amendment (perubahan, P-APBD)")

    class Status(models.TextChoices):
        PENYUSUNAN = "penyusunan", _("Being drafted")
        DITETAPKAN = "ditetapkan", _("Adopted (DPA)")

    tahun = models.PositiveSmallIntegerField(_("budget year"))
    jenis = models.CharField(_("kind"), max_length=12, choices=Jenis.choices)
    urutan = models.PositiveSmallIntegerField(_("sequence"))
    nama = models.CharField(_("name"), max_length=100)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.PENYUSUNAN)
    sebelumnya = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("previous round")
    )
    dibuka = models.DateTimeField(auto_now_add=True)
    ditetapkan = models.DateTimeField(_("adopted at"), null=True, blank=True)
    dasar_hukum = models.CharField(_("legal basis (Perda/Perkada)"), max_length=300, blank=True)

    class Meta:
        ordering = ["-tahun", "-urutan"]
        constraints = [models.UniqueConstraint(fields=["tahun", "urutan"], name="tahap_anggaran_urutan_unik")]
        verbose_name = _("budget round")
        verbose_name_plural = _("budget rounds")

    def __str__(self):
        return f"{self.tahun} {self.nama}"

    def get_absolute_url(self):
        return reverse("anggaran:tahap_detail", args=[self.pk])


class Pagu(models.Model):
    """The KUA-PPAS ceiling of one OPD in one budget round: the sum of its RKA may never exceed it."""

    tahap = models.ForeignKey(TahapAnggaran, on_delete=models.CASCADE, related_name="pagu")
    unit = models.ForeignKey("organisasi.UnitKerja", on_delete=models.PROTECT, related_name="+")
    nilai = models.DecimalField(_("ceiling"), max_digits=20, decimal_places=2)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["tahap", "unit"], name="pagu_satu_per_opd_tahap")]
        verbose_name = _("ceiling (pagu)")
        verbose_name_plural = _("ceilings (pagu)")

    def __str__(self):
        return f"{self.unit} {self.tahap}: {self.nilai}"


class Rka(models.Model):
    """The budget of one OPD sub kegiatan in one round (RKA while drafted and verified; DPA once approved)."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        DIAJUKAN = "diajukan", _("Submitted to TAPD")
        DIKEMBALIKAN = "dikembalikan", _("Returned with notes")
        DISETUJUI = "disetujui", _("Approved (DPA, locked)")

    tahap = models.ForeignKey(TahapAnggaran, on_delete=models.PROTECT, related_name="rka")
    sub_kegiatan = models.ForeignKey(
        "perencanaan.RenjaSubKegiatan", on_delete=models.PROTECT, related_name="rka", verbose_name=_("sub kegiatan")
    )
    unit = models.ForeignKey("organisasi.UnitKerja", on_delete=models.PROTECT, related_name="+")  # the OPD
    tahun = models.PositiveSmallIntegerField(_("year"))
    status = models.CharField(_("status"), max_length=14, choices=Status.choices, default=Status.DRAFT)
    total = models.DecimalField(_("total"), max_digits=20, decimal_places=2, default=0)
    catatan_verifikasi = models.TextField(_("TAPD notes"), blank=True)
    diajukan = models.DateTimeField(_("submitted at"), null=True, blank=True)
    disetujui = models.DateTimeField(_("approved at"), null=True, blank=True)
    disetujui_oleh = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["tahap", "sub_kegiatan"]
        constraints = [models.UniqueConstraint(fields=["tahap", "sub_kegiatan"], name="rka_satu_per_tahap")]
        indexes = [models.Index(fields=["tahap", "unit", "status"])]
        verbose_name = _("RKA")
        verbose_name_plural = _("RKA")

    def __str__(self):
        return f"RKA {self.sub_kegiatan} — {self.tahap.nama}"

    def get_absolute_url(self):
        return reverse("anggaran:rka_detail", args=[self.pk])

    @property
    def terkunci(self) -> bool:
        return self.status in (self.Status.DIAJUKAN, self.Status.DISETUJUI) or (
            self.tahap.status == TahapAnggaran.Status.DITETAPKAN
        )


class RincianBelanja(models.Model):
    """volume × harga satuan = jumlah, on one kode rekening, from the SSH where the item exists."""

    rka = models.ForeignKey(Rka, on_delete=models.CASCADE, related_name="rincian")
    kunci = models.UUIDField(default=uuid.uuid4, editable=False, db_index=True)  # the same line across rounds
    rekening = models.ForeignKey(KodeRekening, on_delete=models.PROTECT, related_name="+")
    uraian = models.CharField(_("item"), max_length=300)
    spesifikasi = models.CharField(_("specification"), max_length=500, blank=True)
    volume = models.DecimalField(_("volume"), max_digits=16, decimal_places=4)
    satuan = models.CharField(_("unit"), max_length=60)
    harga_satuan = models.DecimalField(_("unit price"), max_digits=20, decimal_places=2)
    jumlah = models.DecimalField(_("amount"), max_digits=20, decimal_places=2)
    standar_harga = models.ForeignKey(
        StandarHarga, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("SSH item")
    )
    justifikasi = models.TextField(_("justification (no SSH item)"), blank=True)
    sumber_dana = models.CharField(_("source of funds"), max_length=60, blank=True)
    catatan_verifikasi = models.TextField(_("TAPD note on this line"), blank=True)
    perlu_perbaikan = models.BooleanField(_("to be corrected"), default=False)
    urutan = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["rka", "rekening__kode", "urutan", "pk"]
        verbose_name = _("budget line (rincian belanja)")
        verbose_name_plural = _("budget lines (rincian belanja)")

    def __str__(self):
        return f"{self.rekening.kode} {self.uraian}"


class AnggaranKas(models.Model):
    """The monthly cash plan of an RKA; the twelve months must add up to its total."""

    rka = models.ForeignKey(Rka, on_delete=models.CASCADE, related_name="anggaran_kas")
    bulan = models.PositiveSmallIntegerField(_("month"))
    nilai = models.DecimalField(_("amount"), max_digits=20, decimal_places=2)

    class Meta:
        ordering = ["rka", "bulan"]
        constraints = [
            models.UniqueConstraint(fields=["rka", "bulan"], name="anggaran_kas_bulan_unik"),
            models.CheckConstraint(name="anggaran_kas_bulan_1_12", condition=models.Q(bulan__gte=1, bulan__lte=12)),
        ]
        verbose_name = _("cash plan (anggaran kas)")
        verbose_name_plural = _("cash plans (anggaran kas)")

    def __str__(self):
        return f"{self.rka} {self.bulan}: {self.nilai}"


class DpaBaris(models.Model):
    """A DPA line: OPD sub kegiatan × kode rekening. Contracts, SP2D and other modules' spending point here.

    Written only by the anggaran services when an RKA is approved; `pagu` is the latest approved amount,
    `pagu_murni` the first."""

    sub_kegiatan = models.ForeignKey("perencanaan.RenjaSubKegiatan", on_delete=models.PROTECT, related_name="dpa_baris")
    unit = models.ForeignKey("organisasi.UnitKerja", on_delete=models.PROTECT, related_name="+")
    tahun = models.PositiveSmallIntegerField(_("year"))
    rekening = models.ForeignKey(KodeRekening, on_delete=models.PROTECT, related_name="+")
    kode_rekening = models.CharField(_("kode rekening"), max_length=24)
    pagu = models.DecimalField(_("DPA amount"), max_digits=20, decimal_places=2)
    pagu_murni = models.DecimalField(_("original amount"), max_digits=20, decimal_places=2)
    tahap = models.ForeignKey(TahapAnggaran, on_delete=models.PROTECT, related_name="+")  # where `pagu` comes from

    class Meta:
        ordering = ["tahun", "sub_kegiatan", "kode_rekening"]
        constraints = [
            models.UniqueConstraint(fields=["sub_kegiatan", "kode_rekening"], name="dpa_baris_unik"),
        ]
        indexes = [models.Index(fields=["tahun", "unit"])]
        verbose_name = _("DPA line")
        verbose_name_plural = _("DPA lines")

    def __str__(self):
        return f"{self.sub_kegiatan.sub_kegiatan.kode}.{self.kode_rekening}"

    @property
    def kode(self) -> str:
        """The printed DPA line: <sub kegiatan>.<kode rekening>."""
        return str(self)
