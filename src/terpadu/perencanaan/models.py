"""Perencanaan: the nomenklatur (Permendagri 90/2019 and its Kepmendagri updates), versioned per tahun
anggaran with an old→new mapping, and the planning documents that hang on it — RPJMD (5 years, the
city), Renstra PD (5 years, each OPD) and Renja PD (one year, each OPD; together they are the RKPD).

The chain every later module follows starts here: RPJMD sasaran → Renstra sasaran PD → Renstra program /
kegiatan / sub kegiatan → RenjaSubKegiatan (one OPD's sub kegiatan in one year). The RKA, the DPA lines,
contracts, SP2D, physical progress, monev and the public page all point at a RenjaSubKegiatan.
"""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class Keyakinan(models.TextChoices):
    """How sure a reference row is (shown as a badge so nobody mistakes a guess for the regulation)."""

    OFFICIAL = "official", _("official")
    MULTI = "multi", _("several sources agree")
    SECONDARY = "secondary", _("one secondary source")
    UNCONFIRMED = "unconfirmed", _("unconfirmed")
    LOCAL = "local", _("set by the city")
    DEMO = "demo", _("demo (generated, not real)")


class Level(models.TextChoices):
    URUSAN = "urusan", _("Urusan")
    BIDANG_URUSAN = "bidang_urusan", _("Bidang urusan")
    PROGRAM = "program", _("Program")
    KEGIATAN = "kegiatan", _("Kegiatan")
    SUB_KEGIATAN = "sub_kegiatan", _("Sub kegiatan")


LEVEL_ORDER = [Level.URUSAN, Level.BIDANG_URUSAN, Level.PROGRAM, Level.KEGIATAN, Level.SUB_KEGIATAN]

# U . BB . PP . L . KK . SSSS (kode_format.csv). "X.XX" stands for the penunjang program common to every bidang.
KODE_PATTERN = {
    Level.URUSAN: r"^[1-8X]$",
    Level.BIDANG_URUSAN: r"^([1-8]\.\d{2}|X\.XX)$",
    Level.PROGRAM: r"^([1-8]\.\d{2}|X\.XX)\.\d{2}$",
    Level.KEGIATAN: r"^([1-8]\.\d{2}|X\.XX)\.\d{2}\.[1-3]\.\d{2}$",
    Level.SUB_KEGIATAN: r"^([1-8]\.\d{2}|X\.XX)\.\d{2}\.[1-3]\.\d{2}\.\d{4}$",
}


def check_kode(level: str, kode: str) -> None:
    """Raise ValidationError when `kode` does not have the shape of its level."""
    pattern = KODE_PATTERN[Level(level)]
    if not re.match(pattern, kode or ""):
        raise ValidationError(
            _("%(kode)s is not a valid %(level)s code (expected the shape %(shape)s).")
            % {"kode": kode, "level": Level(level).label, "shape": EXAMPLE[Level(level)]}
        )


EXAMPLE = {
    Level.URUSAN: "2",
    Level.BIDANG_URUSAN: "2.16",
    Level.PROGRAM: "2.16.03",
    Level.KEGIATAN: "2.16.03.2.02",
    Level.SUB_KEGIATAN: "2.16.03.2.02.0023",
}


def level_of(kode: str) -> Level | None:
    """The level a code's shape belongs to, or None."""
    for level in LEVEL_ORDER:
        if re.match(KODE_PATTERN[level], kode or ""):
            return level
    return None


class Polaritas(models.TextChoices):
    NAIK = "naik", _("Higher is better")
    TURUN = "turun", _("Lower is better")


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    DITETAPKAN = "ditetapkan", _("Adopted")


# --- nomenklatur --------------------------------------------------------------------------------------------


class VersiNomenklatur(models.Model):
    """The code set in force for one tahun anggaran (e.g. Permendagri 90/2019 as updated by Kepmendagri …)."""

    tahun = models.PositiveSmallIntegerField(_("budget year"), unique=True)
    nama = models.CharField(_("name"), max_length=200)
    dasar_hukum = models.CharField(_("legal basis"), max_length=300, blank=True)
    catatan = models.TextField(_("notes"), blank=True)
    dibuat = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-tahun"]
        verbose_name = _("nomenklatur edition")
        verbose_name_plural = _("nomenklatur editions")

    def __str__(self):
        return f"{self.tahun} — {self.nama}"


