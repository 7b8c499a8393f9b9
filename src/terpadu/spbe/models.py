"""Tata kelola SPBE (Perpres 95/2018): the city's Arsitektur SPBE on the national reference models, the Peta
Rencana, the application catalogue, ICT spending (belanja TIK) linked to the architecture, aplikasi khusus
proposals for KemenPANRB's pertimbangan (Pasal 39), and the yearly SPBE / Pemdi evaluation.

Parts (one file set each): arsitektur (references, elements, links, gaps, needs, Peta Rencana), katalog
(applications, national applications, flags), belanja (ICT spending), usulan (Pasal 39 + the budget gate),
evaluasi (frameworks as data, self-assessment, the index engine), publik (index history, public catalogue).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from terpadu.perencanaan.models import Keyakinan

# --- arsitektur ----------------------------------------------------------------------------------------------


class ModelReferensi(models.TextChoices):
    RAB = "RAB", _("RAB — business process")
    RAD = "RAD", _("RAD — data and information")
    RAL = "RAL", _("RAL — services")
    RAA = "RAA", _("RAA — applications")
    RAI = "RAI", _("RAI — infrastructure")
    RAK = "RAK", _("RAK — security")


class Domain(models.TextChoices):
    """Domain arsitektur SPBE; each maps to one reference model."""

    PROSES_BISNIS = "proses_bisnis", _("Business process")
    DATA = "data", _("Data and information")
    LAYANAN = "layanan", _("Service")
    APLIKASI = "aplikasi", _("Application")
    INFRASTRUKTUR = "infrastruktur", _("Infrastructure")
    KEAMANAN = "keamanan", _("Security")


MODEL_OF_DOMAIN = {
    Domain.PROSES_BISNIS: ModelReferensi.RAB,
    Domain.DATA: ModelReferensi.RAD,
    Domain.LAYANAN: ModelReferensi.RAL,
    Domain.APLIKASI: ModelReferensi.RAA,
    Domain.INFRASTRUKTUR: ModelReferensi.RAI,
    Domain.KEAMANAN: ModelReferensi.RAK,
}


class VersiReferensi(models.Model):
    """One edition of the national reference architecture (e.g. Perpres 132/2022, 2020–2024)."""

    nama = models.CharField(_("name"), max_length=200)
    dasar_hukum = models.CharField(_("legal basis"), max_length=300, blank=True)
    tahun_mulai = models.PositiveSmallIntegerField(_("in force from (year)"))
    tahun_selesai = models.PositiveSmallIntegerField(_("in force until (year)"), null=True, blank=True)
    aktif = models.BooleanField(_("current edition"), default=False)
    dibuat = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-tahun_mulai"]
        verbose_name = _("reference architecture edition")
        verbose_name_plural = _("reference architecture editions")

    def __str__(self):
        return self.nama


class ReferensiArsitektur(models.Model):
    """A code of a reference model: levels 0–2 are national (loaded), levels 3+ are the city's own."""

    versi = models.ForeignKey(VersiReferensi, on_delete=models.PROTECT, related_name="kode")
    model = models.CharField(_("reference model"), max_length=3, choices=ModelReferensi.choices)
    level = models.PositiveSmallIntegerField(_("level"))
    kode = models.CharField(_("code"), max_length=40)
    nama = models.CharField(_("name"), max_length=300)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children")
    nasional = models.BooleanField(_("national (fixed)"), default=True)
    aktif = models.BooleanField(_("in use"), default=True)
    keyakinan = models.CharField(_("confidence"), max_length=12, choices=Keyakinan.choices, default=Keyakinan.LOCAL)
    sumber = models.CharField(_("source"), max_length=500, blank=True)

    class Meta:
        ordering = ["versi", "kode"]
        constraints = [models.UniqueConstraint(fields=["versi", "kode"], name="referensi_kode_unik_per_versi")]
        verbose_name = _("reference architecture code")
        verbose_name_plural = _("reference architecture codes")

    def __str__(self):
        return f"{self.kode} {self.nama}"


