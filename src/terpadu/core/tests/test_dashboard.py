"""The home dashboard is filled by a registry that every module adds cards to."""

from conftest import login_as

from terpadu.core import registry


def test_home_shows_the_organisation_card_with_the_users_position(client, city):
    login_as(client, city.staff_same)
    page = client.get("/beranda/").content.decode()
    assert 'data-card="organisasi"' in page
    assert "Pengelola Alfa" in page


def test_a_module_card_appears_only_for_users_it_is_for(client, city):
    card = registry.DashboardCard(
        "test-card",
        "core/test_card.html",
        lambda user: {"count": 7} if user.username == "staf.alfa" else None,
        5,
    )
    registry.register_card(card)
    try:
        login_as(client, city.staff_same)
        assert "test-card-7" in client.get("/beranda/").content.decode()
        login_as(client, city.staff_other)
        assert "test-card-7" not in client.get("/beranda/").content.decode()
    finally:
        registry.DASHBOARD[:] = [c for c in registry.DASHBOARD if c.key != "test-card"]


def test_the_menu_shows_only_what_the_user_may_use(client, city):
    login_as(client, city.staff_same)
    staff_page = client.get("/beranda/").content.decode()
    login_as(client, city.admin)
    admin_page = client.get("/beranda/").content.decode()
    assert "/akun/pengguna/" not in staff_page
    assert "/akun/pengguna/" in admin_page
    assert "/organisasi/pegawai/" in staff_page