class NomenklaturQuerySet(models.QuerySet):
    def of_year(self, tahun: int):
        return self.filter(versi__tahun=tahun)

    def in_use(self):
        return self.filter(aktif=True)


class Nomenklatur(models.Model):
    """One code of the program/activity tree in one year's edition: urusan … sub kegiatan."""

    versi = models.ForeignKey(VersiNomenklatur, on_delete=models.PROTECT, related_name="kode")
    level = models.CharField(_("level"), max_length=16, choices=Level.choices)
    kode = models.CharField(_("code"), max_length=24)
    nama = models.CharField(_("name"), max_length=500)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children", verbose_name=_("parent")
    )
    # The performance statement the nomenklatur attaches to a kegiatan / sub kegiatan (Kepmendagri lampiran).
    kinerja = models.CharField(_("output (kinerja)"), max_length=500, blank=True)
    indikator = models.CharField(_("output indicator"), max_length=500, blank=True)
    satuan = models.CharField(_("unit of measure"), max_length=60, blank=True)
    aktif = models.BooleanField(_("in use"), default=True, help_text=_("A retired code cannot be planned or budgeted."))
    keyakinan = models.CharField(_("confidence"), max_length=12, choices=Keyakinan.choices, default=Keyakinan.LOCAL)
    sumber = models.CharField(_("source"), max_length=500, blank=True)

    objects = NomenklaturQuerySet.as_manager()

    class Meta:
        ordering = ["versi", "kode"]
        constraints = [models.UniqueConstraint(fields=["versi", "kode"], name="nomenklatur_kode_unik_per_versi")]
        indexes = [models.Index(fields=["versi", "level", "kode"])]
        verbose_name = _("nomenklatur code")
        verbose_name_plural = _("nomenklatur codes")

    def __str__(self):
        return f"{self.kode} {self.nama}"

    def get_absolute_url(self):
        return reverse("perencanaan:nomenklatur_detail", args=[self.pk])


class PemetaanNomenklatur(models.Model):
    """Old → new: how a code of one edition continues in a later one (renumbered, renamed, split, merged)."""

    dari = models.ForeignKey(Nomenklatur, on_delete=models.CASCADE, related_name="pemetaan_ke")
    ke = models.ForeignKey(Nomenklatur, on_delete=models.CASCADE, related_name="pemetaan_dari")
    catatan = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["dari", "ke"], name="pemetaan_nomenklatur_unik")]
        verbose_name = _("nomenklatur mapping")
        verbose_name_plural = _("nomenklatur mappings")

    def __str__(self):
        return f"{self.dari.kode} → {self.ke.kode}"


# --- RPJMD ---------------------------------------------------------------------------------------------------


class Rpjmd(models.Model):
    """The five-year plan of the Kepala Daerah (Perda RPJMD)."""

    nama = models.CharField(_("name"), max_length=200)
    tahun_awal = models.PositiveSmallIntegerField(_("first year"))
    tahun_akhir = models.PositiveSmallIntegerField(_("last year"))
    visi = models.TextField(_("vision (visi)"))
    dasar_hukum = models.CharField(_("legal basis"), max_length=300, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.DRAFT)

    class Meta:
        ordering = ["-tahun_awal"]
        verbose_name = _("RPJMD")
        verbose_name_plural = _("RPJMD")

    def __str__(self):
        return f"{self.nama} ({self.tahun_awal}–{self.tahun_akhir})"

    def get_absolute_url(self):
        return reverse("perencanaan:rpjmd_detail", args=[self.pk])

    @property
    def tahun_list(self) -> list[int]:
        return list(range(self.tahun_awal, self.tahun_akhir + 1))


class Misi(models.Model):
    rpjmd = models.ForeignKey(Rpjmd, on_delete=models.CASCADE, related_name="misi")
    nomor = models.PositiveSmallIntegerField(_("number"))
    uraian = models.TextField(_("mission (misi)"))

    class Meta:
        ordering = ["rpjmd", "nomor"]
        constraints = [models.UniqueConstraint(fields=["rpjmd", "nomor"], name="misi_nomor_unik")]
        verbose_name = _("mission (misi)")
        verbose_name_plural = _("missions (misi)")

    def __str__(self):
        return f"Misi {self.nomor}: {self.uraian[:80]}"