class ElemenArsitektur(models.Model):
    """An element of the city's architecture in one domain, with the SIA-SPBE metadata of that domain
    (`metadata`, validated against the field list in data/metadata_sia_spbe.csv), its owner OPD, its
    reference code, and where the planning module exists its RPJMD sasaran / sub kegiatan."""

    class Status(models.TextChoices):
        SAAT_INI = "saat_ini", _("Current (as-is)")
        TARGET = "target", _("Target (to-be)")
        KEDUANYA = "keduanya", _("Current and target")
        DIHENTIKAN = "dihentikan", _("Retired")

    domain = models.CharField(_("domain"), max_length=16, choices=Domain.choices)
    kode = models.CharField(_("code"), max_length=40)
    nama = models.CharField(_("name"), max_length=300)
    uraian = models.TextField(_("description"), blank=True)
    unit = models.ForeignKey(
        "organisasi.UnitKerja", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("owner OPD"),
    )  # fmt: skip
    referensi = models.ForeignKey(
        ReferensiArsitektur, null=True, blank=True, on_delete=models.PROTECT, related_name="elemen",
        verbose_name=_("reference code"),
    )  # fmt: skip
    metadata = models.JSONField(_("SIA-SPBE metadata"), default=dict, blank=True)
    status = models.CharField(_("state"), max_length=12, choices=Status.choices, default=Status.SAAT_INI)
    kondisi_saat_ini = models.TextField(_("current state"), blank=True)
    kondisi_target = models.TextField(_("target state"), blank=True)
    sasaran = models.ForeignKey(
        "perencanaan.Sasaran", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("RPJMD target"),
    )  # fmt: skip
    sub_kegiatan = models.ForeignKey(
        "perencanaan.RenjaSubKegiatan", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("sub kegiatan"),
    )  # fmt: skip
    aplikasi = models.ForeignKey(
        "Aplikasi", null=True, blank=True, on_delete=models.SET_NULL, related_name="elemen",
        verbose_name=_("catalogue application"),
    )  # fmt: skip
    dibuat = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["domain", "kode"]
        constraints = [models.UniqueConstraint(fields=["domain", "kode"], name="elemen_kode_unik_per_domain")]
        verbose_name = _("architecture element")
        verbose_name_plural = _("architecture elements")

    def __str__(self):
        return f"{self.kode} {self.nama}"

    def get_absolute_url(self):
        return reverse("spbe:elemen_detail", args=[self.pk])


class RelasiElemen(models.Model):
    """A link between two elements: layanan → proses bisnis → data → aplikasi → infrastruktur, and keamanan
    controls on any of them. Allowed pairs are data (data/relasi_domain.csv)."""

    dari = models.ForeignKey(ElemenArsitektur, on_delete=models.CASCADE, related_name="relasi_keluar")
    ke = models.ForeignKey(ElemenArsitektur, on_delete=models.CASCADE, related_name="relasi_masuk")
    keterangan = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["dari", "ke"], name="relasi_elemen_unik")]
        verbose_name = _("element link")
        verbose_name_plural = _("element links")

    def __str__(self):
        return f"{self.dari} → {self.ke}"


class Kesenjangan(models.Model):
    """Gap analysis: what separates an element's current state from its target."""

    elemen = models.ForeignKey(ElemenArsitektur, on_delete=models.CASCADE, related_name="kesenjangan")
    uraian = models.TextField(_("gap"))
    kondisi_saat_ini = models.TextField(_("current state"), blank=True)
    kondisi_target = models.TextField(_("target state"), blank=True)
    dibuat = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("gap")
        verbose_name_plural = _("gaps")

    def __str__(self):
        return f"{self.elemen}: {self.uraian[:60]}"


class Kebutuhan(models.Model):
    """A need (kebutuhan SPBE) derived from a gap; met by Peta Rencana items."""

    kesenjangan = models.ForeignKey(Kesenjangan, on_delete=models.CASCADE, related_name="kebutuhan")
    uraian = models.TextField(_("need"))
    unit = models.ForeignKey(
        "organisasi.UnitKerja", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("responsible OPD"),
    )  # fmt: skip
    tahun_target = models.PositiveSmallIntegerField(_("target year"), null=True, blank=True)

    class Meta:
        verbose_name = _("need")
        verbose_name_plural = _("needs")

    def __str__(self):
        return self.uraian[:80]


class Muatan(models.TextChoices):
    """The seven sections of the Peta Rencana SPBE."""

    TATA_KELOLA = "tata_kelola", _("Governance")
    MANAJEMEN = "manajemen", _("Management")
    LAYANAN = "layanan", _("Services")
    INFRASTRUKTUR = "infrastruktur", _("Infrastructure")
    APLIKASI = "aplikasi", _("Applications")
    KEAMANAN = "keamanan", _("Security")
    AUDIT_TIK = "audit_tik", _("ICT audit")


