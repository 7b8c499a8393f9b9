"""Tata naskah services: the reference loader, template validation and versions, template choice per unit,
disposition instructions, the management command and the demo seed."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from terpadu.core.audit import history
from terpadu.core.context import acting
from terpadu.naskah import demo_tata, tata
from terpadu.naskah.models import InstruksiDisposisi, JenisNaskah, TemplateNaskah

REQUIRED_KINDS = {
    "surat_dinas",
    "nota_dinas",
    "surat_undangan",
    "surat_edaran",
    "surat_perintah",
    "surat_tugas",
    "keputusan",
    "instruksi",
    "memo",
    "berita_acara",
    "surat_keterangan",
    "surat_kuasa",
    "telaahan_staf",
    "laporan",
    "pengumuman",
    "lembar_disposisi",
}


@pytest.fixture
def system():
    with acting(None, via="command"):
        yield


def counts() -> tuple[int, int, int]:
    return JenisNaskah.objects.count(), TemplateNaskah.objects.count(), InstruksiDisposisi.objects.count()


def test_reference_rows_are_complete_and_marked():
    rows = tata.jenis_reference()
    assert REQUIRED_KINDS <= set(rows)
    for row in rows.values():
        assert row["sumber"] and row["keyakinan"] in ("confirmed", "unconfirmed")
        assert tata.shipped_template(row["kode"]) is not None
        tata.validate_body(tata.shipped_template(row["kode"])["isi"])
        tata.validate_fields(tata.shipped_template(row["kode"])["fields"])
    assert {"Tindak lanjuti", "Hadiri / wakili", "Arsipkan", "Bicarakan dengan saya"} <= {
        row["teks"] for row in tata.instruksi_reference().values()
    }


def test_loader_is_idempotent(db, system):
    first = tata.load_reference()
    assert first == {"jenis": 16, "template": 16, "instruksi": 12}
    assert counts() == (16, 16, 12)
    assert tata.load_reference() == {"jenis": 0, "template": 0, "instruksi": 0}
    assert counts() == (16, 16, 12)
    surat_tugas = JenisNaskah.objects.get(kode="surat_tugas")
    assert (surat_tugas.klasifikasi_bawaan, surat_tugas.keluar, surat_tugas.singkatan) == ("800.1.11.1", False, "ST")
    assert tata.paper_of(TemplateNaskah.objects.get(jenis__kode="keputusan")) == "F4"


def test_loader_keeps_local_changes_unless_asked_to_update(db, system):
    tata.load_reference()
    memo = JenisNaskah.objects.get(kode="memo")
    JenisNaskah.objects.filter(pk=memo.pk).update(nama="Memo Lokal")
    template = TemplateNaskah.objects.get(jenis=memo)
    tata.save_template(template, {"isi": "<p>{{ hal }}</p>"})
    tata.load_reference()
    assert JenisNaskah.objects.get(pk=memo.pk).nama == "Memo Lokal"
    assert TemplateNaskah.objects.get(pk=template.pk).isi == "<p>{{ hal }}</p>"
    changed = tata.load_reference(update=True)
    assert changed == {"jenis": 1, "template": 1, "instruksi": 0}
    template.refresh_from_db()
    assert template.isi == tata.shipped_template("memo")["isi"] and template.versi == 3
    assert JenisNaskah.objects.get(pk=memo.pk).nama == "Memo"


def test_command_and_demo_seed(db):
    out = io.StringIO()
    call_command("naskah", "load-reference", stdout=out)
    assert "16 kinds, 16 templates, 12 instructions" in out.getvalue()
    demo_tata.seed(dt.date(2026, 1, 5))
    demo_tata.seed(dt.date(2026, 1, 6))
    assert counts() == (16, 16, 12)


# -- template validation ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "tag",
    [
        "{% load static %}",
        "{% include 'base.html' %}",
        "{% extends 'base.html' %}",
        "{% ssi '/etc/passwd' %}",
        "{% debug %}",
        "{% url 'core:home' %}",
        "{% csrf_token %}",
        "{% templatetag openblock %}",
        "{% filter upper %}x{% endfilter %}",
        "{% block x %}{% endblock %}",
        "{% regroup a by b as c %}",
    ],
)
def test_forbidden_tags_are_refused_with_their_line(tag):
    word = tag.split()[1]
    with pytest.raises(ValidationError) as caught:
        tata.validate_body(f"<p>satu</p>\n<p>dua</p>\n{tag}")
    assert f"Line 3: the tag {{% {word} %}} is not allowed" in caught.value.message_dict["isi"][0]


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("<p>\n{% if hal %}\n</p>", "Line 2: Unclosed tag"),
        ("<p>{{ hal|nonexistent }}</p>", "Line 1: Invalid filter: 'nonexistent'"),
        ("<p>\n\n{% for x %}{% endfor %}</p>", "Line 3:"),
        ("{{ hal|safe }}", "Line 1: the filter 'safe' is not allowed"),
        ('{{ hal|center:"999999999" }}', "Line 1: the filter 'center' is not allowed"),
        ("{% autoescape off %}{{ hal }}{% endautoescape %}", "autoescaping cannot be switched off"),
    ],
)
def test_syntax_errors_name_the_line(body, expected):
    with pytest.raises(ValidationError) as caught:
        tata.validate_body(body)
    assert expected in caught.value.message_dict["isi"][0]


def test_allowed_tags_render_with_plain_values_escaped():
    body = (
        "{% with n=tujuan|length %}{{ n }}{% endwith %}{% for t in tujuan %}[{{ t.nama }}]{% endfor %}"
        "{% if not kosong %}-{% endif %}{% firstof kosong 'x' %}{% spaceless %} <b> </b> {% endspaceless %}"
        "{% comment %}no{% endcomment %}{% autoescape on %}{{ hal }}{% endautoescape %}"
    )
    tata.validate_body(body)
    out = tata.render_body(body, {"tujuan": [{"nama": "A&B"}], "hal": "<i>", "kosong": ""})
    assert out == "1[A&amp;B]-x<b></b>&lt;i&gt;"


def test_context_objects_are_reduced_to_text(db, city):
    """A model instance slipped into a context shows as its text: no attribute of it can be reached."""
    out = tata.render_body("{{ unit.pk }}|{{ unit }}", {"unit": city.dinas_a})
    assert out == "|Dinas Alfa"


def test_field_definitions_are_validated():
    assert tata.validate_fields([{"name": "acara", "label": "", "type": "date", "required": 1}]) == [
        {"name": "acara", "label": "acara", "type": "date", "required": True}
    ]
    for bad in (
        [{"name": "Acara"}],
        [{"name": "hal"}],
        [{"name": "a"}, {"name": "a"}],
        [{"name": "a", "type": "file"}],
        "acara",
    ):
        with pytest.raises(ValidationError):
            tata.validate_fields(bad)


def test_css_import_is_refused(db, system):
    tata.load_reference()
    template = TemplateNaskah.objects.get(jenis__kode="memo")
    with pytest.raises(ValidationError):
        tata.save_template(template, {"css": "@import url('http://example.com/x.css');"})
    template.refresh_from_db()
    assert template.versi == 1


# -- versions, audit and the choice of template per unit -------------------------------------------------


def test_each_save_bumps_the_version_and_audits_the_old_body(db, system):
    tata.load_reference()
    template = TemplateNaskah.objects.get(jenis__kode="memo")
    old = template.isi
    tata.save_template(template, {"isi": "<p>{{ hal }}</p>", "paper": "F4"})
    template.refresh_from_db()
    assert template.versi == 2 and tata.paper_of(template) == "F4"
    event = history(template).first()
    assert event.action == "update" and event.changes["isi"] == [old, "<p>{{ hal }}</p>"]


def test_template_for_prefers_the_unit_then_its_ancestors_then_the_pemda(db, city, system):
    tata.load_reference()
    memo = JenisNaskah.objects.get(kode="memo")
    pemda_wide = tata.template_for(memo, city.bidang_a)
    assert pemda_wide.unit is None
    dinas = tata.save_template(None, {"jenis": memo, "unit": city.dinas_a, "nama": "Memo Alfa", "isi": "<p>a</p>"})
    assert tata.template_for(memo, city.bidang_a) == dinas  # the ancestor's
    assert tata.template_for(memo, city.dinas_b) == pemda_wide
    bidang = tata.save_template(None, {"jenis": memo, "unit": city.bidang_a, "nama": "Memo Bidang", "isi": "<p>b</p>"})
    assert tata.template_for(memo, city.bidang_a) == bidang  # the unit's own wins
    tata.save_template(bidang, {"aktif": False})
    assert tata.template_for(memo, city.bidang_a) == dinas
    assert tata.template_for(memo, None) == pemda_wide


# -- instructions -------------------------------------------------------------------------------------------


def test_instruction_services_are_audited(db, system):
    tata.load_reference()
    added = tata.save_instruksi(None, {"teks": "Tindak lanjuti"})
    assert added.kode == "tindak-lanjuti-2"
    with pytest.raises(ValidationError):
        tata.save_instruksi(None, {"teks": "  "})
    tata.move_instruksi(added, -1)
    assert list(InstruksiDisposisi.objects.values_list("urutan", flat=True)) == list(range(10, 140, 10))
    assert InstruksiDisposisi.objects.order_by("urutan").values_list("pk", flat=True)[11] == added.pk
    assert history(added).first().changes["urutan"] == [130, 120]


# -- packaging ----------------------------------------------------------------------------------------------


def test_fonts_and_data_are_package_files():
    """hatch builds the wheel from src/terpadu (pyproject: packages = ["src/terpadu"]), which takes every
    file under it that git does not ignore; nothing here may be ignored."""
    import subprocess

    root = Path(tata.__file__).resolve().parents[3]
    package = Path(tata.__file__).resolve().parent
    files = [
        package / "fonts" / "LiberationSerif-Regular.ttf",
        package / "fonts" / "LICENSE-OFL-1.1.txt",
        package / "data" / "jenis_naskah.csv",
        package / "data" / "templates" / "surat_dinas.html",
    ]
    for path in files:
        assert path.exists()
    ignored = subprocess.run(
        ["git", "check-ignore", *map(str, files)], cwd=root, capture_output=True, text=True, check=False
    )
    assert ignored.stdout.strip() == ""


@pytest.mark.skipif(not Path("/tmp/terpadu-tata-wheel").exists(), reason="build a wheel there to check it")
def test_built_wheel_contains_the_fonts():
    wheel = next(Path("/tmp/terpadu-tata-wheel").glob("*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    assert "terpadu/naskah/fonts/LiberationSans-Bold.ttf" in names
    assert "terpadu/naskah/data/templates/keputusan.json" in names
