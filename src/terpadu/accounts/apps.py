from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "terpadu.accounts"
    label = "accounts"
    verbose_name = _("Identity and access")

    def ready(self):
        from terpadu.accounts import tasks  # noqa: F401
        from terpadu.accounts.models import ApiToken, RoleAssignment, User
        from terpadu.core import authz, registry

        registry.register_actions(
            "accounts",
            {
                "view": _("See users, roles and assignments"),
                "manage": _("Manage users, roles, assignments and API tokens"),
            },
        )
        authz.register_model(User, unit_path="pegawai__unit__path", self_lookup="pk")
        authz.register_model(RoleAssignment, unit_path="user__pegawai__unit__path")
        authz.register_model(ApiToken, self_lookup="user__pk")
        registry.register_menu(
            registry.MenuItem(_("Users and roles"), "accounts:user_list", "accounts.view", "key", 80, _("Platform"))
        )