class Tujuan(models.Model):
    misi = models.ForeignKey(Misi, on_delete=models.CASCADE, related_name="tujuan")
    kode = models.CharField(_("code"), max_length=20)
    uraian = models.TextField(_("goal (tujuan)"))

    class Meta:
        ordering = ["misi", "kode"]
        verbose_name = _("goal (tujuan)")
        verbose_name_plural = _("goals (tujuan)")

    def __str__(self):
        return f"{self.kode} {self.uraian[:80]}"


class Sasaran(models.Model):
    """A city-level target (sasaran RPJMD); measured by its indikator."""

    tujuan = models.ForeignKey(Tujuan, on_delete=models.CASCADE, related_name="sasaran")
    kode = models.CharField(_("code"), max_length=20)
    uraian = models.TextField(_("target (sasaran)"))

    class Meta:
        ordering = ["tujuan", "kode"]
        verbose_name = _("RPJMD target (sasaran)")
        verbose_name_plural = _("RPJMD targets (sasaran)")

    def __str__(self):
        return f"{self.kode} {self.uraian[:80]}"

    def get_absolute_url(self):
        return reverse("perencanaan:sasaran_detail", args=[self.pk])


class ProgramPrioritas(models.Model):
    """A priority program of the RPJMD serving a sasaran (by nomenklatur program code)."""

    sasaran = models.ForeignKey(Sasaran, on_delete=models.CASCADE, related_name="program_prioritas")
    program = models.ForeignKey(Nomenklatur, on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey(
        "organisasi.UnitKerja", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("responsible OPD"),
    )  # fmt: skip
    pagu_indikatif = models.DecimalField(_("indicative ceiling (5 years)"), max_digits=20, decimal_places=2, default=0)

    class Meta:
        verbose_name = _("priority program")
        verbose_name_plural = _("priority programs")

    def __str__(self):
        return str(self.program)


# --- Renstra PD ----------------------------------------------------------------------------------------------


class Renstra(models.Model):
    """An OPD's five-year strategic plan under an RPJMD (the OPD has no visi/misi of its own)."""

    rpjmd = models.ForeignKey(Rpjmd, on_delete=models.PROTECT, related_name="renstra")
    unit = models.ForeignKey("organisasi.UnitKerja", on_delete=models.PROTECT, related_name="renstra")
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.DRAFT)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["rpjmd", "unit"], name="renstra_satu_per_opd")]
        verbose_name = _("Renstra PD")
        verbose_name_plural = _("Renstra PD")

    def __str__(self):
        return f"Renstra {self.unit} {self.rpjmd.tahun_awal}–{self.rpjmd.tahun_akhir}"

    def get_absolute_url(self):
        return reverse("perencanaan:renstra_detail", args=[self.pk])


class TujuanPd(models.Model):
    renstra = models.ForeignKey(Renstra, on_delete=models.CASCADE, related_name="tujuan")
    tujuan_rpjmd = models.ForeignKey(Tujuan, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    kode = models.CharField(_("code"), max_length=20)
    uraian = models.TextField(_("OPD goal"))

    class Meta:
        ordering = ["renstra", "kode"]
        verbose_name = _("OPD goal (tujuan PD)")
        verbose_name_plural = _("OPD goals (tujuan PD)")

    def __str__(self):
        return f"{self.kode} {self.uraian[:80]}"


class SasaranPd(models.Model):
    """An OPD target, linked to the city sasaran it serves (the first step of the cascade)."""

    tujuan = models.ForeignKey(TujuanPd, on_delete=models.CASCADE, related_name="sasaran")
    sasaran_rpjmd = models.ForeignKey(Sasaran, on_delete=models.PROTECT, related_name="sasaran_pd")
    kode = models.CharField(_("code"), max_length=20)
    uraian = models.TextField(_("OPD target"))

    class Meta:
        ordering = ["tujuan", "kode"]
        verbose_name = _("OPD target (sasaran PD)")
        verbose_name_plural = _("OPD targets (sasaran PD)")

    def __str__(self):
        return f"{self.kode} {self.uraian[:80]}"


class RenstraItem(models.Model):
    """A program, kegiatan or sub kegiatan in a Renstra (tree under a sasaran PD), by nomenklatur code."""

    renstra = models.ForeignKey(Renstra, on_delete=models.CASCADE, related_name="items")
    sasaran_pd = models.ForeignKey(SasaranPd, on_delete=models.PROTECT, related_name="items")
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.CASCADE, related_name="children")
    nomenklatur = models.ForeignKey(Nomenklatur, on_delete=models.PROTECT, related_name="renstra_items")
    level = models.CharField(_("level"), max_length=16, choices=Level.choices)

    class Meta:
        ordering = ["renstra", "nomenklatur__kode"]
        constraints = [models.UniqueConstraint(fields=["renstra", "nomenklatur"], name="renstra_item_unik")]
        verbose_name = _("Renstra program/activity")
        verbose_name_plural = _("Renstra programs/activities")

    def __str__(self):
        return str(self.nomenklatur)


