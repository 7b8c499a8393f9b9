"""Read-only admin views of platform tables. The audit chain is never editable here."""

from django.contrib import admin

from terpadu.core.models import AuditCheckpoint, AuditEvent, HariLibur, JobRecord, OutgoingEmail


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    list_display = ["seq", "time", "actor_username", "action", "object_type", "object_repr"]
    search_fields = ["object_repr", "actor_username", "request_id"]


@admin.register(AuditCheckpoint)
class AuditCheckpointAdmin(ReadOnlyAdmin):
    list_display = ["seq", "time", "head_hash", "key_id"]


@admin.register(JobRecord)
class JobRecordAdmin(ReadOnlyAdmin):
    list_display = ["title", "status", "created", "finished"]


@admin.register(OutgoingEmail)
class OutgoingEmailAdmin(ReadOnlyAdmin):
    list_display = ["subject", "status", "attempts", "created", "sent_at"]


@admin.register(HariLibur)
class HariLiburAdmin(ReadOnlyAdmin):
    list_display = ["tanggal", "nama", "jenis", "keyakinan"]
