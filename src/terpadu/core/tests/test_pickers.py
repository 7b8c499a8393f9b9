"""Pickers: typing a name or NIP offers the matching objects the user may see; the form posts the pk."""

import pytest
from conftest import login_as

from terpadu.core import pickers
from terpadu.organisasi.models import Pegawai


def test_it_offers_matching_pegawai_by_name_and_nip(client, city):
    login_as(client, city.staff_same)
    page = client.get("/pilih/pegawai/", {"q": "Staf"}).content.decode()
    assert f'data-value="{city.pegawai_same.pk}"' in page
    assert f'data-value="{city.pegawai_other.pk}"' in page
    page = client.get("/pilih/pegawai/", {"q": city.pegawai_other.nip[:10]}).content.decode()
    assert f'data-value="{city.pegawai_other.pk}"' in page
    assert f'data-value="{city.pegawai_same.pk}"' not in page


def test_it_offers_nothing_for_an_empty_query(client, city):
    login_as(client, city.staff_same)
    response = client.get("/pilih/pegawai/", {"q": "  "})
    assert response.status_code == 200
    assert "data-value" not in response.content.decode()


def test_an_unknown_picker_is_404(client, city):
    login_as(client, city.staff_same)
    assert client.get("/pilih/tidak-ada/", {"q": "a"}).status_code == 404


@pytest.fixture
def export_picker():
    pickers.register_picker(pickers.Picker("test-export", Pegawai, "organisasi.export", "pegawai"))
    yield
    pickers.PICKERS.pop("test-export")


def test_the_options_pass_the_gate(client, city, export_picker):
    login_as(client, city.staff_same)
    assert client.get("/pilih/test-export/", {"q": "Staf"}).status_code == 403
    login_as(client, city.pimpinan)
    page = client.get("/pilih/test-export/", {"q": "Staf"}).content.decode()
    assert f'data-value="{city.pegawai_same.pk}"' in page  # Dinas Alfa: in the pimpinan's scope
    assert f'data-value="{city.pegawai_other.pk}"' not in page  # Dinas Beta: outside it


def test_the_acting_form_uses_a_picker_that_posts_the_pk(client, city):
    login_as(client, city.admin)
    page = client.get(f"/organisasi/jabatan/{city.kepala_b.pk}/").content.decode()
    assert "data-picker" in page and 'hx-get="/pilih/pegawai/"' in page
    response = client.post(
        f"/organisasi/jabatan/{city.kepala_b.pk}/",
        {
            "pegawai": city.pegawai_same.pk,
            "jenis": "plh",
            "mulai": "2026-01-05",
            "selesai": "2026-01-09",
        },
    )
    assert response.status_code == 302
    assert city.kepala_b.penugasan_sementara.get().pegawai == city.pegawai_same


def test_a_form_shown_again_keeps_the_chosen_label(client, city):
    login_as(client, city.admin)
    response = client.post(
        f"/organisasi/jabatan/{city.kepala_b.pk}/",
        {
            "pegawai": city.pegawai_same.pk,
            "jenis": "plh",
            "mulai": "2026-01-09",
            "selesai": "2026-01-05",
        },
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert f'value="{city.pegawai_same.nama_lengkap} — {city.pegawai_same.nip}"' in page
