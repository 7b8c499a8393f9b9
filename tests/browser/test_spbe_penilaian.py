"""An OPD operator fills in its three indicators of the city's PEMDI 2026 self-assessment on a 360×740 phone.

The frameworks are loaded through the service; the admin-spbe opens the self-assessment of the year and makes
Dinas Alfa responsible for three indicators. The operator of Dinas Alfa reads the (provisional) index, gives each
indicator a score, a justification and an evidence PDF, submits it, and sees the index become what the engine
computes from the framework's weights for those scores. No page scrolls sideways; the database then holds the
three scores, the three evidence files and the audit trail of every step."""

from __future__ import annotations

import re
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.helpers import PHONE, horizontal_overflow, shoot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FRAMEWORK = "PEMDI_2026"
# A minimal valid PDF (the one of the arsip tests).
PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 612 792]>>endobj\n"
    b"xref\n0 4\n0000000000 65535 f \n0000000009 00000 n \n0000000052 00000 n \n0000000101 00000 n \n"
    b"trailer<</Size 4/Root 1 0 R>>\nstartxref\n164\n%%EOF\n"
)
# What the operator types for its three indicators (PEMDI 2026 scores are decimals 1.00–5.00).
ENTRIES = [
    ("3.75", "Perwali 7/2026 tentang Tata Kelola Pemerintah Digital telah ditetapkan.", "Perwali 7/2026"),
    ("4.5", "Seluruh ASN Dinas Alfa mengikuti pelatihan literasi digital 2026.", "Laporan pelatihan"),
    ("2.25", "Kebijakan pelindungan data pribadi masih berupa rancangan.", "Rancangan SOP PDP"),
]


def fits(page) -> bool:
    found = horizontal_overflow(page)
    assert found["scrollWidth"] <= PHONE["width"], f"{page.url} scrolls sideways: {found}"
    return True


def index_card(page):
    """The "Index" card of the assessment page (its big figure is the displayed index)."""
    return page.locator(".card-body").filter(has=page.locator(".subheader", has_text=re.compile(r"^\s*Index\s*$")))


def expected_index(model, kerangka, typed: dict[int, str]) -> Decimal:
    """The index the engine gives for the framework's weights when only `typed` is filled in: the other
    indicators count at the scale minimum, external-index ones without a value as 1 (the assessors' rule)."""
    from terpadu.spbe import engine_evaluasi as engine

    scores = {}
    for ind in model.indikator:
        if ind.nomor in typed:
            scores[ind.nomor] = Decimal(typed[ind.nomor])
        elif ind.eksternal:
            scores[ind.nomor] = engine.EXTERNAL_MISSING
        else:
            scores[ind.nomor] = kerangka.nilai_min
    return engine.index(model.indikator, scores)


@pytest.fixture
def assessment(city):
    """Frameworks loaded; admin-spbe opened the PEMDI self-assessment of the year and made Dinas Alfa responsible
    for three indicators (the first one that is not scored from an external index in each of the first three
    aspects); staf.alfa is the operator-opd of Dinas Alfa."""
    from terpadu.accounts import services as access
    from terpadu.accounts.models import Role
    from terpadu.core import authz
    from terpadu.core.context import acting
    from terpadu.spbe import services_evaluasi as sv

    with acting(None, via="command"):
        kerangka = {k.kode: k for k, _outcome in sv.muat_semua()}[FRAMEWORK]
        access.assign_role(city.staff_same, Role.objects.get(code="operator-opd"), city.dinas_a)
        access.assign_role(city.admin, Role.objects.get(code="admin-spbe"))
    for user in (city.staff_same, city.admin):
        authz.forget(user)
    assert authz.has_action(city.admin, "spbe.configure")

    tahun = max(timezone.localdate().year, kerangka.tahun_mulai)
    if kerangka.tahun_selesai:
        tahun = min(tahun, kerangka.tahun_selesai)
    model = sv.model_of(kerangka)
    chosen = []
    for aspek in sorted({i.aspek for i in model.indikator})[:3]:
        chosen.append(next(i for i in model.indikator if i.aspek == aspek and not i.eksternal).nomor)
    with acting(city.admin, via="web"):
        penilaian = sv.buat_penilaian(kerangka, tahun, city.admin)
        rows = {n.indikator.nomor: n for n in penilaian.nilai.select_related("indikator")}
        for nomor in chosen:
            rows[nomor] = sv.tetapkan(rows[nomor], unit=city.dinas_a, user=city.admin)

    operator = city.staff_same
    for nomor in chosen:
        assert authz.can(operator, "spbe.assess", rows[nomor])
    assert not authz.can(operator, "spbe.assess", next(n for k, n in rows.items() if k not in chosen))
    return SimpleNamespace(
        city=city, kerangka=kerangka, model=model, penilaian=penilaian, tahun=tahun, operator=operator,
        rows={nomor: rows[nomor] for nomor in chosen},
    )  # fmt: skip


