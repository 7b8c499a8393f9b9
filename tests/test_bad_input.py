"""Bad input gets a clear answer and writes nothing.

Pages: status 200 with the form error shown next to the form (in whatever language the page is
in: the tests compare with the form's own error messages), no new audit event, no new row.
API: a 4xx with the JSON error body, never HTML and never a 500.
"""

from __future__ import annotations

import datetime as dt
import json
from contextlib import contextmanager

import pytest
from conftest import login_as
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.forms.forms import NON_FIELD_ERRORS
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from terpadu.organisasi.nip import make_nip

# 1x1 transparent PNG
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489"
    "0000000d49444154789c63000100000500010d0a2db40000000049454e44ae426082"
)
VALID_PNS_NIP = make_nip(dt.date(1985, 5, 17), 2010, 3, "L", 7)  # 198505172010031007


@pytest.fixture(autouse=True)
def _fresh_throttles():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def admin(city):
    return login_as(Client(), city.admin)


def _models(*names):
    from django.apps import apps

    return [apps.get_model(name) for name in names]


@contextmanager
def nothing_written(*model_names: str):
    """No new audit event and no new (or removed) row in the given models."""
    from terpadu.core.models import AuditEvent

    models = [AuditEvent, *_models(*model_names)]
    before = {model.__name__: model.objects.count() for model in models}
    yield
    after = {model.__name__: model.objects.count() for model in models}
    assert after == before, f"rows changed: before {before}, after {after}"


def assert_form_error(response, field: str | None, form: str = "form"):
    """The page was shown again (200) with an error on `field` (None = the whole form), visibly."""
    assert response.status_code == 200, f"expected the form again, got {response.status_code}"
    errors = response.context[form].errors
    key = field or NON_FIELD_ERRORS
    assert key in errors, f"expected an error on {key!r}, got {dict(errors)}"
    html = response.content.decode()
    for message in errors[key]:
        assert escape(message) in html, f"the error {message!r} is not shown on the page"
    return errors[key]


# -- sign-in -----------------------------------------------------------------------------------


def test_a_wrong_password_shows_an_error_and_signs_nobody_in(city):
    client = Client()
    with nothing_written("accounts.UserSession"):
        response = client.post(reverse("accounts:login"), {"username": "staf.alfa", "password": "salah-sekali-123"})
    assert_form_error(response, None)
    assert "_auth_user_id" not in client.session


def test_an_empty_login_form_names_the_missing_fields(city):
    with nothing_written("accounts.UserSession", "accounts.LoginAttempt"):
        response = Client().post(reverse("accounts:login"), {"username": "", "password": ""})
    assert_form_error(response, "username")
    assert_form_error(response, "password")


def _code_that_is_not_valid_now(device) -> str:
    from django_otp.oath import TOTP

    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    valid = set()
    for drift in range(device.drift - device.tolerance - 2, device.drift + device.tolerance + 3):
        totp.drift = drift
        valid.add(f"{totp.token():0{device.digits}d}")
    return next(code for code in ("000000", "123456", "654321", "999999") if code not in valid)


def test_a_wrong_or_malformed_2fa_code_keeps_the_user_signed_out(city):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from terpadu.accounts.models import LoginAttempt

    device = TOTPDevice.objects.create(user=city.pimpinan, name="hp", confirmed=True)
    client = Client()
    step_one = client.post(reverse("accounts:login"), {"username": "pimpinan", "password": "Rahasia-Uji-12345"})
    assert step_one.status_code == 302 and step_one["Location"].startswith(reverse("accounts:2fa_verify"))
    with nothing_written("accounts.UserSession", "otp_totp.TOTPDevice"):
        response = client.post(reverse("accounts:2fa_verify"), {"token": "12ab56"})
        assert_form_error(response, "token")
        failures = LoginAttempt.objects.filter(username="pimpinan", success=False).count()
        response = client.post(reverse("accounts:2fa_verify"), {"token": _code_that_is_not_valid_now(device)})
        assert_form_error(response, "token")
    assert LoginAttempt.objects.filter(username="pimpinan", success=False).count() == failures + 1
    assert "_auth_user_id" not in client.session


def test_a_wrong_code_while_setting_up_2fa_leaves_it_off(city):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    client = login_as(Client(), city.staff_same, verified=False)
    client.get(reverse("accounts:2fa_setup"))
    device = TOTPDevice.objects.get(user=city.staff_same, confirmed=False)
    with nothing_written("otp_totp.TOTPDevice"):
        response = client.post(reverse("accounts:2fa_setup"), {"token": _code_that_is_not_valid_now(device)})
        assert_form_error(response, "token")
    assert not TOTPDevice.objects.filter(user=city.staff_same, confirmed=True).exists()


