"""A tour of the main pages on a 360-px phone and on a desktop: nothing may need horizontal scrolling.

With TERPADU_SHOTS=/tmp/terpadu-shots the tour also saves a full-page screenshot of every page.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import horizontal_overflow, shoot, signed_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def main_pages(city) -> dict[str, str]:
    from terpadu.accounts.models import Role
    from terpadu.organisasi.models import RiwayatJabatan

    role = Role.objects.get(code="admin-sistem")
    riwayat = RiwayatJabatan.objects.filter(pegawai=city.pegawai_same).first()
    return {
        "home": "/beranda/",
        "organisation-tree": "/organisasi/",
        "employees": "/organisasi/pegawai/",
        "employee-detail": f"/organisasi/pegawai/{city.pegawai_same.pk}/",
        "employee-edit": f"/organisasi/pegawai/{city.pegawai_same.pk}/ubah/",
        "unit-detail": f"/organisasi/unit/{city.dinas_a.pk}/",
        "unit-edit": f"/organisasi/unit/{city.dinas_a.pk}/ubah/",
        "position-detail": f"/organisasi/jabatan/{riwayat.jabatan_id}/",
        "position-history": f"/organisasi/unit/{city.bidang_a.pk}/riwayat-jabatan/",
        "import": "/organisasi/impor/",
        "search": "/cari/?q=Alfa",
        "notifications": "/notifikasi/",
        "profile": "/akun/profil/",
        "token-new": "/akun/token/baru/",
        "users": "/akun/pengguna/",
        "user-detail": f"/akun/pengguna/{city.staff_same.pk}/",
        "roles": "/akun/peran/",
        "role-detail": f"/akun/peran/{role.pk}/",
        "audit": "/platform/audit/",
        "jobs": "/platform/tugas/",
    }


PUBLIC_PAGES = {
    "portal": "/",
    "login": "/akun/masuk/",
    "audit-checkpoints": "/transparansi/audit/",
    "password-reset": "/akun/kata-sandi/lupa/",
}


def tour(page, pages: dict[str, str], width: int, prefix: str) -> dict[str, dict]:
    too_wide = {}
    for name, url in pages.items():
        page.goto(url)
        expect(page.locator("main#main")).to_be_visible()
        shoot(page, f"{prefix}-{name}")
        found = horizontal_overflow(page)
        if found["scrollWidth"] > width:
            too_wide[name] = found
    return too_wide


def test_the_public_pages_fit_a_360_px_phone(phone, city, live_server):
    assert tour(phone, PUBLIC_PAGES, 360, "360") == {}


def test_the_main_pages_fit_a_360_px_phone_without_horizontal_scrolling(phone, city, live_server):
    signed_in(phone, city.admin, live_server.url)
    assert tour(phone, main_pages(city), 360, "360") == {}


def test_the_main_pages_fit_a_1280_px_desktop(page, city, live_server):
    signed_in(page, city.admin, live_server.url)
    assert tour(page, main_pages(city), 1280, "1280") == {}
    expect(page.get_by_role("button", name="Open the menu")).to_be_hidden()  # the menu is a bar here
    expect(page.get_by_role("navigation", name="Main menu").get_by_role("link", name="Employees")).to_be_visible()
    page.context.clear_cookies()
    assert tour(page, PUBLIC_PAGES, 1280, "1280") == {}


def test_the_two_factor_pages_fit_a_360_px_phone(phone, city, live_server):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    signed_in(phone, city.pimpinan, live_server.url, verified=False)
    assert tour(phone, {"2fa-setup": "/akun/2fa/atur/"}, 360, "360") == {}
    expect(phone.locator("#totp-secret")).to_be_visible()
    TOTPDevice.objects.create(user=city.admin, name="phone", confirmed=True)
    phone.context.clear_cookies()
    signed_in(phone, city.admin, live_server.url, verified=False)
    assert tour(phone, {"2fa-verify": "/akun/2fa/verifikasi/"}, 360, "360") == {}
    expect(phone.get_by_role("heading", name="Enter your code")).to_be_visible()
