"""Audit events say who acted, in which position (Plt./Plh. included), for which request."""

import datetime as dt

from conftest import login_as

from terpadu.core.context import acting
from terpadu.core.models import AuditEvent
from terpadu.organisasi import services as org


def test_an_event_names_the_acting_position_of_a_plt(city):
    today = dt.date.today()
    with acting(None):
        org.assign_acting(
            city.pegawai_same, city.kepala_b, "plt", today - dt.timedelta(days=1), today + dt.timedelta(days=10)
        )
    with acting(city.staff_same, via="web"):
        org.update_unit(city.dinas_b, {"alamat": "Jl. Baru 1"})
    event = AuditEvent.objects.order_by("-seq").first()
    assert event.actor_username == "staf.alfa"
    assert "Plt. Kepala Dinas Beta" in event.acting_as
    assert "Pengelola Alfa" in event.acting_as


def test_a_web_change_carries_the_request_id_and_address(client, city):
    login_as(client, city.admin)
    response = client.post(
        f"/organisasi/unit/{city.dinas_b.pk}/ubah/",
        {
            "parent": city.root.pk,
            "kode": "400.2",
            "nama": "Dinas Beta Baru",
            "jenis": "dinas",
        },
        HTTP_X_REQUEST_ID="req-uji-123",
        REMOTE_ADDR="10.1.2.3",
    )
    assert response.status_code == 302
    event = AuditEvent.objects.order_by("-seq").first()
    assert event.changes["nama"] == ["Dinas Beta", "Dinas Beta Baru"]
    assert event.request_id == "req-uji-123"
    assert event.ip == "10.1.2.3"
    assert event.via == "web"
    assert event.actor_username == "admin"