def test_a_wrong_old_password_does_not_change_the_password(city):
    client = login_as(Client(), city.staff_same)
    with nothing_written():
        new = "Kata-Sandi-Baru-987"
        data = {"old_password": "bukan-ini-12345", "new_password1": new, "new_password2": new}
        response = client.post(reverse("accounts:password_change"), data)
    assert_form_error(response, "old_password")
    city.staff_same.refresh_from_db()
    assert city.staff_same.check_password("Rahasia-Uji-12345")


# -- organisation: units -----------------------------------------------------------------------


def _unit_data(unit, **changes):
    data = {"kode": unit.kode, "nama": unit.nama, "jenis": unit.jenis, "parent": unit.parent_id or ""}
    data.update(changes)
    return data


def test_a_new_unit_without_a_name_and_with_an_unknown_kind_is_refused(city, admin):
    with nothing_written("organisasi.UnitKerja"):
        response = admin.post(
            reverse("organisasi:unit_create"),
            {"parent": city.root.pk, "kode": "400.9", "nama": "", "jenis": "kerajaan"},
        )
    assert_form_error(response, "nama")
    assert_form_error(response, "jenis")


def test_a_unit_cannot_be_placed_under_its_own_sub_unit(city, admin):
    with nothing_written("organisasi.UnitKerja"):
        response = admin.post(
            reverse("organisasi:unit_edit", args=[city.dinas_a.pk]),
            _unit_data(city.dinas_a, parent=city.bidang_a.pk),
        )
    assert_form_error(response, "parent")
    city.dinas_a.refresh_from_db()
    assert city.dinas_a.parent_id == city.root.pk


def test_a_unit_cannot_be_its_own_parent(city, admin):
    with nothing_written("organisasi.UnitKerja"):
        response = admin.post(
            reverse("organisasi:unit_edit", args=[city.dinas_a.pk]),
            _unit_data(city.dinas_a, parent=city.dinas_a.pk),
        )
    assert_form_error(response, "parent")


def test_a_unit_code_already_open_in_the_pemda_is_refused(city, admin):
    with nothing_written("organisasi.UnitKerja"):
        response = admin.post(
            reverse("organisasi:unit_create"),
            {"parent": city.root.pk, "kode": city.dinas_b.kode, "nama": "Dinas Kembar", "jenis": "dinas"},
        )
    [message] = assert_form_error(response, None)
    assert "unit_kode_unique_while_open" not in message  # the constraint's name means nothing to a user


# -- organisation: positions -------------------------------------------------------------------


def _jabatan_data(unit, **changes):
    data = {"unit": unit.pk, "kode": "X1", "nama": "Jabatan Uji", "jenis": "pelaksana", "eselon": ""}
    data.update(changes)
    return data


def test_a_structural_position_without_eselon_is_refused(city, admin):
    with nothing_written("organisasi.Jabatan"):
        response = admin.post(reverse("organisasi:jabatan_create"), _jabatan_data(city.bidang_a, jenis="struktural"))
    assert_form_error(response, "eselon")


def test_a_non_structural_position_with_an_eselon_is_refused(city, admin):
    with nothing_written("organisasi.Jabatan"):
        response = admin.post(reverse("organisasi:jabatan_create"), _jabatan_data(city.bidang_a, eselon="IV.a"))
    assert_form_error(response, "eselon")


def test_a_second_head_for_a_unit_is_refused(city, admin):
    data = _jabatan_data(city.dinas_a, nama="Kepala Kedua", jenis="struktural", eselon="II.b", is_kepala_unit="on")
    with nothing_written("organisasi.Jabatan"):
        response = admin.post(reverse("organisasi:jabatan_create"), data)
    [message] = assert_form_error(response, None)
    assert "one_open_head_per_unit" not in message  # the constraint's name means nothing to a user


def test_editing_a_position_into_a_structural_one_without_eselon_is_refused(city, admin):
    jabatan = city.staff_a_jabatan
    with nothing_written("organisasi.Jabatan"):
        response = admin.post(
            reverse("organisasi:jabatan_edit", args=[jabatan.pk]),
            _jabatan_data(jabatan.unit, kode=jabatan.kode, nama=jabatan.nama, jenis="struktural"),
        )
    assert_form_error(response, "eselon")
    jabatan.refresh_from_db()
    assert jabatan.jenis == "pelaksana"


