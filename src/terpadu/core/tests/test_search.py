"""Search: PostgreSQL full-text (indonesian + simple) or the SQLite substring fallback; always behind the gate."""

from __future__ import annotations

import pytest

from terpadu.core import authz, search
from terpadu.core.context import acting
from terpadu.organisasi import services as org
from terpadu.organisasi.models import Pegawai, UnitKerja


@pytest.fixture
def people(city):
    """The test city, plus a service desk operator whose rights cover Dinas Alfa only, and a user with none."""
    from terpadu.accounts import services as access
    from terpadu.accounts.models import Role

    with acting(None, via="command"):
        city.operator = access.create_user("operator.alfa", None)
        access.assign_role(city.operator, Role.objects.get(code="operator-layanan"), unit=city.dinas_a)
        city.nobody = access.create_user("tanpa.hak", None)
        org.create_unit(
            {"parent": city.dinas_b, "kode": "400.2.7", "nama": "Seksi Pelayanan Perizinan", "jenis": "seksi"}
        )
    return city


def titles(hits, kind=None) -> set[str]:
    return {hit.title for hit in hits if kind is None or hit.kind == kind}


def assert_all_allowed(user, hits) -> None:
    for hit in hits:
        assert authz.can(user, search.SPECS[hit.kind].action, hit.obj), f"{user} may not see {hit.title}"


def test_someone_scoped_to_one_opd_never_finds_people_of_another(people):
    hits = search.search(people.operator, "Staf")
    assert titles(hits, "pegawai") == {"Staf Alfa"}
    assert_all_allowed(people.operator, hits)


def test_someone_with_pemda_wide_rights_finds_people_everywhere(people):
    hits = search.search(people.staff_same, "Staf")
    assert titles(hits, "pegawai") == {"Staf Alfa", "Staf Beta"}
    assert_all_allowed(people.staff_same, hits)


def test_someone_without_rights_finds_nothing(people):
    assert search.search(people.nobody, "Staf") == []
    assert search.search(people.nobody, "400") == []


def test_an_employee_is_found_by_the_start_of_the_nip(people):
    nip = people.pegawai_other.nip
    assert titles(search.search(people.staff_same, nip[:8], kinds=["pegawai"])) == {"Staf Beta"}
    assert titles(search.search(people.staff_same, nip, kinds=["pegawai"])) == {"Staf Beta"}
    assert search.search(people.operator, nip[:8], kinds=["pegawai"]) == []  # outside the operator's OPD


def test_units_are_found_by_code_prefix_within_the_users_scope(people):
    assert titles(search.search(people.operator, "400.1", kinds=["unit"])) == {"Dinas Alfa", "Bidang Alfa Satu"}
    everywhere = titles(search.search(people.staff_same, "400.2", kinds=["unit"]))
    assert everywhere == {"Dinas Beta", "Seksi Pelayanan Perizinan"}


def test_units_are_found_by_name(people):
    hits = search.search(people.staff_same, "perizinan")
    assert titles(hits) == {"Seksi Pelayanan Perizinan"}
    assert hits[0].kind == "unit"
    assert hits[0].url == hits[0].obj.get_absolute_url()
    assert search.search(people.operator, "perizinan") == []  # a unit of Dinas Beta


def test_kinds_and_limit_narrow_the_results(people):
    assert {hit.kind for hit in search.search(people.staff_same, "Alfa", kinds=["unit"])} == {"unit"}
    assert len([h for h in search.search(people.staff_same, "Alfa", limit=1) if h.kind == "unit"]) == 1


def test_filter_queryset_leaves_the_queryset_alone_for_a_blank_query(people):
    queryset = UnitKerja.objects.all()
    assert search.filter_queryset(queryset, search.SPECS["unit"], "   ") is queryset


def test_filter_queryset_only_narrows_an_already_restricted_queryset(people):
    restricted = authz.restrict(Pegawai.objects.all(), people.operator, "organisasi.view")
    found = search.filter_queryset(restricted, search.SPECS["pegawai"], "Staf")
    assert [p.nama for p in found] == ["Staf Alfa"]


def test_the_search_api_answers_only_with_what_the_caller_may_see(people, client, login):
    login(client, people.operator)
    response = client.get("/api/v1/search/", {"q": "Staf"})
    assert response.status_code == 200
    assert {hit["title"] for hit in response.json() if hit["kind"] == "pegawai"} == {"Staf Alfa"}


def test_the_search_page_lists_only_allowed_hits(people, client, login):
    login(client, people.operator)
    page = client.get("/cari/", {"q": "Staf"}).content.decode()
    assert "Staf Alfa" in page
    assert "Staf Beta" not in page


def test_the_fallback_matches_inside_words(people):
    if search.is_postgres():
        pytest.skip("SQLite fallback only; PostgreSQL matches whole (stemmed) words")
    assert titles(search.search(people.staff_same, "lfa Sa", kinds=["unit"])) == {"Bidang Alfa Satu"}


@pytest.mark.postgres
def test_postgres_stems_indonesian_words(people):
    # "melayani" and "Pelayanan" share the stem "layan"; no substring of one is the other.
    assert titles(search.search(people.staff_same, "melayani", kinds=["unit"])) == {"Seksi Pelayanan Perizinan"}
    assert search.search(people.operator, "melayani", kinds=["unit"]) == []


@pytest.mark.postgres
def test_postgres_understands_web_search_syntax(people):
    assert titles(search.search(people.staff_same, "dinas -alfa", kinds=["unit"])) == {"Dinas Beta"}
    assert titles(search.search(people.staff_same, '"bidang alfa"', kinds=["unit"])) == {"Bidang Alfa Satu"}


@pytest.mark.postgres
def test_postgres_ranks_the_closer_match_first(people):
    with acting(None, via="command"):
        org.create_unit({"parent": people.dinas_b, "kode": "400.2.8", "nama": "Seksi Data", "jenis": "seksi"})
        org.create_unit(
            {
                "parent": people.dinas_b,
                "kode": "400.2.9",
                "nama": "Seksi Pengolahan Data dan Data Statistik",
                "jenis": "seksi",
            }
        )
    hits = search.search(people.staff_same, "data statistik", kinds=["unit"])
    assert [hit.title for hit in hits] == ["Seksi Pengolahan Data dan Data Statistik"]
    ranked = search.search(people.staff_same, "data", kinds=["unit"])
    assert [hit.title for hit in ranked][0] == "Seksi Pengolahan Data dan Data Statistik"


def test_typing_the_start_of_words_finds_them(people):
    assert titles(search.search(people.staff_same, "bid alf", kinds=["unit"])) == {"Bidang Alfa Satu"}


def test_prefix_matching_never_widens_web_search_syntax():
    assert search.prefix_query("staf al") == "staf:* & al:*"
    assert search.prefix_query("dinas -alfa") == ""
    assert search.prefix_query('"bidang alfa"') == ""
    assert search.prefix_query("alfa or beta") == ""
    assert search.prefix_query("a&b|!c:(d)") == "a:* & b:* & c:* & d:*"
