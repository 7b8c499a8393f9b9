"""Platform tables: the audit chain, its checkpoints, job records, notifications and stored files."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditEvent(models.Model):
    """One change made through a service. `hash` covers the event and the previous event's hash."""

    seq = models.BigIntegerField(_("sequence"), unique=True)
    time = models.DateTimeField(_("time"), db_index=True)
    actor_id = models.BigIntegerField(_("actor id"), null=True, blank=True)
    actor_username = models.CharField(_("actor"), max_length=150, blank=True)
    acting_as = models.CharField(_("acting as"), max_length=255, blank=True)
    via = models.CharField(_("channel"), max_length=16, blank=True)
    object_type = models.CharField(_("object type"), max_length=100)
    object_id = models.CharField(_("object id"), max_length=64)
    object_repr = models.CharField(_("object"), max_length=255, blank=True)
    action = models.CharField(_("action"), max_length=64)
    changes = models.JSONField(_("changes"), default=dict, blank=True)
    request_id = models.CharField(_("request id"), max_length=64, blank=True)
    ip = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    class Meta:
        ordering = ["seq"]
        indexes = [models.Index(fields=["object_type", "object_id", "seq"])]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")

    def __str__(self):
        return f"#{self.seq} {self.action} {self.object_type}:{self.object_id}"


class AuditChainHead(models.Model):
    """Single row holding the chain's last seq and hash; locked while appending so the chain stays linear."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    seq = models.BigIntegerField(default=0)
    hash = models.CharField(max_length=64)

    def __str__(self):
        return f"head #{self.seq}"


class AuditCheckpoint(models.Model):
    """The chain head at a moment, signed with the instance key and published on the portal."""

    seq = models.BigIntegerField(_("sequence"))
    head_hash = models.CharField(_("head hash"), max_length=64)
    time = models.DateTimeField(_("time"))
    key_id = models.CharField(_("key id"), max_length=64)
    public_key = models.TextField(_("public key (PEM)"))
    signature = models.CharField(_("signature (base64)"), max_length=128)

    class Meta:
        ordering = ["-seq"]
        verbose_name = _("audit checkpoint")
        verbose_name_plural = _("audit checkpoints")

    def __str__(self):
        return f"checkpoint #{self.seq}"

    def signed_message(self) -> bytes:
        moment = self.time.astimezone(dt.UTC).isoformat(timespec="microseconds")
        return f"terpadu-audit-checkpoint|{self.seq}|{self.head_hash}|{moment}".encode()


class JobRecord(models.Model):
    """A unit of background work a person waits for: status, progress and result are shown in the UI."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        SUCCEEDED = "succeeded", _("Succeeded")
        FAILED = "failed", _("Failed")

    kind = models.CharField(_("kind"), max_length=100)
    title = models.CharField(_("title"), max_length=255)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.QUEUED)
    progress_done = models.PositiveIntegerField(default=0)
    progress_total = models.PositiveIntegerField(default=0)
    message = models.TextField(_("message"), blank=True)
    result = models.JSONField(default=dict, blank=True)
    created = models.DateTimeField(auto_now_add=True)
    started = models.DateTimeField(null=True, blank=True)
    finished = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created"]
        verbose_name = _("job")
        verbose_name_plural = _("jobs")

    def __str__(self):
        return self.title

    @property
    def percent(self) -> int:
        if not self.progress_total:
            return 100 if self.status == self.Status.SUCCEEDED else 0
        return min(100, int(self.progress_done * 100 / self.progress_total))

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.SUCCEEDED, self.Status.FAILED)


class WorkerHeartbeat(models.Model):
    """Written by every worker each minute; /health reads the newest."""

    name = models.CharField(max_length=100, unique=True)
    seen = models.DateTimeField()

    def __str__(self):
        return self.name


class Notification(models.Model):
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    verb = models.CharField(_("kind"), max_length=100)
    title = models.CharField(_("title"), max_length=255)
    body = models.TextField(_("text"), blank=True)
    url = models.CharField(_("link"), max_length=500, blank=True)
    created = models.DateTimeField(auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created"]
        indexes = [models.Index(fields=["recipient", "read_at"])]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")

    def __str__(self):
        return self.title


class OutgoingEmail(models.Model):
    """The e-mail retry queue: a row per message, sent by a job, retried with backoff until it gives up."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    to = models.JSONField()
    subject = models.CharField(max_length=255)
    body = models.TextField()
    attachments = models.JSONField(default=list, blank=True)  # StoredFile ids, attached when sending
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    next_attempt = models.DateTimeField(null=True, blank=True)
    created = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created"]

    def __str__(self):
        return self.subject


class StoredFile(models.Model):
    """An accepted upload: content-sniffed type, size and SHA-256; files are never overwritten."""

    file = models.FileField(upload_to="uploads/%Y/%m/")
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64, db_index=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return self.original_name


class HariLibur(models.Model):
    """A national holiday (libur nasional) or collective leave day (cuti bersama) on which government offices
    are closed: the working-day calendar (`terpadu.core.kalender`) skips it. Loaded from data/hari_libur.csv
    (SKB 3 Menteri of each year); each row keeps how sure it is and where it comes from."""

    class Jenis(models.TextChoices):
        LIBUR_NASIONAL = "libur_nasional", _("National holiday")
        CUTI_BERSAMA = "cuti_bersama", _("Collective leave (cuti bersama)")
        LIBUR_DAERAH = "libur_daerah", _("Local holiday")

    class Keyakinan(models.TextChoices):
        OFFICIAL = "official", _("official")
        MULTI = "multi", _("several sources agree")
        SECONDARY = "secondary", _("one secondary source")
        UNCONFIRMED = "unconfirmed", _("unconfirmed")
        LOCAL = "local", _("set by the city")

    tanggal = models.DateField(_("date"), unique=True)
    nama = models.CharField(_("name"), max_length=200)
    jenis = models.CharField(_("kind"), max_length=16, choices=Jenis.choices, default=Jenis.LIBUR_NASIONAL)
    keyakinan = models.CharField(_("confidence"), max_length=12, choices=Keyakinan.choices, default=Keyakinan.LOCAL)
    sumber = models.CharField(_("source"), max_length=500, blank=True)

    class Meta:
        ordering = ["tanggal"]
        verbose_name = _("holiday")
        verbose_name_plural = _("holidays")

    def __str__(self):
        return f"{self.tanggal.isoformat()} {self.nama}"