class PaguIndikatif(models.Model):
    """The indicative ceiling of a Renstra item for one year of the plan."""

    item = models.ForeignKey(RenstraItem, on_delete=models.CASCADE, related_name="pagu")
    tahun = models.PositiveSmallIntegerField(_("year"))
    nilai = models.DecimalField(_("amount"), max_digits=20, decimal_places=2)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["item", "tahun"], name="pagu_indikatif_unik")]
        verbose_name = _("indicative ceiling")
        verbose_name_plural = _("indicative ceilings")

    # --- Renja PD / RKPD -----------------------------------------------------------------------------------------

    def __str__(self):
        return f"{self.item} {self.tahun}: {self.nilai}"


class Renja(models.Model):
    """An OPD's work plan for one year; all Renja of a year make the RKPD."""

    unit = models.ForeignKey("organisasi.UnitKerja", on_delete=models.PROTECT, related_name="renja")
    tahun = models.PositiveSmallIntegerField(_("year"))
    renstra = models.ForeignKey(Renstra, null=True, blank=True, on_delete=models.PROTECT, related_name="renja")
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.DRAFT)

    class Meta:
        ordering = ["-tahun", "unit__path"]
        constraints = [models.UniqueConstraint(fields=["unit", "tahun"], name="renja_satu_per_opd_tahun")]
        verbose_name = _("Renja PD")
        verbose_name_plural = _("Renja PD")

    def __str__(self):
        return f"Renja {self.unit} {self.tahun}"

    def get_absolute_url(self):
        return reverse("perencanaan:renja_detail", args=[self.pk])


class RenjaSubKegiatan(models.Model):
    """One OPD's sub kegiatan in one year: the anchor of the budget, contracts, realisation, monev and the
    public page. The code is the nomenklatur of that year; `renstra_item` links it back up the cascade."""

    renja = models.ForeignKey(Renja, on_delete=models.CASCADE, related_name="sub_kegiatan")
    unit = models.ForeignKey("organisasi.UnitKerja", on_delete=models.PROTECT, related_name="+")  # = renja.unit
    tahun = models.PositiveSmallIntegerField(_("year"))  # = renja.tahun
    sub_kegiatan = models.ForeignKey(Nomenklatur, on_delete=models.PROTECT, related_name="renja_items")
    renstra_item = models.ForeignKey(
        RenstraItem, null=True, blank=True, on_delete=models.PROTECT, related_name="renja_items"
    )
    # Denormalised codes of the year for aggregation and drill-down without joining the tree.
    kode_program = models.CharField(max_length=24, db_index=True, editable=False)
    kode_kegiatan = models.CharField(max_length=24, db_index=True, editable=False)
    pagu_indikatif = models.DecimalField(_("indicative ceiling"), max_digits=20, decimal_places=2, default=0)
    prakiraan_maju = models.DecimalField(_("forward estimate (next year)"), max_digits=20, decimal_places=2, default=0)
    lokasi = models.CharField(_("location"), max_length=300, blank=True)
    sumber_dana = models.CharField(_("source of funds"), max_length=60, blank=True)
    pptk = models.ForeignKey(
        "organisasi.Pegawai", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("PPTK (technical officer)"),
    )  # fmt: skip

    class Meta:
        ordering = ["tahun", "unit__path", "sub_kegiatan__kode"]
        constraints = [
            models.UniqueConstraint(fields=["renja", "sub_kegiatan"], name="renja_sub_kegiatan_unik"),
        ]
        indexes = [models.Index(fields=["tahun", "unit"])]
        verbose_name = _("sub kegiatan of an OPD")
        verbose_name_plural = _("sub kegiatan of OPDs")

    def __str__(self):
        return (
            f"{self.sub_kegiatan.kode} {self.sub_kegiatan.nama} ({self.unit.singkatan or self.unit.nama}, {self.tahun})"
        )

    def get_absolute_url(self):
        return reverse("perencanaan:sub_kegiatan_detail", args=[self.pk])


