"""Tata naskah pages and API: who may configure, editing a template with preview, instructions list."""

from __future__ import annotations

import pytest
from conftest import login_as
from django.urls import reverse

from terpadu.core.audit import history
from terpadu.core.context import acting
from terpadu.naskah import tata
from terpadu.naskah.models import InstruksiDisposisi, JenisNaskah, TemplateNaskah

BODY = "<p>{{ hal }}</p>{% for p in paragraf %}<p>{{ p }}</p>{% endfor %}<p>{{ acara }}</p>"


def walk_objects(world) -> dict:
    """A kind, its pemda-wide template and an instruction for the route walker."""
    with acting(None, via="command"):
        jenis, _ = JenisNaskah.objects.get_or_create(kode="tata_uji", defaults={"nama": "Naskah Uji", "urutan": 99})
        template = tata.save_template(
            None, {"jenis": jenis, "unit": None, "nama": "Uji", "isi": BODY, "fields": [], "aktif": True}
        )
        instruksi = tata.save_instruksi(None, {"teks": "Tindak lanjuti (uji)"})
    return {"tata_jenis": jenis, "tata_template": template, "tata_instruksi": instruksi}


@pytest.fixture
def reference(db):
    with acting(None, via="command"):
        tata.load_reference()


def form_data(jenis, **overrides) -> dict:
    data = {
        "jenis": jenis.pk,
        "unit": "",
        "nama": "Surat Undangan Kota",
        "isi": BODY,
        "fields_text": "acara | Acara | textarea | required",
        "css": "p { margin: 0 }",
        "paper": "F4",
        "aktif": "on",
    }
    data.update(overrides)
    return data


def test_only_configurers_see_the_pages(client, city, reference):
    login_as(client, city.pimpinan)
    assert client.get(reverse("naskah:tata_jenis_list")).status_code == 403
    login_as(client, city.admin)
    page = client.get(reverse("naskah:tata_jenis_list"))
    assert page.status_code == 200
    assert "Surat Dinas" in page.text and "Lembar Disposisi" in page.text and "unconfirmed" in page.text


def test_admin_edits_a_template_and_its_version_and_history_grow(client, city, reference):
    login_as(client, city.admin)
    template = TemplateNaskah.objects.get(jenis__kode="surat_undangan", unit=None)
    old_body = template.isi
    response = client.post(reverse("naskah:tata_template_edit", args=[template.pk]), form_data(template.jenis))
    assert response.status_code == 302
    template.refresh_from_db()
    assert template.versi == 2 and template.isi == BODY and tata.paper_of(template) == "F4"
    assert template.fields == [{"name": "acara", "label": "Acara", "type": "textarea", "required": True}]
    event = history(template).first()
    assert event.action == "update" and event.changes["isi"] == [old_body, BODY]
    page = client.get(reverse("naskah:tata_template_edit", args=[template.pk]))
    assert "Version 2" in page.text and "acara | Acara | textarea | required" in page.text


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("<p>ok</p>\n{% load static %}", "Line 2: the tag {% load %} is not allowed"),
        ("{% include 'base.html' %}", "{% include %} is not allowed"),
        ("<p>{% if hal %}</p>", "Line 1: Unclosed tag"),
    ],
)
def test_a_bad_body_is_a_form_error_naming_the_line(client, city, reference, body, message):
    login_as(client, city.admin)
    template = TemplateNaskah.objects.get(jenis__kode="surat_dinas", unit=None)
    response = client.post(
        reverse("naskah:tata_template_edit", args=[template.pk]), form_data(template.jenis, isi=body)
    )
    assert response.status_code == 200 and message in response.text.replace("&#x27;", "'")
    template.refresh_from_db()
    assert template.versi == 1


def test_a_bad_field_line_is_a_form_error(client, city, reference):
    login_as(client, city.admin)
    jenis = JenisNaskah.objects.get(kode="memo")
    response = client.post(
        reverse("naskah:tata_template_create"), form_data(jenis, fields_text="Bad Name | x\nok | y | colour")
    )
    assert response.status_code == 200 and "Field 1: the name must be lowercase" in response.text
    assert not TemplateNaskah.objects.filter(nama="Surat Undangan Kota").exists()


def test_a_unit_template_is_created_and_a_second_active_one_refused(client, city, reference):
    login_as(client, city.admin)
    jenis = JenisNaskah.objects.get(kode="memo")
    url = reverse("naskah:tata_template_create")
    assert client.post(url, form_data(jenis, unit=city.dinas_a.pk)).status_code == 302
    again = client.post(url, form_data(jenis, unit=city.dinas_a.pk))
    assert again.status_code == 200 and "already has an active template" in again.text
    assert TemplateNaskah.objects.filter(jenis=jenis, unit=city.dinas_a).count() == 1


