"""Archive instruments and filing (UU 43/2009, Permendagri 83/2022): klasifikasi with its JRA and SKKAAD
class, berkas, and the berita acara that closes an archive's life (pemusnahan / penyerahan)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class Keyakinan(models.TextChoices):
    """How sure the reference data is (shown in the UI so nobody mistakes a guess for the regulation)."""

    OFFICIAL = "official", _("official")
    MULTI = "multi", _("several sources agree")
    SECONDARY = "secondary", _("one secondary source")
    UNCONFIRMED = "unconfirmed", _("unconfirmed")
    LOCAL = "local", _("set by the city")


class Skkaad(models.TextChoices):
    """Sistem Klasifikasi Keamanan dan Akses Arsip Dinamis: the access class of a classification code."""

    BIASA = "biasa", _("Ordinary / open")
    TERBATAS = "terbatas", _("Limited")
    RAHASIA = "rahasia", _("Secret")
    SANGAT_RAHASIA = "sangat_rahasia", _("Top secret")


class NasibAkhir(models.TextChoices):
    MUSNAH = "musnah", _("Destroy")
    PERMANEN = "permanen", _("Permanent (transfer to the archive institution)")
    DINILAI_KEMBALI = "dinilai_kembali", _("Re-appraise")


class KlasifikasiVersi(models.Model):
    """One edition of the classification scheme (e.g. Permendagri 83/2022 as adopted by the Perwali)."""

    nama = models.CharField(_("name"), max_length=200)
    dasar_hukum = models.CharField(_("legal basis"), max_length=255, blank=True)
    berlaku_mulai = models.DateField(_("in force from"))
    aktif = models.BooleanField(_("current edition"), default=False)
    catatan = models.TextField(_("notes"), blank=True)
    dibuat = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-berlaku_mulai", "-pk"]
        verbose_name = _("classification edition")
        verbose_name_plural = _("classification editions")

    def __str__(self):
        return self.nama


class Klasifikasi(models.Model):
    """A classification code with its retention schedule (JRA) and access class."""

    versi = models.ForeignKey(KlasifikasiVersi, on_delete=models.PROTECT, related_name="kode")
    kode = models.CharField(_("code"), max_length=40)
    nama = models.CharField(_("name"), max_length=255)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children", verbose_name=_("parent")
    )
    depth = models.PositiveSmallIntegerField(default=0, editable=False)
    retensi_aktif = models.PositiveSmallIntegerField(_("active retention (years)"), null=True, blank=True)
    retensi_inaktif = models.PositiveSmallIntegerField(_("inactive retention (years)"), null=True, blank=True)
    nasib_akhir = models.CharField(_("final disposition"), max_length=16, choices=NasibAkhir.choices, blank=True)
    skkaad = models.CharField(_("access class"), max_length=16, choices=Skkaad.choices, default=Skkaad.BIASA)
    keterangan = models.CharField(_("retention note"), max_length=255, blank=True)
    keyakinan = models.CharField(
        _("confidence"), max_length=12, choices=Keyakinan.choices, default=Keyakinan.UNCONFIRMED
    )
    sumber = models.CharField(_("source"), max_length=500, blank=True)
    referensi = models.CharField(_("report reference"), max_length=100, blank=True)
    catatan = models.TextField(_("notes"), blank=True)
    # The JRA has its own confidence: the reference codes are sourced, the default retention is not.
    jra_keyakinan = models.CharField(
        _("retention confidence"), max_length=12, choices=Keyakinan.choices, blank=True, default=""
    )
    jra_sumber = models.CharField(_("retention source"), max_length=500, blank=True)
    aktif = models.BooleanField(_("in use"), default=True)

    class Meta:
        ordering = ["versi", "kode"]
        constraints = [models.UniqueConstraint(fields=["versi", "kode"], name="klasifikasi_kode_unik_per_versi")]
        verbose_name = _("classification code")
        verbose_name_plural = _("classification codes")

    def __str__(self):
        return f"{self.kode} {self.nama}"

    def get_absolute_url(self):
        return reverse("arsip:klasifikasi_detail", args=[self.pk])

    @property
    def jra_lengkap(self) -> bool:
        return self.retensi_aktif is not None and self.retensi_inaktif is not None and bool(self.nasib_akhir)


class Berkas(models.Model):
    """A file (dossier) of one unit: naskah of one classification and activity, with its retention clock."""

    class Status(models.TextChoices):
        TERBUKA = "terbuka", _("Open (active)")
        AKTIF = "aktif", _("Closed, active")
        INAKTIF = "inaktif", _("Inactive")
        USUL_MUSNAH = "usul_musnah", _("Proposed for destruction")
        USUL_SERAH = "usul_serah", _("Proposed for transfer (permanent)")
        DINILAI_KEMBALI = "dinilai_kembali", _("To be re-appraised")
        MUSNAH = "musnah", _("Destroyed")
        DISERAHKAN = "diserahkan", _("Transferred")

    unit = models.ForeignKey("organisasi.UnitKerja", on_delete=models.PROTECT, related_name="berkas_arsip")
    klasifikasi = models.ForeignKey(Klasifikasi, on_delete=models.PROTECT, related_name="berkas")
    nomor = models.PositiveIntegerField(_("file number"))
    tahun = models.PositiveSmallIntegerField(_("year"))
    uraian = models.CharField(_("description (activity)"), max_length=500)
    kurun_mulai = models.DateField(_("period from"), null=True, blank=True)
    kurun_selesai = models.DateField(_("period to"), null=True, blank=True)
    lokasi = models.CharField(_("location"), max_length=200, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.TERBUKA)
    ditutup = models.DateField(_("closed on"), null=True, blank=True)
    aktif_sampai = models.DateField(_("active until"), null=True, blank=True)
    inaktif_sampai = models.DateField(_("inactive until"), null=True, blank=True)
    dibuat_oleh = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    dibuat = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-tahun", "unit", "nomor"]
        constraints = [models.UniqueConstraint(fields=["unit", "tahun", "nomor"], name="berkas_nomor_unik")]
        indexes = [models.Index(fields=["status", "aktif_sampai"]), models.Index(fields=["status", "inaktif_sampai"])]
        verbose_name = _("file")
        verbose_name_plural = _("files")

    def __str__(self):
        return f"{self.klasifikasi.kode} — {self.uraian}"

    def get_absolute_url(self):
        return reverse("arsip:berkas_detail", args=[self.pk])

    @property
    def label(self) -> str:
        return f"{self.nomor}/{self.tahun} {self.klasifikasi.kode} — {self.uraian}"


class UrutanBerkas(models.Model):
    """The last berkas number given in a unit and year; the row is locked while a number is taken."""

    unit = models.ForeignKey("organisasi.UnitKerja", on_delete=models.PROTECT, related_name="+")
    tahun = models.PositiveSmallIntegerField()
    terakhir = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["unit", "tahun"], name="urutan_berkas_unik")]

    def __str__(self):
        return f"{self.unit_id}/{self.tahun}: {self.terakhir}"


class IsiBerkas(models.Model):
    """A naskah in a berkas: proposed automatically when it is signed or registered, confirmed by the arsiparis."""

    class Status(models.TextChoices):
        USULAN = "usulan", _("Proposed")
        DIKONFIRMASI = "dikonfirmasi", _("Confirmed")
        DITOLAK = "ditolak", _("Rejected")

    berkas = models.ForeignKey(Berkas, on_delete=models.PROTECT, related_name="isi")
    naskah = models.ForeignKey("naskah.Naskah", on_delete=models.PROTECT, related_name="isi_berkas")
    status = models.CharField(_("status"), max_length=14, choices=Status.choices, default=Status.USULAN)
    diusulkan = models.DateTimeField(auto_now_add=True)
    diputuskan_oleh = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    diputuskan = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["berkas", "naskah"], name="isi_berkas_unik")]
        verbose_name = _("file item")
        verbose_name_plural = _("file items")

    def __str__(self):
        return f"{self.naskah_id} in {self.berkas_id} ({self.status})"


class BeritaAcara(models.Model):
    """The record that authorises destroying or transferring berkas; it and their metadata stay forever."""

    class Jenis(models.TextChoices):
        PEMUSNAHAN = "pemusnahan", _("Destruction")
        PENYERAHAN = "penyerahan", _("Transfer to the archive institution")

    jenis = models.CharField(_("kind"), max_length=12, choices=Jenis.choices)
    nomor = models.CharField(_("number"), max_length=100)
    tanggal = models.DateField(_("date"))
    unit = models.ForeignKey("organisasi.UnitKerja", on_delete=models.PROTECT, related_name="+")
    dasar = models.TextField(_("basis (approval, appraisal)"), blank=True)
    dokumen = models.ForeignKey("core.StoredFile", on_delete=models.PROTECT, related_name="+")
    berkas = models.ManyToManyField(Berkas, related_name="berita_acara")
    dibuat_oleh = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    dibuat = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-tanggal", "-pk"]
        verbose_name = _("berita acara")
        verbose_name_plural = _("berita acara")

    def __str__(self):
        return self.nomor

    def get_absolute_url(self):
        return reverse("arsip:ba_detail", args=[self.pk])