class PetaRencanaItem(models.Model):
    class Status(models.TextChoices):
        RENCANA = "rencana", _("Planned")
        BERJALAN = "berjalan", _("In progress")
        SELESAI = "selesai", _("Done")
        DITUNDA = "ditunda", _("Postponed")
        BATAL = "batal", _("Cancelled")

    muatan = models.CharField(_("section"), max_length=16, choices=Muatan.choices)
    nama = models.CharField(_("programme / activity"), max_length=300)
    uraian = models.TextField(_("description"), blank=True)
    tahun = models.PositiveSmallIntegerField(_("year"))
    tahun_selesai = models.PositiveSmallIntegerField(_("until year"), null=True, blank=True)
    unit = models.ForeignKey(
        "organisasi.UnitKerja", on_delete=models.PROTECT, related_name="+", verbose_name=_("owner OPD")
    )
    target_keluaran = models.CharField(_("output target"), max_length=300)
    perkiraan_biaya = models.DecimalField(_("estimated cost"), max_digits=20, decimal_places=2, default=0)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.RENCANA)
    elemen = models.ManyToManyField(ElemenArsitektur, blank=True, related_name="peta_rencana")
    kebutuhan = models.ForeignKey(Kebutuhan, null=True, blank=True, on_delete=models.SET_NULL, related_name="rencana")

    class Meta:
        ordering = ["tahun", "muatan", "nama"]
        verbose_name = _("roadmap item (Peta Rencana)")
        verbose_name_plural = _("roadmap items (Peta Rencana)")

    def __str__(self):
        return f"{self.tahun} {self.nama}"

    def get_absolute_url(self):
        return reverse("spbe:rencana_detail", args=[self.pk])


# --- katalog -------------------------------------------------------------------------------------------------


class AplikasiNasional(models.Model):
    """A national application (SRIKANDI, SP4N-LAPOR!, SPSE …) with its status and decree, from reference data."""

    nama = models.CharField(_("name"), max_length=200, unique=True)
    bidang = models.CharField(_("function (bidang)"), max_length=200, blank=True)
    pemilik = models.CharField(_("owner (K/L)"), max_length=200, blank=True)
    status = models.CharField(_("status"), max_length=200, blank=True)
    aplikasi_umum = models.BooleanField(_("designated aplikasi umum"), default=False)
    keputusan = models.CharField(_("decree"), max_length=200, blank=True)
    keyakinan = models.CharField(_("confidence"), max_length=12, choices=Keyakinan.choices, default=Keyakinan.LOCAL)
    sumber = models.CharField(_("source"), max_length=500, blank=True)

    class Meta:
        ordering = ["nama"]
        verbose_name = _("national application")
        verbose_name_plural = _("national applications")

    def __str__(self):
        return self.nama


