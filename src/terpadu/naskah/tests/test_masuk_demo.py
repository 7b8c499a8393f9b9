"""The incoming part's demo data: letters at Diskominfo and a disposition chain, idempotent."""

from __future__ import annotations

import pytest
from django.utils import timezone

from terpadu.naskah.models import Disposisi, Naskah


@pytest.mark.django_db
def test_demo_seed_builds_letters_and_a_chain_once(klasifikasi, jenis):
    from terpadu.core.context import acting
    from terpadu.demo.accounts import create_demo_accounts
    from terpadu.demo.city import build_city
    from terpadu.naskah import demo_masuk
    from terpadu.naskah.tests.test_masuk_support import reference_data

    reference_data()  # the disposition instructions
    with acting(None, via="command"):
        build_city()
        create_demo_accounts()
    today = timezone.localdate()
    demo_masuk.seed(today)
    demo_masuk.seed(today)
    letters = Naskah.objects.filter(arah="masuk", unit__kode=demo_masuk.UNIT)
    assert letters.count() == len(demo_masuk.LETTERS)
    assert sorted(letters.values_list("nomor_agenda", flat=True)) == [1, 2, 3]
    chain = Disposisi.objects.filter(naskah__hal=demo_masuk.LETTERS[0][3]).order_by("pk")
    assert chain.count() == 2 and chain[1].induk == chain[0]
