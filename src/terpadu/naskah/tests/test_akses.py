# ruff: noqa: F811  (pytest fixtures imported from test_keluar_fixtures)
"""Secret naskah are hidden from non-parties on every path; explicit grants open and close them."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from terpadu.naskah import paket, services
from terpadu.naskah.models import PihakNaskah
from terpadu.naskah.tests.test_keluar_fixtures import ca, keluar, make_draft, signed  # noqa: F401

pytestmark = pytest.mark.django_db


@pytest.fixture
def outsider(keluar):
    """An auditor (naskah.view on the whole pemda) who is not a party to anything."""
    from conftest import make_pegawai

    from terpadu.accounts import services as access
    from terpadu.accounts.models import Role
    from terpadu.core.context import acting
    from terpadu.organisasi import services as org

    with acting(None, via="command"):
        user = access.create_user("auditor", "Rahasia-Uji-12345", pegawai=make_pegawai(org, "Auditor", None))
        access.assign_role(user, Role.objects.get(code="auditor"))
    return user


def _paths(client, naskah):
    return {
        "detail": client.get(f"/naskah/{naskah.pk}/").status_code,
        "dokumen": client.get(f"/naskah/{naskah.pk}/dokumen/").status_code,
        "paket": client.get(f"/naskah/{naskah.pk}/paket/").status_code,
        "api": client.get(f"/api/v1/naskah/keluar/{naskah.pk}/").status_code,
        "api_paket": client.get(f"/api/v1/naskah/keluar/{naskah.pk}/paket/").status_code,
    }


def test_a_secret_naskah_is_hidden_from_non_parties_on_every_path(keluar, ca, outsider, client):
    from conftest import login_as

    from terpadu.core import authz

    secret = signed(keluar, sifat="rahasia", hal="Rahasia negara")
    ordinary = signed(keluar, hal="Surat biasa")
    login_as(client, keluar.city.pimpinan)  # the signer: a party
    assert set(_paths(client, secret).values()) == {200}

    client.logout()
    login_as(client, outsider)
    assert authz.has_action(outsider, "naskah.view")
    assert set(_paths(client, secret).values()) == {404}
    assert _paths(client, ordinary)["detail"] == 200  # open naskah of the unit are visible by scope
    listing = client.get("/api/v1/naskah/keluar/").json()
    ids = {row["id"] for row in listing["results"]}
    assert ordinary.pk in ids and secret.pk not in ids
    assert not paket.may_export(secret, outsider)
    for page in ("/naskah/terkirim/", "/naskah/konsep/"):
        assert "Rahasia negara" not in client.get(page).content.decode()


def test_a_grant_opens_a_secret_naskah_until_revoked(keluar, ca, outsider, client):
    from conftest import login_as

    secret = signed(keluar, sifat="rahasia")
    with pytest.raises(PermissionDenied):
        services.grant_access(secret, keluar.drafter, outsider.pegawai, "Audit")
    with pytest.raises(ValidationError):
        services.grant_access(secret, keluar.signer, outsider.pegawai, "")
    akses = services.grant_access(secret, keluar.signer, outsider.pegawai, "Pemeriksaan inspektorat", dt.date.today())
    assert secret.pihak.filter(peran=PihakNaskah.Peran.AKSES, pegawai=outsider.pegawai).exists()
    login_as(client, outsider)
    assert client.get(f"/naskah/{secret.pk}/").status_code == 200

    services.revoke_access(akses, keluar.signer)
    assert client.get(f"/naskah/{secret.pk}/").status_code == 404
    from terpadu.core.models import AuditEvent

    actions = set(
        AuditEvent.objects.filter(object_type="naskah.naskah", object_id=str(secret.pk)).values_list(
            "action", flat=True
        )
    )
    assert {"grant", "revoke_grant"} <= actions


def test_expired_grants_are_removed(keluar, ca, outsider):
    secret = signed(keluar, sifat="rahasia")
    services.grant_access(secret, keluar.signer, outsider.pegawai, "Sementara", dt.date.today())
    assert services.expire_grants(dt.date.today() + dt.timedelta(days=1)) == 1
    assert not secret.pihak.filter(peran=PihakNaskah.Peran.AKSES).exists()


def test_a_secret_draft_is_hidden_from_the_unit_and_shown_to_its_chain(keluar, outsider, client):
    from conftest import login_as

    draft = services.submit(make_draft(keluar, sifat="sangat_rahasia"), keluar.drafter)
    login_as(client, outsider)
    assert client.get(f"/naskah/{draft.pk}/").status_code == 404
    client.logout()
    login_as(client, keluar.kabid)  # the verifier
    assert client.get(f"/naskah/{draft.pk}/").status_code == 200
    assert draft.pk in [n.pk for n in client.get("/naskah/perlu-paraf/").context["page"]]