class Aplikasi(models.Model):
    """An application the city runs or plans (RIHA-style registry entry)."""

    class Jenis(models.TextChoices):
        UMUM = "umum", _("Aplikasi umum (national, shared)")
        KHUSUS = "khusus", _("Aplikasi khusus (the city's own)")

    class Status(models.TextChoices):
        USULAN = "usulan", _("Proposed")
        PENGEMBANGAN = "pengembangan", _("In development")
        OPERASI = "operasi", _("In operation")
        DIHENTIKAN = "dihentikan", _("Stopped")

    class Hosting(models.TextChoices):
        PDN = "pdn", _("Pusat Data Nasional (PDN)")
        DC_KOTA = "dc_kota", _("City data centre")
        CLOUD = "cloud", _("Cloud (commercial)")
        PIHAK_KETIGA = "pihak_ketiga", _("Vendor / third party")
        NASIONAL = "nasional", _("Run by the national owner")

    class Time(models.TextChoices):
        TOLERATE = "tolerate", _("Tolerate")
        INVEST = "invest", _("Invest")
        MIGRATE = "migrate", _("Migrate")
        ELIMINATE = "eliminate", _("Eliminate")

    nama = models.CharField(_("name"), max_length=200)
    singkatan = models.CharField(_("short name"), max_length=60, blank=True)
    jenis = models.CharField(_("kind"), max_length=8, choices=Jenis.choices)
    aplikasi_nasional = models.ForeignKey(
        AplikasiNasional, null=True, blank=True, on_delete=models.PROTECT, related_name="dipakai",
        verbose_name=_("national application (aplikasi umum in use)"),
    )  # fmt: skip
    unit = models.ForeignKey(
        "organisasi.UnitKerja", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("owner OPD"),
    )  # fmt: skip
    fungsi_bisnis = models.TextField(_("business function"))
    # The national function it covers (same vocabulary as AplikasiNasional.bidang): how duplicates are found.
    bidang = models.CharField(_("function area (bidang)"), max_length=200, blank=True)
    pengguna = models.CharField(_("users"), max_length=300, blank=True)
    hosting = models.CharField(_("hosting"), max_length=14, choices=Hosting.choices, blank=True)
    teknologi = models.CharField(_("technology stack"), max_length=300, blank=True)
    url = models.URLField(_("URL"), blank=True)
    status = models.CharField(_("lifecycle status"), max_length=14, choices=Status.choices, default=Status.USULAN)
    tanggal_usulan = models.DateField(_("proposed on"), null=True, blank=True)
    tanggal_operasi = models.DateField(_("in operation since"), null=True, blank=True)
    tanggal_dihentikan = models.DateField(_("stopped on"), null=True, blank=True)
    audit_keamanan_terakhir = models.DateField(_("last security audit"), null=True, blank=True)
    time = models.CharField(_("TIME classification"), max_length=10, choices=Time.choices, blank=True)
    layanan = models.ManyToManyField(
        ElemenArsitektur, blank=True, related_name="aplikasi_layanan", verbose_name=_("services it serves"),
        limit_choices_to={"domain": Domain.LAYANAN},
    )  # fmt: skip
    publik = models.BooleanField(_("listed in the public catalogue"), default=True)
    dibuat = models.DateTimeField(auto_now_add=True)
    diperbarui = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["nama"]
        indexes = [models.Index(fields=["jenis", "status"])]
        verbose_name = _("application")
        verbose_name_plural = _("applications")

    def __str__(self):
        return self.nama

    def get_absolute_url(self):
        return reverse("spbe:aplikasi_detail", args=[self.pk])


class DataAplikasi(models.Model):
    """Data an application holds, with its classification."""

    class Klasifikasi(models.TextChoices):
        TERBUKA = "terbuka", _("Open")
        TERBATAS = "terbatas", _("Limited")
        RAHASIA = "rahasia", _("Secret")
        PRIBADI = "pribadi", _("Personal data (UU 27/2022)")

    aplikasi = models.ForeignKey(Aplikasi, on_delete=models.CASCADE, related_name="data")
    nama = models.CharField(_("data"), max_length=200)
    klasifikasi = models.CharField(_("classification"), max_length=10, choices=Klasifikasi.choices)
    elemen = models.ForeignKey(
        ElemenArsitektur, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        limit_choices_to={"domain": Domain.DATA},
    )  # fmt: skip

    class Meta:
        verbose_name = _("application data")
        verbose_name_plural = _("application data")

    def __str__(self):
        return f"{self.aplikasi}: {self.nama}"


class IntegrasiAplikasi(models.Model):
    class Metode(models.TextChoices):
        SPLP = "splp", _("Through the SPLP (service bus)")
        API = "api", _("Direct API")
        SSO = "sso", _("Single sign-on")
        BERKAS = "berkas", _("File exchange")
        BASIS_DATA = "basis_data", _("Shared database")

    dari = models.ForeignKey(Aplikasi, on_delete=models.CASCADE, related_name="integrasi_keluar")
    ke = models.ForeignKey(Aplikasi, on_delete=models.CASCADE, related_name="integrasi_masuk")
    metode = models.CharField(_("method"), max_length=12, choices=Metode.choices)
    keterangan = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["dari", "ke", "metode"], name="integrasi_unik")]
        verbose_name = _("integration")
        verbose_name_plural = _("integrations")

    def __str__(self):
        return f"{self.dari} → {self.ke} ({self.metode})"


# --- belanja TIK ---------------------------------------------------------------------------------------------


