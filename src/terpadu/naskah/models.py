"""Naskah dinas (Permendagri 1/2023): jenis and templates, outgoing and incoming naskah, their versions,
verification (paraf), recipients and delivery, numbering counters, disposisi and explicit access grants.

Who may see a naskah is decided by the gate (`core.authz`) with two inputs kept here: the naskah's unit
(scope) and its parties (`PihakNaskah`, maintained by the services). Secret naskah (rahasia, sangat
rahasia) are visible to their parties only.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.utils.translation import gettext_lazy as _


class Sifat(models.TextChoices):
    BIASA = "biasa", _("Ordinary")
    TERBATAS = "terbatas", _("Limited")
    RAHASIA = "rahasia", _("Secret")
    SANGAT_RAHASIA = "sangat_rahasia", _("Top secret")


SIFAT_TERBUKA = (Sifat.BIASA, Sifat.TERBATAS)  # visible through unit scope; the others only to parties
SIFAT_RAHASIA = (Sifat.RAHASIA, Sifat.SANGAT_RAHASIA)


class Urgensi(models.TextChoices):
    BIASA = "biasa", _("Normal")
    SEGERA = "segera", _("Urgent")
    AMAT_SEGERA = "amat_segera", _("Very urgent")


class JenisNaskah(models.Model):
    """A kind of naskah dinas (surat dinas, nota dinas, …), loaded from data/jenis_naskah.csv."""

    kode = models.SlugField(_("code"), max_length=40, unique=True)
    nama = models.CharField(_("name"), max_length=100)
    singkatan = models.CharField(_("abbreviation"), max_length=20, blank=True)
    keluar = models.BooleanField(_("may go outside the pemda"), default=True)
    klasifikasi_bawaan = models.CharField(
        _("default classification code"), max_length=40, blank=True, help_text=_("Suggested when drafting.")
    )
    aktif = models.BooleanField(_("in use"), default=True)
    urutan = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["urutan", "nama"]
        verbose_name = _("kind of naskah")
        verbose_name_plural = _("kinds of naskah")

    def __str__(self):
        return self.nama


class TemplateNaskah(models.Model):
    """The layout of one jenis (optionally per unit): an HTML body with fields, edited by an admin in the browser.

    The body is rendered with a context of plain values only (no model objects), so an edited template can
    show data but cannot reach into the database.
    """

    jenis = models.ForeignKey(JenisNaskah, on_delete=models.PROTECT, related_name="templates")
    unit = models.ForeignKey(
        "organisasi.UnitKerja",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Empty: the pemda-wide template of this kind."),
    )
    nama = models.CharField(_("name"), max_length=150)
    isi = models.TextField(_("body (HTML with {{ fields }})"))
    fields = models.JSONField(_("fields"), default=list, blank=True)  # [{"name","label","type","required"}]
    css = models.TextField(_("extra style"), blank=True)
    versi = models.PositiveIntegerField(_("version"), default=1)
    aktif = models.BooleanField(_("in use"), default=True)
    diubah = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["jenis__urutan", "nama"]
        verbose_name = _("naskah template")
        verbose_name_plural = _("naskah templates")

    def __str__(self):
        return self.nama


class FormatNomor(models.Model):
    """How numbers look and count for a unit (and optionally one jenis): `{klasifikasi}/{urut}/{kode_unit}/{tahun}`."""

    unit = models.ForeignKey(
        "organisasi.UnitKerja",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Empty: the pemda-wide default."),
    )
    jenis = models.ForeignKey(
        JenisNaskah,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Empty: every kind."),
    )
    pola = models.CharField(_("pattern"), max_length=200, default="{klasifikasi}/{urut}/{kode_unit}/{tahun}")
    urut_per_jenis = models.BooleanField(_("own sequence for this kind"), default=False)
    digit = models.PositiveSmallIntegerField(_("minimum digits of the sequence"), default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["unit", "jenis"], name="format_nomor_unik")]
        verbose_name = _("number format")
        verbose_name_plural = _("number formats")

    def __str__(self):
        return self.pola


class UrutanNomor(models.Model):
    """A counter: the last number given in one sequence. Rows are locked while a number is taken."""

    unit = models.ForeignKey("organisasi.UnitKerja", on_delete=models.PROTECT, related_name="+")
    lingkup = models.CharField(max_length=40, blank=True)  # "" unit-wide, a jenis kode, or "agenda" (incoming)
    tahun = models.PositiveSmallIntegerField()
    terakhir = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["unit", "lingkup", "tahun"], name="urutan_nomor_unik")]

    def __str__(self):
        return f"{self.unit_id}/{self.lingkup or '*'}/{self.tahun}: {self.terakhir}"


class NomorCadangan(models.Model):
    """A number taken outside signing: reserved from the sequence, or inserted (sisipan, e.g. 45a). Audited."""

    class Jenis(models.TextChoices):
        CADANGAN = "cadangan", _("Reserved")
        SISIPAN = "sisipan", _("Inserted (sisipan)")

    class Status(models.TextChoices):
        TERSEDIA = "tersedia", _("Available")
        DIPAKAI = "dipakai", _("Used")
        DIBATALKAN = "dibatalkan", _("Voided")

    urutan = models.ForeignKey(UrutanNomor, on_delete=models.PROTECT, related_name="cadangan")
    jenis = models.CharField(_("kind"), max_length=10, choices=Jenis.choices)
    urut = models.PositiveIntegerField(_("sequence number"))
    sisipan = models.CharField(_("insert suffix"), max_length=4, blank=True)
    alasan = models.CharField(_("reason"), max_length=255)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.TERSEDIA)
    naskah = models.OneToOneField(
        "Naskah", null=True, blank=True, on_delete=models.PROTECT, related_name="nomor_cadangan"
    )
    dibuat_oleh = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    dibuat = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["urutan", "urut", "sisipan"], name="nomor_cadangan_unik"),
        ]
        verbose_name = _("reserved number")
        verbose_name_plural = _("reserved numbers")

    def __str__(self):
        return f"{self.urut}{self.sisipan} ({self.get_jenis_display()})"


def _kode_verifikasi() -> str:
    return secrets.token_urlsafe(12)


class Naskah(models.Model):
    """An official document: outgoing (drafted here) or incoming (registered from outside)."""

    class Arah(models.TextChoices):
        KELUAR = "keluar", _("Outgoing")
        MASUK = "masuk", _("Incoming")

    class Status(models.TextChoices):
        DRAF = "draf", _("Draft")
        VERIFIKASI = "verifikasi", _("Being verified")
        DIKEMBALIKAN = "dikembalikan", _("Returned")
        SIAP_TTD = "siap_ttd", _("Awaiting signature")
        DITANDATANGANI = "ditandatangani", _("Signed")
        TERKIRIM = "terkirim", _("Sent")
        DITERIMA = "diterima", _("Registered (incoming)")
        DIBATALKAN = "dibatalkan", _("Cancelled")

    class Sumber(models.TextChoices):
        TEMPLATE = "template", _("From a template")
        UNGGAH = "unggah", _("Uploaded PDF")
        PINDAI = "pindai", _("Scanned letter")

    class AtasNama(models.TextChoices):
        LANGSUNG = "", _("Signed in own name")
        AN = "an", _("a.n. (on behalf of)")
        UB = "ub", _("u.b. (by order of)")

    arah = models.CharField(_("direction"), max_length=6, choices=Arah.choices, default=Arah.KELUAR)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.DRAF)
    jenis = models.ForeignKey(JenisNaskah, on_delete=models.PROTECT, related_name="naskah", verbose_name=_("kind"))
    klasifikasi = models.ForeignKey(
        "arsip.Klasifikasi", on_delete=models.PROTECT, related_name="naskah", verbose_name=_("classification")
    )
    sifat = models.CharField(_("security"), max_length=16, choices=Sifat.choices, default=Sifat.BIASA)
    urgensi = models.CharField(_("urgency"), max_length=12, choices=Urgensi.choices, default=Urgensi.BIASA)
    hal = models.CharField(_("subject (hal)"), max_length=500)
    ringkasan = models.TextField(_("summary"), blank=True)
    sumber = models.CharField(_("source"), max_length=10, choices=Sumber.choices, default=Sumber.TEMPLATE)
    template = models.ForeignKey(TemplateNaskah, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    isi = models.JSONField(_("field values"), default=dict, blank=True)

    # The unit the naskah belongs to: the signer's unit (outgoing) or the registering unit (incoming).
    unit = models.ForeignKey(
        "organisasi.UnitKerja", on_delete=models.PROTECT, related_name="naskah", verbose_name=_("unit")
    )
    pembuat = models.ForeignKey(
        "organisasi.Pegawai", on_delete=models.PROTECT, related_name="naskah_dibuat", verbose_name=_("drafter")
    )

    # Signing (outgoing)
    penandatangan_jabatan = models.ForeignKey(
        "organisasi.Jabatan",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("signing position"),
    )
    atas_nama = models.CharField(_("on behalf"), max_length=2, choices=AtasNama.choices, blank=True, default="")
    atas_nama_jabatan = models.ForeignKey(
        "organisasi.Jabatan",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("on behalf of position"),
    )
    penandatangan = models.ForeignKey(
        "organisasi.Pegawai", null=True, blank=True, on_delete=models.PROTECT, related_name="naskah_ditandatangani"
    )
    penandatangan_label = models.CharField(_("signature block title"), max_length=500, blank=True)
    ditandatangani = models.DateTimeField(_("signed at"), null=True, blank=True)
    tte_backend = models.CharField(_("signing backend"), max_length=20, blank=True)

    # Number (outgoing: given at signing; incoming: the sender's number)
    nomor = models.CharField(_("number"), max_length=255, blank=True, db_index=True)
    nomor_urut = models.PositiveIntegerField(null=True, blank=True)
    nomor_tahun = models.PositiveSmallIntegerField(null=True, blank=True)
    tanggal = models.DateField(_("date"), null=True, blank=True, db_index=True)

    # Incoming registration
    nomor_agenda = models.PositiveIntegerField(_("agenda number"), null=True, blank=True)
    asal_instansi = models.CharField(_("sender agency"), max_length=255, blank=True)
    asal_nama = models.CharField(_("sender name / position"), max_length=255, blank=True)
    diterima = models.DateTimeField(_("received at"), null=True, blank=True)

    # The document of record: the signed PDF (outgoing) or the scan (incoming)
    dokumen = models.ForeignKey("core.StoredFile", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    hash_sha256 = models.CharField(_("SHA-256 of the document"), max_length=64, blank=True, db_index=True)
    kode_verifikasi = models.CharField(max_length=32, unique=True, default=_kode_verifikasi, editable=False)

    teks = models.TextField(_("extracted text"), blank=True)  # for full-text search
    # Kept by the search service (PostgreSQL: tsvector with a GIN index; unused on SQLite).
    search_vector = SearchVectorField(null=True, blank=True, editable=False)
    dibuat = models.DateTimeField(_("created"), auto_now_add=True, db_index=True)
    diubah = models.DateTimeField(_("changed"), auto_now=True)
    konten_dimusnahkan = models.DateTimeField(_("content destroyed at"), null=True, blank=True)

    class Meta:
        ordering = ["-dibuat", "-pk"]
        indexes = [
            models.Index(fields=["unit", "arah", "status", "-dibuat"]),
            models.Index(fields=["unit", "nomor_tahun", "nomor_agenda"]),
        ]
        verbose_name = _("naskah")
        verbose_name_plural = _("naskah")

    def __str__(self):
        return f"{self.nomor or _('(no number)')} — {self.hal}"

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("naskah:detail", args=[self.pk])

    @property
    def rahasia(self) -> bool:
        return self.sifat in SIFAT_RAHASIA


class NaskahVersi(models.Model):
    """A kept version of a draft: its content and rendered (or uploaded) PDF. Versions are never changed."""

    naskah = models.ForeignKey(Naskah, on_delete=models.CASCADE, related_name="versi")
    nomor = models.PositiveIntegerField(_("version"))
    konten = models.JSONField(_("content"), default=dict)  # hal, ringkasan, isi, recipients, sifat … at that time
    pdf = models.ForeignKey("core.StoredFile", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    catatan = models.CharField(_("note"), max_length=500, blank=True)
    dibuat_oleh = models.ForeignKey(
        "organisasi.Pegawai", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    dibuat = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["naskah", "nomor"]
        constraints = [models.UniqueConstraint(fields=["naskah", "nomor"], name="naskah_versi_unik")]
        verbose_name = _("version")
        verbose_name_plural = _("versions")

    def __str__(self):
        return f"v{self.nomor}"


class Lampiran(models.Model):
    naskah = models.ForeignKey(Naskah, on_delete=models.CASCADE, related_name="lampiran")
    file = models.ForeignKey("core.StoredFile", on_delete=models.PROTECT, related_name="+")
    judul = models.CharField(_("title"), max_length=255)
    urutan = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["naskah", "urutan", "pk"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self):
        return self.judul


class Penerima(models.Model):
    """An addressee (tujuan) or copy (tembusan): internal position/unit, or external agency/person by e-mail.

    Delivery is recorded per recipient: when it reached the inbox or mail queue, and when it was first read.
    """

    class Peran(models.TextChoices):
        TUJUAN = "tujuan", _("Addressee")
        TEMBUSAN = "tembusan", _("Copy (tembusan)")

    class Surel(models.TextChoices):
        TIDAK = "", _("No e-mail")
        ANTRE = "antre", _("Queued")
        TERKIRIM = "terkirim", _("Sent")
        GAGAL = "gagal", _("Failed")

    naskah = models.ForeignKey(Naskah, on_delete=models.CASCADE, related_name="penerima")
    peran = models.CharField(_("role"), max_length=10, choices=Peran.choices, default=Peran.TUJUAN)
    urutan = models.PositiveSmallIntegerField(default=0)
    # internal: a position, or a unit (delivered to its head's position)
    jabatan = models.ForeignKey(
        "organisasi.Jabatan", null=True, blank=True, on_delete=models.PROTECT, related_name="naskah_diterima"
    )
    unit = models.ForeignKey("organisasi.UnitKerja", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    # external
    nama = models.CharField(_("name / position"), max_length=255, blank=True)
    instansi = models.CharField(_("agency"), max_length=255, blank=True)
    alamat = models.CharField(_("address"), max_length=500, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    # delivery
    terkirim = models.DateTimeField(_("delivered at"), null=True, blank=True)
    dibaca = models.DateTimeField(_("read at"), null=True, blank=True)
    dibaca_oleh = models.ForeignKey(
        "organisasi.Pegawai", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    surel = models.CharField(_("e-mail"), max_length=10, choices=Surel.choices, blank=True, default="")
    surel_id = models.BigIntegerField(null=True, blank=True)  # core.OutgoingEmail

    class Meta:
        ordering = ["naskah", "peran", "urutan", "pk"]
        indexes = [models.Index(fields=["jabatan", "-terkirim"])]
        verbose_name = _("recipient")
        verbose_name_plural = _("recipients")

    def __str__(self):
        if self.jabatan_id:
            return str(self.jabatan)
        if self.unit_id:
            return str(self.unit)
        return ", ".join(part for part in (self.nama, self.instansi) if part)

    @property
    def internal(self) -> bool:
        return self.jabatan_id is not None or self.unit_id is not None


class Verifikasi(models.Model):
    """One step of the paraf chain. A resubmission after a return opens a new round (putaran)."""

    class Status(models.TextChoices):
        MENUNGGU = "menunggu", _("Waiting")
        DISETUJUI = "disetujui", _("Approved (paraf)")
        DIKEMBALIKAN = "dikembalikan", _("Returned")

    naskah = models.ForeignKey(Naskah, on_delete=models.CASCADE, related_name="verifikasi")
    putaran = models.PositiveSmallIntegerField(_("round"), default=1)
    urutan = models.PositiveSmallIntegerField(_("order"))
    jabatan = models.ForeignKey("organisasi.Jabatan", on_delete=models.PROTECT, related_name="+")
    versi = models.ForeignKey(NaskahVersi, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.MENUNGGU)
    pegawai = models.ForeignKey("organisasi.Pegawai", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    catatan = models.TextField(_("notes"), blank=True)
    diproses = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["naskah", "putaran", "urutan"]
        constraints = [
            models.UniqueConstraint(fields=["naskah", "putaran", "urutan"], name="verifikasi_urutan_unik"),
        ]
        indexes = [models.Index(fields=["jabatan", "status"])]
        verbose_name = _("verification step")
        verbose_name_plural = _("verification steps")

    def __str__(self):
        return f"{self.putaran}.{self.urutan} {self.jabatan_id} {self.status}"


class PihakNaskah(models.Model):
    """Who is a party to a naskah, and so may see it even when secret: the access index kept by the services.

    A party is a position (whoever holds it, including Plt./Plh., sees it) or a person.
    """

    class Peran(models.TextChoices):
        PEMBUAT = "pembuat", _("Drafter")
        VERIFIKATOR = "verifikator", _("Verifier")
        PENANDATANGAN = "penandatangan", _("Signer")
        TUJUAN = "tujuan", _("Addressee")
        TEMBUSAN = "tembusan", _("Copy")
        PENCATAT = "pencatat", _("Registrar")
        DISPOSISI = "disposisi", _("Disposition")
        AKSES = "akses", _("Granted access")

    naskah = models.ForeignKey(Naskah, on_delete=models.CASCADE, related_name="pihak")
    peran = models.CharField(max_length=14, choices=Peran.choices)
    jabatan = models.ForeignKey("organisasi.Jabatan", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    pegawai = models.ForeignKey("organisasi.Pegawai", null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        indexes = [models.Index(fields=["pegawai", "naskah"]), models.Index(fields=["jabatan", "naskah"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(jabatan__isnull=False) | models.Q(pegawai__isnull=False), name="pihak_ada"
            )
        ]

    def __str__(self):
        return f"{self.peran}: {self.jabatan_id or self.pegawai_id}"


class AksesNaskah(models.Model):
    """An explicit grant to see a naskah (e.g. a secret letter shown to an auditor), with its reason. Audited."""

    naskah = models.ForeignKey(Naskah, on_delete=models.CASCADE, related_name="akses")
    pegawai = models.ForeignKey("organisasi.Pegawai", on_delete=models.PROTECT, related_name="+")
    alasan = models.CharField(_("reason"), max_length=500)
    sampai = models.DateField(_("until"), null=True, blank=True)
    diberikan_oleh = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    dibuat = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("access grant")
        verbose_name_plural = _("access grants")

    def __str__(self):
        return f"{self.pegawai_id} → {self.naskah_id}"


class InstruksiDisposisi(models.Model):
    """A standard disposition instruction ("Tindak lanjuti", "Hadiri", …); loaded from data/instruksi_disposisi.csv."""

    kode = models.SlugField(_("code"), max_length=40, unique=True)
    teks = models.CharField(_("text"), max_length=200)
    urutan = models.PositiveSmallIntegerField(_("order"), default=0)
    aktif = models.BooleanField(_("in use"), default=True)

    class Meta:
        ordering = ["urutan", "teks"]
        verbose_name = _("disposition instruction")
        verbose_name_plural = _("disposition instructions")

    def __str__(self):
        return self.teks


class Disposisi(models.Model):
    """An instruction from a pejabat to a subordinate about a naskah; may be re-disposed further down."""

    class Status(models.TextChoices):
        TERKIRIM = "terkirim", _("Sent (unread)")
        DIBACA = "dibaca", _("Read")
        SELESAI = "selesai", _("Completed")
        DIBATALKAN = "dibatalkan", _("Cancelled")

    naskah = models.ForeignKey(Naskah, on_delete=models.CASCADE, related_name="disposisi")
    induk = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="turunan", verbose_name=_("parent")
    )
    dari_jabatan = models.ForeignKey("organisasi.Jabatan", on_delete=models.PROTECT, related_name="+")
    dari_pegawai = models.ForeignKey("organisasi.Pegawai", on_delete=models.PROTECT, related_name="+")
    kepada_jabatan = models.ForeignKey("organisasi.Jabatan", on_delete=models.PROTECT, related_name="disposisi_masuk")
    kepada_pegawai = models.ForeignKey(
        "organisasi.Pegawai", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    instruksi = models.ManyToManyField(InstruksiDisposisi, blank=True, related_name="+")
    catatan = models.TextField(_("note"), blank=True)
    batas_waktu = models.DateField(_("deadline"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.TERKIRIM)
    dibuat = models.DateTimeField(auto_now_add=True)
    dibaca = models.DateTimeField(null=True, blank=True)
    dibatalkan = models.DateTimeField(null=True, blank=True)
    selesai = models.DateTimeField(null=True, blank=True)
    tindak_lanjut = models.TextField(_("follow-up"), blank=True)
    diingatkan = models.DateTimeField(_("overdue reminder sent"), null=True, blank=True)

    class Meta:
        ordering = ["naskah", "dibuat", "pk"]
        indexes = [
            models.Index(fields=["kepada_jabatan", "status"]),
            models.Index(fields=["status", "batas_waktu"]),
        ]
        verbose_name = _("disposition")
        verbose_name_plural = _("dispositions")

    def __str__(self):
        return f"{self.dari_jabatan_id} → {self.kepada_jabatan_id} ({self.status})"


class LampiranTindakLanjut(models.Model):
    disposisi = models.ForeignKey(Disposisi, on_delete=models.CASCADE, related_name="lampiran")
    file = models.ForeignKey("core.StoredFile", on_delete=models.PROTECT, related_name="+")
    judul = models.CharField(_("title"), max_length=255)

    def __str__(self):
        return self.judul
