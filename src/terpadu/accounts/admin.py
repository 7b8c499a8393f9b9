"""Read-only admin: access is managed in the access pages (audited)."""

from django.contrib import admin

from terpadu.accounts.models import ApiToken, Role, User
from terpadu.core.admin import ReadOnlyAdmin


@admin.register(User)
class UserAdmin(ReadOnlyAdmin):
    list_display = ["username", "pegawai", "is_active", "last_login"]
    search_fields = ["username"]
    exclude = ["password"]


@admin.register(Role)
class RoleAdmin(ReadOnlyAdmin):
    list_display = ["code", "name", "module", "auto_assign"]


@admin.register(ApiToken)
class ApiTokenAdmin(ReadOnlyAdmin):
    list_display = ["name", "user", "prefix", "expires", "revoked", "last_used"]
    exclude = ["token_hash"]