class BelanjaTik(models.Model):
    """An ICT spending line of a year. Where the budget exists it IS the DPA line (linked, amount read from it);
    otherwise entered or imported. Unlinked to the architecture or the Peta Rencana = flagged for Diskominfo."""

    class Kategori(models.TextChoices):
        PERANGKAT_KERAS = "perangkat_keras", _("Hardware")
        PERANGKAT_LUNAK = "perangkat_lunak", _("Software")
        JASA = "jasa", _("Services")
        KONEKTIVITAS = "konektivitas", _("Connectivity")

    class Sumber(models.TextChoices):
        DPA = "dpa", _("DPA line")
        MANUAL = "manual", _("Entered")
        IMPOR = "impor", _("Imported")

    tahun = models.PositiveSmallIntegerField(_("year"))
    unit = models.ForeignKey("organisasi.UnitKerja", on_delete=models.PROTECT, related_name="+")
    dpa_baris = models.ForeignKey(
        "anggaran.DpaBaris", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("DPA line"),
    )  # fmt: skip
    uraian = models.CharField(_("description"), max_length=300)
    kategori = models.CharField(_("category"), max_length=16, choices=Kategori.choices)
    nilai = models.DecimalField(
        _("amount (only when not a DPA line)"), max_digits=20, decimal_places=2, null=True, blank=True
    )
    sumber = models.CharField(_("source"), max_length=8, choices=Sumber.choices, default=Sumber.MANUAL)
    aplikasi = models.ForeignKey(Aplikasi, null=True, blank=True, on_delete=models.SET_NULL, related_name="belanja")
    elemen = models.ForeignKey(
        ElemenArsitektur, null=True, blank=True, on_delete=models.SET_NULL, related_name="belanja",
        verbose_name=_("architecture element"),
    )  # fmt: skip
    peta_rencana = models.ForeignKey(
        PetaRencanaItem, null=True, blank=True, on_delete=models.SET_NULL, related_name="belanja",
        verbose_name=_("roadmap item"),
    )  # fmt: skip

    class Meta:
        ordering = ["-tahun", "unit", "uraian"]
        constraints = [
            models.UniqueConstraint(
                fields=["dpa_baris"], condition=models.Q(dpa_baris__isnull=False), name="belanja_tik_satu_per_dpa"
            ),
        ]
        indexes = [models.Index(fields=["tahun", "unit"])]
        verbose_name = _("ICT spending line")
        verbose_name_plural = _("ICT spending lines")

    def __str__(self):
        return f"{self.tahun} {self.uraian}"

    @property
    def jumlah(self):
        """The amount: the DPA line's pagu when linked, else the entered value."""
        return self.dpa_baris.pagu if self.dpa_baris_id else self.nilai


# --- usulan aplikasi khusus (Pasal 39) -----------------------------------------------------------------------