# -- organisation: employees -------------------------------------------------------------------


def _pegawai_data(**changes):
    data = {
        "nip": VALID_PNS_NIP,
        "nama": "Pegawai Baru",
        "status": "PNS",
        "golongan": "III/a",
        "nik": "",
        "email": "baru@example.test",
        "telepon": "",
        "aktif": "on",
    }
    data.update(changes)
    return data


@pytest.mark.parametrize(
    "nip,why",
    [
        ("198502302010031007", "30 February is not a birth date"),
        ("198513172010031007", "month 13"),
        ("198505172010033007", "gender digit 3"),
        ("198505172010030007", "gender digit 0"),
        ("19850517201003100", "17 digits"),
        ("19850517201003100X", "not all digits"),
        ("198505172010031000", "sequence 000"),
    ],
)
def test_an_impossible_nip_is_refused_when_creating_an_employee(city, admin, nip, why):
    with nothing_written("organisasi.Pegawai"):
        response = admin.post(reverse("organisasi:pegawai_create"), _pegawai_data(nip=nip))
    assert_form_error(response, "nip")


def test_a_pns_nip_with_status_pppk_is_refused(city, admin):
    with nothing_written("organisasi.Pegawai"):
        response = admin.post(reverse("organisasi:pegawai_create"), _pegawai_data(status="PPPK", golongan="IX"))
    assert_form_error(response, "nip")


def test_a_pppk_nip_with_status_pns_is_refused(city, admin):
    pppk_nip = make_nip(dt.date(1990, 1, 2), 2022, None, "P", 5)
    with nothing_written("organisasi.Pegawai"):
        response = admin.post(reverse("organisasi:pegawai_create"), _pegawai_data(nip=pppk_nip))
    assert_form_error(response, "nip")


def test_a_rank_that_does_not_exist_for_the_status_is_refused(city, admin):
    with nothing_written("organisasi.Pegawai"):
        response = admin.post(reverse("organisasi:pegawai_create"), _pegawai_data(golongan="IX"))
    assert_form_error(response, "golongan")


def test_a_duplicate_nip_is_refused(city, admin):
    with nothing_written("organisasi.Pegawai"):
        response = admin.post(reverse("organisasi:pegawai_create"), _pegawai_data(nip=city.pegawai_other.nip))
    assert_form_error(response, "nip")


def test_editing_an_employee_with_an_impossible_nip_changes_nothing(city, admin):
    pegawai = city.pegawai_same
    data = _pegawai_data(nip="198505172010033007", nama=pegawai.nama, golongan=pegawai.golongan)
    with nothing_written("organisasi.Pegawai"):
        response = admin.post(reverse("organisasi:pegawai_edit", args=[pegawai.pk]), data)
    assert_form_error(response, "nip")
    old_nip = pegawai.nip
    pegawai.refresh_from_db()
    assert pegawai.nip == old_nip


def test_editing_an_employee_to_pppk_with_a_pns_nip_changes_nothing(city, admin):
    pegawai = city.pegawai_same
    data = _pegawai_data(nip=pegawai.nip, nama=pegawai.nama, status="PPPK", golongan="IX")
    with nothing_written("organisasi.Pegawai"):
        response = admin.post(reverse("organisasi:pegawai_edit", args=[pegawai.pk]), data)
    assert_form_error(response, "nip")
    pegawai.refresh_from_db()
    assert pegawai.status == "PNS"


# -- organisation: appointments and acting assignments -----------------------------------------


def test_an_appointment_starting_before_the_current_one_is_refused(city, admin):
    pegawai = city.pegawai_same
    too_early = (timezone.localdate() - dt.timedelta(days=200)).isoformat()
    with nothing_written("organisasi.RiwayatJabatan"):
        response = admin.post(
            reverse("organisasi:pegawai_assign", args=[pegawai.pk]),
            {"jabatan": city.kabid_a.pk, "tmt_mulai": too_early},
        )
    assert_form_error(response, "tmt_mulai")
    pegawai.refresh_from_db()
    assert pegawai.jabatan_id == city.staff_a_jabatan.pk


