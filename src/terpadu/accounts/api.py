"""Read API of users and roles for integrators holding accounts.view."""

from __future__ import annotations

from rest_framework import mixins, serializers

from terpadu.accounts.models import Role, RoleAssignment, User
from terpadu.core import authz
from terpadu.core.api import GatedViewSet, GatePermission
from terpadu.core.drf import token_allows


class RoleSerializer(serializers.ModelSerializer):
    class Meta:
        model = Role
        fields = ["id", "code", "name", "module", "description", "actions", "requires_2fa", "auto_assign", "auto_scope"]


class AssignmentSerializer(serializers.ModelSerializer):
    role = serializers.CharField(source="role.code")
    unit_kode = serializers.CharField(source="unit.kode", default=None)

    class Meta:
        model = RoleAssignment
        fields = ["id", "role", "unit", "unit_kode", "valid_from", "valid_to"]


class UserSerializer(serializers.ModelSerializer):
    nip = serializers.CharField(source="pegawai.nip", default=None)
    role_assignments = AssignmentSerializer(many=True, read_only=True)

    class Meta:
        model = User
        fields = [
            "id",
            "username",
            "first_name",
            "last_name",
            "email",
            "is_active",
            "pegawai",
            "nip",
            "role_assignments",
            "last_login",
        ]


class OwnRecordOrGate(GatePermission):
    """Anyone signed in may read their own user record, as on the web page; the queryset, restricted
    through the gate, answers 404 for every other record the caller may not view."""

    def has_permission(self, request, view) -> bool:
        if getattr(view, "action", None) == "retrieve" and request.user and request.user.is_authenticated:
            return token_allows(request, "accounts.view")
        return super().has_permission(request, view)


class UserViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, GatedViewSet):
    permission_classes = [OwnRecordOrGate]
    queryset = (
        User.objects.select_related("pegawai")
        .prefetch_related("role_assignments__role", "role_assignments__unit")
        .order_by("username")
    )
    serializer_class = UserSerializer
    gate_actions = {"list": "accounts.view", "retrieve": "accounts.view"}


class RoleViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, GatedViewSet):
    queryset = Role.objects.order_by("code")
    serializer_class = RoleSerializer
    gate_actions = {"list": "accounts.view", "retrieve": "accounts.view"}

    def get_queryset(self):
        # Roles are definitions, not data of a unit: visible to anyone holding accounts.view.
        if authz.has_action(self.request.user, "accounts.view"):
            return Role.objects.order_by("code")
        return Role.objects.none()
