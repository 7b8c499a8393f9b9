"""Notifications: in-app (the bell) and e-mail through a retry queue.

E-mail is a row in OutgoingEmail first (committed with the change that caused it), then sent by a
job; a failed send is retried by the periodic `core.retry_emails` with exponential backoff until
MAX_ATTEMPTS, after which it is marked failed and shown to administrators.
"""

from __future__ import annotations

import datetime as dt
import logging
import smtplib

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import timezone

from terpadu.core import events, jobs
from terpadu.core.models import Notification, OutgoingEmail, StoredFile

logger = logging.getLogger("terpadu.notifications")
MAX_ATTEMPTS = 8


def notify(user, verb: str, title: str, body: str = "", url: str = "", email: bool = True) -> Notification:
    with transaction.atomic():
        notification = Notification.objects.create(recipient=user, verb=verb, title=title, body=body, url=url)
        if email and user.email:
            link = f"\n\n{settings.PUBLIC_BASE_URL.rstrip('/')}{url}" if url else ""
            queue_email([user.email], title, f"{body}{link}")
    return notification


def queue_email(to: list[str], subject: str, body: str, attachments: list[int] | None = None) -> OutgoingEmail:
    """Queue an e-mail; `attachments` are StoredFile ids, read when the message is sent."""
    message = OutgoingEmail.objects.create(
        to=to, subject=subject[:255], body=body, attachments=list(attachments or []), next_attempt=timezone.now()
    )
    jobs.defer("core.send_email", email_id=message.pk)
    return message


def unread_count(user) -> int:
    if not user.is_authenticated:
        return 0
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def mark_read(user, notification_ids: list[int] | None = None) -> int:
    qs = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if notification_ids is not None:
        qs = qs.filter(pk__in=notification_ids)
    return qs.update(read_at=timezone.now())


@jobs.task("core.send_email", max_attempts=1)
def send_email(email_id: int) -> None:
    """Try once; the retry queue (retry_emails) takes care of failures. Idempotent: sent stays sent."""
    with transaction.atomic():
        message = OutgoingEmail.objects.select_for_update().filter(pk=email_id).first()
        if message is None or message.status != OutgoingEmail.Status.PENDING:
            return
        message.attempts += 1
        try:
            _build(message).send()
        except (smtplib.SMTPException, OSError) as exc:
            message.last_error = f"{type(exc).__name__}: {exc}"[:2000]
            if message.attempts >= MAX_ATTEMPTS:
                message.status = OutgoingEmail.Status.FAILED
            else:
                message.next_attempt = timezone.now() + dt.timedelta(minutes=2 ** (message.attempts - 1))
            logger.warning("e-mail %s not sent (attempt %d): %s", email_id, message.attempts, message.last_error)
        else:
            message.status, message.sent_at, message.last_error = OutgoingEmail.Status.SENT, timezone.now(), ""
        message.save()
        if message.status != OutgoingEmail.Status.PENDING:
            # Modules that track their e-mails (e.g. naskah recipients) mirror the outcome.
            events.publish("core.email_status", {"email_id": message.pk, "status": message.status})


def _build(message: OutgoingEmail) -> EmailMessage:
    email = EmailMessage(message.subject, message.body, settings.DEFAULT_FROM_EMAIL, message.to)
    for stored in StoredFile.objects.filter(pk__in=message.attachments or []):
        with stored.file.open("rb") as handle:
            email.attach(stored.original_name, handle.read(), stored.content_type)
    return email


@jobs.periodic("core.retry_emails", cron="*/5 * * * *")
def retry_emails(timestamp: int | None = None) -> None:
    due = OutgoingEmail.objects.filter(status=OutgoingEmail.Status.PENDING, next_attempt__lte=timezone.now())
    for email_id in due.values_list("pk", flat=True)[:500]:
        send_email(email_id=email_id)