def test_preview_html_and_pdf(client, city, reference):
    login_as(client, city.admin)
    jenis = JenisNaskah.objects.get(kode="surat_undangan")
    url = reverse("naskah:tata_template_preview")
    fragment = client.post(url, form_data(jenis), HTTP_HX_REQUEST="true")
    assert fragment.status_code == 200 and "<iframe" in fragment.text and "[Acara]" in fragment.text
    assert 'sandbox=""' in fragment.text
    pdf = client.post(url, {**form_data(jenis), "format": "pdf"})
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF-")
    bad = client.post(url, form_data(jenis, isi="{% debug %}"))
    assert bad.status_code == 200 and "{% debug %} is not allowed" in bad.text
    saved = TemplateNaskah.objects.get(jenis=jenis, unit=None)
    assert client.get(reverse("naskah:tata_template_pdf", args=[saved.pk])).content.startswith(b"%PDF-")


def test_toggle_kind(client, city, reference):
    login_as(client, city.admin)
    jenis = JenisNaskah.objects.get(kode="memo")
    client.post(reverse("naskah:tata_jenis_toggle", args=[jenis.pk]))
    jenis.refresh_from_db()
    assert jenis.aktif is False and history(jenis).first().changes == {"aktif": [True, False]}


def test_instructions_add_rename_reorder_deactivate(client, city, reference):
    login_as(client, city.admin)
    url = reverse("naskah:tata_instruksi_list")
    assert client.post(url, {"teks": "Mohon saran"}).status_code == 302
    added = InstruksiDisposisi.objects.get(teks="Mohon saran")
    assert added.urutan > InstruksiDisposisi.objects.exclude(pk=added.pk).order_by("-urutan").first().urutan
    assert client.post(url, {"teks": ""}).status_code == 200  # form error, nothing added
    client.post(reverse("naskah:tata_instruksi_edit", args=[added.pk]), {"teks": "Mohon saran dan pendapat"})
    client.post(reverse("naskah:tata_instruksi_move", args=[added.pk]), {"arah": "naik"})
    order = list(InstruksiDisposisi.objects.order_by("urutan").values_list("teks", flat=True))
    assert order[-2] == "Mohon saran dan pendapat" and order[-1] == "Bicarakan dengan saya"
    client.post(reverse("naskah:tata_instruksi_toggle", args=[added.pk]))
    added.refresh_from_db()
    assert added.aktif is False and added.teks == "Mohon saran dan pendapat"
    assert "Mohon saran dan pendapat" in client.get(url).text


# -- API --------------------------------------------------------------------------------------------------


def test_api_kinds_and_instructions_for_everyone_signed_in(client, city, reference):
    login_as(client, city.staff_other)
    kinds = client.get("/api/v1/naskah/jenis/").json()
    codes = [row["kode"] for row in kinds["results"]]
    assert codes[:2] == ["surat_dinas", "nota_dinas"] and len(codes) == 16
    assert kinds["results"][0]["keyakinan"] == "unconfirmed"
    instructions = client.get("/api/v1/naskah/instruksi/").json()
    assert "Tindak lanjuti" in [row["teks"] for row in instructions["results"]]
    denied = client.get("/api/v1/naskah/template/")
    assert denied.status_code == 403 and denied.json()["error"]["status"] == 403
    client.logout()
    assert client.get("/api/v1/naskah/jenis/").status_code in (401, 403)


def test_api_templates_for_configurers(client, city, reference):
    login_as(client, city.admin)
    listing = client.get("/api/v1/naskah/template/").json()
    assert listing["count"] == 16
    template = TemplateNaskah.objects.get(jenis__kode="memo", unit=None)
    url = f"/api/v1/naskah/template/{template.pk}/"
    changed = client.patch(url, {"isi": BODY, "paper": "F4"}, content_type="application/json")
    assert changed.status_code == 200, changed.json()
    assert changed.json()["versi"] == 2 and changed.json()["paper"] == "F4"
    bad = client.patch(url, {"isi": "{% load static %}"}, content_type="application/json")
    assert bad.status_code == 400 and "not allowed" in str(bad.json()["error"]["details"])
    created = client.post(
        "/api/v1/naskah/template/",
        {
            "jenis": "memo",
            "unit": city.dinas_b.pk,
            "nama": "Memo Dinas Beta",
            "isi": BODY,
            "fields": [{"name": "acara", "label": "Acara", "type": "text"}],
        },
        content_type="application/json",
    )
    assert created.status_code == 201, created.json()
    assert created.json()["fields"] == [{"name": "acara", "label": "Acara", "type": "text", "required": False}]
    assert tata.template_for(template.jenis, city.dinas_b).nama == "Memo Dinas Beta"