@pytest.mark.parametrize(
    "data,field",
    [
        ({"jabatan": "999999", "tmt_mulai": "2025-01-01"}, "jabatan"),
        ({"jabatan": "", "tmt_mulai": "2025-01-01"}, "jabatan"),
        ({"tmt_mulai": "31-31-2025"}, "tmt_mulai"),
    ],
)
def test_an_appointment_to_an_unknown_position_or_on_a_bad_date_is_refused(city, admin, data, field):
    data = {"jabatan": city.kabid_a.pk, **data}
    with nothing_written("organisasi.RiwayatJabatan"):
        response = admin.post(reverse("organisasi:pegawai_assign", args=[city.pegawai_same.pk]), data)
    assert_form_error(response, field)


def _acting(city, mulai: dt.date, selesai: dt.date) -> dict:
    return {
        "pegawai": city.pegawai_same.pk,
        "jenis": "plt",
        "mulai": mulai.isoformat(),
        "selesai": selesai.isoformat(),
        "nomor_sk": "800/9/2025",
    }


def test_an_acting_assignment_ending_before_it_starts_is_refused(city, admin):
    today = timezone.localdate()
    with nothing_written("organisasi.PenugasanSementara"):
        response = admin.post(
            reverse("organisasi:jabatan_detail", args=[city.kabid_a.pk]),
            _acting(city, today + dt.timedelta(days=10), today + dt.timedelta(days=5)),
        )
    assert_form_error(response, "selesai", form="acting_form")


def test_an_acting_assignment_overlapping_another_is_refused(city, admin):
    from terpadu.core.context import acting
    from terpadu.organisasi import services as org

    today = timezone.localdate()
    with acting(None, via="command"):
        org.assign_acting(
            city.pegawai_other, city.kabid_a, "plh", today + dt.timedelta(days=10), today + dt.timedelta(days=20)
        )
    with nothing_written("organisasi.PenugasanSementara"):
        response = admin.post(
            reverse("organisasi:jabatan_detail", args=[city.kabid_a.pk]),
            _acting(city, today + dt.timedelta(days=15), today + dt.timedelta(days=30)),
        )
    assert_form_error(response, None, form="acting_form")


def test_an_acting_assignment_with_an_unknown_kind_is_refused(city, admin):
    today = timezone.localdate()
    data = {**_acting(city, today, today + dt.timedelta(days=3)), "jenis": "raja"}
    with nothing_written("organisasi.PenugasanSementara"):
        response = admin.post(reverse("organisasi:jabatan_detail", args=[city.kabid_a.pk]), data)
    assert_form_error(response, "jenis", form="acting_form")


# -- access: roles, users, tokens --------------------------------------------------------------


def test_a_role_assignment_ending_before_it_starts_is_refused(city, admin):
    from terpadu.accounts.models import Role

    role = Role.objects.get(code="auditor")
    data = {"assign": "1", "role": role.pk, "valid_from": "2025-06-01", "valid_to": "2025-05-01"}
    with nothing_written("accounts.RoleAssignment"):
        response = admin.post(reverse("accounts:user_detail", args=[city.staff_same.pk]), data)
    assert_form_error(response, "valid_to", form="assign_form")


def test_assigning_an_unknown_role_is_refused(city, admin):
    with nothing_written("accounts.RoleAssignment"):
        response = admin.post(
            reverse("accounts:user_detail", args=[city.staff_same.pk]), {"assign": "1", "role": "999999"}
        )
    assert_form_error(response, "role", form="assign_form")


def _role_data(role, **changes):
    fields = ("code", "name", "module", "description", "actions", "auto_assign", "auto_scope")
    data = {name: getattr(role, name) for name in fields}
    if role.requires_2fa:
        data["requires_2fa"] = "on"
    data.update(changes)
    return data


@pytest.mark.parametrize(
    "changes,field",
    [
        ({"code": "bukan slug!"}, "code"),
        ({"code": "admin-sistem"}, "code"),
        ({"actions": ["organisasi.view", "tidak.ada"]}, "actions"),
        ({"name": ""}, "name"),
        ({"auto_scope": "galaksi"}, "auto_scope"),
    ],
)
def test_editing_a_role_with_bad_values_changes_nothing(city, admin, changes, field):
    from terpadu.accounts.models import Role

    role = Role.objects.get(code="arsiparis")
    with nothing_written("accounts.Role"):
        response = admin.post(reverse("accounts:role_detail", args=[role.pk]), _role_data(role, **changes))
    assert_form_error(response, field)
    assert Role.objects.get(pk=role.pk).code == "arsiparis"


