"""Notifications: the in-app bell, and e-mail through a retry queue delivered to a real local SMTP server."""

from __future__ import annotations

import datetime as dt
import email
import socket

import pytest
from aiosmtpd.controller import Controller
from conftest import empty_job_queue
from django.db import transaction
from django.utils import timezone

from terpadu.core import jobs, notifications
from terpadu.core.models import Notification, OutgoingEmail


class Inbox:
    """aiosmtpd handler keeping every message it accepts."""

    def __init__(self):
        self.messages: list[tuple[list[str], email.message.Message]] = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802  (aiosmtpd's hook name)
        self.messages.append((list(envelope.rcpt_tos), email.message_from_bytes(envelope.content)))
        return "250 Message accepted for delivery"


class SmtpServer:
    """A real SMTP server on 127.0.0.1 that a test can stop and start again on the same port."""

    def __init__(self):
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.inbox = Inbox()
        self.controller: Controller | None = None

    def start(self) -> None:
        self.controller = Controller(self.inbox, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None


@pytest.fixture
def smtp(settings):
    server = SmtpServer()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"  # pytest-django sets locmem
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", server.port
    settings.EMAIL_USE_TLS, settings.EMAIL_HOST_USER, settings.EMAIL_TIMEOUT = False, "", 5
    server.start()
    yield server
    server.stop()


@pytest.fixture
def eager(settings):
    settings.JOBS_BACKEND = "eager"


@pytest.fixture
def user(django_user_model):
    return django_user_model.objects.create(username="penerima", email="penerima@example.test")


@pytest.fixture
def other(django_user_model):
    return django_user_model.objects.create(username="lain", email="lain@example.test")


def _make_due(message: OutgoingEmail) -> None:
    """Let the backoff pass."""
    OutgoingEmail.objects.filter(pk=message.pk).update(next_attempt=timezone.now() - dt.timedelta(seconds=1))


# -- in-app --------------------------------------------------------------------------------


def test_a_notification_is_unread_until_marked_read(db, user, other):
    first = notifications.notify(user, "naskah.masuk", "Surat masuk", email=False)
    notifications.notify(user, "naskah.masuk", "Surat masuk lagi", email=False)
    notifications.notify(other, "naskah.masuk", "Untuk orang lain", email=False)
    assert notifications.unread_count(user) == 2
    assert notifications.mark_read(user, [first.pk]) == 1
    assert notifications.unread_count(user) == 1
    assert notifications.mark_read(user) == 1
    assert notifications.unread_count(user) == 0
    assert notifications.unread_count(other) == 1  # someone else's stay unread
    assert not OutgoingEmail.objects.exists()  # email=False


def test_marking_another_users_notification_read_does_nothing(db, user, other):
    theirs = notifications.notify(other, "x", "Milik orang lain", email=False)
    assert notifications.mark_read(user, [theirs.pk]) == 0
    assert Notification.objects.get(pk=theirs.pk).read_at is None


def test_an_anonymous_visitor_has_no_unread_notifications():
    from django.contrib.auth.models import AnonymousUser

    assert notifications.unread_count(AnonymousUser()) == 0


def test_the_bell_shows_the_unread_count_and_the_page_marks_them_read(db, client, user):
    notifications.notify(user, "x", "Satu", email=False)
    client.force_login(user, backend="terpadu.accounts.backends.NipOrUsernameBackend")
    assert ">1<" in client.get("/notifikasi/jumlah/").content.decode()
    assert client.post("/notifikasi/dibaca/").status_code == 302
    assert client.get("/notifikasi/jumlah/").content == b""


# -- e-mail --------------------------------------------------------------------------------


def test_a_notification_email_arrives_at_the_smtp_server(
    db, eager, smtp, user, settings, django_capture_on_commit_callbacks
):
    settings.PUBLIC_BASE_URL = "https://terpadu.example"
    with django_capture_on_commit_callbacks(execute=True):
        notifications.notify(
            user, "naskah.masuk", "Surat masuk dari Dinas Alfa", "Mohon ditindaklanjuti.", url="/naskah/7/"
        )
    ((recipients, message),) = smtp.inbox.messages
    assert recipients == ["penerima@example.test"]
    assert message["Subject"] == "Surat masuk dari Dinas Alfa"
    body = message.get_payload(decode=True).decode()
    assert "Mohon ditindaklanjuti." in body
    assert "https://terpadu.example/naskah/7/" in body
    sent = OutgoingEmail.objects.get()
    assert (sent.status, sent.attempts, sent.last_error) == ("sent", 1, "")
    assert sent.sent_at is not None


def test_no_email_is_queued_when_the_change_rolls_back(db, eager, smtp, user, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError), transaction.atomic():
        notifications.notify(user, "x", "Tidak jadi")
        raise RuntimeError("the change failed")
    assert not OutgoingEmail.objects.exists()
    assert smtp.inbox.messages == []


def test_with_the_server_down_the_email_waits_and_the_retry_queue_sends_it_later(
    db, eager, smtp, user, django_capture_on_commit_callbacks
):
    smtp.stop()
    before = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        queued = notifications.queue_email([user.email], "Pengingat", "Isi pengingat")
    queued.refresh_from_db()
    assert (queued.status, queued.attempts) == ("pending", 1)
    assert queued.next_attempt > before  # backoff, not a tight loop
    assert queued.last_error  # the reason is kept for administrators
    notifications.retry_emails()  # not due yet: left alone
    queued.refresh_from_db()
    assert queued.attempts == 1
    smtp.start()
    _make_due(queued)
    notifications.retry_emails()
    queued.refresh_from_db()
    assert (queued.status, queued.attempts) == ("sent", 2)
    assert [message["Subject"] for _to, message in smtp.inbox.messages] == ["Pengingat"]


def test_an_email_that_cannot_be_delivered_is_marked_failed_after_max_attempts(
    db, eager, smtp, user, django_capture_on_commit_callbacks
):
    smtp.stop()
    with django_capture_on_commit_callbacks(execute=True):
        queued = notifications.queue_email([user.email], "Tak terkirim", "Isi")
    waits = []
    for _attempt in range(2, notifications.MAX_ATTEMPTS + 1):
        queued.refresh_from_db()
        waits.append(queued.next_attempt - timezone.now())
        _make_due(queued)
        notifications.retry_emails()
    queued.refresh_from_db()
    assert (queued.status, queued.attempts) == ("failed", notifications.MAX_ATTEMPTS)
    assert waits == sorted(waits)  # each wait longer than the one before
    smtp.start()
    _make_due(queued)
    notifications.retry_emails()  # a failed message is not retried any more
    queued.refresh_from_db()
    assert (queued.status, queued.attempts) == ("failed", notifications.MAX_ATTEMPTS)
    assert smtp.inbox.messages == []


def test_sending_is_idempotent(db, smtp):
    queued = OutgoingEmail.objects.create(
        to=["a@example.test"], subject="Sekali", body="x", next_attempt=timezone.now()
    )
    notifications.send_email(email_id=queued.pk)
    notifications.send_email(email_id=queued.pk)  # a retried job after a crash
    notifications.send_email(email_id=queued.pk + 1000)  # a message that is gone
    assert len(smtp.inbox.messages) == 1


@pytest.mark.postgres
def test_a_worker_sends_the_queued_email(transactional_db, smtp, user):
    empty_job_queue()
    with transaction.atomic():
        notifications.notify(user, "naskah.masuk", "Lewat antrean", "Isi")
    assert smtp.inbox.messages == []  # queued, not sent by the request
    jobs.run_worker(wait=False, install_signal_handlers=False)
    assert [message["Subject"] for _to, message in smtp.inbox.messages] == ["Lewat antrean"]
    assert OutgoingEmail.objects.get().status == "sent"
