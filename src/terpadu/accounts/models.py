"""Identity and access: users (linked to a pegawai), roles as data, scoped role assignments,
login attempts for throttling, tracked sessions and API tokens."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    pegawai = models.OneToOneField(
        "organisasi.Pegawai",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="user",
        verbose_name=_("employee"),
    )
    language = models.CharField(
        _("language"), max_length=8, choices=[("id", "Bahasa Indonesia"), ("en", "English")], default="id"
    )

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self):
        return self.get_full_name() or self.username

    def get_absolute_url(self):
        return reverse("accounts:user_detail", args=[self.pk])


class Role(models.Model):
    """A named set of actions. Roles are data: an administrator can add, clone and edit them.

    auto_assign: every pegawai (all), or every holder of a structural head position (kepala),
    gets this role automatically, scoped to the whole pemda or to the position's unit subtree.
    """

    class Auto(models.TextChoices):
        NONE = "", _("Assigned explicitly")
        ALL_PEGAWAI = "all", _("Every employee")
        KEPALA = "kepala", _("Every holder of a head position")

    class AutoScope(models.TextChoices):
        PEMDA = "pemda", _("Whole pemda")
        UNIT = "unit", _("The position's unit and its sub-units")

    code = models.SlugField(_("code"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=120)
    module = models.CharField(_("module"), max_length=40)
    description = models.TextField(_("description"), blank=True)
    actions = models.JSONField(_("actions"), default=list)
    requires_2fa = models.BooleanField(
        _("requires two-factor authentication"),
        default=False,
        help_text=_("Roles that sign or administer must be protected by 2FA."),
    )
    auto_assign = models.CharField(_("automatic for"), max_length=8, choices=Auto.choices, blank=True)
    auto_scope = models.CharField(_("automatic scope"), max_length=8, choices=AutoScope.choices, default="unit")

    class Meta:
        ordering = ["module", "name"]
        verbose_name = _("role")
        verbose_name_plural = _("roles")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("accounts:role_detail", args=[self.pk])


class RoleAssignment(models.Model):
    """A role given to a user, scoped to a unit subtree (or the whole pemda when unit is empty)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="role_assignments")
    role = models.ForeignKey(Role, on_delete=models.CASCADE, related_name="assignments")
    unit = models.ForeignKey(
        "organisasi.UnitKerja",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("unit scope"),
        help_text=_("Empty = the whole pemda."),
    )
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["role__name"]
        verbose_name = _("role assignment")
        verbose_name_plural = _("role assignments")

    def __str__(self):
        return f"{self.role} — {self.unit or _('whole pemda')}"

    @classmethod
    def active_q(cls, on) -> Q:
        return Q(valid_from__isnull=True) | Q(valid_from__lte=on), Q(valid_to__isnull=True) | Q(valid_to__gte=on)


class LoginAttempt(models.Model):
    username = models.CharField(max_length=150, db_index=True)
    ip = models.GenericIPAddressField(null=True, blank=True)
    time = models.DateTimeField(default=timezone.now, db_index=True)
    success = models.BooleanField(default=False)

    class Meta:
        indexes = [models.Index(fields=["ip", "time"])]

    def __str__(self):
        return f"{self.username} {'ok' if self.success else 'failed'} {self.time:%Y-%m-%d %H:%M}"


class UserSession(models.Model):
    """A signed-in browser session, so a user can see and end their own sessions."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="tracked_sessions")
    session_key = models.CharField(max_length=40, unique=True)
    ip = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=255, blank=True)
    created = models.DateTimeField(auto_now_add=True)
    last_seen = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-last_seen"]

    def __str__(self):
        return f"{self.user} {self.ip or ''}"


class ApiToken(models.Model):
    """A token for an integrating system. Only a hash is stored; the secret is shown once."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(max_length=12, unique=True)
    token_hash = models.CharField(max_length=64)
    scopes = models.JSONField(_("scopes"), default=list, help_text=_("Actions this token may use."))
    expires = models.DateTimeField(_("expires"))
    revoked = models.DateTimeField(_("revoked"), null=True, blank=True)
    last_used = models.DateTimeField(_("last used"), null=True, blank=True)
    last_used_ip = models.GenericIPAddressField(null=True, blank=True)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    def is_usable(self) -> bool:
        return self.revoked is None and self.expires > timezone.now()