def test_copying_a_role_to_an_existing_code_is_refused(city, admin):
    from terpadu.accounts.models import Role

    role = Role.objects.get(code="arsiparis")
    with nothing_written("accounts.Role"):
        response = admin.post(
            reverse("accounts:role_detail", args=[role.pk]),
            {"clone": "1", "code": "auditor", "name": "Salinan"},
        )
    assert_form_error(response, "code", form="clone_form")


@pytest.mark.parametrize(
    "data,field",
    [
        ({"username": "ADMIN"}, "username"),
        ({"username": "pengguna baru"}, "username"),
        ({"username": "pengguna-baru", "password": "12345"}, None),
        ({"username": "pengguna-baru", "password": "pengguna-baru"}, None),
        ({"username": "pengguna-baru", "email": "bukan-email"}, "email"),
        ({"username": "pengguna-baru", "pegawai": "999999"}, "pegawai"),
    ],
)
def test_creating_a_user_with_bad_values_is_refused(city, admin, data, field):
    with nothing_written("accounts.User"):
        response = admin.post(reverse("accounts:user_create"), data)
    errors = response.context["form"].errors if response.status_code == 200 else {}
    if field is None:  # a weak password: reported on the password field or the form
        assert errors.get("password") or errors.get(NON_FIELD_ERRORS), dict(errors)
        key = "password" if "password" in errors else None
        assert_form_error(response, key)
    else:
        assert_form_error(response, field)


def test_a_user_cannot_be_linked_to_an_employee_who_already_has_an_account(city, admin):
    with nothing_written("accounts.User"):
        response = admin.post(reverse("accounts:user_create"), {"username": "kembar", "pegawai": city.pegawai_same.pk})
    assert_form_error(response, "pegawai")


@pytest.mark.parametrize(
    "data,field",
    [
        ({"name": "SIMPEG", "scopes": ["organisasi.view"], "days": "0"}, "days"),
        ({"name": "SIMPEG", "scopes": ["organisasi.view"], "days": "731"}, "days"),
        ({"name": "SIMPEG", "scopes": ["organisasi.view"], "days": "sembilan"}, "days"),
        ({"name": "SIMPEG", "days": "30"}, "scopes"),
        ({"name": "SIMPEG", "scopes": ["tidak.ada"], "days": "30"}, "scopes"),
        ({"name": "", "scopes": ["organisasi.view"], "days": "30"}, "name"),
    ],
)
def test_creating_an_api_token_with_bad_values_is_refused(city, data, field):
    client = login_as(Client(), city.staff_same)
    with nothing_written("accounts.ApiToken"):
        response = client.post(reverse("accounts:token_create"), data)
    assert_form_error(response, field)
    assert "tpd_" not in response.content.decode()


# -- import and export -------------------------------------------------------------------------


def test_a_png_renamed_to_csv_is_refused_at_upload(city, admin):
    upload = SimpleUploadedFile("pegawai.csv", PNG, content_type="text/csv")
    with nothing_written("core.StoredFile", "core.JobRecord", "organisasi.Pegawai"):
        response = admin.post(reverse("organisasi:import"), {"kind": "pegawai", "file": upload, "dry_run": "on"})
    assert_form_error(response, "file")


def test_a_csv_uploaded_as_a_workbook_is_refused(city, admin):
    upload = SimpleUploadedFile("struktur.xlsx", b"kode,nama\n1,Dinas\n", content_type="application/vnd.ms-excel")
    with nothing_written("core.StoredFile", "core.JobRecord"):
        response = admin.post(reverse("organisasi:import"), {"kind": "xlsx", "file": upload})
    assert_form_error(response, "file")


@pytest.mark.parametrize(
    "data,field",
    [
        ({"kind": "pegawai"}, "file"),
        ({"kind": "semua", "file": b"kode,nama\n"}, "kind"),
        ({"kind": "unit", "file": b""}, "file"),
    ],
)
def test_an_import_without_a_file_or_with_an_unknown_kind_is_refused(city, admin, data, field):
    if "file" in data:
        data = {**data, "file": SimpleUploadedFile("unit.csv", data["file"], content_type="text/csv")}
    with nothing_written("core.StoredFile", "core.JobRecord"):
        response = admin.post(reverse("organisasi:import"), data)
    assert_form_error(response, field)


@pytest.mark.parametrize("query", [{"format": "pdf"}, {"format": "csv", "kind": "rahasia"}])
def test_an_export_in_an_unknown_format_or_kind_is_a_400_with_a_reason(city, admin, query):
    with nothing_written():
        response = admin.get(reverse("organisasi:export"), query)
    assert response.status_code == 400
    assert response.content.strip()
    assert "Content-Disposition" not in response


