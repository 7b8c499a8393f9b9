"""Platform pages: home dashboard, search, notifications, jobs, audit status, health."""

from __future__ import annotations

import logging
import uuid

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from terpadu.core import audit, authz, notifications, registry, search
from terpadu.core.models import AuditCheckpoint, AuditEvent, JobRecord, Notification, WorkerHeartbeat

logger = logging.getLogger("terpadu.core")


@login_required
def home(request):
    cards = []
    for card in registry.DASHBOARD:
        context = card.context(request.user)
        if context is not None:
            cards.append({"template": card.template, "context": context})
    return render(request, "core/home.html", {"cards": cards, "page_title": _("Home")})


@login_required
def search_view(request):
    query = request.GET.get("q", "").strip()[:200]
    hits = search.search(request.user, query) if query else []
    return render(request, "core/search.html", {"query": query, "hits": hits, "page_title": _("Search")})


@login_required
def pick(request, key: str):
    """Choices for a PickerWidget: the objects matching ?q= that the user may see (at most 20)."""
    from terpadu.core import pickers

    picker = pickers.PICKERS.get(key)
    if picker is None:
        raise Http404
    if not authz.has_action(request.user, picker.action):
        raise PermissionDenied
    query = request.GET.get("q", "").strip()[:100]
    options = pickers.options(request.user, key, query) if query else []
    return render(request, "core/widgets/picker_options.html", {"options": options, "query": query})


@login_required
def notifications_view(request):
    items = Notification.objects.filter(recipient=request.user)[:100]
    return render(request, "core/notifications.html", {"items": items, "page_title": _("Notifications")})


@login_required
@require_POST
def notifications_read(request):
    notifications.mark_read(request.user)
    return redirect("core:notifications")


@login_required
def unread_count(request):
    count = notifications.unread_count(request.user)
    html = f'<span class="badge bg-red badge-notification badge-pill">{count}</span>' if count else ""
    return HttpResponse(html)


def visible_jobs(user):
    jobs = JobRecord.objects.all()
    return jobs if authz.has_action(user, "core.jobs") else jobs.filter(owner=user)


@login_required
def job_list(request):
    return render(
        request, "core/job_list.html", {"jobs": visible_jobs(request.user)[:100], "page_title": _("Background jobs")}
    )


@login_required
def job_detail(request, pk: int):
    job = get_object_or_404(visible_jobs(request.user), pk=pk)
    template = "core/job_progress.html" if request.htmx else "core/job_detail.html"
    return render(request, template, {"job": job, "page_title": job.title})


@login_required
def audit_status(request):
    if not authz.has_action(request.user, "audit.verify"):
        raise PermissionDenied
    result = audit.verify() if request.GET.get("verify") else None
    context = {
        "result": result,
        "events": AuditEvent.objects.order_by("-seq")[:50],
        "checkpoints": AuditCheckpoint.objects.order_by("-seq")[:10],
        "page_title": _("Audit trail"),
    }
    return render(request, "core/audit_status.html", context)


def history_for(user, instance, private_fields: tuple[str, ...] = (), private_action: str | None = None):
    """Events of an object for its detail page; private fields are masked unless the user may see them."""
    show_private = private_action is None or authz.can(user, private_action, instance)
    events = list(audit.history(instance)[:100])
    for event in events:
        changes = event.changes or {}
        event.visible_changes = {
            key: (value if show_private or key not in private_fields else ["•••", "•••"])
            for key, value in changes.items()
        }
    return events


def health(request):
    """Database, jobs and storage; 503 when one is down. No secrets, safe to expose to a monitor."""
    checks = {"database": _check_database(), "storage": _check_storage(), "jobs": _check_jobs()}
    healthy = all(c["ok"] for c in checks.values())
    return JsonResponse({"status": "ok" if healthy else "fail", "checks": checks}, status=200 if healthy else 503)


def _check_database() -> dict:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return {"ok": True, "vendor": connection.vendor}
    except Exception as exc:  # any driver error means "down"
        return {"ok": False, "error": type(exc).__name__}


def _check_storage() -> dict:
    name = f"health/{uuid.uuid4().hex}.txt"
    try:
        saved = default_storage.save(name, ContentFile(b"ok"))
        with default_storage.open(saved) as handle:
            ok = handle.read() == b"ok"
        default_storage.delete(saved)
        return {"ok": ok}
    except Exception as exc:
        return {"ok": False, "error": type(exc).__name__}


def _check_jobs() -> dict:
    from django.conf import settings

    if settings.JOBS_BACKEND == "eager":
        return {"ok": True, "backend": "eager"}
    newest = WorkerHeartbeat.objects.order_by("-seen").first()
    if newest is None:
        return {"ok": False, "backend": "procrastinate", "error": "no worker has reported yet"}
    age = (timezone.now() - newest.seen).total_seconds()
    return {"ok": age < 180, "backend": "procrastinate", "last_heartbeat_seconds": int(age)}
