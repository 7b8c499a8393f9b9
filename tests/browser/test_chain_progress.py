"""An OPD operator reports this month's physical progress of a sub kegiatan on a 360×740 phone: the figure, what
was done and a photo from the camera; the page shows the saved month with its thumbnail and never scrolls sideways.
The database then holds the ProgresFisik row and the audit trail its events."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.helpers import PHONE, horizontal_overflow, shoot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PERSEN = "62.5"
NARASI = "Switch terpasang di 12 OPD; uji koneksi SPLP berjalan."
CAPTION = "Rak jaringan lantai 2"


def fits(page) -> bool:
    found = horizontal_overflow(page)
    assert found["scrollWidth"] <= PHONE["width"], f"{page.url} scrolls sideways: {found}"
    return True


@pytest.fixture
def operator(city, chain):
    """staf.alfa as the OPD operator of Dinas Alfa (realisasi.progress over its sub kegiatan)."""
    from terpadu.accounts import services as access
    from terpadu.accounts.models import Role
    from terpadu.core import authz
    from terpadu.core.context import acting

    with acting(None, via="command"):
        access.assign_role(city.staff_same, Role.objects.get(code="operator-opd"), city.dinas_a)
    authz.forget(city.staff_same)
    assert authz.can(city.staff_same, "realisasi.progress", chain.sub)
    return city.staff_same


@pytest.fixture
def photo(tmp_path):
    from PIL import Image

    path = tmp_path / "progres.jpg"
    Image.new("RGB", (64, 48), (30, 120, 200)).save(path, "JPEG")
    return path


def test_an_opd_operator_reports_this_months_progress_with_a_photo_on_a_phone(
    phone, chain, operator, photo, settings, tmp_path
):
    from terpadu.core import audit
    from terpadu.realisasi.models import FotoProgres, ProgresFisik

    settings.MEDIA_ROOT = str(tmp_path / "media")
    today = timezone.localdate()
    bulan = today.month if today.year == chain.tahun else 12  # this month (or the budget year's last one)
    sub = chain.sub

    sign_in(phone, operator.username)
    expect(phone.get_by_role("button", name="Sign in")).to_have_count(0)
    phone.goto(f"/realisasi/progres/{sub.pk}/")
    expect(phone.get_by_text(sub.sub_kegiatan.nama)).to_be_visible()
    expect(phone.get_by_text("No progress reported yet.")).to_be_visible()
    assert fits(phone)

    phone.get_by_label("Month", exact=True).select_option(str(bulan))
    phone.get_by_role("spinbutton", name="Cumulative physical progress (%)").fill(PERSEN)
    phone.get_by_label("What was done").fill(NARASI)
    phone.get_by_label("Photos", exact=True).set_input_files(str(photo))
    phone.get_by_label("Photo caption", exact=True).fill(CAPTION)
    shoot(phone, "360-progres-form")
    phone.get_by_role("button", name="Save progress").click()

    month = f"{bulan:02d}/{sub.tahun}"
    expect(phone.get_by_text(f"The progress of {month} was saved.")).to_be_visible()
    card = phone.locator(".card").filter(has_text=month).filter(has_text=NARASI)
    expect(card).to_have_count(1)
    expect(card.locator(".badge")).to_have_text(re.compile(r"^62\.50\s?%$"))
    thumbnail = card.get_by_role("img", name=CAPTION)
    expect(thumbnail).to_be_visible()
    expect(thumbnail).to_have_attribute("src", re.compile(r"/realisasi/foto/\d+/\?thumb=1$"))
    phone.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=thumbnail.element_handle())
    shoot(phone, "360-progres-saved")
    assert fits(phone)

    progres = ProgresFisik.objects.get(sub_kegiatan=sub, bulan=bulan)
    assert (progres.persen, progres.narasi, progres.tahun) == (Decimal(PERSEN), NARASI, sub.tahun)
    assert progres.dilaporkan_oleh == operator and progres.unit == sub.unit
    foto = FotoProgres.objects.get(progres=progres)
    assert foto.keterangan == CAPTION and foto.file.content_type == "image/jpeg"
    reported = audit.history(progres).get(action="realisasi.progres_dilaporkan")
    assert reported.actor_id == operator.pk and reported.via == "web"
    assert reported.changes["persen"][1] in (PERSEN, "62.50")
    assert audit.history(foto).filter(action="realisasi.foto_ditambahkan", actor_id=operator.pk).exists()
    assert audit.verify().ok