class UsulanAplikasi(models.Model):
    """An OPD's proposal for a new aplikasi khusus with the seven items KemenPANRB asks for."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        DIAJUKAN = "diajukan", _("Submitted to Diskominfo")
        DIKEMBALIKAN = "dikembalikan", _("Returned with notes")
        DIREKOMENDASIKAN = "direkomendasikan", _("Recommended by Diskominfo")
        DIKIRIM = "dikirim", _("Sent to KemenPANRB")
        DISETUJUI = "disetujui", _("Approved (pertimbangan)")
        DITOLAK = "ditolak", _("Rejected")

    unit = models.ForeignKey("organisasi.UnitKerja", on_delete=models.PROTECT, related_name="+")
    nama_aplikasi = models.CharField(_("application name"), max_length=200)
    bidang = models.CharField(_("function area (bidang)"), max_length=200, blank=True)
    # The seven items (SIPPN, Pelayanan Pertimbangan Aplikasi Khusus SPBE).
    latar_belakang = models.TextField(_("background and urgency"), blank=True)
    fungsi_bisnis = models.TextField(_("business function and services"), blank=True)
    metode_pembangunan = models.TextField(_("development method"), blank=True)
    kebutuhan_data = models.TextField(_("data and information needs"), blank=True)
    teknologi = models.TextField(_("technology (language, platform, infrastructure)"), blank=True)
    jadwal = models.TextField(_("schedule"), blank=True)
    pendanaan = models.TextField(_("funding"), blank=True)
    sub_kegiatan = models.ForeignKey(
        "perencanaan.RenjaSubKegiatan", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("sub kegiatan that budgets it"),
    )  # fmt: skip
    aplikasi = models.ForeignKey(
        Aplikasi, null=True, blank=True, on_delete=models.SET_NULL, related_name="usulan",
        verbose_name=_("catalogue entry"),
    )  # fmt: skip
    tumpang_tindih = models.JSONField(_("overlaps shown at submission"), default=list, blank=True)
    # usulan part (0003): the OPD confirmed it saw the overlaps, and why its application is still needed.
    tumpang_tindih_dikonfirmasi = models.BooleanField(_("overlaps seen and confirmed"), default=False)
    tumpang_tindih_justifikasi = models.TextField(_("why it is needed despite the overlaps"), blank=True)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.DRAFT)
    checklist = models.JSONField(_("Diskominfo checklist"), default=dict, blank=True)
    catatan_review = models.TextField(_("review notes"), blank=True)
    surat_pengantar = models.ForeignKey(
        "naskah.Naskah", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("cover letter (naskah)"),
    )  # fmt: skip
    pertimbangan_nomor = models.CharField(_("pertimbangan number"), max_length=100, blank=True)
    pertimbangan_tanggal = models.DateField(_("pertimbangan date"), null=True, blank=True)
    pertimbangan_dokumen = models.ForeignKey(
        "core.StoredFile", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    diajukan = models.DateTimeField(_("submitted at"), null=True, blank=True)
    dibuat_oleh = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    dibuat = models.DateTimeField(auto_now_add=True)

    SEVEN_ITEMS = (
        "latar_belakang",
        "fungsi_bisnis",
        "metode_pembangunan",
        "kebutuhan_data",
        "teknologi",
        "jadwal",
        "pendanaan",
    )

    class Meta:
        ordering = ["-dibuat"]
        verbose_name = _("aplikasi khusus proposal")
        verbose_name_plural = _("aplikasi khusus proposals")

    def __str__(self):
        return self.nama_aplikasi

    def get_absolute_url(self):
        return reverse("spbe:usulan_detail", args=[self.pk])


# --- evaluasi SPBE / Pemdi -----------------------------------------------------------------------------------


class Kerangka(models.Model):
    """An evaluation framework as data: SPBE 2020 (PermenPANRB 59/2020), PEMDI 2026 (PermenPANRB 8/2026) …"""

    class Skala(models.TextChoices):
        LEVEL = "level", _("Whole levels 1–5")
        DESIMAL = "desimal", _("Decimal score 1.00–5.00")

    kode = models.CharField(_("code"), max_length=20, unique=True)  # SPBE_2020, PEMDI_2026
    nama = models.CharField(_("name"), max_length=200)
    instrumen = models.CharField(_("instrument"), max_length=300, blank=True)
    tahun_mulai = models.PositiveSmallIntegerField(_("from year"))
    tahun_selesai = models.PositiveSmallIntegerField(_("until year"), null=True, blank=True)
    skala = models.CharField(_("score scale"), max_length=8, choices=Skala.choices)
    nilai_min = models.DecimalField(_("lowest score"), max_digits=4, decimal_places=2, default=1)
    nilai_maks = models.DecimalField(_("highest score"), max_digits=4, decimal_places=2, default=5)
    keyakinan = models.CharField(_("confidence"), max_length=12, choices=Keyakinan.choices, default=Keyakinan.LOCAL)
    sumber = models.CharField(_("source"), max_length=500, blank=True)

    class Meta:
        ordering = ["-tahun_mulai"]
        verbose_name = _("evaluation framework")
        verbose_name_plural = _("evaluation frameworks")

    def __str__(self):
        return self.nama


class DomainEvaluasi(models.Model):
    kerangka = models.ForeignKey(Kerangka, on_delete=models.CASCADE, related_name="domain")
    kode = models.CharField(_("code"), max_length=10)
    nama = models.CharField(_("name"), max_length=200)
    bobot = models.DecimalField(_("weight (% of the index)"), max_digits=7, decimal_places=4)

    class Meta:
        ordering = ["kerangka", "kode"]
        constraints = [models.UniqueConstraint(fields=["kerangka", "kode"], name="domain_evaluasi_unik")]
        verbose_name = _("evaluation domain")
        verbose_name_plural = _("evaluation domains")

    def __str__(self):
        return f"{self.kode} {self.nama}"


class AspekEvaluasi(models.Model):
    kerangka = models.ForeignKey(Kerangka, on_delete=models.CASCADE, related_name="aspek")
    domain = models.ForeignKey(DomainEvaluasi, null=True, blank=True, on_delete=models.CASCADE, related_name="aspek")
    kode = models.CharField(_("code"), max_length=10)
    nama = models.CharField(_("name"), max_length=200)
    bobot = models.DecimalField(_("weight (% of the index)"), max_digits=7, decimal_places=4)

    class Meta:
        ordering = ["kerangka", "kode"]
        constraints = [models.UniqueConstraint(fields=["kerangka", "kode"], name="aspek_evaluasi_unik")]
        verbose_name = _("evaluation aspect")
        verbose_name_plural = _("evaluation aspects")

    def __str__(self):
        return f"{self.kode} {self.nama}"


class IndikatorEvaluasi(models.Model):
    kerangka = models.ForeignKey(Kerangka, on_delete=models.CASCADE, related_name="indikator")
    aspek = models.ForeignKey(AspekEvaluasi, on_delete=models.CASCADE, related_name="indikator")
    nomor = models.PositiveSmallIntegerField(_("number"))
    nama = models.CharField(_("name"), max_length=300)
    bobot = models.DecimalField(_("weight (% of the index)"), max_digits=7, decimal_places=4)
    skala_kapabilitas = models.CharField(_("capability scale"), max_length=20, blank=True)  # proses / fungsi teknis
    indeks_eksternal = models.CharField(_("scored from external index"), max_length=20, blank=True)  # SDI, SJIG …
    penjelasan = models.TextField(_("explanation"), blank=True)
    keyakinan = models.CharField(_("confidence"), max_length=12, choices=Keyakinan.choices, default=Keyakinan.LOCAL)

    class Meta:
        ordering = ["kerangka", "nomor"]
        constraints = [models.UniqueConstraint(fields=["kerangka", "nomor"], name="indikator_evaluasi_unik")]
        verbose_name = _("evaluation indicator")
        verbose_name_plural = _("evaluation indicators")

    def __str__(self):
        return f"{self.nomor}. {self.nama}"


class LevelKapabilitas(models.Model):
    kerangka = models.ForeignKey(Kerangka, on_delete=models.CASCADE, related_name="level")
    skala = models.CharField(_("scale"), max_length=20)
    level = models.PositiveSmallIntegerField(_("level"))
    nama = models.CharField(_("name"), max_length=100)
    makna = models.TextField(_("meaning"), blank=True)
    keyakinan = models.CharField(_("confidence"), max_length=12, choices=Keyakinan.choices, default=Keyakinan.LOCAL)

    class Meta:
        ordering = ["kerangka", "skala", "level"]
        constraints = [models.UniqueConstraint(fields=["kerangka", "skala", "level"], name="level_kapabilitas_unik")]
        verbose_name = _("capability level")
        verbose_name_plural = _("capability levels")

    def __str__(self):
        return f"{self.level} {self.nama}"


class PredikatEvaluasi(models.Model):
    """A predikat band of a framework's index: [batas_bawah, batas_atas) unless stated inclusive."""

    kerangka = models.ForeignKey(Kerangka, on_delete=models.CASCADE, related_name="predikat")
    urutan = models.PositiveSmallIntegerField(_("order"))
    predikat = models.CharField(_("predikat"), max_length=60)
    alias = models.CharField(_("alias"), max_length=100, blank=True)
    batas_bawah = models.DecimalField(_("lower bound"), max_digits=6, decimal_places=3, null=True, blank=True)
    batas_atas = models.DecimalField(_("upper bound"), max_digits=6, decimal_places=3, null=True, blank=True)
    atas_inklusif = models.BooleanField(_("upper bound included"), default=False)
    keyakinan = models.CharField(_("confidence"), max_length=12, choices=Keyakinan.choices, default=Keyakinan.LOCAL)

    class Meta:
        ordering = ["kerangka", "urutan"]
        verbose_name = _("predikat band")
        verbose_name_plural = _("predikat bands")

    def __str__(self):
        return f"{self.kerangka.kode}: {self.predikat}"