def test_an_opd_operator_scores_three_indicators_with_evidence_and_sees_the_index_change(
    phone, assessment, settings, tmp_path
):
    from terpadu.core import audit
    from terpadu.spbe import engine_evaluasi as engine
    from terpadu.spbe import services_evaluasi as sv
    from terpadu.spbe.models import BuktiDukung, NilaiIndikator

    settings.MEDIA_ROOT = str(tmp_path / "media")
    a = assessment
    operator, penilaian, model = a.operator, a.penilaian, a.model
    typed = {nomor: entry[0] for nomor, entry in zip(a.rows, ENTRIES, strict=True)}
    unfilled = sum(1 for i in model.indikator if not i.eksternal)
    before = expected_index(model, a.kerangka, {})
    after = expected_index(model, a.kerangka, typed)
    assert engine.tampil(after) != engine.tampil(before)  # the scenario must move the displayed index

    sign_in(phone, operator.username)
    expect(phone.get_by_role("button", name="Sign in")).to_have_count(0)
    phone.goto("/spbe/evaluasi/")
    phone.locator("tr").filter(has_text=FRAMEWORK).get_by_role("link", name=str(a.tahun), exact=True).click()
    expect(phone).to_have_url(re.compile(rf"/spbe/evaluasi/{penilaian.pk}/$"))

    # The provisional index: every indicator still at the lowest level.
    expect(index_card(phone).locator(".h1")).to_have_text(f"{engine.tampil(before)}")
    expect(
        phone.get_by_text(f"Provisional: {unfilled} unfilled indicators counted at the lowest level.")
    ).to_be_visible()
    for n in a.rows.values():  # the operator's three indicators, each waiting for it
        row = phone.locator("tr").filter(has=phone.get_by_role("link", name=n.indikator.nama, exact=True))
        expect(row.get_by_text("yours to fill")).to_be_visible()
    shoot(phone, "360-spbe-penilaian-before")
    assert fits(phone)

    for (nomor, n), (skor, justifikasi, keterangan) in zip(a.rows.items(), ENTRIES, strict=True):
        phone.get_by_role("link", name=n.indikator.nama, exact=True).click()
        expect(phone).to_have_url(re.compile(rf"/spbe/evaluasi/nilai/{n.pk}/$"))
        phone.get_by_role("textbox", name=re.compile(r"^Level \/ score")).fill(skor)
        phone.get_by_label("Justification").fill(justifikasi)
        phone.get_by_role("button", name="Save", exact=True).click()
        expect(phone.get_by_text("Saved.", exact=True)).to_be_visible()
        expect(phone.get_by_role("textbox", name=re.compile(r"^Level \/ score"))).to_have_value(
            re.compile(rf"^{re.escape(f'{Decimal(skor):.2f}')}$")
        )

        phone.get_by_label("Description").fill(keterangan)
        phone.get_by_label(re.compile(r"^File \(PDF")).set_input_files(
            {"name": f"bukti-{nomor}.pdf", "mimeType": "application/pdf", "buffer": PDF}
        )
        phone.get_by_role("button", name="Upload", exact=True).click()
        expect(phone.get_by_text("Evidence added.", exact=True)).to_be_visible()
        expect(phone.locator(".list-group-item").filter(has_text=keterangan)).to_contain_text(f"bukti-{nomor}.pdf")
        shoot(phone, f"360-spbe-nilai-{nomor}")
        assert fits(phone)

        phone.get_by_role("button", name="Submit for review").click()
        expect(phone.get_by_text("Submitted for review.", exact=True)).to_be_visible()
        expect(phone.get_by_role("button", name="Upload", exact=True)).to_have_count(0)  # no longer editable
        assert fits(phone)
        phone.get_by_role("link", name=str(penilaian), exact=True).click()
        expect(phone).to_have_url(re.compile(rf"/spbe/evaluasi/{penilaian.pk}/$"))

    # The index is now the engine's value for these scores (the rest still provisional).
    expect(index_card(phone).locator(".h1")).to_have_text(f"{engine.tampil(after)}")
    expect(
        phone.get_by_text(f"Provisional: {unfilled - len(typed)} unfilled indicators counted at the lowest level.")
    ).to_be_visible()
    expect(phone.get_by_text("yours to fill")).to_have_count(0)
    shoot(phone, "360-spbe-penilaian-after")
    assert fits(phone)

    # The database: three scores, three evidence files, the audit trail of each step.
    assert sv.hitung(penilaian)["indeks"] == after
    nilai = {n.indikator.nomor: n for n in NilaiIndikator.objects.filter(penilaian=penilaian, nilai__isnull=False)}
    assert set(nilai) == set(a.rows)
    for nomor, (skor, justifikasi, keterangan) in zip(a.rows, ENTRIES, strict=True):
        row = nilai[nomor]
        assert (row.nilai, row.justifikasi) == (Decimal(skor), justifikasi)
        assert row.status == NilaiIndikator.Status.DIAJUKAN and row.unit == a.city.dinas_a
        bukti = BuktiDukung.objects.get(nilai=row)
        assert (bukti.keterangan, bukti.penyedia, bukti.status) == (keterangan, "", BuktiDukung.Status.DRAFT)
        assert bukti.file.original_name == f"bukti-{nomor}.pdf" and bukti.file.content_type == "application/pdf"
        assert bukti.file.uploaded_by == operator and bukti.file.file.read() == PDF

        history = audit.history(row)
        filled = history.get(action="spbe.nilai_diisi")
        assert filled.actor_id == operator.pk and filled.via == "web"
        assert Decimal(filled.changes["nilai"][1]) == Decimal(skor) and filled.changes["justifikasi"][1] == justifikasi
        submitted = history.get(action="spbe.nilai_diajukan")
        assert submitted.actor_id == operator.pk and submitted.changes["status"] == ["draft", "diajukan"]
        added = audit.history(bukti).get(action="spbe.bukti_ditambahkan")
        assert added.actor_id == operator.pk and added.changes["file"][1] == bukti.file.sha256
    assert BuktiDukung.objects.filter(nilai__penilaian=penilaian).count() == 3
    assert audit.history(penilaian).filter(action="spbe.penilaian_dibuka", actor_id=a.city.admin.pk).exists()
    assert audit.verify().ok
