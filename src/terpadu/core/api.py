"""API building blocks for module viewsets. The DRF settings classes live in core.drf."""

from __future__ import annotations

from rest_framework import viewsets

from terpadu.core import authz
from terpadu.core.drf import (  # noqa: F401  (re-exported for modules)
    SIGNED_IN,
    GatePermission,
    Pagination,
    error_body,
    exception_handler,
    json_error,
)


class GatedViewSet(viewsets.GenericViewSet):
    """Base for module API viewsets: the queryset is always restricted through the gate."""

    gate_actions: dict[str, str] = {}

    def get_queryset(self):
        queryset = super().get_queryset()
        action = GatePermission().action_for(self.request, self)
        return authz.restrict(queryset, self.request.user, action) if action else queryset.none()
