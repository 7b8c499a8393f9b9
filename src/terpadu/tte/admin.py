from django.contrib import admin

from terpadu.tte.models import OtoritasSertifikat, SertifikatPenandatangan


class ReadOnlyAdmin(admin.ModelAdmin):
    """Changes go through terpadu.tte.services (audited); the admin only shows."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(OtoritasSertifikat)
class OtoritasSertifikatAdmin(ReadOnlyAdmin):
    list_display = ["nama", "serial", "berlaku_sampai", "aktif"]


@admin.register(SertifikatPenandatangan)
class SertifikatPenandatanganAdmin(ReadOnlyAdmin):
    list_display = ["pegawai", "backend", "serial", "berlaku_sampai", "status"]
    list_filter = ["backend", "status"]
    exclude = ["kunci_terenkripsi"]
