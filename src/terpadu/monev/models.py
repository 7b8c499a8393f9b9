"""Monev (Permendagri 86/2017): quarterly evaluation of every OPD sub kegiatan — financial and physical
realisation against target and anggaran kas, capaian per indicator, the rating band — the early warning,
and what the public portal publishes (everything except what an admin excepts, with its reason).

Rating bands are configuration (`PitaRating`, loaded from data/monev_rating_bands.csv), never if/else.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from terpadu.perencanaan.models import Keyakinan


class SkalaRating(models.Model):
    """A set of contiguous bands, e.g. the annual capaian scale or the TW II cumulative realisation scale."""

    kode = models.CharField(_("code"), max_length=40, unique=True)  # "capaian", "kumulatif_tw1" …
    nama = models.CharField(_("name"), max_length=200)
    keyakinan = models.CharField(_("confidence"), max_length=12, choices=Keyakinan.choices, default=Keyakinan.LOCAL)
    sumber = models.CharField(_("source"), max_length=500, blank=True)

    class Meta:
        ordering = ["kode"]
        verbose_name = _("rating scale")
        verbose_name_plural = _("rating scales")

    def __str__(self):
        return self.nama


class PitaRating(models.Model):
    """One band of a scale: [batas_bawah, batas_atas) with explicit inclusiveness; null bound = unbounded."""

    skala = models.ForeignKey(SkalaRating, on_delete=models.CASCADE, related_name="pita")
    kategori = models.CharField(_("category"), max_length=40)  # Sangat Tinggi …
    label = models.CharField(_("label"), max_length=60, blank=True)  # Sangat Baik … (LKjIP wording)
    batas_bawah = models.DecimalField(_("lower bound"), max_digits=9, decimal_places=4, null=True, blank=True)
    bawah_inklusif = models.BooleanField(_("lower bound included"), default=True)
    batas_atas = models.DecimalField(_("upper bound"), max_digits=9, decimal_places=4, null=True, blank=True)
    atas_inklusif = models.BooleanField(_("upper bound included"), default=False)
    warna = models.CharField(_("colour"), max_length=9, blank=True)
    urutan = models.PositiveSmallIntegerField(_("order"), default=0)
    catatan = models.TextField(_("note"), blank=True)  # e.g. how a rule adjusted the reference's bound

    class Meta:
        ordering = ["skala", "urutan"]
        verbose_name = _("rating band")
        verbose_name_plural = _("rating bands")

    def __str__(self):
        return f"{self.skala.kode}: {self.kategori}"


class PeriodeMonev(models.Model):
    """A quarter of a year; OPD input locks after its deadline (Kepala OPD: 5 working days after quarter end)."""

    class Status(models.TextChoices):
        TERBUKA = "terbuka", _("Open")
        DIKUNCI = "dikunci", _("Locked")

    tahun = models.PositiveSmallIntegerField(_("year"))
    triwulan = models.PositiveSmallIntegerField(_("quarter"))
    batas_waktu = models.DateField(_("deadline"))
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.TERBUKA)
    dikunci = models.DateTimeField(_("locked at"), null=True, blank=True)

    class Meta:
        ordering = ["-tahun", "-triwulan"]
        constraints = [
            models.UniqueConstraint(fields=["tahun", "triwulan"], name="periode_monev_unik"),
            models.CheckConstraint(name="periode_triwulan_1_4", condition=models.Q(triwulan__gte=1, triwulan__lte=4)),
        ]
        verbose_name = _("monitoring period")
        verbose_name_plural = _("monitoring periods")

    def __str__(self):
        return f"TW {self.triwulan} {self.tahun}"

    def get_absolute_url(self):
        return reverse("monev:periode_detail", args=[self.pk])


class EvaluasiSubKegiatan(models.Model):
    """The quarterly evaluation of one OPD sub kegiatan: figures computed from the ledger at the time of the
    evaluation (kept, so a locked quarter is reproducible), the rating, and the OPD's narrative."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        DIKIRIM = "dikirim", _("Submitted")

    periode = models.ForeignKey(PeriodeMonev, on_delete=models.PROTECT, related_name="evaluasi")
    sub_kegiatan = models.ForeignKey("perencanaan.RenjaSubKegiatan", on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey("organisasi.UnitKerja", on_delete=models.PROTECT, related_name="+")
    pagu = models.DecimalField(_("DPA amount"), max_digits=20, decimal_places=2, default=0)
    target_kas = models.DecimalField(_("cumulative cash plan"), max_digits=20, decimal_places=2, default=0)
    realisasi_keuangan = models.DecimalField(_("financial realisation"), max_digits=20, decimal_places=2, default=0)
    realisasi_fisik = models.DecimalField(_("physical progress (%)"), max_digits=6, decimal_places=2, default=0)
    persen_keuangan = models.DecimalField(_("financial realisation (%)"), max_digits=9, decimal_places=4, default=0)
    persen_kas = models.DecimalField(_("realisation vs cash plan (%)"), max_digits=9, decimal_places=4, null=True)
    kategori = models.CharField(_("rating"), max_length=40, blank=True)
    # The annual capaian scale applied to realisation against the cumulative cash plan (persen_kas).
    kategori_capaian = models.CharField(_("achievement rating"), max_length=40, blank=True)
    faktor_pendorong = models.TextField(_("supporting factors"), blank=True)
    faktor_penghambat = models.TextField(_("inhibiting factors"), blank=True)
    tindak_lanjut = models.TextField(_("follow-up"), blank=True)
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.DRAFT)
    diperbarui = models.DateTimeField(auto_now=True)
    diperbarui_oleh = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["periode", "sub_kegiatan"], name="evaluasi_unik")]
        indexes = [models.Index(fields=["periode", "unit"])]
        verbose_name = _("sub kegiatan evaluation")
        verbose_name_plural = _("sub kegiatan evaluations")

    def __str__(self):
        return f"{self.periode} {self.sub_kegiatan}"