# -- the API -----------------------------------------------------------------------------------


def assert_api_error(response, statuses=(400, 401, 403, 404, 405, 406)):
    assert response.status_code in statuses, f"got {response.status_code}: {response.content[:300]!r}"
    assert response["Content-Type"].startswith("application/json"), response["Content-Type"]
    error = json.loads(response.content)["error"]
    assert error["status"] == response.status_code
    assert error["code"] and error["message"]
    return error


@pytest.mark.parametrize(
    "name,query,status",
    [
        ("api-pegawai-list", {"status": "PRESIDEN"}, 400),
        ("api-pegawai-list", {"unit": "999999"}, 400),
        ("api-pegawai-list", {"unit": "bukan-angka"}, 400),
        ("api-unit-list", {"parent": "abc"}, 400),
        ("api-jabatan-list", {"jenis": "raja"}, 400),
        ("api-jabatan-list", {"unit": "x"}, 400),
        ("api-unit-list", {"page": "9999"}, 404),
        ("api-unit-list", {"page": "abc"}, 404),
        ("api-search", {}, 400),
        ("api-search", {"q": "   "}, 400),
    ],
)
def test_unknown_filter_values_get_a_4xx_with_the_error_body(city, name, query, status):
    client = login_as(Client(), city.admin)
    error = assert_api_error(client.get(reverse(name), query))
    assert error["status"] == status


def test_a_filter_error_names_the_field(city):
    client = login_as(Client(), city.admin)
    error = assert_api_error(client.get(reverse("api-pegawai-list"), {"status": "PRESIDEN"}))
    assert "status" in error["details"]


@pytest.mark.parametrize(
    "header",
    [
        "Bearer",
        "Bearer a b",
        "Basic c3RhZi5hbGZhOlJhaGFzaWEtVWppLTEyMzQ1",
        "tpd_abcd_efgh",
        "Bearer tpd_00000000_bukan-token",
        "Bearer bukan-format-token",
        "Token ",
    ],
)
def test_a_malformed_or_unknown_authorization_header_gets_401_json(city, header):
    response = Client().get(reverse("api-unit-list"), HTTP_AUTHORIZATION=header)
    error = assert_api_error(response, statuses=(401,))
    assert error["code"] == "authentication_failed"


@pytest.mark.parametrize(
    "name,pk",
    [
        ("api-unit-detail", "999999"),
        ("api-unit-detail", "abc"),
        ("api-unit-detail", "-1"),
        ("api-jabatan-detail", "999999"),
        ("api-pegawai-detail", "999999"),
        ("api-pegawai-detail", "1e3"),
        ("api-user-detail", "999999"),
        ("api-role-detail", "999999"),
    ],
)
def test_nonexistent_ids_get_404_json(city, name, pk):
    client = login_as(Client(), city.admin)
    error = assert_api_error(client.get(reverse(name, kwargs={"pk": pk})), statuses=(404,))
    assert error["code"] == "not_found"


def test_an_unknown_api_path_gets_404_json(city):
    client = login_as(Client(), city.admin)
    assert_api_error(client.get("/api/v1/tidak-ada/"), statuses=(404,))
    assert_api_error(Client().get("/api/v1/organisasi/unit/1/tidak-ada/"), statuses=(404,))


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_writing_to_the_read_only_api_is_refused_with_json_and_changes_nothing(city, method):
    client = login_as(Client(), city.admin)
    with nothing_written("organisasi.UnitKerja"):
        response = getattr(client, method)(
            reverse("api-unit-detail", args=[city.dinas_a.pk]) if method != "post" else reverse("api-unit-list"),
            data=json.dumps({"nama": "Diubah"}),
            content_type="application/json",
        )
    # The gate refuses an action no view declares (deny by default) before DRF looks at the method.
    assert_api_error(response, statuses=(403, 405))


def test_an_unknown_response_format_gets_a_4xx_json(city):
    client = login_as(Client(), city.admin)
    assert_api_error(client.get(reverse("api-unit-list"), {"format": "xml"}), statuses=(404,))
    assert_api_error(client.get(reverse("api-unit-list"), HTTP_ACCEPT="application/xml"), statuses=(406,))


def test_malformed_json_in_a_request_body_gets_a_4xx_json(city):
    client = login_as(Client(), city.admin)
    response = client.post(reverse("api-unit-list"), data="{nama: ", content_type="application/json")
    assert_api_error(response, statuses=(400, 403, 405))
