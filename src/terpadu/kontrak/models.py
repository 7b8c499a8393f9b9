"""Kontrak (e-kontrak): paket pengadaan (RUP) linked to DPA lines, the contract with its penyedia, termin,
jaminan and the full history of its adendum."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class Penyedia(models.Model):
    """A supplier (badan usaha or perorangan), identified by its NPWP."""

    class Kualifikasi(models.TextChoices):
        KECIL = "kecil", _("Small business")
        NON_KECIL = "non_kecil", _("Non-small business")
        PERORANGAN = "perorangan", _("Individual")

    nama = models.CharField(_("name"), max_length=300)
    npwp = models.CharField(_("NPWP"), max_length=20, unique=True, help_text=_("15 or 16 digits"))
    alamat = models.CharField(_("address"), max_length=500, blank=True)
    kualifikasi = models.CharField(_("qualification"), max_length=12, choices=Kualifikasi.choices, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    telepon = models.CharField(_("phone"), max_length=40, blank=True)

    class Meta:
        ordering = ["nama"]
        verbose_name = _("supplier (penyedia)")
        verbose_name_plural = _("suppliers (penyedia)")

    def __str__(self):
        return f"{self.nama} ({self.npwp})"


class Paket(models.Model):
    """A procurement package as announced in the RUP (SiRUP), funded by one or more DPA lines."""

    class Metode(models.TextChoices):
        TENDER = "tender", _("Tender")
        TENDER_CEPAT = "tender_cepat", _("Quick tender")
        SELEKSI = "seleksi", _("Selection (consultancy)")
        PENGADAAN_LANGSUNG = "pengadaan_langsung", _("Direct procurement")
        PENUNJUKAN_LANGSUNG = "penunjukan_langsung", _("Direct appointment")
        E_PURCHASING = "e_purchasing", _("E-purchasing (e-katalog)")
        SWAKELOLA = "swakelola", _("Self-managed (swakelola)")
        DARURAT = "darurat", _("Emergency procurement")

    class Jenis(models.TextChoices):
        BARANG = "barang", _("Goods")
        KONSTRUKSI = "konstruksi", _("Construction works")
        KONSULTANSI = "konsultansi", _("Consultancy services")
        JASA_LAINNYA = "jasa_lainnya", _("Other services")

    tahun = models.PositiveSmallIntegerField(_("year"))
    unit = models.ForeignKey("organisasi.UnitKerja", on_delete=models.PROTECT, related_name="+")
    kode_rup = models.CharField(_("RUP code"), max_length=30, blank=True)
    nama = models.CharField(_("name"), max_length=500)
    metode = models.CharField(_("method"), max_length=24, choices=Metode.choices)
    jenis = models.CharField(_("kind"), max_length=16, choices=Jenis.choices)
    pagu = models.DecimalField(_("ceiling (pagu)"), max_digits=20, decimal_places=2)
    sumber_dana = models.CharField(_("source of funds"), max_length=60, blank=True)
    lokasi = models.CharField(_("location"), max_length=300, blank=True)
    dpa_baris = models.ManyToManyField(
        "anggaran.DpaBaris", through="PaketDpa", related_name="paket", verbose_name=_("DPA lines")
    )
    dibuat = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-tahun", "nama"]
        indexes = [models.Index(fields=["tahun", "unit"])]
        verbose_name = _("procurement package")
        verbose_name_plural = _("procurement packages")

    def __str__(self):
        return self.nama

    def get_absolute_url(self):
        return reverse("kontrak:paket_detail", args=[self.pk])


class PaketDpa(models.Model):
    """How much of a DPA line a package takes."""

    paket = models.ForeignKey(Paket, on_delete=models.CASCADE, related_name="alokasi")
    dpa_baris = models.ForeignKey("anggaran.DpaBaris", on_delete=models.PROTECT, related_name="alokasi_paket")
    nilai = models.DecimalField(_("amount"), max_digits=20, decimal_places=2)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["paket", "dpa_baris"], name="paket_dpa_unik")]
        verbose_name = _("package funding")
        verbose_name_plural = _("package funding")

    def __str__(self):
        return f"{self.paket} ← {self.dpa_baris}: {self.nilai}"


class Kontrak(models.Model):
    class Status(models.TextChoices):
        BERJALAN = "berjalan", _("Running")
        SELESAI = "selesai", _("Completed")
        PEMUTUSAN = "pemutusan", _("Terminated (pemutusan)")
        PENGHENTIAN = "penghentian", _("Stopped (penghentian)")

    class JenisKontrak(models.TextChoices):
        LUMSUM = "lumsum", _("Lump sum")
        HARGA_SATUAN = "harga_satuan", _("Unit price")
        GABUNGAN = "gabungan", _("Lump sum and unit price")
        TERIMA_JADI = "terima_jadi", _("Turnkey")
        PAYUNG = "payung", _("Framework (kontrak payung)")
        WAKTU_PENUGASAN = "waktu_penugasan", _("Time-based (consultancy)")

    paket = models.ForeignKey(Paket, on_delete=models.PROTECT, related_name="kontrak")
    unit = models.ForeignKey("organisasi.UnitKerja", on_delete=models.PROTECT, related_name="+")  # = paket.unit
    tahun = models.PositiveSmallIntegerField(_("year"))
    nomor = models.CharField(_("contract number"), max_length=100)
    tanggal = models.DateField(_("contract date"))
    penyedia = models.ForeignKey(Penyedia, on_delete=models.PROTECT, related_name="kontrak")
    jenis_kontrak = models.CharField(_("contract type"), max_length=16, choices=JenisKontrak.choices)
    hps = models.DecimalField(_("owner's estimate (HPS)"), max_digits=20, decimal_places=2, null=True, blank=True)
    nilai = models.DecimalField(_("contract value"), max_digits=20, decimal_places=2)
    nilai_awal = models.DecimalField(_("original value"), max_digits=20, decimal_places=2)
    mulai = models.DateField(_("start"))
    selesai = models.DateField(_("end"))
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.BERJALAN)
    status_tanggal = models.DateField(_("status date"), null=True, blank=True)
    status_alasan = models.TextField(_("reason for the status"), blank=True)
    lingkup = models.TextField(_("scope of work"), blank=True)
    ppk = models.ForeignKey(
        "organisasi.Pegawai", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("PPK (commitment officer)"),
    )  # fmt: skip
    nilai_pdn = models.DecimalField(
        _("domestic content value (PDN)"), max_digits=20, decimal_places=2, null=True, blank=True
    )
    nilai_umk = models.DecimalField(
        _("micro/small business value (UMK)"), max_digits=20, decimal_places=2, null=True, blank=True
    )
    dokumen = models.ForeignKey("core.StoredFile", null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-tanggal", "nomor"]
        constraints = [models.UniqueConstraint(fields=["unit", "tahun", "nomor"], name="kontrak_nomor_unik")]
        indexes = [models.Index(fields=["tahun", "unit"])]
        verbose_name = _("contract")
        verbose_name_plural = _("contracts")

    def __str__(self):
        return f"{self.nomor} — {self.penyedia.nama}"

    def get_absolute_url(self):
        return reverse("kontrak:kontrak_detail", args=[self.pk])


class Termin(models.Model):
    """A payment stage: paid by an SP2D (realisasi) once its physical condition is met."""

    class Jenis(models.TextChoices):
        UANG_MUKA = "uang_muka", _("Advance (uang muka)")
        TERMIN = "termin", _("Progress payment (termin)")
        SEKALIGUS = "sekaligus", _("Single payment")
        RETENSI = "retensi", _("Retention")

    kontrak = models.ForeignKey(Kontrak, on_delete=models.CASCADE, related_name="termin")
    urutan = models.PositiveSmallIntegerField(_("number"))
    jenis = models.CharField(_("kind"), max_length=12, choices=Jenis.choices, default=Jenis.TERMIN)
    persen_fisik = models.DecimalField(_("physical progress required (%)"), max_digits=6, decimal_places=2, default=0)
    nilai = models.DecimalField(_("amount"), max_digits=20, decimal_places=2)
    bap_nomor = models.CharField(_("BAP/BAST number"), max_length=100, blank=True)
    bap_tanggal = models.DateField(_("BAP/BAST date"), null=True, blank=True)

    class Meta:
        ordering = ["kontrak", "urutan"]
        constraints = [models.UniqueConstraint(fields=["kontrak", "urutan"], name="termin_urutan_unik")]
        verbose_name = _("payment stage (termin)")
        verbose_name_plural = _("payment stages (termin)")

    def __str__(self):
        return f"{self.kontrak.nomor} termin {self.urutan}"


class Jaminan(models.Model):
    class Jenis(models.TextChoices):
        PELAKSANAAN = "pelaksanaan", _("Performance bond")
        UANG_MUKA = "uang_muka", _("Advance payment bond")
        PEMELIHARAAN = "pemeliharaan", _("Maintenance bond")
        PENAWARAN = "penawaran", _("Bid bond")

    kontrak = models.ForeignKey(Kontrak, on_delete=models.CASCADE, related_name="jaminan")
    jenis = models.CharField(_("kind"), max_length=14, choices=Jenis.choices)
    penerbit = models.CharField(_("issuer"), max_length=200)
    nomor = models.CharField(_("number"), max_length=100)
    nilai = models.DecimalField(_("amount"), max_digits=20, decimal_places=2)
    berlaku_sampai = models.DateField(_("valid until"))

    class Meta:
        ordering = ["kontrak", "berlaku_sampai"]
        verbose_name = _("guarantee (jaminan)")
        verbose_name_plural = _("guarantees (jaminan)")

    def __str__(self):
        return f"{self.get_jenis_display()} {self.nomor}"


class Adendum(models.Model):
    """A change to a contract: what it was, what it became, and why. Never edited afterwards."""

    class Jenis(models.TextChoices):
        NILAI = "nilai", _("Value")
        WAKTU = "waktu", _("Time")
        LINGKUP = "lingkup", _("Scope")

    kontrak = models.ForeignKey(Kontrak, on_delete=models.CASCADE, related_name="adendum")
    urutan = models.PositiveSmallIntegerField(_("number"))
    nomor = models.CharField(_("addendum number"), max_length=100)
    tanggal = models.DateField(_("date"))
    jenis = models.CharField(_("kind"), max_length=10, choices=Jenis.choices)
    sebelum = models.JSONField(_("before"), default=dict)
    sesudah = models.JSONField(_("after"), default=dict)
    alasan = models.TextField(_("reason"))
    dokumen = models.ForeignKey("core.StoredFile", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    dibuat_oleh = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    dibuat = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["kontrak", "urutan"]
        constraints = [models.UniqueConstraint(fields=["kontrak", "urutan"], name="adendum_urutan_unik")]
        verbose_name = _("addendum")
        verbose_name_plural = _("addenda")

    def __str__(self):
        return f"{self.kontrak.nomor} adendum {self.urutan}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ValueError("An adendum is never edited: record a new one.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("An adendum is never deleted.")
