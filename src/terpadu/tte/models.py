"""Signing certificates and the instance's certificate authority.

Private keys never sit in clear in the database: an own-CA key is stored as PKCS#8 encrypted with the
holder's passphrase, an uploaded PKCS#12 as uploaded (protected by its own password). Neither secret is stored.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from terpadu.organisasi.models import Pegawai


class OtoritasSertifikat(models.Model):
    """The instance CA's certificate (its private key is a file outside the database, see TERPADU_TTE_CA_KEY_FILE)."""

    nama = models.CharField(_("name"), max_length=200)
    sertifikat_pem = models.TextField(_("certificate (PEM)"))
    sidik_jari = models.CharField(_("SHA-256 fingerprint"), max_length=64, unique=True)
    serial = models.CharField(_("serial number"), max_length=64)
    berlaku_mulai = models.DateTimeField(_("valid from"))
    berlaku_sampai = models.DateTimeField(_("valid until"))
    aktif = models.BooleanField(_("active"), default=True)
    dibuat = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        ordering = ["-dibuat"]
        verbose_name = _("certificate authority")
        verbose_name_plural = _("certificate authorities")

    def __str__(self):
        return self.nama


class SertifikatPenandatangan(models.Model):
    class Backend(models.TextChoices):
        CA = "ca", _("Instance certificate authority")
        PKCS12 = "pkcs12", _("Uploaded PKCS#12")

    class Status(models.TextChoices):
        AKTIF = "aktif", _("active")
        DICABUT = "dicabut", _("revoked")

    pegawai = models.ForeignKey(
        Pegawai, on_delete=models.PROTECT, related_name="sertifikat_tte", verbose_name=_("employee")
    )
    backend = models.CharField(_("kind"), max_length=10, choices=Backend.choices)
    otoritas = models.ForeignKey(
        OtoritasSertifikat,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="sertifikat",
        verbose_name=_("issued by"),
    )
    subjek = models.CharField(_("subject"), max_length=500)
    penerbit = models.CharField(_("issuer"), max_length=500)
    serial = models.CharField(_("serial number"), max_length=64, db_index=True)
    sidik_jari = models.CharField(_("SHA-256 fingerprint"), max_length=64, db_index=True)
    berlaku_mulai = models.DateTimeField(_("valid from"))
    berlaku_sampai = models.DateTimeField(_("valid until"))
    sertifikat_pem = models.TextField(_("certificate (PEM)"))
    rantai_pem = models.TextField(_("issuer chain (PEM)"), blank=True)
    # ca: PKCS#8 PEM encrypted with the holder's passphrase; pkcs12: the uploaded file (password-protected).
    kunci_terenkripsi = models.BinaryField(_("encrypted private key"), editable=False)
    jenis_kunci = models.CharField(_("key type"), max_length=20, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.AKTIF)
    dicabut_pada = models.DateTimeField(_("revoked at"), null=True, blank=True)
    alasan_pencabutan = models.CharField(_("reason for revocation"), max_length=300, blank=True)
    dibuat = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        ordering = ["-dibuat"]
        verbose_name = _("signing certificate")
        verbose_name_plural = _("signing certificates")

    def __str__(self):
        return f"{self.get_backend_display()} {self.serial[:12]} — {self.pegawai}"

    @property
    def aktif(self) -> bool:
        return self.status == self.Status.AKTIF

    @property
    def kedaluwarsa(self) -> bool:
        return self.berlaku_sampai < timezone.now()

    @property
    def usable(self) -> bool:
        now = timezone.now()
        return self.aktif and self.berlaku_mulai <= now <= self.berlaku_sampai