class KonversiIndeksEksternal(models.Model):
    """How an external index (SDI, SJIG, IPS …) converts to an indicator level."""

    kerangka = models.ForeignKey(Kerangka, on_delete=models.CASCADE, related_name="konversi")
    indeks = models.CharField(_("external index"), max_length=20)
    level = models.PositiveSmallIntegerField(_("level"))
    batas_bawah = models.DecimalField(_("lower bound"), max_digits=8, decimal_places=3, null=True, blank=True)
    batas_atas = models.DecimalField(_("upper bound"), max_digits=8, decimal_places=3, null=True, blank=True)
    keyakinan = models.CharField(_("confidence"), max_length=12, choices=Keyakinan.choices, default=Keyakinan.LOCAL)

    class Meta:
        ordering = ["kerangka", "indeks", "level"]
        verbose_name = _("external index conversion")
        verbose_name_plural = _("external index conversions")

    def __str__(self):
        return f"{self.indeks} L{self.level}"


class Penilaian(models.Model):
    """One year's evaluation of the city under a framework: the self-assessment, or an official result."""

    class Jenis(models.TextChoices):
        MANDIRI = "mandiri", _("Self-assessment")
        RESMI = "resmi", _("Official result (KemenPANRB)")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Being filled in")
        REVIEW = "review", _("Under review")
        TERKUNCI = "terkunci", _("Locked")

    kerangka = models.ForeignKey(Kerangka, on_delete=models.PROTECT, related_name="penilaian")
    tahun = models.PositiveSmallIntegerField(_("year"))
    jenis = models.CharField(_("kind"), max_length=8, choices=Jenis.choices, default=Jenis.MANDIRI)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    # Stored at full precision when the assessment is locked (and for official results); rounding is display only.
    indeks = models.DecimalField(_("index"), max_digits=12, decimal_places=8, null=True, blank=True)
    predikat = models.CharField(_("predikat"), max_length=60, blank=True)
    keputusan = models.CharField(_("decree (official result)"), max_length=200, blank=True)
    sumber = models.CharField(_("source"), max_length=500, blank=True)
    dikunci = models.DateTimeField(_("locked at"), null=True, blank=True)
    dibuat = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-tahun", "jenis"]
        constraints = [models.UniqueConstraint(fields=["kerangka", "tahun", "jenis"], name="penilaian_unik")]
        verbose_name = _("evaluation")
        verbose_name_plural = _("evaluations")

    def __str__(self):
        return f"{self.kerangka.kode} {self.tahun} ({self.get_jenis_display()})"

    def get_absolute_url(self):
        return reverse("spbe:penilaian_detail", args=[self.pk])


