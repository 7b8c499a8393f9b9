"""Organisation rules: the unit tree, reorganisations, positions and the atasan chain, employees and
their NIP, appointments and acting (Plt./Plh.) assignments."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from terpadu.core import audit
from terpadu.organisasi import services as org
from terpadu.organisasi import tasks
from terpadu.organisasi.models import Jabatan, Pegawai, RiwayatJabatan
from terpadu.organisasi.nip import make_nip


def node_names(nodes) -> list[str]:
    return [node["unit"].nama for node in nodes]


def reload(instance):
    return type(instance).objects.get(pk=instance.pk)


def pegawai_data(**overrides) -> dict:
    data = {
        "nip": make_nip(dt.date(1990, 5, 17), 2015, 3, "P", 7),
        "nama": "Siti Rahma",
        "status": "PNS",
        "golongan": "III/b",
    }
    data.update(overrides)
    return data


# -- the unit tree -------------------------------------------------------------------------


def test_it_gives_each_unit_a_path_below_its_parent_and_a_depth(city):
    assert city.root.depth == 0
    assert city.dinas_a.path.startswith(city.root.path)
    assert city.bidang_a.path.startswith(city.dinas_a.path)
    assert city.bidang_a.depth == 2
    assert list(org.subtree(city.dinas_a)) == [city.dinas_a, city.bidang_a]


def test_it_builds_the_current_tree_with_codes_and_heads(city):
    roots = org.current_tree()
    assert node_names(roots) == ["Pemerintah Kota Uji"]
    dinas = roots[0]["children"]
    assert node_names(dinas) == ["Dinas Alfa", "Dinas Beta"]
    assert [node["unit"].kode for node in dinas] == ["400.1", "400.2"]
    assert node_names(dinas[0]["children"]) == ["Bidang Alfa Satu"]
    assert dinas[0]["head"]["pegawai"].nama == "Kepala Alfa"
    assert dinas[0]["head"]["acting"] == ""


def test_it_takes_the_letterhead_of_a_bidang_from_its_opd(city):
    org.update_unit(city.dinas_a, {"alamat": "Jl. Merdeka 1", "telepon": "0341-111", "kode_pos": "65111"})
    kop = reload(city.bidang_a).kop_surat()
    assert kop["pemda"] == "PEMERINTAH KOTA UJI"
    assert kop["unit"] == "DINAS ALFA"
    assert (kop["alamat"], kop["telepon"], kop["kode_pos"]) == ("Jl. Merdeka 1", "0341-111", "65111")


def test_it_falls_back_to_the_pemda_address_when_the_opd_has_none(city):
    org.save_pemda({"alamat": "Jl. Balai Kota 1", "email": "pemkot@example.test"})
    kop = reload(city.bidang_a).kop_surat()
    assert kop["unit"] == "DINAS ALFA"
    assert (kop["alamat"], kop["email"]) == ("Jl. Balai Kota 1", "pemkot@example.test")


def test_it_refuses_to_close_a_unit_while_a_sub_unit_is_open(city, today):
    with pytest.raises(ValidationError) as error:
        org.close_unit(city.dinas_a, today - dt.timedelta(days=1))
    assert "Bidang Alfa Satu" in error.value.messages[0]
    assert reload(city.dinas_a).valid_to is None


def test_it_closes_a_unit_once_its_sub_units_are_closed(city, today):
    yesterday = today - dt.timedelta(days=1)
    org.close_unit(city.bidang_a, yesterday)
    org.close_unit(city.dinas_a, yesterday)
    assert reload(city.dinas_a).valid_to == yesterday


def test_a_closed_unit_leaves_the_current_tree_but_keeps_its_history(city, today):
    yesterday = today - dt.timedelta(days=1)
    org.close_unit(city.bidang_a, yesterday)

    dinas_a = org.current_tree()[0]["children"][0]
    assert dinas_a["unit"] == city.dinas_a
    assert dinas_a["children"] == []
    last_week = org.current_tree(today - dt.timedelta(days=7))[0]["children"][0]
    assert node_names(last_week["children"]) == ["Bidang Alfa Satu"]
    assert [e.action for e in audit.history(city.bidang_a)] == ["update", "create"]
    assert audit.history(city.bidang_a)[0].changes["valid_to"] == [None, yesterday.isoformat()]
    riwayat = RiwayatJabatan.objects.get(pegawai=city.pegawai_same)
    assert riwayat.jabatan.unit == city.bidang_a


def test_a_closed_unit_frees_its_code_for_the_new_structure(city, today):
    org.close_unit(city.bidang_a, today - dt.timedelta(days=1))
    successor = org.create_unit(
        {"parent": city.dinas_a, "kode": "400.1.2", "nama": "Bidang Alfa Baru", "jenis": "bidang"}
    )
    assert successor.kode == reload(city.bidang_a).kode


def test_moving_a_unit_repaths_its_whole_subtree(city):
    seksi = org.create_unit({"parent": city.bidang_a, "kode": "400.1.2.1", "nama": "Seksi Alfa", "jenis": "seksi"})
    org.update_unit(city.bidang_a, {"parent": city.dinas_b})

    bidang, seksi = reload(city.bidang_a), reload(seksi)
    assert bidang.path == f"{city.dinas_b.path}{bidang.pk:06d}."
    assert seksi.path == f"{bidang.path}{seksi.pk:06d}."
    assert (bidang.depth, seksi.depth) == (2, 3)
    assert set(org.subtree(city.dinas_b)) == {city.dinas_b, bidang, seksi}
    assert set(org.subtree(city.dinas_a)) == {city.dinas_a}
    assert org.atasan_of(reload(city.kabid_a)) == city.kepala_b


def test_it_refuses_to_move_a_unit_below_its_own_sub_unit(city):
    with pytest.raises(ValidationError) as error:
        org.update_unit(city.dinas_a, {"parent": city.bidang_a})
    assert "parent" in error.value.message_dict
    assert reload(city.dinas_a).parent == city.root


def test_it_refuses_a_sub_unit_under_a_closed_parent(city, today):
    org.close_unit(city.bidang_a, today - dt.timedelta(days=1))
    with pytest.raises(ValidationError) as error:
        org.create_unit({"parent": reload(city.bidang_a), "kode": "400.1.2.9", "nama": "Seksi", "jenis": "seksi"})
    assert "parent" in error.value.message_dict


# -- jabatan -------------------------------------------------------------------------------


def test_a_structural_position_needs_an_eselon(city):
    with pytest.raises(ValidationError) as error:
        org.create_jabatan({"unit": city.dinas_b, "nama": "Sekretaris Dinas Beta", "jenis": "struktural"})
    assert "eselon" in error.value.message_dict


@pytest.mark.parametrize("jenis", ["fungsional", "pelaksana"])
def test_only_structural_positions_have_an_eselon(city, jenis):
    with pytest.raises(ValidationError) as error:
        org.create_jabatan({"unit": city.dinas_b, "nama": "Analis", "jenis": jenis, "eselon": "IV.a"})
    assert "eselon" in error.value.message_dict


def test_a_unit_has_one_open_head_position(city):
    with pytest.raises(ValidationError) as error:
        org.create_jabatan(
            {
                "unit": city.dinas_b,
                "nama": "Kepala Dinas Beta (2)",
                "jenis": "struktural",
                "eselon": "II.b",
                "is_kepala_unit": True,
            }
        )
    assert "is_kepala_unit" in error.value.message_dict
    assert Jabatan.objects.filter(unit=city.dinas_b, is_kepala_unit=True).count() == 1


def test_a_new_head_position_is_allowed_once_the_old_one_is_closed(city, today):
    org.update_jabatan(city.kepala_b, {"valid_to": today - dt.timedelta(days=1)})
    head = org.create_jabatan(
        {
            "unit": city.dinas_b,
            "nama": "Kepala Dinas Beta Baru",
            "jenis": "struktural",
            "eselon": "II.b",
            "is_kepala_unit": True,
        }
    )
    assert org.head_of(city.dinas_b) == head


# -- the atasan chain ----------------------------------------------------------------------


def test_the_atasan_of_staff_is_the_head_of_their_own_unit(city):
    assert org.atasan_of(city.staff_a_jabatan) == city.kabid_a
    assert org.atasan_of(city.staff_b_jabatan) == city.kepala_b


def test_the_atasan_of_a_head_is_the_head_of_the_unit_above(city):
    assert org.atasan_of(city.kabid_a) == city.kepala_a
    assert org.atasan_of(city.kepala_a) is None


def test_the_atasan_skips_units_without_a_head(city):
    seksi = org.create_unit({"parent": city.bidang_a, "kode": "400.1.2.1", "nama": "Seksi Alfa", "jenis": "seksi"})
    staff = org.create_jabatan({"unit": seksi, "nama": "Pengadministrasi", "jenis": "pelaksana"})
    assert org.atasan_of(staff) == city.kabid_a
    org.update_jabatan(city.kabid_a, {"valid_to": timezone.localdate() - dt.timedelta(days=1)})
    assert org.atasan_of(staff) == city.kepala_a


def test_an_explicit_atasan_wins_over_the_tree(city):
    jabatan = org.update_jabatan(city.staff_a_jabatan, {"atasan_override": city.kepala_a})
    assert org.atasan_of(jabatan) == city.kepala_a


def test_a_position_cannot_be_its_own_atasan(city):
    with pytest.raises(ValidationError) as error:
        org.update_jabatan(city.kabid_a, {"atasan_override": city.kabid_a})
    assert "atasan_override" in error.value.message_dict


# -- holders -------------------------------------------------------------------------------


def test_holder_of_names_the_definitive_holder(city):
    holder, acting = org.holder_of(city.kepala_a)
    assert (holder.nama, acting) == ("Kepala Alfa", "")
    assert org.holder_of(city.kabid_a) == (None, "")


def test_holder_of_and_head_holders_name_the_acting_holder(city, today):
    org.assign_acting(city.pegawai_same, city.kabid_a, "plt", today, today + dt.timedelta(days=30))
    assert org.holder_of(city.kabid_a) == (city.pegawai_same, "plt")
    head = org.head_holders()[city.bidang_a.pk]
    assert (head["jabatan"], head["pegawai"], head["acting"]) == (city.kabid_a, city.pegawai_same, "plt")
    assert org.head_holders()[city.dinas_a.pk]["pegawai"].nama == "Kepala Alfa"


def test_a_plh_stands_in_for_the_definitive_holder_while_active(city, today):
    org.assign_acting(city.pegawai_same, city.kepala_a, "plh", today, today + dt.timedelta(days=3))
    assert org.holder_of(city.kepala_a) == (city.pegawai_same, "plh")
    assert org.holder_of(city.kepala_a, today + dt.timedelta(days=4))[0].nama == "Kepala Alfa"


def test_an_acting_position_is_labelled_plt_or_plh(city, today):
    org.assign_acting(city.pegawai_other, city.kabid_a, "plt", today, today + dt.timedelta(days=30))
    held = org.positions_held(city.pegawai_other)
    assert [org.position_label(j, a) for j, a in held] == ["Pengelola Beta", "Plt. Kepala Bidang Alfa Satu"]
    assert org.position_label(city.kepala_a, "plh") == "Plh. Kepala Dinas Alfa"


@pytest.mark.parametrize(
    ("start", "end"),
    [(-5, 5), (10, 40), (-20, 0), (30, 30)],
    ids=["inside", "ending-later", "starting-earlier", "touching-the-end"],
)
def test_overlapping_acting_assignments_for_a_position_are_rejected(city, today, start, end):
    org.assign_acting(city.pegawai_same, city.kabid_a, "plt", today, today + dt.timedelta(days=30))
    with pytest.raises(ValidationError) as error:
        org.assign_acting(
            city.pegawai_other,
            city.kabid_a,
            "plh",
            today + dt.timedelta(days=start),
            today + dt.timedelta(days=end),
        )
    assert "overlaps" in error.value.messages[0]


def test_consecutive_and_revoked_acting_assignments_do_not_clash(city, today):
    first = org.assign_acting(city.pegawai_same, city.kabid_a, "plt", today, today + dt.timedelta(days=30))
    org.assign_acting(
        city.pegawai_other, city.kabid_a, "plt", today + dt.timedelta(days=31), today + dt.timedelta(days=60)
    )
    org.revoke_acting(first, timezone.now())
    replacement = org.assign_acting(city.pegawai_other, city.kabid_a, "plh", today, today + dt.timedelta(days=2))
    assert org.holder_of(city.kabid_a) == (city.pegawai_other, "plh")
    assert replacement.pk


def test_an_acting_assignment_must_end_after_it_starts_and_be_plt_or_plh(city, today):
    with pytest.raises(ValidationError) as error:
        org.assign_acting(city.pegawai_same, city.kabid_a, "plt", today, today - dt.timedelta(days=1))
    assert "selesai" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        org.assign_acting(city.pegawai_same, city.kabid_a, "pj", today, today)
    assert "jenis" in error.value.message_dict


def test_nobody_acts_in_their_own_definitive_position(city, today):
    with pytest.raises(ValidationError):
        org.assign_acting(city.pegawai_same, city.staff_a_jabatan, "plh", today, today)


def test_a_revoked_acting_assignment_no_longer_holds_the_position(city, today):
    penugasan = org.assign_acting(city.pegawai_same, city.kabid_a, "plt", today, today + dt.timedelta(days=30))
    org.revoke_acting(penugasan, timezone.now())
    assert org.holder_of(city.kabid_a) == (None, "")
    assert [j for j, _a in org.positions_held(reload(city.pegawai_same))] == [city.staff_a_jabatan]
    assert audit.history(penugasan)[0].action == "revoke"


# -- pegawai and the NIP -------------------------------------------------------------------


def test_it_derives_birth_date_and_gender_from_the_nip(db):
    pegawai = org.create_pegawai(pegawai_data())
    assert pegawai.tanggal_lahir == dt.date(1990, 5, 17)
    assert pegawai.jenis_kelamin == "P"


def test_it_derives_them_again_when_the_nip_is_corrected(db):
    pegawai = org.create_pegawai(pegawai_data())
    pegawai = org.update_pegawai(pegawai, {"nip": make_nip(dt.date(1988, 2, 29), 2012, 1, "L", 3)})
    assert (reload(pegawai).tanggal_lahir, reload(pegawai).jenis_kelamin) == (dt.date(1988, 2, 29), "L")


@pytest.mark.parametrize(
    ("nip", "words"),
    [
        ("199002302015031007", "birth date"),  # 30 February
        ("199013172015031007", "birth date"),  # month 13
        ("199005172015033007", "gender"),  # gender digit 3
        ("19900517201503100", "18 digits"),
    ],
)
def test_it_rejects_an_impossible_nip_with_a_reason(db, nip, words):
    with pytest.raises(ValidationError) as error:
        org.create_pegawai(pegawai_data(nip=nip))
    assert words in " ".join(error.value.message_dict["nip"])
    assert not Pegawai.objects.exists()


def test_a_pppk_nip_needs_the_pppk_status(db):
    with pytest.raises(ValidationError) as error:
        org.create_pegawai(pegawai_data(nip=make_nip(dt.date(1990, 5, 17), 2022, None, "P", 7)))
    assert "PPPK" in error.value.message_dict["nip"][0]


def test_a_pns_nip_cannot_belong_to_a_pppk(db):
    with pytest.raises(ValidationError) as error:
        org.create_pegawai(pegawai_data(status="PPPK", golongan="IX"))
    assert "PNS NIP" in error.value.message_dict["nip"][0]


def test_a_pppk_is_created_with_a_pppk_rank(db):
    pegawai = org.create_pegawai(
        pegawai_data(nip=make_nip(dt.date(1990, 5, 17), 2022, None, "P", 7), status="PPPK", golongan="IX")
    )
    assert pegawai.pangkat == "Golongan IX"


@pytest.mark.parametrize(
    ("status", "nip", "golongan"),
    [
        ("PNS", make_nip(dt.date(1990, 5, 17), 2015, 3, "P", 7), "IX"),
        ("PPPK", make_nip(dt.date(1990, 5, 17), 2022, None, "P", 7), "III/a"),
    ],
)
def test_the_rank_must_exist_for_the_status(db, status, nip, golongan):
    with pytest.raises(ValidationError) as error:
        org.create_pegawai(pegawai_data(nip=nip, status=status, golongan=golongan))
    assert golongan in error.value.message_dict["golongan"][0]


def test_the_nip_is_unique(city):
    with pytest.raises(ValidationError) as error:
        org.create_pegawai(pegawai_data(nip=city.pegawai_same.nip))
    assert "nip" in error.value.message_dict


# -- appointments --------------------------------------------------------------------------


def test_an_appointment_closes_the_previous_position_the_day_before(city, today):
    riwayat = org.assign_jabatan(city.pegawai_same, city.kabid_a, today, "SK-1")
    previous = RiwayatJabatan.objects.get(pegawai=city.pegawai_same, jabatan=city.staff_a_jabatan)
    assert previous.tmt_selesai == today - dt.timedelta(days=1)
    assert riwayat.tmt_selesai is None
    pegawai = reload(city.pegawai_same)
    assert (pegawai.jabatan, pegawai.unit) == (city.kabid_a, city.bidang_a)
    assert org.holder_of(city.kabid_a) == (pegawai, "")
    assert org.holder_of(city.staff_a_jabatan) == (None, "")


def test_an_appointment_moving_to_another_opd_moves_the_unit(city, today):
    org.assign_jabatan(city.pegawai_same, city.staff_b_jabatan, today)
    assert reload(city.pegawai_same).unit == city.dinas_b
    assert audit.history(city.pegawai_same)[0].action == "position_refreshed"


def test_an_appointment_must_start_after_the_current_one(city, today):
    start = RiwayatJabatan.objects.get(pegawai=city.pegawai_same).tmt_mulai
    with pytest.raises(ValidationError) as error:
        org.assign_jabatan(city.pegawai_same, city.kabid_a, start)
    assert "tmt_mulai" in error.value.message_dict
    assert reload(city.pegawai_same).jabatan == city.staff_a_jabatan


def test_nobody_is_appointed_to_a_closed_position(city, today):
    org.update_jabatan(city.kabid_a, {"valid_to": today})
    with pytest.raises(ValidationError) as error:
        org.assign_jabatan(city.pegawai_same, reload(city.kabid_a), today + dt.timedelta(days=1))
    assert "jabatan" in error.value.message_dict


def test_a_future_appointment_takes_effect_when_the_nightly_refresh_runs_on_its_first_day(city, today, freeze_today):
    start = today + dt.timedelta(days=3)
    org.assign_jabatan(city.pegawai_same, city.kabid_a, start)
    assert reload(city.pegawai_same).jabatan == city.staff_a_jabatan

    freeze_today(start - dt.timedelta(days=1))
    tasks.refresh_positions()
    assert reload(city.pegawai_same).jabatan == city.staff_a_jabatan

    freeze_today(start)
    tasks.refresh_positions()
    pegawai = reload(city.pegawai_same)
    assert (pegawai.jabatan, pegawai.unit) == (city.kabid_a, city.bidang_a)


def test_the_nightly_refresh_leaves_unchanged_pegawai_alone(city, today, freeze_today):
    before = audit.history(city.pegawai_same).count()
    freeze_today(today + dt.timedelta(days=1))
    tasks.refresh_positions()
    assert audit.history(city.pegawai_same).count() == before


def test_the_nightly_refresh_catches_up_after_nights_the_worker_missed(city, today, freeze_today):
    start = today + dt.timedelta(days=3)
    org.assign_jabatan(city.pegawai_same, city.kabid_a, start)

    freeze_today(start + dt.timedelta(days=4))  # the worker was down from the first day until now
    tasks.refresh_positions()
    assert reload(city.pegawai_same).jabatan == city.kabid_a
