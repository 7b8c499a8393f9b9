import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from terpadu.organisasi.nip import make_nip, parse_nip

TODAY = dt.date(2026, 11, 22)


def test_it_decodes_a_pns_nip():
    info = parse_nip("198503142010011002", TODAY)
    assert info.tanggal_lahir == dt.date(1985, 3, 14)
    assert (info.tmt_tahun, info.tmt_bulan) == (2010, 1)
    assert info.jenis_kelamin == "L"
    assert info.urut == 2
    assert not info.is_pppk


def test_it_decodes_a_pppk_nip():
    info = parse_nip("199001012022212001", TODAY)
    assert info.is_pppk
    assert info.tmt_bulan is None
    assert info.jenis_kelamin == "P"


def test_it_ignores_spaces():
    assert parse_nip("19850314 201001 1 002", TODAY).nip == "198503142010011002"


@pytest.mark.parametrize(
    ("nip", "code"),
    [
        ("19850314201001100", "nip"),  # 17 digits
        ("19850314201001100X", "nip"),
        ("198502302010011002", "nip_birth"),  # 30 February
        ("198513142010011002", "nip_birth"),  # month 13
        ("203001012010011002", "nip_birth"),  # born in the future
        ("198503142010131002", "nip_tmt"),  # TMT month 13
        ("198503142000011002", "nip_tmt"),  # appointed at 14
        ("198503142010013002", "nip_gender"),  # gender digit 3
        ("198503142010010002", "nip_gender"),  # gender digit 0
        ("198503142010011000", "nip_seq"),
    ],
)
def test_it_rejects_impossible_nips_with_a_reason(nip, code):
    with pytest.raises(ValidationError) as error:
        parse_nip(nip, TODAY)
    assert error.value.code == code
    assert error.value.messages[0]


def test_make_nip_round_trips():
    nip = make_nip(dt.date(1979, 12, 31), 2003, 4, "P", 17)
    info = parse_nip(nip, TODAY)
    assert (info.tanggal_lahir, info.tmt_tahun, info.tmt_bulan, info.jenis_kelamin, info.urut) == (
        dt.date(1979, 12, 31),
        2003,
        4,
        "P",
        17,
    )