class NilaiIndikator(models.Model):
    """The chosen level / score of one indicator in a self-assessment, with its justification and evidence."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        DIAJUKAN = "diajukan", _("Submitted for review")
        DITERIMA = "diterima", _("Accepted")
        REVISI = "revisi", _("To revise")

    penilaian = models.ForeignKey(Penilaian, on_delete=models.CASCADE, related_name="nilai")
    indikator = models.ForeignKey(IndikatorEvaluasi, on_delete=models.PROTECT, related_name="nilai")
    nilai = models.DecimalField(_("level / score"), max_digits=4, decimal_places=2, null=True, blank=True)
    justifikasi = models.TextField(_("justification"), blank=True)
    # evaluasi part (0002): the value of the external index (SDI, SJIG, EPSS/IPS …) the score was converted from.
    nilai_eksternal = models.DecimalField(
        _("external index value"), max_digits=8, decimal_places=3, null=True, blank=True
    )
    unit = models.ForeignKey(
        "organisasi.UnitKerja", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("responsible OPD"),
    )  # fmt: skip
    asesor = models.ForeignKey(
        "organisasi.Pegawai", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("internal assessor"),
    )  # fmt: skip
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    catatan_review = models.TextField(_("review note"), blank=True)
    diperbarui = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["penilaian", "indikator__nomor"]
        constraints = [models.UniqueConstraint(fields=["penilaian", "indikator"], name="nilai_indikator_unik")]
        verbose_name = _("indicator score")
        verbose_name_plural = _("indicator scores")

    def __str__(self):
        return f"{self.penilaian} #{self.indikator.nomor}: {self.nilai}"


class BuktiDukung(models.Model):
    """Evidence for an indicator score: an uploaded file, or a proposal from a module's evidence provider that
    the assessor accepted (its generated summary is stored as a file too)."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        DITERIMA = "diterima", _("Accepted")
        REVISI = "revisi", _("To revise")

    nilai = models.ForeignKey(NilaiIndikator, on_delete=models.CASCADE, related_name="bukti")
    file = models.ForeignKey("core.StoredFile", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    keterangan = models.CharField(_("description"), max_length=500)
    penyedia = models.CharField(_("proposed by (provider)"), max_length=80, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    dibuat = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")

    def __str__(self):
        return self.keterangan