class CapaianIndikator(models.Model):
    """Realisation of one indicator in a quarter and its capaian (respecting the indicator's polarity)."""

    periode = models.ForeignKey(PeriodeMonev, on_delete=models.PROTECT, related_name="capaian")
    indikator = models.ForeignKey("perencanaan.Indikator", on_delete=models.PROTECT, related_name="capaian")
    unit = models.ForeignKey("organisasi.UnitKerja", null=True, on_delete=models.PROTECT, related_name="+")
    target = models.DecimalField(_("target"), max_digits=20, decimal_places=4, null=True)
    realisasi = models.DecimalField(_("realisation"), max_digits=20, decimal_places=4)
    capaian = models.DecimalField(_("achievement (%)"), max_digits=9, decimal_places=4, null=True)
    kategori = models.CharField(_("rating"), max_length=40, blank=True)
    catatan = models.TextField(_("note"), blank=True)
    diperbarui_oleh = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["periode", "indikator"], name="capaian_indikator_unik")]
        verbose_name = _("indicator achievement")
        verbose_name_plural = _("indicator achievements")

    def __str__(self):
        return f"{self.periode} {self.indikator}"


class PeringatanDini(models.Model):
    """A sub kegiatan whose cumulative realisation lags its anggaran kas by more than the margin."""

    sub_kegiatan = models.ForeignKey("perencanaan.RenjaSubKegiatan", on_delete=models.CASCADE, related_name="+")
    unit = models.ForeignKey("organisasi.UnitKerja", on_delete=models.PROTECT, related_name="+")
    tahun = models.PositiveSmallIntegerField(_("year"))
    bulan = models.PositiveSmallIntegerField(_("month"))
    target_kas = models.DecimalField(_("cumulative cash plan"), max_digits=20, decimal_places=2)
    realisasi = models.DecimalField(_("cumulative realisation"), max_digits=20, decimal_places=2)
    deviasi = models.DecimalField(_("lag (percentage points)"), max_digits=9, decimal_places=4)
    dibuat = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-tahun", "-bulan", "-deviasi"]
        constraints = [models.UniqueConstraint(fields=["sub_kegiatan", "bulan"], name="peringatan_dini_unik")]
        verbose_name = _("early warning")
        verbose_name_plural = _("early warnings")

    def __str__(self):
        return f"{self.tahun}-{self.bulan:02d} {self.sub_kegiatan}"


class PengecualianPublikasi(models.Model):
    """An item kept off the public portal and open API, with the reason (e.g. intelligence or security
    spending). `kode` is a program, kegiatan or sub kegiatan code; `unit` narrows it to one OPD."""

    tahun = models.PositiveSmallIntegerField(_("year"))
    kode = models.CharField(_("program / kegiatan / sub kegiatan code"), max_length=24)
    unit = models.ForeignKey("organisasi.UnitKerja", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    alasan = models.TextField(_("reason"))
    dibuat_oleh = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    dibuat = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-tahun", "kode"]
        constraints = [models.UniqueConstraint(fields=["tahun", "kode", "unit"], name="pengecualian_unik")]
        verbose_name = _("publication exception")
        verbose_name_plural = _("publication exceptions")

    def __str__(self):
        return f"{self.tahun} {self.kode}"