# --- indicators ----------------------------------------------------------------------------------------------


class Indikator(models.Model):
    """A performance indicator of exactly one planning element (sasaran RPJMD, program prioritas, sasaran PD,
    Renstra item or Renja sub kegiatan), with its unit, polarity and baseline; targets per year below."""

    sasaran = models.ForeignKey(Sasaran, null=True, blank=True, on_delete=models.CASCADE, related_name="indikator")
    tujuan = models.ForeignKey(Tujuan, null=True, blank=True, on_delete=models.CASCADE, related_name="indikator")
    sasaran_pd = models.ForeignKey(SasaranPd, null=True, blank=True, on_delete=models.CASCADE, related_name="indikator")
    renstra_item = models.ForeignKey(
        RenstraItem, null=True, blank=True, on_delete=models.CASCADE, related_name="indikator"
    )
    renja_sub_kegiatan = models.ForeignKey(
        RenjaSubKegiatan, null=True, blank=True, on_delete=models.CASCADE, related_name="indikator"
    )
    uraian = models.CharField(_("indicator"), max_length=500)
    satuan = models.CharField(_("unit of measure"), max_length=60)
    polaritas = models.CharField(_("polarity"), max_length=8, choices=Polaritas.choices, default=Polaritas.NAIK)
    baseline = models.DecimalField(_("baseline"), max_digits=20, decimal_places=4, null=True, blank=True)
    tahun_baseline = models.PositiveSmallIntegerField(_("baseline year"), null=True, blank=True)
    definisi = models.TextField(_("definition / formula"), blank=True)

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        constraints = [
            models.CheckConstraint(
                name="indikator_satu_pemilik",
                condition=(
                    models.Q(sasaran__isnull=False, tujuan__isnull=True, sasaran_pd__isnull=True,
                             renstra_item__isnull=True, renja_sub_kegiatan__isnull=True)
                    | models.Q(sasaran__isnull=True, tujuan__isnull=False, sasaran_pd__isnull=True,
                               renstra_item__isnull=True, renja_sub_kegiatan__isnull=True)
                    | models.Q(sasaran__isnull=True, tujuan__isnull=True, sasaran_pd__isnull=False,
                               renstra_item__isnull=True, renja_sub_kegiatan__isnull=True)
                    | models.Q(sasaran__isnull=True, tujuan__isnull=True, sasaran_pd__isnull=True,
                               renstra_item__isnull=False, renja_sub_kegiatan__isnull=True)
                    | models.Q(sasaran__isnull=True, tujuan__isnull=True, sasaran_pd__isnull=True,
                               renstra_item__isnull=True, renja_sub_kegiatan__isnull=False)
                ),
            )
        ]  # fmt: skip

    def __str__(self):
        return f"{self.uraian} ({self.satuan})"

    @property
    def pemilik(self):
        return self.sasaran or self.tujuan or self.sasaran_pd or self.renstra_item or self.renja_sub_kegiatan


class TargetIndikator(models.Model):
    indikator = models.ForeignKey(Indikator, on_delete=models.CASCADE, related_name="target")
    tahun = models.PositiveSmallIntegerField(_("year"))
    target = models.DecimalField(_("target"), max_digits=20, decimal_places=4)

    class Meta:
        ordering = ["indikator", "tahun"]
        constraints = [models.UniqueConstraint(fields=["indikator", "tahun"], name="target_indikator_unik")]
        verbose_name = _("indicator target")
        verbose_name_plural = _("indicator targets")

    def __str__(self):
        return f"{self.indikator} {self.tahun}: {self.target}"


def validate_level(value: str) -> None:  # used by forms and importers
    if value not in Level.values:
        raise ValidationError(_("Unknown level %(value)s.") % {"value": value})
