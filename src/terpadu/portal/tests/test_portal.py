"""The public landing page needs no login and shows the city, its OPD and the audit checkpoints."""

from terpadu.core import audit, registry


def test_landing_page_shows_the_city_and_its_opd_without_login(client, city):
    response = client.get("/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Pemerintah Kota Uji" in page
    assert "Dinas Alfa" in page and "Dinas Beta" in page
    assert "Bidang Alfa Satu" not in page  # only OPD, not their sub-units


def test_landing_page_lists_the_latest_signed_checkpoint(client, city):
    checkpoint = audit.make_checkpoint()
    page = client.get("/").content.decode()
    assert f"#{checkpoint.seq}" in page


def test_checkpoints_are_published_as_json_with_signature_and_key(client, city):
    checkpoint = audit.make_checkpoint()
    data = client.get("/transparansi/audit/checkpoints.json").json()
    published = data["checkpoints"][0]
    assert published["seq"] == checkpoint.seq
    assert published["head_hash"] == checkpoint.head_hash
    assert published["signature"] == checkpoint.signature
    assert "BEGIN PUBLIC KEY" in published["public_key"]


def test_a_module_can_add_a_public_section(client, city):
    section = registry.PublicSection("test-section", "portal/section_opd.html", lambda: {"opd_list": []}, 50)
    registry.register_public_section(section)
    try:
        response = client.get("/")
        assert response.status_code == 200
        assert any(s.key == "test-section" for s in registry.PUBLIC_SECTIONS)
        assert response.content.decode().count('id="opd-title"') == 2
    finally:
        registry.PUBLIC_SECTIONS[:] = [s for s in registry.PUBLIC_SECTIONS if s.key != "test-section"]
