"""Realisasi: what was paid (SP2D against DPA lines, and through them contracts' termin) and what was
built (monthly physical progress with photos) for each OPD sub kegiatan.

Other modules (SPPD, …) book their spending through `realisasi.services.book(...)`, never by writing here.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class Sp2d(models.Model):
    """Surat Perintah Pencairan Dana: one payment order, split over one or more DPA lines."""

    class Jenis(models.TextChoices):
        UP = "UP", _("UP (uang persediaan)")
        GU = "GU", _("GU (ganti uang)")
        TU = "TU", _("TU (tambahan uang)")
        LS = "LS", _("LS (langsung)")

    class Sumber(models.TextChoices):
        MANUAL = "manual", _("Entered")
        IMPOR = "impor", _("Imported from the finance system")
        MODUL = "modul", _("Booked by a module")

    tahun = models.PositiveSmallIntegerField(_("year"))
    unit = models.ForeignKey("organisasi.UnitKerja", on_delete=models.PROTECT, related_name="+")
    nomor = models.CharField(_("SP2D number"), max_length=100)
    tanggal = models.DateField(_("date"))
    jenis = models.CharField(_("kind"), max_length=2, choices=Jenis.choices)
    uraian = models.CharField(_("description"), max_length=500)
    nilai = models.DecimalField(_("amount"), max_digits=20, decimal_places=2)
    sumber = models.CharField(_("source"), max_length=8, choices=Sumber.choices, default=Sumber.MANUAL)
    referensi = models.CharField(_("reference (module and id)"), max_length=100, blank=True)
    dicatat_oleh = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    dicatat = models.DateTimeField(auto_now_add=True)
    # Cancellation (an SP2D entered by mistake): the row stays; the services add one reversing Realisasi row
    # (negative, same line, month and termin) per original row, so every plain Sum(Realisasi.nilai) — here,
    # in anggaran, monev and the portal — excludes it without knowing about cancellation.
    dibatalkan = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    dibatalkan_oleh = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    alasan_batal = models.TextField(_("reason for cancellation"), blank=True)

    class Meta:
        ordering = ["-tanggal", "nomor"]
        constraints = [models.UniqueConstraint(fields=["tahun", "nomor"], name="sp2d_nomor_unik")]
        indexes = [models.Index(fields=["tahun", "unit"])]
        verbose_name = _("SP2D")
        verbose_name_plural = _("SP2D")

    def __str__(self):
        return self.nomor

    def get_absolute_url(self):
        return reverse("realisasi:sp2d_detail", args=[self.pk])


class Realisasi(models.Model):
    """One realisation row: part of an SP2D on one DPA line (and, for LS payments, one contract termin)."""

    sp2d = models.ForeignKey(Sp2d, on_delete=models.CASCADE, related_name="rincian")
    dpa_baris = models.ForeignKey("anggaran.DpaBaris", on_delete=models.PROTECT, related_name="realisasi")
    # Denormalised for the monev aggregates (one index scan instead of joins over a million rows).
    sub_kegiatan = models.ForeignKey("perencanaan.RenjaSubKegiatan", on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey("organisasi.UnitKerja", on_delete=models.PROTECT, related_name="+")
    tahun = models.PositiveSmallIntegerField(_("year"))
    bulan = models.PositiveSmallIntegerField(_("month"))
    nilai = models.DecimalField(_("amount"), max_digits=20, decimal_places=2)
    termin = models.ForeignKey(
        "kontrak.Termin", null=True, blank=True, on_delete=models.PROTECT, related_name="realisasi"
    )
    # Set on a reversing row (negative nilai) written when its SP2D is cancelled: the row it cancels.
    membatalkan = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="pembatalan"
    )

    class Meta:
        indexes = [
            models.Index(fields=["tahun", "unit", "bulan"]),
            models.Index(fields=["sub_kegiatan", "bulan"]),
        ]
        verbose_name = _("realisation")
        verbose_name_plural = _("realisation")

    def __str__(self):
        return f"{self.sp2d} → {self.dpa_baris}: {self.nilai}"


class ProgresFisik(models.Model):
    """Cumulative physical progress of an OPD sub kegiatan at the end of a month, with its narrative."""

    sub_kegiatan = models.ForeignKey(
        "perencanaan.RenjaSubKegiatan", on_delete=models.PROTECT, related_name="progres_fisik"
    )
    unit = models.ForeignKey("organisasi.UnitKerja", on_delete=models.PROTECT, related_name="+")
    tahun = models.PositiveSmallIntegerField(_("year"))
    bulan = models.PositiveSmallIntegerField(_("month"))
    persen = models.DecimalField(_("physical progress (%)"), max_digits=6, decimal_places=2)
    narasi = models.TextField(_("narrative"), blank=True)
    alasan_koreksi = models.TextField(
        _("reason for a lower figure"), blank=True,
        help_text=_("Required when the cumulative progress is lower than an earlier month's."),
    )  # fmt: skip
    dilaporkan_oleh = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    dilaporkan = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["sub_kegiatan", "bulan"]
        constraints = [
            models.UniqueConstraint(fields=["sub_kegiatan", "bulan"], name="progres_fisik_bulan_unik"),
            models.CheckConstraint(name="progres_fisik_bulan_1_12", condition=models.Q(bulan__gte=1, bulan__lte=12)),
            models.CheckConstraint(name="progres_fisik_0_100", condition=models.Q(persen__gte=0, persen__lte=100)),
        ]
        indexes = [models.Index(fields=["tahun", "unit", "bulan"])]
        verbose_name = _("physical progress")
        verbose_name_plural = _("physical progress")

    def __str__(self):
        return f"{self.sub_kegiatan} {self.tahun}-{self.bulan:02d}: {self.persen}%"


class FotoProgres(models.Model):
    progres = models.ForeignKey(ProgresFisik, on_delete=models.CASCADE, related_name="foto")
    file = models.ForeignKey("core.StoredFile", on_delete=models.PROTECT, related_name="+")
    keterangan = models.CharField(_("caption"), max_length=300, blank=True)
    lat = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    lon = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    diambil = models.DateTimeField(_("taken at"), null=True, blank=True)

    class Meta:
        verbose_name = _("progress photo")
        verbose_name_plural = _("progress photos")

    def __str__(self):
        return f"{self.progres}: {self.keterangan}"
